// End to end: coupons, estimated totals and checkout against the real server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addButton, addProduct, expectTexts, openStore, serverAndBrowser } from "./harness.mjs";

const shared = serverAndBrowser();

async function cartWithTwoMugs() {
  const store = await openStore(shared);
  await addProduct(store, "Stoneware Mug");
  await addButton(store.page, "Stoneware Mug").click();
  // $25; default destination US-NY: 8.875% tax, standard shipping $5.
  await expectTexts(store.widget.getByTestId("total"), ["$32.22"]);
  return store;
}

async function applyCode(widget, code) {
  await widget.getByTestId("coupon-input").fill(code);
  await widget.getByTestId("coupon-apply").click();
}

test("estimated totals come from the server", async () => {
  const { context, problems, widget } = await cartWithTwoMugs();
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$25.00"]);
  await expectTexts(widget.getByTestId("total-shipping"), ["$5.00"]);
  await expectTexts(widget.getByTestId("total-tax"), ["$2.22"]);
  await widget.getByTestId("increase").click();
  await expectTexts(widget.getByTestId("total"), ["$45.83"]); // 37.50 + 3.33 + 5
  assert.deepEqual(problems, []);
  await context.close();
});

test("coupons: good, unknown, expired, not applicable, removed", async () => {
  const { context, problems, widget } = await cartWithTwoMugs();
  await applyCode(widget, "NOSUCH");
  await expectTexts(widget.getByTestId("coupon-error"), ["“NOSUCH” isn't a valid code."]);
  await applyCode(widget, "SUMMER20");
  await expectTexts(widget.getByTestId("coupon-error"), ["“SUMMER20” has expired."]);
  await applyCode(widget, "BIG50");
  await expectTexts(widget.getByTestId("coupon-error"), ["“BIG50” needs a subtotal of at least 200."]);
  await applyCode(widget, "SAVE10");
  await expectTexts(widget.getByTestId("coupon-applied").locator("span"), ["Code SAVE10 applied"]);
  await expectTexts(widget.getByTestId("coupon-error"), [""]);
  await expectTexts(widget.getByTestId("total-discount"), ["−$2.50"]);
  await expectTexts(widget.getByTestId("total"), ["$29.50"]); // 22.50 + 2.00 tax + 5
  await widget.getByTestId("coupon-remove").click();
  await expectTexts(widget.getByTestId("coupon-applied"), []);
  await expectTexts(widget.getByTestId("total"), ["$32.22"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("checkout goes to the checkout page with the same total", async () => {
  const { page, context, problems, widget } = await cartWithTwoMugs();
  await widget.getByTestId("checkout").click();
  await page.waitForURL(/\/checkout\/[0-9a-f-]{36}$/);
  await expectTexts(page.getByTestId("checkout-total"), ["Total: $32.22"]);
  assert.deepEqual(problems, []);
  await context.close();
});
