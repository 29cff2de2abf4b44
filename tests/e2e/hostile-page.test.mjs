// End to end: the widget on a merchant page with aggressive global CSS
// (`hostile-page/hostile.css`: preflight- and reboot-like resets,
// `button { background: red; padding: 40px }`, `html { font-size: 24px }`,
// `div { display: flex }`, …) looks and works as on a plain page, and its
// own stylesheet does not reach the page. The widget is embedded from the
// CDN build through its loader, under the strict CSP of `examples/csp-host/`.
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startStaticServer, strictCsp } from "../../examples/csp-host/serve.mjs";
import { product } from "../support/demo-catalog.mjs";
import { expectTexts, expectValues, focused, newPage, serverAndBrowser } from "./harness.mjs";

const CDN_DIR = process.env.CART_CDN_DIR ?? join("dist", "cdn");
const SCREENSHOTS = "docs/screenshots";
const FIXTURES = new URL("./hostile-page/", import.meta.url).pathname;
const EXAMPLE_SITE = new URL("../../examples/csp-host/site/", import.meta.url).pathname;

/** The controls whose boxes must match, by `data-testid`. */
const CONTROLS = [
  "cart-count", "line-item", "line-name", "line-option", "decrease", "line-quantity", "increase", "remove", "line-total",
  "coupon-input", "coupon-apply", "destination-country", "total", "checkout",
];
/** Computed styles that must match on the widget's elements. */
const STYLES = ["font-family", "font-size", "font-style", "color", "background-color", "padding-top", "padding-left",
  "border-top-width", "text-transform", "letter-spacing", "line-height", "text-align", "text-indent", "cursor"];
/** Pixels two boxes may differ by. */
const TOLERANCE = 1;

/**
 * A merchant page: two Add buttons (the example's `host.js` dispatches
 * `cart:add`), the count badge, the widget's element, and elements of the
 * page's own named like the widget's (`cw`, `cw-button`, `cw-title`).
 * `hostile`: with the aggressive stylesheet; `widget`: with the loader.
 */
