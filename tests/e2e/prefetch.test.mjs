// End to end: the cart on screen early. The loader (`dist/cdn/cart-widget.js`)
// asks for the visitor's cart while the wasm loads and the widget takes that
// answer (`src/prefetch.rs`); a returning visitor sees the cart the widget
// stored last time until the server's answer replaces it (`src/snapshot.rs`).
// On the strict-CSP merchant page of `examples/csp-host/`, against the real
// server; its test fault switch stalls or fails requests.
import assert from "node:assert/strict";
import { test } from "node:test";
import { catalogReference, product } from "../support/demo-catalog.mjs";
import { cspSite } from "./csp-site.mjs";
import { expectTexts, newPage, setFaults } from "./harness.mjs";

/** The visitor's current cart, read, in either dialect. */
const CART_GET = /^GET \/ecom\/v[12]\/carts\/current$/;

const { shared, host, api, call, visitorWith: visitorWithItems, tokensKey } = await cspSite({ serverArgs: ["--test-faults"] });
/** A visitor with one of each of these products in their cart. */
const visitorWith = (slugs, options) => visitorWithItems(slugs.map((slug) => [catalogReference(slug), 1]), options);

/** A page of the merchant's site in a browser profile where `visitor`'s tokens are stored; it logs API requests. */
async function visitorPage(visitor, options = {}) {
  const context = await shared.browser.newContext({
    viewport: { width: 1200, height: 800 },
    storageState: visitor
      ? { cookies: [], origins: [{ origin: host.origin, localStorage: [{ name: tokensKey(), value: JSON.stringify(visitor.stored) }] }] }
      : undefined,
  });
  const opened = await newPage(shared.browser, { ...options, context });
  // What happens to the loader's offer: "offered" when the loader leaves it,
  // "taken" when the widget takes it off the page.
  await opened.page.addInitScript(() => {
    let offer;
    window.prefetchLog = [];
    Object.defineProperty(window, "cartWidgetPrefetch", {
      configurable: true,
      get: () => offer,
      set: (value) => {
        window.prefetchLog.push(value === undefined ? "taken" : "offered");
        offer = value;
      },
    });
  });
  const prefetchLog = () => opened.page.evaluate(() => window.prefetchLog);
  const requests = [];
  opened.page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.origin === api()) requests.push({ request: `${response.request().method()} ${url.pathname}`, status: response.status() });
  });
  const widget = opened.page.locator("[data-cart-widget]");
  const cartGets = () => requests.filter((r) => CART_GET.test(r.request));
  return { ...opened, widget, requests, cartGets, prefetchLog };
}

const names = (...slugs) => slugs.map((slug) => product(slug).name);

