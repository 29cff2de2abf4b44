// End to end: changes made while offline are kept and saved once back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addProduct, expectTexts, expectValues, openStore, serverAndBrowser, settled } from "./harness.mjs";

const shared = serverAndBrowser();

test("going offline and back loses no change", async () => {
  const store = await openStore(shared, { failingRequests: true });
  const { page, context, problems, widget } = store;
  await addProduct(store, "Stoneware Mug");
  await addProduct(store, "Canvas Tote Bag", ["Stoneware Mug", "Canvas Tote Bag"]);
  await context.setOffline(true);
  const [mug, tote] = [widget.getByTestId("line-item").nth(0), widget.getByTestId("line-item").nth(1)];
  await mug.getByTestId("increase").click();
  await mug.getByTestId("increase").click();
  await tote.getByTestId("increase").click();
  await expectTexts(widget.getByTestId("offline-notice"), [
    "You're offline. Your changes are kept and will be saved when the connection is back.",
  ]);
  await expectValues(widget.getByTestId("line-quantity"), ["3", "2"]);
  await expectTexts(widget.getByTestId("line-message"), ["", ""]);
  assert.equal(await widget.getByTestId("checkout").isDisabled(), true);

  await context.setOffline(false);
  await expectTexts(widget.getByTestId("offline-notice"), [""]);
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$73.50"]); // 3 × 12.50 + 2 × 18.00
  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await expectValues(widget.getByTestId("line-quantity"), ["3", "2"]);
  assert.deepEqual(problems, []);
  await context.close();
});
