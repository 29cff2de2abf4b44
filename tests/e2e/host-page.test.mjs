// End to end: the host-page protocol (cart:add in, cart:updated / cart:error
// out, [data-cart-count]) on the demo store.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CART_API, addButton, expectTexts, newPage, serverAndBrowser } from "./harness.mjs";

const shared = serverAndBrowser();

test("the page hears about updates and errors, and its count follows the cart", async () => {
  const { page, context, problems } = await newPage(shared.browser);
  await page.addInitScript(() => {
    window.heard = [];
    for (const name of ["cart:updated", "cart:error"]) {
      window.addEventListener(name, (event) => window.heard.push({ name, detail: event.detail }));
    }
  });
  await page.goto(shared.server.url);
  const widget = page.locator("[data-cart-widget]");
  await widget.getByTestId("empty-cart").waitFor();
  await addButton(page, "Stoneware Mug").click();
  await addButton(page, "Stoneware Mug").click();
  await expectTexts(page.locator("[data-cart-count]"), ["2"]);
  const updates = () => page.evaluate(() => window.heard.filter((h) => h.name === "cart:updated").map((h) => h.detail));
  await page.waitForFunction(() => window.heard.some((h) => h.name === "cart:updated" && h.detail.itemCount === 2));
  assert.deepEqual((await updates()).at(-1), { itemCount: 2, subtotal: "25", formattedSubtotal: "$25.00", currency: "USD" });

  await widget.getByTestId("coupon-input").fill("NOSUCH");
  await widget.getByTestId("coupon-apply").click();
  await page.waitForFunction(() => window.heard.some((h) => h.name === "cart:error"));
  const error = await page.evaluate(() => window.heard.find((h) => h.name === "cart:error").detail);
  // The API's own code, in the dialect spoken.
  assert.equal(error.code, CART_API === "v2" ? "INVALID_COUPON_CODE" : "ERROR_COUPON_DOES_NOT_EXIST");
  assert.equal(error.status, 400);
  assert.deepEqual(problems, []);
  await context.close();
});