function hostPage({ hostile, widget }) {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${hostile ? "Hostile" : "Plain"} merchant page</title>
    <link rel="icon" href="favicon.svg" type="image/svg+xml" />
    ${hostile ? '<link rel="stylesheet" href="hostile.css" />' : ""}
    <link rel="stylesheet" href="page.css" />
    ${widget ? '<script src="CDN_ORIGIN/cart-widget.js" async></script>' : ""}
    <script src="host.js" defer></script>
  </head>
  <body>
    <header><p>Merchant page</p><p>Cart (<span data-cart-count>0</span>)</p></header>
    <main>
      <section>
        <h1>Products</h1>
        <button type="button" data-add-item="${product("stoneware-mug").id}">Add Stoneware Mug</button>
        <button type="button" data-add-item="${product("organic-cotton-t-shirt").id}"
                data-options='{"Color":"Navy","Size":"M"}'>Add Organic Cotton T-Shirt (Navy, M)</button>
        <section class="cw" data-testid="page-own">
          <p class="cw-title">The page's own section</p>
          <button type="button" class="cw-button">The page's own button</button>
          <input class="cw-coupon-input" aria-label="The page's own field" />
        </section>
      </section>
      <aside>
        ${widget ? '<div data-cart-widget data-api-base="API_ORIGIN" data-client-id="hostile-page"></div>' : ""}
      </aside>
    </main>
  </body>
</html>
`;
}

const site = await mkdtemp(join(tmpdir(), "cart-hostile-"));
const cdn = await startStaticServer({ dir: CDN_DIR });
const api = () => shared.server.url.replace(/\/$/, "");
const host = await startStaticServer({
  dir: site,
  csp: () => strictCsp({ cdn: cdn.origin, api: api() }),
  rewrite: () => ({ CDN_ORIGIN: cdn.origin, API_ORIGIN: api() }),
});
const shared = serverAndBrowser({ args: ["--cors-origins", host.origin] });
before(async () => {
  await writeFile(join(site, "plain.html"), hostPage({ hostile: false, widget: true }));
  await writeFile(join(site, "hostile.html"), hostPage({ hostile: true, widget: true }));
  await writeFile(join(site, "bare.html"), hostPage({ hostile: false, widget: false }));
  await copyFile(join(FIXTURES, "hostile.css"), join(site, "hostile.css"));
  await copyFile(join(FIXTURES, "page.css"), join(site, "page.css"));
  for (const file of ["host.js", "favicon.svg"]) await copyFile(join(EXAMPLE_SITE, file), join(site, file));
});
after(() => Promise.all([cdn.close(), host.close()]));

/** Opens one of the pages with the widget and waits for its first answer. */
async function open(name) {
  const opened = await newPage(shared.browser);
  await opened.page.goto(`${host.url}${name}.html`);
  const widget = opened.page.locator("[data-cart-widget]");
  await widget.getByTestId("empty-cart").waitFor();
  return { ...opened, widget };
}

/** Adds a mug and a T-shirt with the page's buttons; waits until nothing is pending. */
async function fill({ page, widget }) {
  await page.getByRole("button", { name: "Add Stoneware Mug" }).click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug"]);
  await page.getByRole("button", { name: "Add Organic Cotton T-Shirt (Navy, M)" }).click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug", "Organic Cotton T-Shirt"]);
  await widget.getByTestId("total").filter({ hasText: "$" }).waitFor();
  await widget.locator('.cw[aria-busy="false"]').waitFor();
  await expectTexts(widget.locator(".cw-pending"), []);
  for (const image of await widget.locator("img").all()) await image.evaluate((img) => img.decode());
}

/**
 * The widget as laid out: its size, and the box of every control relative
 * to its top left corner; and the computed styles of the widget and of one
 * control of each kind.
 */
function layout(widget) {
  return widget.locator(".cw").evaluate(
    (cw, { controls, styles }) => {
      const origin = cw.getBoundingClientRect();
      const box = (element) => {
        const r = element.getBoundingClientRect();
        return [r.x - origin.x, r.y - origin.y, r.width, r.height];
      };
      const all = (id) => [...cw.querySelectorAll(`[data-testid="${id}"]`)];
      const style = (element) => Object.fromEntries(styles.map((name) => [name, getComputedStyle(element).getPropertyValue(name)]));
      return {
        boxes: { widget: [[0, 0, origin.width, origin.height]], ...Object.fromEntries(controls.map((id) => [id, all(id).map(box)])) },
        styles: { widget: style(cw), ...Object.fromEntries(controls.map((id) => [id, style(all(id)[0])])) },
      };
    },
    { controls: CONTROLS, styles: STYLES },
  );
}

/** The layout once it has stopped changing (the estimate's rows come last). */
async function settledLayout(widget) {
  const deadline = Date.now() + 10_000;
  let last = await layout(widget);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await layout(widget);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error("the widget's layout did not settle in 10 s");
}

/** The computed styles of the page's own elements named like the widget's. */
function pageOwnStyles(page) {
  return page.locator("[data-testid=page-own]").evaluate((section, styles) => {
    const style = (element) => Object.fromEntries(styles.map((name) => [name, getComputedStyle(element).getPropertyValue(name)]));
    return [section, ...section.children].map((element) => ({ [element.className]: style(element) }));
  }, STYLES);
}

test("on a page with aggressive global CSS the widget has the same geometry and styles as on a plain page", async () => {
  const plain = await open("plain");
  const hostile = await open("hostile");
  // The hostile stylesheet is really there: the page's own buttons are red.
  const hostButton = hostile.page.getByRole("button", { name: "Add Stoneware Mug" });
  assert.equal(await hostButton.evaluate((b) => getComputedStyle(b).backgroundColor), "rgb(255, 0, 0)");
  await fill(plain);
  await fill(hostile);
  const expected = await settledLayout(plain.widget);
  const actual = await settledLayout(hostile.widget);
  assert.equal(expected.boxes.widget[0][2], 380, "the widget fills its 380 px column");
  for (const [id, boxes] of Object.entries(expected.boxes)) {
    assert.ok(boxes.length > 0, `${id} is on the plain page`);
    assert.equal(actual.boxes[id].length, boxes.length, `as many ${id} on both pages`);
    boxes.forEach((box, i) => {
      const off = box.some((value, j) => Math.abs(value - actual.boxes[id][i][j]) > TOLERANCE);
      assert.ok(!off, `${id} #${i}: ${JSON.stringify(actual.boxes[id][i])} on the hostile page, ${JSON.stringify(box)} on the plain one`);
    });
  }
  assert.deepEqual(actual.styles, expected.styles);

  await mkdir(SCREENSHOTS, { recursive: true });
  for (const [{ page }, name] of [[plain, "plain-page"], [hostile, "hostile-page"]]) {
    await page.evaluate(() => document.activeElement?.blur());
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: "disabled" });
  }
  assert.deepEqual(plain.problems, []);
  assert.deepEqual(hostile.problems, []);
  await plain.context.close();
  await hostile.context.close();
});

