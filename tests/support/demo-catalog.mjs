// The demo catalog's facts for the JS tests and the benchmark, read from the
// catalog file the server itself loads, so an id is never copied by hand.
import { readFileSync } from "node:fs";

/** The Wix Stores catalog's `appId` (`cart_wire::WIX_STORES_APP_ID` in Rust). */
export const STORES_APP_ID = "215238eb-22a5-4c36-9e7b-e7c08025e04e";

const catalog = JSON.parse(
  readFileSync(new URL("../../crates/cart-server/catalog/demo.json", import.meta.url), "utf8"),
);

/** The demo product with this slug (e.g. `stoneware-mug`); throws for an unknown slug. */
export function product(slug) {
  const found = catalog.products.find((p) => p.slug === slug);
  if (!found) throw new Error(`the demo catalog has no product "${slug}"`);
  return found;
}

/** A `catalogReference` for the demo product with this slug. */
export function catalogReference(slug, options) {
  return { catalogItemId: product(slug).id, appId: STORES_APP_ID, ...(options ? { options } : {}) };
}
