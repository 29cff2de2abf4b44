// End to end: a merchant's page embeds the widget from a CDN through the
// loader (`dist/cdn/`, built by `cargo xtask dist`, `CART_CDN_DIR`) under a
// strict Content-Security-Policy. Three origins: the page, the CDN, the cart
// API. With `CART_API=v1` the page asks for v1 and the loader loads v1's files.
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { CDN_DIR, cspSite } from "./csp-site.mjs";
import { CART_API, expectTexts, expectValues, newPage } from "./harness.mjs";

const { shared, cdn, host } = await cspSite();

/**
 * A page that records every CSP violation (before any of the page's scripts
 * run). `plain`: without the harness's console checks, for a test that
 * provokes a violation on purpose (its console error has no source URL).
 */
async function hostPage({ plain = false } = {}) {
  const opened = plain ? await plainPage() : await newPage(shared.browser);
  await opened.page.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  const violations = () => opened.page.evaluate(() => window.violations);
  return { ...opened, violations };
}

async function plainPage() {
  const context = await shared.browser.newContext();
  return { context, page: await context.newPage(), problems: [] };
}

test("the widget embedded from the CDN works on another origin under a strict CSP", async () => {
  const { page, context, problems, violations } = await hostPage();
  const origins = new Set();
  page.on("request", (request) => origins.add(new URL(request.url()).origin));
  const response = await page.goto(host.url);
  const policy = response.headers()["content-security-policy"];
  assert.match(policy, /script-src 'self' http:\/\/127\.0\.0\.1:\d+ 'wasm-unsafe-eval'/);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);
  // The page itself has no inline script: the embed is one <script src>.
  const html = await response.text();
  assert.deepEqual(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g), null);

  const widget = page.locator("[data-cart-widget]");
  await widget.getByTestId("empty-cart").waitFor();
  // The widget's stylesheet came from the CDN and applies.
  assert.equal(await widget.locator(".cw").evaluate((el) => getComputedStyle(el).borderTopStyle), "solid");

  await page.getByRole("button", { name: "Add Stoneware Mug" }).click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug"]);
  await page.getByRole("button", { name: "Add Canvas Tote Bag" }).click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug", "Canvas Tote Bag"]);
  await widget.getByTestId("increase").first().click();
  await expectValues(widget.getByTestId("line-quantity"), ["2", "1"]);
  await expectTexts(widget.getByTestId("line-total"), ["$25.00", "$18.00"]);
  await expectTexts(page.locator("[data-cart-count]"), ["3"]);
  // Product images come from the API's origin, allowed by img-src.
  const image = widget.locator("img.cw-line-image").first();
  await image.evaluate((img) => img.decode());
  assert.ok((await image.evaluate((img) => img.naturalWidth)) > 0);

  const api = new URL(shared.server.url).origin;
  assert.deepEqual([...origins].sort(), [api, cdn.origin, host.origin].sort());
  // The loader, the hashed CSS, and the glue and wasm of the dialect the
  // page asks for (only those), each once, precompressed.
  const bundle = CART_API === "v1" ? "cart-widget-v1-<hash>" : "cart-widget-<hash>";
  assert.deepEqual(
    cdn.requests.filter((r) => r.startsWith("GET")).map((r) => r.replace(/-[0-9a-f]{16}\./, "-<hash>.")).sort(),
    ["GET /cart-widget-<hash>.css br", `GET /${bundle}.js br`, `GET /${bundle}.wasm br`, "GET /cart-widget.js br"].sort(),
  );
  assert.deepEqual(await violations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

/** The CDN files a page asked for since `from` (`cdn.requests`' index), hashes as `<hash>`. */
function cdnFiles(from) {
  return cdn.requests.slice(from).filter((r) => r.startsWith("GET")).map((r) => r.replace(/-[0-9a-f]{16}\./, "-<hash>.")).sort();
}

/**
 * Changes the page's first mount element as the parser creates it, before
 * the loader can read it (data, not code: the page's CSP forbids eval):
 * `{remove: true}` takes it out; `{first, second}` makes it ask for the
 * dialect `first` and adds a second mount element after it asking for `second`.
 */
function onMountElement(page, plan) {
  return page.addInitScript((plan) => {
    new MutationObserver((records, observer) => {
      const element = document.querySelector("[data-cart-widget]");
      if (!element) return;
      observer.disconnect();
      if (plan.remove) return element.remove();
      element.setAttribute("data-cart-api", plan.first);
      const second = document.createElement("div");
      second.setAttribute("data-cart-widget", "");
      second.setAttribute("data-cart-api", plan.second);
      element.after(second);
    }).observe(document, { childList: true, subtree: true });
  }, plan);
}

test("mount elements asking for different dialects all speak the first one's, and the console says so", async () => {
  const { page, context } = await hostPage({ plain: true });
  const warnings = [];
  page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
  const api = [];
  page.on("request", (request) => new URL(request.url()).pathname.startsWith("/ecom/") && api.push(new URL(request.url()).pathname));
  await onMountElement(page, { first: "v1", second: "v2" });
  const from = cdn.requests.length;
  await page.goto(host.url);
  const widgets = page.locator("[data-cart-widget]");
  await widgets.nth(0).getByTestId("empty-cart").waitFor();
  await widgets.nth(1).getByTestId("empty-cart").waitFor();
  await page.getByRole("button", { name: "Add Stoneware Mug" }).click();
  await expectTexts(widgets.nth(1).getByTestId("line-name"), ["Stoneware Mug"]);

  assert.deepEqual(
    cdnFiles(from),
    ["GET /cart-widget-<hash>.css br", "GET /cart-widget-v1-<hash>.js br", "GET /cart-widget-v1-<hash>.wasm br", "GET /cart-widget.js br"].sort(),
  );
  assert.ok(api.length > 0 && api.every((path) => path.startsWith("/ecom/v1/")), api.join(", "));
  assert.deepEqual(warnings, [
    "cart widget: mixed data-cart-api values; all widgets use the first: v1",
  ]);
  await context.close();
});

test("a page without a mount element downloads no widget code", async () => {
  const { page, context, violations } = await hostPage({ plain: true });
  await onMountElement(page, { remove: true });
  const from = cdn.requests.length;
  // `goto` waits for the load event, which waits for the async loader to run.
  await page.goto(host.url);
  // The stylesheet is a preload (the widget applies it inside its shadow
  // roots), which the load event does not wait for: wait until it came.
  const deadline = Date.now() + 5_000;
  while (!cdnFiles(from).includes("GET /cart-widget-<hash>.css br") && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
  assert.deepEqual(cdnFiles(from), ["GET /cart-widget-<hash>.css br", "GET /cart-widget.js br"]);
  assert.deepEqual(await violations(), []);
  await context.close();
});

test("the policy is really enforced: an injected inline script is refused", async () => {
  const { page, context, violations } = await hostPage({ plain: true });
  await page.goto(host.url);
  await page.locator("[data-cart-widget]").getByTestId("empty-cart").waitFor();
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.inlineRan = true;";
    document.head.append(script);
  });
  await page.waitForFunction(() => window.violations.length > 0);
  assert.equal(await page.evaluate(() => window.inlineRan), undefined);
  assert.match((await violations()).join("\n"), /^script-src-elem blocked inline/);
  await context.close();
});

