// End to end: axe-core finds no accessibility violations in the widget's
// states, the cart works from the keyboard alone, and the widget speaks
// French when the page asks for it. Saves screenshots of the main states.
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CART_API, DIST_DIR, addProduct, expectTexts, expectValues, focused, openStore, serverAndBrowser, startServer } from "./harness.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const SCREENSHOTS = "docs/screenshots";
const shared = serverAndBrowser();

/**
 * Runs axe-core on the widget (or on what `scope` selects, `document` for the
 * whole page); resolves to its violations, in words.
 */
async function axeViolations(page, scope = "[data-cart-widget]") {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (scope) => {
    const context = scope === "document" ? document : scope;
    const result = await window.axe.run(context, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  }, scope);
  return violations;
}

async function screenshot(widget, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await widget.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: "disabled" });
}

test("axe-core: the whole demo page, storefront and widget, has no violations", async () => {
  const store = await openStore(shared);
  await addProduct(store, "Stoneware Mug");
  assert.deepEqual(await axeViolations(store.page, "document"), []);
  assert.deepEqual(store.problems, []);
  await store.context.close();
});

test("axe-core: no violations, empty and filled, with messages showing", async () => {
  const store = await openStore(shared);
  const { context, problems, widget } = store;
  assert.deepEqual(await axeViolations(store.page), []);
  await screenshot(widget, "empty");

  await addProduct(store, "Organic Cotton T-Shirt");
  await addProduct(store, "Canvas Tote Bag", ["Organic Cotton T-Shirt", "Canvas Tote Bag"]);
  await widget.getByTestId("coupon-input").fill("NOSUCH");
  await widget.getByTestId("coupon-apply").click();
  await expectTexts(widget.getByTestId("coupon-error"), ["“NOSUCH” isn't a valid code."]);
  await widget.getByTestId("total").filter({ hasText: "$" }).waitFor();
  assert.deepEqual(await axeViolations(store.page), []);
  await screenshot(widget, "coupon-error");

  await widget.getByTestId("coupon-input").fill("SAVE10");
  await widget.getByTestId("coupon-apply").click();
  await widget.getByTestId("coupon-applied").waitFor();
  await widget.getByTestId("destination-country").selectOption("CA");
  await expectTexts(widget.getByTestId("total-shipping"), ["$15.00"]);
  assert.deepEqual(await axeViolations(store.page), []);
  await screenshot(widget, "filled");

  await widget.getByTestId("line-item").nth(1).getByTestId("remove").click();
  await widget.getByTestId("undo-button").waitFor();
  await screenshot(widget, "undo");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the cart works from the keyboard, and focus stays put after updates", async () => {
  const store = await openStore(shared);
  const { page, context, problems, widget } = store;
  await addProduct(store, "Stoneware Mug");
  await widget.getByTestId("increase").focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Space");
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$37.50"]);
  assert.equal(await focused(page), "increase");
  // Shift+Tab to the quantity, type, Enter.
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(page), "line-quantity");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("5");
  await page.keyboard.press("Enter");
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$62.50"]);
  assert.equal(await focused(page), "line-quantity");
  // Remove by keyboard: focus lands on the empty-state heading.
  await widget.getByTestId("remove").focus();
  await page.keyboard.press("Enter");
  await widget.getByTestId("empty-cart").waitFor();
  await expectTexts(widget.getByTestId("undo").locator("span"), ["Removed Stoneware Mug."]);
  assert.equal(await focused(page), "empty-title");
  assert.deepEqual(problems, []);
  await context.close();
});

test("data-locale and data-country: French text, the API's prices, France's tax", async () => {
  // The built widget, with a host page asking for French and France.
  const dir = await mkdtemp(join(tmpdir(), "cart-fr-"));
  await cp(DIST_DIR, dir, { recursive: true });
  const index = await readFile(join(dir, "index.html"), "utf8");
  const french = index.replace("data-cart-widget", 'data-cart-widget data-locale="fr" data-country="FR"');
  assert.notEqual(french, index);
  await writeFile(join(dir, "index.html"), french);
  const server = await startServer({ staticDir: dir });
  try {
    const store = await openStore({ browser: shared.browser, server });
    const { context, problems, widget } = store;
    await expectTexts(widget.getByTestId("empty-title"), ["Votre panier est vide"]);
    await addProduct(store, "Stoneware Mug");
    await expectTexts(widget.locator(".cw-title"), ["Votre panier"]);
    await expectValues(widget.getByTestId("destination-country"), ["FR"]);
    // France: TVA 20% of $12.50, international shipping $15. v1 prices are
    // as the API formats them; V2 has no formatted amounts, so the widget
    // formats them in its language with the browser's Intl.
    const price = (amount, v1) =>
      CART_API === "v2" ? new Intl.NumberFormat("fr", { style: "currency", currency: "USD" }).format(amount) : v1;
    await expectTexts(widget.getByTestId("total-tax"), [price(2.5, "$2.50")]);
    await expectTexts(widget.getByTestId("total"), [price(30, "$30.00")]);
    await expectTexts(widget.getByTestId("checkout"), ["Commander"]);
    assert.deepEqual(await axeViolations(store.page), []);
    await screenshot(widget, "french");
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await server.stop();
  }
});