test("on the hostile page adding, stepping, removing, the keyboard and forms work, and the page hears the cart", async () => {
  const { page, context, problems, widget } = await open("hostile");
  await page.evaluate(() => {
    window.heard = [];
    window.addEventListener("cart:updated", (event) => window.heard.push(event.detail.itemCount));
    // A click inside the widget reaches the page, as a click on its element.
    document.addEventListener("click", (event) => event.target.matches("[data-cart-widget]") && window.heard.push("click"));
  });
  await fill({ page, widget });
  await expectTexts(page.locator("[data-cart-count]"), ["2"]);
  await widget.getByTestId("increase").first().click();
  await expectValues(widget.getByTestId("line-quantity"), ["2", "1"]);
  await expectTexts(widget.getByTestId("line-total"), ["$25.00", "$25.00"]);
  await widget.getByTestId("decrease").first().click();
  await expectValues(widget.getByTestId("line-quantity"), ["1", "1"]);
  await expectTexts(widget.getByTestId("line-total"), ["$12.50", "$25.00"]);

  // Keyboard: Tab moves from the page's last control into the widget, to
  // the first line's quantity (its − is disabled at 1).
  await page.getByRole("textbox", { name: "The page's own field" }).focus();
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "line-quantity");
  // A form inside the widget submits with Enter.
  await widget.getByTestId("coupon-input").fill("NOSUCH");
  await widget.getByTestId("coupon-input").press("Enter");
  await expectTexts(widget.getByTestId("coupon-error"), ["“NOSUCH” isn't a valid code."]);

  await widget.getByRole("button", { name: "Remove Organic Cotton T-Shirt" }).click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug"]);
  await widget.getByRole("button", { name: "Remove Stoneware Mug" }).click();
  await widget.getByTestId("empty-cart").waitFor();
  await expectTexts(page.locator("[data-cart-count]"), ["0"]);
  await page.waitForFunction(() => window.heard.at(-1) === 0);
  const heard = await page.evaluate(() => window.heard);
  assert.ok(heard.includes("click"), `the page heard the widget's clicks: ${JSON.stringify(heard)}`);
  assert.ok(heard.includes(2), `cart:updated reached the page: ${JSON.stringify(heard)}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the widget's stylesheet does not restyle the page's own elements, even those named like the widget's", async () => {
  const bare = await newPage(shared.browser);
  await bare.page.goto(`${host.url}bare.html`);
  const withWidget = await open("plain");
  await fill(withWidget);
  // The stylesheet was loaded, and applies only inside the widget.
  assert.equal(await withWidget.widget.locator(".cw").evaluate((el) => getComputedStyle(el).borderTopStyle), "solid");
  assert.deepEqual(await pageOwnStyles(withWidget.page), await pageOwnStyles(bare.page));
  // Nothing in the page itself links it as a stylesheet: only as a preload.
  const sheets = await withWidget.page.evaluate(() => [...document.styleSheets].map((sheet) => sheet.href));
  assert.deepEqual(sheets.map((href) => new URL(href).pathname), ["/page.css"]);
  assert.deepEqual(bare.problems, []);
  assert.deepEqual(withWidget.problems, []);
  await bare.context.close();
  await withWidget.context.close();
});
