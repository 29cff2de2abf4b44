// Conformance with Wix's official JS SDK when its access token expires: the
// SDK (`OAuthStrategy.renewToken`) renews with the refresh token it has and
// keeps that one, dropping the refresh token the answer carries. So the
// server's refresh-token rotation (the default) breaks SDK sessions at their
// second renewal, and `--keep-refresh-tokens` (the refresh token kept, as
// Wix does) is what SDK storefronts run with; both are pinned here.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { OAuthStrategy, createClient } from "@wix/sdk";
import { currentCart } from "@wix/ecom";
import { startServer } from "../e2e/harness.mjs";
import { routeWixTo } from "./local-wix.mjs";
import { STORES_APP_ID as STORES, product } from "../support/demo-catalog.mjs";

const MUG = product("stoneware-mug").id;

let rotating;
let keeping;
let wix;

before(async () => {
  // No grace for a spent refresh token: the SDK's second renewal comes
  // four hours after the first, long after the default grace of 60 s.
  rotating = await startServer({ staticDir: null, args: ["--refresh-grace-secs", "0"] });
  keeping = await startServer({ staticDir: null, args: ["--keep-refresh-tokens"] });
});

after(async () => {
  wix?.restore();
  await rotating?.stop();
  await keeping?.stop();
});

/** A visitor of the server at `origin` whose cart holds one mug; its client and cart id. */
async function shopperWithCart(origin) {
  wix?.restore();
  wix = routeWixTo(origin);
  const client = createClient({ modules: { currentCart }, auth: OAuthStrategy({ clientId: "conformance-test" }) });
  const added = await client.currentCart.addToCurrentCart({
    lineItems: [{ catalogReference: { catalogItemId: MUG, appId: STORES }, quantity: 1 }],
  });
  return { client, cartId: added.cart._id };
}

/** Makes the SDK's access token expired, as four hours later; its refresh token. */
function expireAccessToken(client) {
  const tokens = client.auth.getTokens();
  client.auth.setTokens({ ...tokens, accessToken: { ...tokens.accessToken, expiresAt: 0 } });
  return tokens.refreshToken.value;
}

/** The SDK's current cart id, or the error code it got. */
async function currentCartId(client) {
  try {
    return (await client.currentCart.getCurrentCart())._id;
  } catch (error) {
    return error.details?.applicationError?.code ?? String(error);
  }
}

test("with the refresh token kept, the SDK renews again and again into the same cart", async () => {
  const { client, cartId } = await shopperWithCart(keeping.origin);
  for (let renewal = 0; renewal < 3; renewal++) {
    const refreshToken = expireAccessToken(client);
    assert.equal(await currentCartId(client), cartId, `renewal ${renewal + 1}`);
    assert.equal(client.auth.getTokens().refreshToken.value, refreshToken);
  }
  assert.ok(wix.requests.filter((request) => request === "POST /oauth2/token").length >= 4);
});

test("with rotation, the SDK keeps its spent refresh token, so its second renewal starts a new visitor", async () => {
  const { client, cartId } = await shopperWithCart(rotating.origin);
  const refreshToken = expireAccessToken(client);
  assert.equal(await currentCartId(client), cartId, "the first renewal keeps the cart");
  assert.equal(client.auth.getTokens().refreshToken.value, refreshToken, "the SDK dropped the new refresh token");
  expireAccessToken(client);
  assert.equal(await currentCartId(client), "OWNED_CART_NOT_FOUND", "a new visitor, without the cart");
});
