// End to end: quantity steppers against the real server, in Chromium.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addProduct, expectTexts, expectValues, openStore, QUANTITY_REQUEST, serverAndBrowser, settled } from "./harness.mjs";

const shared = serverAndBrowser();

/** A page with one product added, and a log of the cart requests it sends from then on. */
async function cartWith(productName) {
  const store = await openStore(shared);
  const requests = [];
  store.page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/ecom/")) requests.push(`${request.method()} ${path}`);
  });
  await addProduct(store, productName);
  requests.length = 0;
  return { ...store, requests };
}

test("ten fast + clicks send one quantity request and end at the right quantity", async () => {
  const { page, context, problems, widget, requests } = await cartWith("Stoneware Mug");
  // Clicked 50 ms apart by the page's own timer (a fast shopper; the window
  // is 300 ms): ten Playwright clicks each pay a round trip to the browser,
  // and on a starved CI machine those spread past the window.
  await widget.getByTestId("increase").evaluate(async (plus) => {
    for (let i = 0; i < 10; i++) {
      plus.click();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  // Shown at once, before any answer.
  await expectValues(widget.getByTestId("line-quantity"), ["11"], 250);
  // Confirmed by the server: 11 × $12.50.
  await expectTexts(widget.getByTestId("line-total"), ["$137.50"]);
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$137.50"]);
  assert.deepEqual(
    requests.filter((r) => r === QUANTITY_REQUEST),
    [QUANTITY_REQUEST],
  );
  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await expectValues(widget.getByTestId("line-quantity"), ["11"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("quantities stop at the stock, typed or clicked", async () => {
  const { context, problems, widget } = await cartWith("Canvas Tote Bag"); // 3 in stock
  await expectTexts(widget.getByTestId("line-availability"), ["Only 3 left"]);
  const plus = widget.getByTestId("increase");
  await plus.click();
  await plus.click();
  await expectValues(widget.getByTestId("line-quantity"), ["3"]);
  assert.equal(await plus.isDisabled(), true);
  const input = widget.getByTestId("line-quantity");
  await input.fill("9");
  await input.press("Enter");
  await expectValues(widget.getByTestId("line-quantity"), ["3"]);
  await expectTexts(widget.getByTestId("line-total"), ["$54.00"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a typed quantity is saved when the shopper presses Enter", async () => {
  const { page, context, problems, widget } = await cartWith("Stoneware Mug");
  const input = widget.getByTestId("line-quantity");
  await input.fill("4");
  await input.press("Enter");
  await expectTexts(widget.getByTestId("line-total"), ["$50.00"]);
  await widget.getByTestId("decrease").click();
  await expectTexts(widget.getByTestId("line-total"), ["$37.50"]);
  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await expectValues(widget.getByTestId("line-quantity"), ["3"]);
  assert.deepEqual(problems, []);
  await context.close();
});
