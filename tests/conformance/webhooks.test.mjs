// Cart events through Wix's official SDK: the real server (started with a
// webhook URL and the test-only key of crates/cart-server/tests/fixtures/)
// posts to a receiver here; `@wix/sdk`'s `webhooks.process` with
// `AppStrategy({appId, publicKey})` verifies each delivery and hands
// `currentCart.onCartCreated/onCartUpdated/onCartDeleted` the entity and
// metadata, which must match the cart the SDK's own calls returned. A client
// holding another public key rejects the same bodies.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { AppStrategy, OAuthStrategy, createClient } from "@wix/sdk";
import { currentCart } from "@wix/ecom";
import { routeWixTo } from "./local-wix.mjs";
import { startServer } from "../support/server.mjs";
import { STORES_APP_ID as STORES, product } from "../support/demo-catalog.mjs";

const MUG = product("stoneware-mug").id;
const FIXTURES = "crates/cart-server/tests/fixtures";
const PUBLIC_KEY = readFileSync(`${FIXTURES}/webhook-test-key.pub.pem`, "utf8");
const OTHER_PUBLIC_KEY = readFileSync(`${FIXTURES}/webhook-other-key.pub.pem`, "utf8");
const INSTANCE = "0b6f3c2e-5a1d-4e8f-9c7b-2d4a6e8f0a1c";
const APP_ID = "cart-events-conformance";

let server;
let receiver;
let wix;
const bodies = [];

before(async () => {
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      bodies.push(body);
      response.writeHead(200).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const hook = `http://127.0.0.1:${receiver.address().port}/hook`;
  server = await startServer({
    args: ["--webhook-url", hook, "--webhook-key", `${FIXTURES}/webhook-test-key.pem`, "--instance-id", INSTANCE],
  });
  wix = routeWixTo(server.origin);
});

after(async () => {
  wix?.restore();
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Waits until `n` deliveries arrived. */
async function deliveries(n) {
  for (let i = 0; i < 500 && bodies.length < n; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(bodies.length, n, `${bodies.length} of ${n} deliveries arrived`);
  return bodies.slice(0, n);
}

/** An app client verifying with `publicKey`, recording what each handler got. */
function app(publicKey) {
  const client = createClient({ modules: { currentCart }, auth: AppStrategy({ appId: APP_ID, publicKey }) });
  const seen = [];
  client.currentCart.onCartCreated((event) => seen.push(["created", event]));
  client.currentCart.onCartUpdated((event) => seen.push(["updated", event]));
  client.currentCart.onCartDeleted((event) => seen.push(["deleted", event]));
  return { client, seen };
}

test("the official SDK verifies every delivery and hands the handlers the cart its calls returned", async () => {
  const visitor = createClient({ modules: { currentCart }, auth: OAuthStrategy({ clientId: "conformance-test" }) });
  const added = await visitor.currentCart.addToCurrentCart({
    lineItems: [{ catalogReference: { catalogItemId: MUG, appId: STORES }, quantity: 2 }],
  });
  const [line] = added.cart.lineItems;
  const changed = await visitor.currentCart.updateCurrentCartLineItemQuantity([{ _id: line._id, quantity: 3 }]);
  await visitor.currentCart.deleteCurrentCart();

  const { client, seen } = app(PUBLIC_KEY);
  for (const body of await deliveries(3)) await client.webhooks.process(body);

  assert.deepEqual(
    seen.map(([kind]) => kind),
    ["created", "updated", "deleted"],
  );
  const [[, created], [, updated], [, deleted]] = seen;
  for (const [n, event] of [created, updated, deleted].entries()) {
    assert.equal(event.metadata.instanceId, INSTANCE);
    assert.equal(event.metadata.entityId, added.cart._id);
    assert.equal(String(event.metadata.entityEventSequence), String(n + 1));
    assert.match(event.metadata._id, /^[0-9a-f-]{36}$/);
    assert.ok(event.metadata.eventTime instanceof Date, "eventTime becomes a Date");
  }
  // The entity goes through the same transforms as an API answer.
  assert.deepEqual(created.entity, added.cart);
  assert.deepEqual(updated.entity, changed.cart);
  assert.equal(updated.entity.lineItems[0].quantity, 3);
  assert.equal(deleted.entity, undefined);
});

test("a client holding another public key rejects the deliveries", async () => {
  const [body] = await deliveries(3);
  const { client, seen } = app(OTHER_PUBLIC_KEY);
  await assert.rejects(client.webhooks.process(body));
  assert.deepEqual(seen, []);
});
