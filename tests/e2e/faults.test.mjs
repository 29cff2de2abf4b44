// End to end: the server's test fault switch makes requests fail, stall or
// answer garbled JSON;
// the widget rolls back with a message, never shows what the server does
// not have, and recovers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addButton, addProduct, expectTexts, expectValues, openStore, serverAndBrowser, setFaults, settled } from "./harness.mjs";

const shared = serverAndBrowser({ args: ["--test-faults"] });

/**
 * A cart with one mug whose next quantity change meets `fault` on the server;
 * the shopper clicks + and sees 2 at once.
 */
async function clickPlusWithFault(fault) {
  const store = await openStore(shared, { failingRequests: true });
  await addProduct(store, "Stoneware Mug");
  await setFaults(shared.server, { pathContains: "update-line-items", times: 1, ...fault });
  await store.widget.getByTestId("increase").click();
  await expectValues(store.widget.getByTestId("line-quantity"), ["2"], 250);
  return store;
}

test("a refused change rolls back with a message, and the next one saves", async () => {
  const { page, context, problems, widget } = await clickPlusWithFault({ mode: "fail" });
  // The server answers 503: back to its 1, saying why, on the line.
  await expectValues(widget.getByTestId("line-quantity"), ["1"]);
  assert.match(await widget.getByTestId("line-message").textContent(), /couldn't be saved \(HTTP 503/);
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$12.50"]);

  await widget.getByTestId("increase").click();
  await expectTexts(widget.getByTestId("line-message"), [""]);
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$25.00"]);
  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await expectValues(widget.getByTestId("line-quantity"), ["2"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a garbled answer to a change the server made ends with the line showing it, no stale message", async () => {
  const { page, context, problems, widget } = await clickPlusWithFault({ mode: "garble" });
  // The answer is cut off halfway, but the server made the change: the
  // widget fetches the cart again and shows the server's 2, and no longer
  // says the change wasn't saved.
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$25.00"]);
  await expectValues(widget.getByTestId("line-quantity"), ["2"]);
  await expectTexts(widget.getByTestId("line-message"), [""]);
  assert.equal(await widget.getByTestId("checkout").isDisabled(), false);
  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await expectValues(widget.getByTestId("line-quantity"), ["2"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a stalled change keeps totals pending and checkout off until it lands", async () => {
  const { context, problems, widget } = await clickPlusWithFault({ mode: "stall", stallMs: 2500 });
  await new Promise((resolve) => setTimeout(resolve, 1200)); // sent, not answered
  assert.equal(await widget.getByTestId("checkout").isDisabled(), true);
  assert.match(await widget.getByTestId("totals").getAttribute("class"), /cw-pending/);
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$25.00"]);
  assert.equal(await widget.getByTestId("checkout").isDisabled(), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a failed load offers retry, which recovers", async () => {
  const store = await openStore(shared, { failingRequests: true });
  const { page, context, problems, widget } = store;
  await addProduct(store, "Stoneware Mug");
  await settled(widget); // else the fault may hit the estimate that follows the add
  await setFaults(shared.server, { mode: "fail", pathContains: "/carts/current", times: 1 });
  await page.reload();
  await expectTexts(widget.getByTestId("cart-failed").locator("p").first(), ["We couldn't load your cart."]);
  await widget.getByRole("button", { name: "Try again" }).click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("items added in quick succession are listed in the order they were added, though the first is slow", async () => {
  const { page, context, problems, widget } = await openStore(shared);
  // The visitor already has a cart, so the adds need no new token.
  await addProduct({ page, widget }, "Organic Cotton T-Shirt");
  await settled(widget);
  // The first add's request stalls: sent at once, the second would land first.
  await setFaults(shared.server, { mode: "stall", pathContains: "/add-", stallMs: 800, times: 1 });
  try {
    await addButton(page, "Stoneware Mug").click();
    await addButton(page, "Beeswax Candle").click();
    await expectTexts(widget.getByTestId("line-name"), ["Organic Cotton T-Shirt", "Stoneware Mug", "Beeswax Candle"]);
  } finally {
    await setFaults(shared.server, { mode: "off" });
  }
  await page.reload();
  await settled(widget);
  await expectTexts(widget.getByTestId("line-name"), ["Organic Cotton T-Shirt", "Stoneware Mug", "Beeswax Candle"]);
  assert.deepEqual(problems, []);
  await context.close();
});