test("the loader's prefetched answer is the widget's first cart: one request for it on load", async () => {
  const visitor = await visitorWith(["stoneware-mug", "canvas-tote-bag"]);
  const { page, context, problems, widget, cartGets, prefetchLog } = await visitorPage(visitor);
  await page.goto(host.url);
  await expectTexts(widget.getByTestId("line-name"), names("stoneware-mug", "canvas-tote-bag"));
  await page.waitForLoadState("networkidle");
  // The loader's request, taken once by the widget, which asked nothing itself.
  assert.deepEqual(await prefetchLog(), ["offered", "taken"]);
  assert.deepEqual(cartGets().map((r) => r.status), [200]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a first visit (no token stored) asks the API nothing, loader included", async () => {
  const { page, context, problems, widget, requests } = await visitorPage(null);
  await page.goto(host.url);
  await widget.getByTestId("empty-cart").waitFor();
  await page.waitForLoadState("networkidle");
  assert.deepEqual(requests, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the stored cart shows at once, pending, and the server's answer replaces it", async () => {
  const visitor = await visitorWith(["stoneware-mug", "canvas-tote-bag"]);
  const { page, context, problems, widget } = await visitorPage(visitor);
  await page.goto(host.url);
  await expectTexts(widget.getByTestId("line-name"), names("stoneware-mug", "canvas-tote-bag"));
  const stored = await page.evaluate(() => Object.entries(localStorage).filter(([key]) => key.startsWith("cart-widget:cart:")));
  assert.equal(stored.length, 1);
  assert.ok(!stored[0][1].includes(visitor.stored.refreshToken), "the snapshot does not keep the refresh token");

  // Meanwhile the tote leaves the cart on the server (another device), and
  // the server is slow to answer the next visit.
  const tote = visitor.cart.lineItems.find((line) => line.catalogReference.catalogItemId === product("canvas-tote-bag").id);
  await call("POST", "/ecom/v1/carts/current/remove-line-items", visitor.token, { lineItemIds: [tote.id] });
  await setFaults(shared.server, { mode: "stall", pathContains: "/carts/current", stallMs: 4000 });
  try {
    await page.reload();
    // The stored cart, at once, with totals and checkout waiting for the server.
    await expectTexts(widget.getByTestId("line-name"), names("stoneware-mug", "canvas-tote-bag"), 3500);
    assert.equal(await widget.getByTestId("checkout").isDisabled(), true);
    assert.equal(await widget.getByTestId("totals").getAttribute("aria-busy"), "true");
    assert.equal(await widget.locator(".cw").getAttribute("aria-busy"), "true");
    // The server's answer: the removed line is gone, checkout is possible.
    await expectTexts(widget.getByTestId("line-name"), names("stoneware-mug"));
    // The widget's controls are in its mount element's shadow root.
    await page.waitForFunction(
      () => document.querySelector("[data-cart-widget]")?.shadowRoot?.querySelector('[data-testid="checkout"]')?.disabled === false,
    );
  } finally {
    await setFaults(shared.server, { mode: "off" });
  }

  // The cart is deleted on the server: the next visit shows it empty, and
  // the stored cart is forgotten.
  await call("DELETE", "/ecom/v1/carts/current", visitor.token);
  await page.reload();
  await widget.getByTestId("empty-cart").waitFor();
  await page.waitForLoadState("networkidle");
  const left = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("cart-widget:cart:")));
  assert.deepEqual(left, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("another visitor on the same browser never sees the stored cart", async () => {
  const first = await visitorWith(["stoneware-mug"]);
  const { page, context, problems, widget } = await visitorPage(first);
  await page.goto(host.url);
  await expectTexts(widget.getByTestId("line-name"), names("stoneware-mug"));
  // A new visitor's tokens replace the first's (as after a refused refresh);
  // their cart (empty) is slow to come.
  const second = await visitorWith([]);
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [tokensKey(), JSON.stringify(second.stored)]);
  await setFaults(shared.server, { mode: "stall", pathContains: "/carts/current", stallMs: 4000 });
  try {
    await page.reload();
    // Mounted, the server's answer still on its way: nothing of the first visitor's.
    await widget.getByTestId("cart-loading").waitFor();
    await page.waitForTimeout(500);
    assert.equal(await widget.getByTestId("cart-loading").count(), 1);
    // Neither the widget's lines nor the loader's painted ones.
    assert.equal(await widget.locator(".cw-line-name").count(), 0);
    await widget.getByTestId("empty-cart").waitFor();
  } finally {
    await setFaults(shared.server, { mode: "off" });
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("an expired token: no prefetch; the widget renews it and loads the cart itself", async () => {
  const visitor = await visitorWith(["stoneware-mug"], { expiresAtMs: Date.now() - 1000 });
  const { page, context, problems, widget, requests, prefetchLog } = await visitorPage(visitor);
  await page.goto(host.url);
  await expectTexts(widget.getByTestId("line-name"), names("stoneware-mug"));
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await prefetchLog(), []);
  const firstTwo = requests.slice(0, 2).map((r) => `${r.request} ${r.status}`.replace(/v[12]/, "v?"));
  assert.deepEqual(firstTwo, ["POST /oauth2/token 200", "GET /ecom/v?/carts/current 200"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a prefetch refused with 401 (the token went bad): the widget renews the token and asks again", async () => {
  const visitor = await visitorWith(["stoneware-mug"], { accessToken: "a-token-the-server-never-issued" });
  const { page, context, problems, widget, requests, cartGets, prefetchLog } = await visitorPage(visitor);
  await page.goto(host.url);
  await expectTexts(widget.getByTestId("line-name"), names("stoneware-mug"));
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await prefetchLog(), ["offered", "taken"]);
  // The prefetch's 401, then the renewal (the same visitor: same cart), then the widget's own GET.
  assert.deepEqual(cartGets().map((r) => r.status), [401, 200]);
  assert.ok(requests.some((r) => r.request === "POST /oauth2/token"));
  const tokens = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), tokensKey()));
  assert.notEqual(tokens.accessToken, "a-token-the-server-never-issued");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a prefetch that fails (HTTP 503): the widget asks again itself", async () => {
  const visitor = await visitorWith(["stoneware-mug", "canvas-tote-bag"]);
  const { page, context, problems, widget, cartGets, prefetchLog } = await visitorPage(visitor, { failingRequests: true });
  await setFaults(shared.server, { mode: "fail", pathContains: "/carts/current", times: 1 });
  await page.goto(host.url);
  await expectTexts(widget.getByTestId("line-name"), names("stoneware-mug", "canvas-tote-bag"));
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await prefetchLog(), ["offered", "taken"]);
  assert.deepEqual(cartGets().map((r) => r.status), [503, 200]);
  assert.equal(await widget.getByTestId("cart-failed").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
