// End to end: the destination picker and shipping options change the
// server's estimate of shipping and tax.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addProduct, CART_API, expectTexts, expectValues, openStore, serverAndBrowser, settled } from "./harness.mjs";

const shared = serverAndBrowser();

test("destination and shipping option change shipping and tax, and are remembered", async () => {
  const store = await openStore(shared);
  const { page, context, problems, widget } = store;
  await addProduct(store, "Stoneware Mug");
  await widget.getByTestId("increase").click();
  // $25; no destination chosen: the store's default (US-NY, 8.875%), standard $5.
  await expectTexts(widget.getByTestId("total"), ["$32.22"]);

  await widget.getByTestId("destination-country").selectOption("CA");
  // Canada: International Standard $15, GST 5% of $25.
  await expectTexts(widget.getByTestId("total-shipping"), ["$15.00"]);
  await expectTexts(widget.getByTestId("total-tax"), ["$1.25"]);
  await expectTexts(widget.getByTestId("total"), ["$41.25"]);
  if (CART_API === "v2") {
    // V2 lists no delivery options: the widget shows the one its estimate
    // uses (the cheapest, until a method is set on the cart).
    await expectTexts(widget.locator(".cw-shipping-title"), ["International Standard"]);
  } else {
    await expectTexts(widget.locator(".cw-shipping-title"), ["International Standard", "International Express"]);
    await widget.getByRole("radio", { name: /International Express/ }).check();
    await expectTexts(widget.getByTestId("total-shipping"), ["$35.00"]);
    await expectTexts(widget.getByTestId("total"), ["$61.25"]);
  }

  // United States, California: 7.25% tax; the option list is the domestic one.
  await widget.getByTestId("destination-country").selectOption("US");
  await widget.getByTestId("destination-region").fill("ca");
  await widget.getByTestId("destination-postal").fill("94103");
  await widget.getByTestId("destination-update").click();
  await expectTexts(widget.getByTestId("total-tax"), ["$1.81"]);
  await expectTexts(
    widget.locator(".cw-shipping-title"),
    CART_API === "v2" ? ["Standard Shipping"] : ["Standard Shipping", "Express Shipping"],
  );

  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await expectValues(widget.getByTestId("destination-country"), ["US"]);
  await expectValues(widget.getByTestId("destination-region"), ["ca"]);
  await expectTexts(widget.getByTestId("total-tax"), ["$1.81"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a destination the store does not ship to is explained in words", async () => {
  const store = await openStore(shared);
  const { context, problems, widget } = store;
  await addProduct(store, "Stoneware Mug");
  await widget.getByTestId("destination-country").selectOption("JP");
  await widget.getByTestId("total-problems").filter({ hasText: /\w/ }).waitFor();
  assert.match(await widget.getByTestId("total-problems").textContent(), /ship/i);
  assert.deepEqual(problems, []);
  await context.close();
});
