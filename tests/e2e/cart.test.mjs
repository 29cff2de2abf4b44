// End to end: the real server and the real release build of the widget in
// headless Chromium.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addButton, expectTexts, expectValues, newPage, serverAndBrowser, settled } from "./harness.mjs";

const SCREENSHOT = process.env.CART_SCREENSHOT ?? "docs/screenshots/demo.png";

const shared = serverAndBrowser();

test("a fresh visitor adds to cart, and the cart survives a reload", async () => {
  const { page, context, problems } = await newPage(shared.browser);
  const apiRequests = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (/^\/(ecom|oauth2)\//.test(path)) apiRequests.push(`${request.method()} ${path}`);
  });
  await page.goto(shared.server.url);
  const widget = page.locator("[data-cart-widget]");

  // A new visitor (no token stored) cannot have a cart: the widget shows
  // it empty without asking the API anything (no token minted, no 404).
  await widget.getByTestId("empty-cart").waitFor();
  await expectTexts(widget.getByTestId("cart-count"), ["0"]);
  await page.waitForLoadState("networkidle");
  assert.deepEqual(apiRequests, []);

  await addButton(page, "Stoneware Mug").click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug"]);
  await expectValues(widget.getByTestId("line-quantity"), ["1"]);
  await expectTexts(widget.getByTestId("line-total"), ["$12.50"]);

  await addButton(page, "Stoneware Mug").click();
  await addButton(page, "Organic Cotton T-Shirt").click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug", "Organic Cotton T-Shirt"]);
  await expectValues(widget.getByTestId("line-quantity"), ["2", "1"]);
  await expectTexts(widget.getByTestId("line-total"), ["$25.00", "$25.00"]);
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$50.00"]);
  await expectTexts(widget.getByTestId("cart-count"), ["3"]);

  // The product image comes from the server, as an http(s) URL.
  const images = widget.locator("img.cw-line-image");
  assert.equal(await images.count(), 2);
  assert.match(await images.first().getAttribute("src"), /^http:\/\/127\.0\.0\.1:\d+\/products\/mug\.svg$/);

  // The visitor token is kept in localStorage, so a reload shows the same cart.
  const stored = await page.evaluate(() => Object.keys(localStorage));
  assert.equal(stored.filter((key) => key.startsWith("cart-widget:tokens:")).length, 1);
  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug", "Organic Cotton T-Shirt"]);
  await expectValues(widget.getByTestId("line-quantity"), ["2", "1"]);
  await widget.locator("img.cw-line-image").first().evaluate((img) => img.decode());

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test("another visitor does not see that cart", async () => {
  const { page, context, problems } = await newPage(shared.browser);
  await page.goto(shared.server.url);
  await page.locator("[data-cart-widget]").getByTestId("empty-cart").waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