test(
  "a line with a colour swatch shows without a CSP violation",
  async () => {
    const { page, context, violations } = await hostPage();
    await page.goto(host.url);
    const widget = page.locator("[data-cart-widget]");
    await widget.getByTestId("empty-cart").waitFor();
    await page.getByRole("button", { name: "Add Organic Cotton T-Shirt (Navy, M)" }).click();
    await widget.locator(".cw-swatch").first().waitFor();
    const colour = await widget.locator(".cw-swatch").first().evaluate((el) => getComputedStyle(el).backgroundColor);
    const seen = await violations();
    await context.close();
    assert.deepEqual(seen, []);
    assert.equal(colour, "rgb(27, 42, 74)");
  },
);

test("the CDN files: a short-cached loader naming immutable, precompressed hashed files", async () => {
  const loader = await fetch(`${cdn.origin}/cart-widget.js`, { headers: { "Accept-Encoding": "identity" } });
  assert.equal(loader.headers.get("cache-control"), "public, max-age=300");
  assert.equal(loader.headers.get("access-control-allow-origin"), "*");
  const source = await loader.text();
  const named = [...source.matchAll(/"(cart-widget-(?:v1-)?[0-9a-f]{16}\.(?:js|wasm|css))"/g)].map((m) => m[1]).sort();
  // The CSS, and the glue and wasm of each dialect.
  assert.equal(named.length, 5);
  // Exactly the loader and the files it names, each with its .br and .gz.
  const files = (await readdir(CDN_DIR)).sort();
  const expected = ["cart-widget.js", ...named].flatMap((name) => [name, `${name}.br`, `${name}.gz`]).sort();
  assert.deepEqual(files, expected);
  for (const name of ["cart-widget.js", ...named]) {
    const raw = await readFile(join(CDN_DIR, name));
    assert.deepEqual(brotliDecompressSync(await readFile(join(CDN_DIR, `${name}.br`))), raw, `${name}.br`);
    assert.deepEqual(gunzipSync(await readFile(join(CDN_DIR, `${name}.gz`))), raw, `${name}.gz`);
    if (name === "cart-widget.js") continue;
    const response = await fetch(`${cdn.origin}/${name}`, { method: "HEAD", headers: { "Accept-Encoding": "br" } });
    assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(response.headers.get("content-encoding"), "br");
    assert.equal(response.headers.get("vary"), "Accept-Encoding");
    if (name.endsWith(".wasm")) assert.equal(response.headers.get("content-type"), "application/wasm");
  }
});
