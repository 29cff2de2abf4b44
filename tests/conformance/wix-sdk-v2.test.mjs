// Conformance with Wix's official Cart V2 client: the unmodified @wix/sdk and
// @wix/ecom `currentCartV2` (and `cartV2.getCheckoutUrl`), pointed at the
// real reference server by rewriting the origin in `fetch`, as
// wix-sdk.test.mjs does for v1. The whole V2 flow, v1 <-> V2 on one cart,
// and visitors kept apart.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { OAuthStrategy, createClient } from "@wix/sdk";
import { cartV2, currentCart, currentCartV2 } from "@wix/ecom";
import { startServer } from "../e2e/harness.mjs";
import { routeWixTo } from "./local-wix.mjs";
import { STORES_APP_ID as STORES, product } from "../support/demo-catalog.mjs";

const MUG = product("stoneware-mug").id;
const BOOK = product("seasonal-recipes-e-book").id;

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

/** A fresh visitor: a client with its own OAuth tokens, speaking both APIs. */
function visitor() {
  return createClient({
    modules: { currentCart, currentCartV2, cartV2 },
    auth: OAuthStrategy({ clientId: "conformance-test" }),
  });
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

const item = (catalogItemId, quantity) => ({ catalogReference: { catalogItemId, appId: STORES }, quantity });
const money = (m) => Number(m.amount);

test("a new visitor has no V2 cart: 404 CURRENT_CART_NOT_FOUND", async () => {
  const error = await sdkError(visitor().currentCartV2.getCurrentCart());
  assert.equal(error.details.applicationError.code, "CURRENT_CART_NOT_FOUND");
  assert.ok(requests.includes("GET /ecom/v2/carts/current"), "the SDK called the V2 path");
});

test("the whole Cart V2 flow through currentCartV2", async () => {
  const wix = visitor();
  const v2 = wix.currentCartV2;

  // createCurrentCart
  const created = await v2.createCurrentCart({ catalogItems: [item(MUG, 1)] });
  const cartId = created.cart._id;
  assert.match(cartId, /^[0-9a-f-]{36}$/, "ids are renamed to _id by the SDK");
  assert.equal(created.cart.currentCart, true);
  const [mug] = created.cart.lineItems;
  assert.equal(mug.name.original, "Stoneware Mug");
  assert.equal(mug.pricing.unitPrice.amount, "12.5");
  assert.equal(mug.pricing.unitPrice.formattedAmount, undefined, "V2 money has no display form");

  // getCurrentCart answers {cart}, not the cart itself
  const fetched = await v2.getCurrentCart();
  assert.equal(fetched.cart._id, cartId);
  assert.ok(fetched.cart._createdDate instanceof Date, "timestamps become Dates");

  // addLineItemsToCurrentCart: the same item again merges into its line
  const merged = await v2.addLineItemsToCurrentCart({ catalogItems: [item(MUG, 1), item(BOOK, 1)] });
  assert.equal(merged.cart.lineItems.length, 2);
  assert.equal(merged.cart.lineItems[0]._id, mug._id);
  assert.equal(merged.cart.lineItems[0].quantityInfo.confirmedQuantity, 2);
  const book = merged.cart.lineItems[1];

  // updateLineItemsInCurrentCart
  const updated = await v2.updateLineItemsInCurrentCart({
    lineItems: [{ lineItemId: mug._id, quantity: { newQuantity: 3 } }],
  });
  assert.equal(updated.cart.lineItems[0].quantityInfo.requestedQuantity, 3);
  assert.equal(updated.cart.lineItems[0].pricing.totalPrice.amount, "37.5");

  // removeLineItemsFromCurrentCart
  const removed = await v2.removeLineItemsFromCurrentCart([book._id]);
  assert.deepEqual(removed.cart.lineItems.map((line) => line._id), [mug._id]);

  // addCouponToCurrentCart: invalid, then valid
  const invalid = await sdkError(v2.addCouponToCurrentCart({ code: "NOPE" }));
  assert.equal(invalid.details.applicationError.code, "INVALID_COUPON_CODE");
  assert.equal(invalid.details.applicationError.data.couponCode, "NOPE");
  const expired = await sdkError(v2.addCouponToCurrentCart({ code: "SUMMER20" }));
  assert.equal(expired.details.applicationError.code, "INVALID_COUPON_STATUS");
  assert.equal(expired.details.applicationError.data.reason, "EXPIRED");
  const withCoupon = await v2.addCouponToCurrentCart({ code: "SAVE10" });
  const [coupon] = withCoupon.cart.coupons;
  assert.equal(coupon.code, "SAVE10");
  const couponId = coupon._id;
  assert.match(couponId, /^[0-9a-f-]{36}$/, "the coupon's id is renamed to _id too");

  // updateCurrentCart: the buyer note and the delivery address
  const noted = await v2.updateCurrentCart({
    note: "Leave at the door",
    deliveryInfo: { address: { country: "US", subdivision: "US-CA", city: "Oakland", addressLine1: "1 Main St" } },
  });
  assert.equal(noted.cart.note, "Leave at the door");
  assert.equal(noted.cart.deliveryInfo.address.subdivision, "US-CA");

  // setDeliveryMethodForCurrentCart
  const delivered = await v2.setDeliveryMethodForCurrentCart({ code: "express-shipping" });
  assert.equal(delivered.cart.deliveryInfo.method.code, "express-shipping");

  // calculateCurrentCart: 3 mugs at 12.50 = 37.50, 10% off = 33.75,
  // express 15, California tax 7.25% of 33.75 = 2.45 (rounded), total 51.20
  const { summary } = await v2.calculateCurrentCart();
  const prices = summary.priceSummary;
  assert.equal(prices.subtotal.amount, "33.75", "subtotal is after the line-item coupon");
  assert.equal(prices.discount.amount, "0");
  assert.equal(prices.delivery.amount, "15");
  assert.equal(prices.tax.amount, "2.45");
  assert.equal(prices.total.amount, "51.2");
  assert.equal(
    money(prices.total),
    Math.round((money(prices.subtotal) - money(prices.discount) + money(prices.delivery) + money(prices.tax)) * 100) / 100,
  );
  assert.equal(summary.discounts[0].total.amount, "3.75");
  assert.deepEqual(summary.violations, []);

  // estimateCurrentCart: only what is asked for
  const estimate = await v2.estimateCurrentCart({});
  assert.equal(estimate.summary.priceSummary.total.amount, "33.75");

  // removeCouponFromCurrentCart, by id
  const withoutCoupon = await v2.removeCouponFromCurrentCart(couponId);
  assert.deepEqual(withoutCoupon.cart.coupons, []);

  // removeDeliveryMethodFromCurrentCart, refreshCurrentCart
  const undelivered = await v2.removeDeliveryMethodFromCurrentCart();
  assert.equal(undelivered.cart.deliveryInfo.method, undefined);
  const refreshed = await v2.refreshCurrentCart();
  assert.equal(refreshed.cart._id, cartId);

  // cartV2.getCheckoutUrl for the visitor's own cart
  const { checkoutUrl } = await wix.cartV2.getCheckoutUrl(cartId, { currencyCode: "USD" });
  assert.match(checkoutUrl, /^http:\/\/.*\/checkout\//);

  // deleteCurrentCart
  assert.equal(await v2.deleteCurrentCart(), undefined);
  const gone = await sdkError(v2.getCurrentCart());
  assert.equal(gone.details.applicationError.code, "CURRENT_CART_NOT_FOUND");
});

test("one cart, two APIs: v1 and V2 read each other's changes", async () => {
  const wix = visitor();
  const fromV1 = await wix.currentCart.addToCurrentCart({ lineItems: [item(MUG, 2)] });
  const fromV2 = await wix.currentCartV2.getCurrentCart();
  assert.equal(fromV2.cart._id, fromV1.cart._id);
  assert.equal(fromV2.cart.lineItems[0]._id, fromV1.cart.lineItems[0]._id);
  await wix.currentCartV2.addCouponToCurrentCart({ code: "FIVEOFF" });
  await wix.currentCartV2.updateCurrentCart({ note: "from V2" });
  const v1 = await wix.currentCart.getCurrentCart();
  assert.equal(v1.buyerNote, "from V2");
  assert.equal(v1.appliedDiscounts[0].coupon.code, "FIVEOFF");
  await wix.currentCart.updateCurrentCart({ cartInfo: { buyerNote: "from v1" } });
  const back = await wix.currentCartV2.getCurrentCart();
  assert.equal(back.cart.note, "from v1");
});

test("another visitor never sees the cart nor gets its checkout URL", async () => {
  const owner = visitor();
  const { cart } = await owner.currentCartV2.createCurrentCart({ catalogItems: [item(MUG, 1)] });
  const other = visitor();
  const notFound = await sdkError(other.currentCartV2.getCurrentCart());
  assert.equal(notFound.details.applicationError.code, "CURRENT_CART_NOT_FOUND");
  const refused = await sdkError(other.cartV2.getCheckoutUrl(cart._id, {}));
  assert.equal(refused.details.applicationError.code, "CART_NOT_FOUND");
  const mine = await owner.currentCartV2.getCurrentCart();
  assert.equal(mine.cart.lineItems.length, 1);
});

test("a V2 validation error reaches the SDK with V2's field names", async () => {
  const error = await sdkError(visitor().currentCartV2.addLineItemsToCurrentCart({ catalogItems: [item(MUG, 0)] }));
  const [violation] = error.details.validationError.fieldViolations;
  assert.match(violation.field, /catalogItems\[0\]\.quantity$/);
  assert.equal(violation.violatedRule, "MIN");
});
