// End to end: two tabs of the same site show the same cart.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addProduct, expectTexts, expectValues, newPage, openStore, serverAndBrowser } from "./harness.mjs";

const shared = serverAndBrowser();

test("a change in one tab shows in the other without a reload", async () => {
  const first = await openStore(shared);
  // Same browser profile (context): same visitor, like a second tab.
  const second = await newPage(shared.browser, { context: first.context });
  await second.page.goto(shared.server.url);
  const otherWidget = second.page.locator("[data-cart-widget]");
  await otherWidget.getByTestId("empty-cart").waitFor();

  await addProduct(first, "Stoneware Mug");
  await expectTexts(otherWidget.getByTestId("line-name"), ["Stoneware Mug"]);

  await otherWidget.getByTestId("increase").click();
  await expectValues(first.widget.getByTestId("line-quantity"), ["2"]);
  await expectTexts(first.widget.getByTestId("cart-subtotal"), ["$25.00"]);

  await first.widget.getByTestId("remove").click();
  await otherWidget.getByTestId("empty-cart").waitFor();
  assert.deepEqual([...first.problems, ...second.problems], []);
  await first.context.close();
});
