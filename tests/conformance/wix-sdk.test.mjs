// Conformance with Wix's official JS SDK: the unmodified @wix/sdk, @wix/ecom
// and @wix/stores packages, pointed at the real reference server by rewriting
// the origin in `fetch` (recipe A of the API reference, which also covers the
// OAuth token call), drive all nine currentCart methods and queryProducts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { OAuthStrategy, createClient } from "@wix/sdk";
import { currentCart } from "@wix/ecom";
import { products } from "@wix/stores";
import { startServer } from "../e2e/harness.mjs";
import { routeWixTo } from "./local-wix.mjs";
import { STORES_APP_ID as STORES, product } from "../support/demo-catalog.mjs";

const MUG = product("stoneware-mug").id;
const T_SHIRT = product("organic-cotton-t-shirt").id;

let server;
let wix;
let requests;

before(async () => {
  server = await startServer();
  wix = routeWixTo(server.origin);
  requests = wix.requests;
});

after(async () => {
  wix?.restore();
  await server?.stop();
});

/** A fresh visitor: a client with its own OAuth tokens. */
function visitor() {
  return createClient({ modules: { currentCart, products }, auth: OAuthStrategy({ clientId: "conformance-test" }) });
}

/** The error the SDK throws for a call. */
async function sdkError(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected the SDK call to throw");
}

test("a new visitor has no cart: 404 OWNED_CART_NOT_FOUND, as Wix's own code checks it", async () => {
  const error = await sdkError(visitor().currentCart.getCurrentCart());
  assert.equal(error.details.applicationError.code, "OWNED_CART_NOT_FOUND");
  assert.ok(requests.includes("POST /oauth2/token"), "the SDK fetched a visitor token from the server");
});

test("all nine currentCart methods, end to end", async () => {
  const wix = visitor();
  const { currentCart: cart } = wix;

  // addToCurrentCart
  const added = await cart.addToCurrentCart({
    lineItems: [
      { catalogReference: { catalogItemId: MUG, appId: STORES }, quantity: 2 },
      { catalogReference: { catalogItemId: T_SHIRT, appId: STORES, options: { options: { Color: "Sand", Size: "M" } } }, quantity: 1 },
    ],
  });
  assert.equal(added.cart.lineItems.length, 2);
  const [mug, shirt] = added.cart.lineItems;
  assert.match(mug._id, /^[0-9a-f-]{36}$/, "ids are renamed to _id by the SDK");
  assert.equal(mug.productName.original, "Stoneware Mug");
  assert.equal(mug.lineItemPrice.amount, "25");
  assert.equal(shirt.descriptionLines[0].colorInfo.original, "Sand");

  // getCurrentCart
  const fetched = await cart.getCurrentCart();
  assert.equal(fetched._id, added.cart._id);
  assert.ok(fetched._createdDate instanceof Date, "timestamps become Dates");
  assert.equal(fetched.currency, "USD");

  // updateCurrentCart
  const updated = await cart.updateCurrentCart({ cartInfo: { buyerNote: "Leave at the door" }, couponCode: "SAVE10" });
  assert.equal(updated.buyerNote, "Leave at the door");
  assert.equal(updated.appliedDiscounts[0].coupon.code, "SAVE10");

  // updateCurrentCartLineItemQuantity
  const quantities = await cart.updateCurrentCartLineItemQuantity([{ _id: mug._id, quantity: 3 }]);
  assert.equal(quantities.cart.lineItems[0].quantity, 3);

  // estimateCurrentCartTotals
  const estimate = await cart.estimateCurrentCartTotals({
    shippingAddress: { country: "US", subdivision: "US-CA", addressLine1: "1 Main St" },
    selectedShippingOption: { code: "express-shipping" },
  });
  assert.equal(estimate.priceSummary.subtotal.amount, "62.5");
  assert.equal(estimate.priceSummary.discount.amount, "6.25");
  assert.equal(estimate.priceSummary.shipping.amount, "15");
  assert.equal(estimate.priceSummary.tax.amount, "4.08"); // 7.25% of 56.25
  assert.equal(estimate.priceSummary.total.amount, "75.33");
  assert.equal(estimate.shippingInfo.selectedCarrierServiceOption.code, "express-shipping");

  // removeCouponFromCurrentCart
  const withoutCoupon = await cart.removeCouponFromCurrentCart();
  assert.deepEqual(withoutCoupon.cart.appliedDiscounts, []);

  // createCheckoutFromCurrentCart
  const checkout = await cart.createCheckoutFromCurrentCart({ channelType: "WEB" });
  assert.match(checkout.checkoutId, /^[0-9a-f-]{36}$/);
  const again = await cart.createCheckoutFromCurrentCart({ channelType: "WEB" });
  assert.equal(again.checkoutId, checkout.checkoutId, "creating again updates the same checkout");

  // removeLineItemsFromCurrentCart
  const removed = await cart.removeLineItemsFromCurrentCart([shirt._id]);
  assert.deepEqual(removed.cart.lineItems.map((line) => line._id), [mug._id]);

  // deleteCurrentCart
  assert.equal(await cart.deleteCurrentCart(), undefined);
  const gone = await sdkError(cart.getCurrentCart());
  assert.equal(gone.details.applicationError.code, "OWNED_CART_NOT_FOUND");
});

test("a 400 validation error reaches the SDK with its field violations", async () => {
  const error = await sdkError(
    visitor().currentCart.addToCurrentCart({ lineItems: [{ catalogReference: { catalogItemId: MUG, appId: STORES }, quantity: 0 }] }),
  );
  const [violation] = error.details.validationError.fieldViolations;
  assert.match(violation.field, /lineItems\[0\]\.quantity$/);
  assert.equal(violation.violatedRule, "MIN");
  assert.equal(violation.data.threshold, 1);
});

test("a coupon error reaches the SDK with its code", async () => {
  const wix = visitor();
  await wix.currentCart.addToCurrentCart({ lineItems: [{ catalogReference: { catalogItemId: MUG, appId: STORES }, quantity: 1 }] });
  const error = await sdkError(wix.currentCart.updateCurrentCart({ couponCode: "SUMMER20" }));
  assert.equal(error.details.applicationError.code, "ERROR_COUPON_EXPIRED");
});

test("products.queryProducts pages through the catalog", async () => {
  const wix = visitor();
  const all = await wix.products.queryProducts().find();
  assert.ok(all.items.length >= 10);
  assert.equal(all.totalCount, all.items.length);
  const page = await wix.products.queryProducts().skip(2).limit(3).find();
  assert.deepEqual(page.items.map((p) => p._id), all.items.slice(2, 5).map((p) => p._id));
  assert.equal(page.hasNext(), true);
  const next = await page.next();
  assert.deepEqual(next.items.map((p) => p._id), all.items.slice(5, 8).map((p) => p._id));
  const [shirt] = (await wix.products.queryProducts().eq("slug", "organic-cotton-t-shirt").find()).items;
  assert.equal(shirt.name, "Organic Cotton T-Shirt");
  assert.equal(shirt.variants.length, 6);
  assert.equal(shirt.priceData.formatted.discountedPrice, "$25.00");
});
