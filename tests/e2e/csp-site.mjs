// For an end-to-end test file: the merchant's page of `examples/csp-host/`
// embedding the CDN bundle (`dist/cdn`, `CART_CDN_DIR`) under its strict
// Content-Security-Policy, against the real API server. Three origins: the
// page and the CDN (two static servers) and the API. The page's and the
// CDN's origins are needed before the API server starts (its CORS allowlist
// names the page), the API's only once it runs.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after } from "node:test";
import { EXAMPLE_ORIGINS, startStaticServer, strictCsp } from "../../examples/csp-host/serve.mjs";
import { serverAndBrowser } from "./harness.mjs";

/** The CDN bundle the page loads the widget from. */
export const CDN_DIR = process.env.CART_CDN_DIR ?? join("dist", "cdn");
const SITE_DIR = new URL("../../examples/csp-host/site/", import.meta.url).pathname;
/** The example page's `data-client-id`. */
export const CLIENT_ID = "csp-host-example";

/**
 * Starts the three origins for this test file (stopped after its tests);
 * `serverArgs` are extra flags for the API server (e.g. `--test-faults`).
 * Returns `shared` (`server`, `browser` once started), the `cdn` and `host`
 * static servers, and helpers bound to the API.
 */
export async function cspSite({ serverArgs = [] } = {}) {
  await readFile(join(CDN_DIR, "cart-widget.js")).catch(() => {
    throw new Error(`${CDN_DIR}/cart-widget.js is missing: run \`cargo xtask dist\` (or \`node xtask/dist.mjs\` after \`trunk build --release\`)`);
  });
  const api = () => shared.server.url.replace(/\/$/, "");
  const cdn = await startStaticServer({ dir: CDN_DIR });
  const host = await startStaticServer({
    dir: SITE_DIR,
    csp: () => strictCsp({ cdn: cdn.origin, api: api() }),
    rewrite: () => ({ [EXAMPLE_ORIGINS.cdn]: cdn.origin, [EXAMPLE_ORIGINS.api]: api() }),
  });
  const shared = serverAndBrowser({ args: ["--cors-origins", host.origin, ...serverArgs] });
  after(() => Promise.all([cdn.close(), host.close()]));

  /** A call to the API as the visitor holding `token`; the answer's JSON. */
  const call = async (method, path, token, body) => {
    const response = await fetch(`${api()}${path}`, {
      method,
      headers: { ...(token ? { Authorization: token } : {}), "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : {};
  };

  /**
   * A new visitor whose cart holds `items` (`[catalogReference, quantity]`
   * pairs, added with v1's add-to-cart: the server's carts are the same in
   * both dialects): their access token, their cart as the last add answered
   * it, and their tokens as the widget stores them (`expiresAtMs` and
   * `accessToken` replace the stored ones).
   */
  const visitorWith = async (items, { expiresAtMs, accessToken } = {}) => {
    const tokens = await call("POST", "/oauth2/token", null, { clientId: CLIENT_ID, grantType: "anonymous" });
    let cart;
    for (const [catalogReference, quantity] of items) {
      ({ cart } = await call("POST", "/ecom/v1/carts/current/add-to-cart", tokens.access_token, { lineItems: [{ catalogReference, quantity }] }));
    }
    const stored = {
      accessToken: accessToken ?? tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAtMs: expiresAtMs ?? Date.now() + tokens.expires_in * 1000,
    };
    return { token: tokens.access_token, cart, stored };
  };

  /** The `localStorage` key the widget keeps the visitor's tokens under on the page. */
  const tokensKey = () => `cart-widget:tokens:${CLIENT_ID}@${api()}`;

  return { shared, cdn, host, api, call, visitorWith, tokensKey };
}
