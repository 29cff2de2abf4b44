// End to end: the painted cart. The loader (`dist/cdn/cart-widget.js`,
// `paintSource` in `xtask/dist.mjs`) draws the prefetched cart's lines before
// the wasm has run, with the widget's own markup, and the widget takes over
// when it first renders more than its skeleton. It is a second renderer of
// the line rows, so this file keeps it in step with the widget: the same
// cart painted and then rendered by the widget must give the same elements,
// texts and boxes. The wasm is held back by the test so the paint can be
// looked at; on the strict-CSP merchant page of `examples/csp-host/`,
// against the real server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { catalogReference, product } from "../support/demo-catalog.mjs";
import { CLIENT_ID, cspSite } from "./csp-site.mjs";
import { CART_API, expectTexts, newPage, setFaults } from "./harness.mjs";

const { shared, host, api, call, visitorWith, tokensKey } = await cspSite({ serverArgs: ["--test-faults"] });

/**
 * The merchant's page for `visitor`, with the widget's wasm held back until
 * `release()`; `mode` sets the mount element's `data-mode`, `fallback` puts
 * what a merchant may put inside it for when the widget cannot run.
 */
async function pageFor(visitor, { mode, fallback, kept, wasm = "held" } = {}) {
  const stored = [{ name: tokensKey(), value: JSON.stringify(visitor.stored) }];
  if (kept) stored.push({ name: `cart-widget:cart:${CLIENT_ID}@${api()}/ecom/${CART_API}/carts/current`, value: kept });
  const context = await shared.browser.newContext({
    viewport: { width: 1200, height: 800 },
    storageState: { cookies: [], origins: [{ origin: host.origin, localStorage: stored }] },
  });
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await context.route(/\.wasm$/, async (route) => {
    await released;
    if (wasm === "missing") return route.fulfill({ status: 404, body: "" });
    await route.continue();
  });
  const opened = await newPage(shared.browser, { context, failingRequests: wasm === "missing" });
  if (mode || fallback) {
    await opened.page.addInitScript(
      ({ mode, fallback }) => {
        new MutationObserver((records, observer) => {
          const element = document.querySelector("[data-cart-widget]");
          if (element) {
            if (mode) element.setAttribute("data-mode", mode);
            if (fallback) element.innerHTML = fallback;
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      },
      { mode, fallback },
    );
  }
  return { ...opened, widget: opened.page.locator("[data-cart-widget]"), release };
}

/** What the widget keeps of `cart` for `visitor` (`src/snapshot.rs`): FNV-1a of the refresh token, a line break, the cart. */
function keptFor(visitor, cart) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(visitor.stored.refreshToken)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return `${hash}\n${JSON.stringify(cart)}`;
}

/** A line of a kept cart, in both dialects' shapes at once (each reads its own). */
function keptLine({ id, name, image, colorCode }) {
  const price = { amount: "10", formattedAmount: "$10.00" };
  const option = { name: { original: "Color" }, colorInfo: { original: "Navy", code: colorCode } };
  return {
    id,
    quantity: 1,
    productName: { original: name },
    name: { original: name },
    price,
    lineItemPrice: price,
    image: { url: image },
    descriptionLines: [option],
    quantityInfo: { confirmedQuantity: 1 },
    pricing: { unitPrice: price, totalPrice: price },
    attributes: { image: { url: image }, descriptionLines: [option] },
  };
}

const paintedNames = (widget) => widget.locator(".cw-paint .cw-line-name");

/** A merchant's content inside the mount element, for when the widget cannot run. */
const FALLBACK = '<a href="/cart" id="fallback">View your cart</a>';

/** The merchant's content shows, in the page's own style: nothing of the widget's stylesheet (its :host resets what is inherited). */
async function fallbackShown(page) {
  await page.locator("#fallback").waitFor({ state: "visible", timeout: 2000 });
  const fonts = await page.evaluate(() =>
    [document.querySelector("#fallback"), document.querySelector("[data-cart-widget]").parentElement].map((node) => getComputedStyle(node).fontFamily),
  );
  assert.equal(fonts[0], fonts[1]);
}

/**
 * Every element of the header and the line rows, in order: its path (tag and
 * classes from the list down), its box relative to the mount element, its
 * own text, and an input's value, a button's `disabled`, an image's `src`.
 * Of the painted cart when `painted`, else of the widget's.
 */
function rowsOf(page, painted) {
  return page.evaluate((painted) => {
    const host = document.querySelector("[data-cart-widget]");
    const origin = host.getBoundingClientRect();
    const cart = [...host.shadowRoot.querySelectorAll(".cw-root")].find((root) => root.classList.contains("cw-paint") === painted);
    const entries = [];
    const walk = (element, path) => {
      const here = `${path}/${element.tagName.toLowerCase()}${element.className ? `.${element.className.replace(/ /g, ".")}` : ""}`;
      const box = element.getBoundingClientRect();
      const own = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join("");
      entries.push({
        path: here,
        box: [box.x - origin.x, box.y - origin.y, box.width, box.height].map(Math.round).join(" "),
        text: own,
        ...(element.tagName === "INPUT" ? { value: element.value } : {}),
        ...(element.tagName === "BUTTON" ? { disabled: element.disabled } : {}),
        ...(element.tagName === "IMG" ? { src: element.getAttribute("src") } : {}),
      });
      [...element.children].forEach((child, index) => walk(child, `${here}[${index}]`));
    };
    walk(cart.querySelector(".cw-header"), "");
    walk(cart.querySelector(".cw-lines"), "");
    return entries;
  }, painted);
}

/** Only what the widget's language says: blank in the painted cart, in the same place. */
const WORDS = /\/h2\.cw-title$|\.cw-remove$|\.cw-line-availability$/;
/** Elements the painted cart leaves out, which show nothing while empty (`:empty { display: none }`). */
const LEFT_OUT = /\.cw-line-message$/;

function assertSamePaint(painted, rendered) {
  const byPath = new Map(rendered.map((entry) => [entry.path, entry]));
  assert.deepEqual(
    rendered.filter((entry) => !LEFT_OUT.test(entry.path)).map((entry) => entry.path),
    painted.map((entry) => entry.path),
    "the same elements in the same order",
  );
  for (const paint of painted) {
    const widget = byPath.get(paint.path);
    if (WORDS.test(paint.path)) {
      // Narrower without its words, in the same place and of the same height.
      const [x, y, , height] = paint.box.split(" ");
      const [wx, wy, , wheight] = widget.box.split(" ");
      assert.deepEqual([x, y, height], [wx, wy, wheight], `${paint.path}: the same place and height`);
      assert.equal(paint.text.trim(), "", `${paint.path}: blank where the widget has words`);
      assert.equal(paint.text === "", widget.text === "", `${paint.path}: blank where the widget has words`);
    } else {
      assert.equal(paint.box, widget.box, `${paint.path}: the same box`);
      assert.deepEqual({ ...paint, box: undefined }, { ...widget, box: undefined }, paint.path);
    }
  }
}

test("the painted cart is the widget's cart, element by element and box by box, and the widget takes over", async () => {
  const visitor = await visitorWith([
    [catalogReference("stoneware-mug"), 1],
    [catalogReference("organic-cotton-t-shirt", { options: { Color: "Navy", Size: "M" } }), 2],
    // Three left: the widget says so under the line.
    [catalogReference("canvas-tote-bag"), 3],
  ]);
  const { page, context, problems, widget, release } = await pageFor(visitor);
  await page.goto(host.url);
  const names = [product("stoneware-mug").name, product("organic-cotton-t-shirt").name, product("canvas-tote-bag").name];
  await expectTexts(widget.locator(".cw-paint .cw-line-name"), names);
  await page.waitForFunction(() => document.querySelector("[data-cart-widget]").shadowRoot.querySelector(".cw-paint").checkVisibility());
  const painted = await rowsOf(page, true);
  assert.ok(painted.some((entry) => entry.path.endsWith("s.cw-line-full-price") && entry.text !== ""), "the sale price is struck through");
  assert.ok(painted.some((entry) => entry.path.endsWith(".cw-swatch")), "the colour's swatch");
  assert.ok(painted.some((entry) => entry.path.endsWith("img.cw-line-image")), "the images");
  // Nothing in it answers: it is inert, and busy.
  assert.equal(await widget.locator(".cw-paint").evaluate((paint) => paint.inert && paint.querySelector(".cw").ariaBusy), "true");

  release();
  await page.waitForFunction(() => !document.querySelector("[data-cart-widget]").shadowRoot.querySelector(".cw-paint"));
  await widget.locator('section.cw[aria-busy="false"]').waitFor();
  assertSamePaint(painted, await rowsOf(page, false));
  assert.deepEqual(problems, []);

  // What the widget kept of that cart is what the loader paints next time,
  // before the server answers.
  const kept = await page.evaluate(() => Object.entries(localStorage).find(([key]) => key.startsWith("cart-widget:cart:"))?.[1]);
  await context.close();
  await setFaults(shared.server, { mode: "stall", pathContains: "/carts/current", stallMs: 3000 });
  try {
    const next = await pageFor(visitor, { kept });
    await next.page.goto(host.url);
    await expectTexts(paintedNames(next.widget), names, 1500);
    await next.context.close();
  } finally {
    await setFaults(shared.server, { mode: "off" });
  }
});

test("the cart the widget kept is painted at once for its visitor, then the server's, and never the kept one again", async () => {
  const visitor = await visitorWith([[catalogReference("stoneware-mug"), 1]]);
  const kept = keptFor(visitor, { lineItems: [keptLine({ id: "gone", name: "Kept line, since removed" })], businessInfo: { currencyCode: "USD" } });
  await setFaults(shared.server, { mode: "stall", pathContains: "/carts/current", stallMs: 3000 });
  try {
    const { page, context, problems, widget, release } = await pageFor(visitor, { kept });
    // Every change of the line names on screen, whoever drew them.
    await page.addInitScript(() => {
      window.seenLines = [];
      const frame = () => {
        const names = [...(document.querySelector("[data-cart-widget]")?.shadowRoot?.querySelectorAll(".cw-line-name") ?? [])]
          .filter((name) => name.checkVisibility())
          .map((name) => name.textContent)
          .join(", ");
        if (names && names !== window.seenLines.at(-1)) window.seenLines.push(names);
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await page.goto(host.url);
    // At once, before the server has answered: what was kept.
    await expectTexts(paintedNames(widget), ["Kept line, since removed"], 2000);
    // The server's answer replaces it, the wasm still held back.
    await expectTexts(paintedNames(widget), [product("stoneware-mug").name], 6000);
    release();
    await expectTexts(widget.getByTestId("line-name"), [product("stoneware-mug").name]);
    await widget.locator('section.cw[aria-busy="false"]').waitFor();
    assert.equal(await widget.locator(".cw-paint").count(), 0);
    // The widget started on the server's cart, not on the one kept before.
    assert.deepEqual(await page.evaluate(() => window.seenLines), ["Kept line, since removed", product("stoneware-mug").name]);
    assert.deepEqual(problems, []);
    await context.close();

    // Another visitor on that browser: nothing of the first one's while
    // their own cart is on its way, then theirs.
    const other = await visitorWith([[catalogReference("canvas-tote-bag"), 1]]);
    const second = await pageFor(other, { kept });
    await second.page.goto(host.url);
    await second.page.waitForTimeout(1000);
    assert.equal(await second.widget.locator(".cw-paint").count(), 0);
    await expectTexts(paintedNames(second.widget), [product("canvas-tote-bag").name], 6000);
    await second.context.close();
  } finally {
    await setFaults(shared.server, { mode: "off" });
  }
});

test("a cart that comes after the widget could not start is not painted", async () => {
  const visitor = await visitorWith([[catalogReference("stoneware-mug"), 1]]);
  await setFaults(shared.server, { mode: "stall", pathContains: "/carts/current", stallMs: 1500 });
  try {
    const { page, context, problems, release } = await pageFor(visitor, { wasm: "missing" });
    release();
    const answered = page.waitForResponse((response) => /\/carts\/current$/.test(response.url()));
    await page.goto(host.url);
    await (await answered).finished();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => document.querySelector("[data-cart-widget]").shadowRoot), null);
    assert.ok(problems.some((problem) => /could not start/.test(problem)));
    await context.close();
  } finally {
    await setFaults(shared.server, { mode: "off" });
  }
});

test("API text in the paint is text, and only http(s) images and #rgb colours get through", async () => {
  const visitor = await visitorWith([]);
  const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>Mug`;
  const kept = keptFor(visitor, {
    lineItems: [
      keptLine({ id: "a", name: payload, image: "javascript:window.__xss=3", colorCode: "red;background:url(javascript:1)" }),
      keptLine({ id: "b", name: "Plain", image: "data:image/svg+xml,<svg/>", colorCode: "#123" }),
    ],
    businessInfo: { currencyCode: "USD" },
  });
  await setFaults(shared.server, { mode: "stall", pathContains: "/carts/current", stallMs: 3000 });
  try {
    const { page, context, widget } = await pageFor(visitor, { kept });
    await page.goto(host.url);
    await expectTexts(paintedNames(widget), [payload, "Plain"], 2000);
    assert.equal(await widget.locator(".cw-paint img").count(), 0);
    assert.deepEqual(await widget.locator(".cw-paint .cw-swatch").evaluateAll((swatches) => swatches.map((s) => s.style.backgroundColor)), ["rgb(17, 34, 51)"]);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await context.close();
  } finally {
    await setFaults(shared.server, { mode: "off" });
  }
});

test("a drawer's cart is not painted", async () => {
  const visitor = await visitorWith([[catalogReference("stoneware-mug"), 1]]);
  const { page, context, problems, widget, release } = await pageFor(visitor, { mode: "drawer" });
  const answered = page.waitForResponse((response) => /\/carts\/current$/.test(response.url()));
  await page.goto(host.url);
  await (await answered).finished();
  // A few frames after the cart came, a paint would be there.
  await page.evaluate(() => new Promise((done) => setTimeout(done, 300)));
  assert.equal(await page.evaluate(() => document.querySelector("[data-cart-widget]").shadowRoot), null);
  release();
  await widget.getByTestId("cart-button").waitFor();
  assert.equal(await widget.locator(".cw-paint").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("when the widget cannot start, the paint goes and the merchant's own content in the element shows again", async () => {
  const visitor = await visitorWith([[catalogReference("stoneware-mug"), 1]]);
  const { page, context, problems, widget, release } = await pageFor(visitor, { fallback: FALLBACK, wasm: "missing" });
  await page.goto(host.url);
  await expectTexts(paintedNames(widget), [product("stoneware-mug").name]);
  assert.equal(await page.locator("#fallback").isVisible(), false);
  release();
  await widget.locator(".cw-paint").waitFor({ state: "detached" });
  await fallbackShown(page);
  // The loader's report, and the browser's of the 404 itself.
  assert.deepEqual(problems.filter((problem) => !/could not start|status of 404/.test(problem)), []);
  await context.close();
});

test("when the widget cannot start after the server emptied a kept cart's paint, the merchant's content shows too", async () => {
  // A cart whose one line was removed: the server answers it, empty.
  const visitor = await visitorWith([[catalogReference("stoneware-mug"), 1]]);
  await call("POST", "/ecom/v1/carts/current/remove-line-items", visitor.token, { lineItemIds: visitor.cart.lineItems.map((line) => line.id) });
  const kept = keptFor(visitor, { lineItems: [keptLine({ id: "a", name: "Kept mug", image: "", colorCode: "#123" })], businessInfo: { currencyCode: "USD" } });
  // The answer held back a while, so the kept cart is seen painted first.
  await setFaults(shared.server, { mode: "stall", pathContains: "/carts/current", stallMs: 1500 });
  try {
    const { page, context, problems, widget, release } = await pageFor(visitor, { kept, fallback: FALLBACK, wasm: "missing" });
    await page.goto(host.url);
    await expectTexts(paintedNames(widget), ["Kept mug"], 1000);
    // The server's cart is empty: the kept paint goes, the loader's root stays, empty.
    await widget.locator(".cw-paint").waitFor({ state: "detached" });
    assert.notEqual(await page.evaluate(() => document.querySelector("[data-cart-widget]").shadowRoot), null);
    assert.equal(await page.locator("#fallback").isVisible(), false);
    release();
    await fallbackShown(page);
    assert.deepEqual(problems.filter((problem) => !/could not start|status of 404/.test(problem)), []);
    await context.close();
  } finally {
    await setFaults(shared.server, { mode: "off" });
  }
});
