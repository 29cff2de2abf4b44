// End to end: the widget renews an expired access token with the refresh
// token, which the server spends and replaces (rotation): the widget keeps
// the new one, two tabs renewing with the same one at once keep the cart,
// and a renewal whose answer never arrived is made again within the
// server's grace (`--refresh-grace-secs`).
import assert from "node:assert/strict";
import { test } from "node:test";
import { addProduct, expectTexts, newPage, openStore, serverAndBrowser, settled, startServer } from "./harness.mjs";

// Without the grace, a spent refresh token is refused at once: what the
// widget meets when a renewal's answer comes after the grace, or from a
// server without one.
const shared = serverAndBrowser({ args: ["--refresh-grace-secs", "0"] });

/** The widget's stored tokens `{key, tokens}` on this page's origin. */
async function storedTokens(page) {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((name) => name.startsWith("cart-widget:tokens:"));
    return { key, tokens: JSON.parse(localStorage.getItem(key)) };
  });
}

/**
 * Marks the stored access token expired, so the next request renews it. Waits
 * for the widget to settle first: an estimate still to be sent would renew
 * with the same refresh token as the test's next step, and one of the two
 * renewals would be refused.
 */
async function expireAccessToken({ page, widget }) {
  await settled(widget);
  const { key, tokens } = await storedTokens(page);
  await page.evaluate(([key, tokens]) => localStorage.setItem(key, JSON.stringify(tokens)), [
    key,
    { ...tokens, expiresAtMs: 0 },
  ]);
  return tokens;
}

/** `POST /oauth2/token` renewing with `refreshToken`, from outside the browser. */
async function refreshStatus(refreshToken) {
  const response = await fetch(`${shared.server.origin}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ clientId: "cart-widget", grantType: "refresh_token", refreshToken }),
  });
  return response.status;
}

/** The problems of a page less Chromium's log of the refused refresh (a 401 the widget handles). */
function unexpected(problems) {
  return problems.filter((problem) => !/status of 401.*\/oauth2\/token/.test(problem));
}

test("an expired access token is renewed, the new refresh token kept, and the cart stays", async () => {
  const store = await openStore(shared);
  await addProduct(store, "Stoneware Mug");
  const before = await expireAccessToken(store);

  await store.page.reload();
  // The last cart shows at once from the visitor's snapshot: wait for the
  // server's answer, which needs the renewal.
  await settled(store.widget);
  await expectTexts(store.widget.getByTestId("line-name"), ["Stoneware Mug"]);
  const after = (await storedTokens(store.page)).tokens;
  assert.notEqual(after.accessToken, before.accessToken);
  assert.notEqual(after.refreshToken, before.refreshToken, "the answer's new refresh token is stored");
  assert.ok(after.expiresAtMs > Date.now());
  // The spent one is refused; the stored one renews again.
  assert.equal(await refreshStatus(before.refreshToken), 401);
  assert.equal(await refreshStatus(after.refreshToken), 200);
  assert.deepEqual(store.problems, []);
  await store.context.close();
});

test("two tabs renewing with the same refresh token at once both keep the cart", async () => {
  const store = await openStore(shared);
  await addProduct(store, "Stoneware Mug");
  await expireAccessToken(store);
  await store.page.close();

  // Both tabs' renewals reach the server together: the first two token
  // requests are held until both are there, so both carry the same refresh
  // token and the server spends it for one of them only.
  const held = [];
  await store.context.route("**/oauth2/token", async (route) => {
    if (held.length >= 2) return route.continue();
    held.push(route);
    if (held.length === 2) for (const request of held) await request.continue();
  });
  const tabs = [];
  for (let n = 0; n < 2; n++) tabs.push(await newPage(shared.browser, { context: store.context }));
  await Promise.all(tabs.map(({ page }) => page.goto(shared.server.url)));
  for (const { page } of tabs) {
    const widget = page.locator("[data-cart-widget]");
    await settled(widget);
    await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug"]);
  }
  assert.equal(held.length, 2);
  assert.deepEqual(tabs.flatMap(({ problems }) => unexpected(problems)), []);
  await store.context.close();
});

test("a renewal whose answer never arrived is made again within the grace, and the cart stays", async () => {
  const server = await startServer(); // the default grace, 60 s
  try {
    const store = await openStore({ server, browser: shared.browser }, { failingRequests: true });
    await addProduct(store, "Stoneware Mug");
    const before = await expireAccessToken(store);
    // The server spends the refresh token, but its answer is lost: the
    // page only sees a failed request, so it still holds the spent token.
    let lost = 0;
    await store.context.route("**/oauth2/token", async (route) => {
      if (lost > 0) return route.continue();
      lost += 1;
      await route.fetch();
      await route.abort("connectionreset");
    });
    await store.page.reload();
    await expectTexts(store.widget.getByTestId("cart-failed").locator("p").first(), ["We couldn't load your cart."]);
    assert.equal(lost, 1);
    assert.equal((await storedTokens(store.page)).tokens.refreshToken, before.refreshToken, "the spent one is all it has");

    await store.page.reload();
    await settled(store.widget);
    await expectTexts(store.widget.getByTestId("line-name"), ["Stoneware Mug"]);
    assert.notEqual((await storedTokens(store.page)).tokens.refreshToken, before.refreshToken);
    assert.deepEqual(store.problems.filter((problem) => problem.startsWith("page error")), []);
    await store.context.close();
  } finally {
    await server.stop();
  }
});
