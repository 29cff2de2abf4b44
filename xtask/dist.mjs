// The CDN bundle: turns Trunk's two release builds, the default one (Cart V2,
// `dist/`) and the v1 one (the cargo feature `v1`, `dist-v1/`), into
// `dist/cdn/`, the files a merchant's page loads the widget from, ready for
// static hosting:
//
//   cart-widget.js                 the loader: the one stable name pages include
//   cart-widget-<hash>.js          wasm-bindgen's JS glue      } named by content:
//   cart-widget-<hash>.wasm        the widget, Cart V2         } cache forever
//   cart-widget-<hash>.css         the widget's styles (only)  }
//   cart-widget-v1-<hash>.js       the v1 build's glue and     }
//   cart-widget-v1-<hash>.wasm     wasm                        }
//   *.br, *.gz                     precompressed copies of each of them
//
// A page downloads the loader, the CSS and one build: V2's, or v1's when its
// first mount element says `data-cart-api="v1"` (`loaderSource`), so nobody
// downloads the other dialect's code.
//
// Trunk's own file names are not used: Trunk hashes the wasm before wasm-opt
// runs, so its name need not change when its bytes do. Here every name is the
// hash of the exact bytes served.
//
// On the way the files are made smaller (each step measured, docs/wasm-size.md):
// the wasm's imports and exports get short names, in the wasm and in the glue
// alike (wasm-bindgen names most of them after a Rust item plus a 16-digit
// hash that brotli cannot compress); the glue and the loader are minified by terser and
// the stylesheet by lightningcss. The glue must export no class
// (`assertNoExportedClasses`).
//
//   node xtask/dist.mjs [dist-dir [v1-dist-dir]]   (`cargo xtask dist` runs it after both `trunk build --release`s)
//   node xtask/dist.mjs --budget [dist-dir]        the size table of each bundle built; exits 1 when the
//                                                  default one is over its ceiling (a step of `cargo xtask test`)
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import { parse as parseJs } from "acorn";
import { transform as lightningcss } from "lightningcss";
import { minify as terser } from "terser";

/**
 * The transfer-size budget of the whole widget (loader, JS, wasm, CSS),
 * brotli, on stable Rust, for the default bundle (Cart V2): met since
 * 2026-12-03 (docs/wasm-size.md).
 */
export const BUDGET_BYTES = 120_000;
/**
 * What `cargo xtask test` enforces: the size the bundle has reached, rounded
 * up, so no change can grow it unnoticed, even under the budget. A change
 * that needs bytes raises it by what it measured, with a row in
 * docs/wasm-size.md; never past `BUDGET_BYTES`.
 */
export const CEILING_BYTES = 119_565;
/** The long-term aim (docs/wasm-size.md keeps what would get there). */
export const AIM_BYTES = 100_000;
export const LOADER = "cart-widget.js";
/** Where `cargo xtask dist` has Trunk build the v1 bundle (`V1_DIST` in `xtask/src/dist.rs`). */
export const V1_DIST = "dist-v1";
/** The v1 bundle's file names start so (the default's with `cart-widget-<hash>`). */
const V1_PREFIX = "cart-widget-v1-";
/** The elements the widget mounts into (`MOUNT_SELECTOR` in `src/lib.rs`). */
const MOUNT_SELECTOR = "[data-cart-widget]";

/**
 * Builds `<dist>/cdn/` from Trunk's release output in `dist` (the default
 * bundle, Cart V2) and in `v1Dist` (the v1 bundle); returns what it wrote, as
 * `readCdn` does.
 */
export async function buildCdn(dist = "dist", v1Dist = V1_DIST) {
  const sources = await trunkOutput(dist);
  const v1Sources = await trunkOutput(v1Dist);
  const out = join(dist, "cdn");
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });

  const hashed = (prefix, kind, bytes) => {
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
    return { name: `${prefix}${hash}.${kind}`, bytes };
  };
  const widget = async (from, prefix) => {
    const js = await readFile(from.js, "utf8");
    assertNoExportedClasses(js);
    const shortened = shortenNames(await readFile(from.wasm), js);
    return {
      js: hashed(prefix, "js", Buffer.from(await minifyJs(shortened.js, { module: true }))),
      wasm: hashed(prefix, "wasm", shortened.wasm),
    };
  };
  const v2 = await widget(sources, "cart-widget-");
  const v1 = await widget(v1Sources, V1_PREFIX);
  // One stylesheet for both: the two builds take it from the same file.
  const css = hashed("cart-widget-", "css", minifyCss(await readFile(sources.css)));
  const names = (built) => ({ js: built.js.name, wasm: built.wasm.name });
  const loader = Buffer.from(await minifyJs(loaderSource(css.name, { v2: names(v2), v1: names(v1) }), { module: false }));
  const files = [
    { role: "loader", name: LOADER, bytes: loader },
    { role: "JS glue", ...v2.js },
    { role: "wasm", ...v2.wasm },
    { role: "CSS", ...css },
    { role: "JS glue, v1", ...v1.js },
    { role: "wasm, v1", ...v1.wasm },
  ];
  for (const file of files) {
    const { gzip, brotli } = compress(file.bytes, file.name.endsWith(".wasm"));
    await writeFile(join(out, file.name), file.bytes);
    await writeFile(join(out, `${file.name}.gz`), gzip);
    await writeFile(join(out, `${file.name}.br`), brotli);
    Object.assign(file, { raw: file.bytes.length, gzip: gzip.length, brotli: brotli.length });
    delete file.bytes;
  }
  return bundles(out, files);
}

/** The glue, wasm and stylesheet of a Trunk release build in `dist`. */
async function trunkOutput(dist) {
  const names = await readdir(dist).catch(() => []);
  const pick = (pattern, what) => {
    const found = names.filter((name) => pattern.test(name));
    if (found.length !== 1) {
      throw new Error(`expected one ${what} in ${dist}, found ${found.length} (${found.join(", ")}); run \`cargo xtask dist\` (both \`trunk build --release\`s) first`);
    }
    return join(dist, found[0]);
  };
  if (names.includes("snippets")) {
    throw new Error(`${dist}/snippets exists: the loader does not know how to ship wasm-bindgen snippets yet`);
  }
  return {
    js: pick(/^cart-widget-[0-9a-f]+\.js$/, "wasm-bindgen JS glue (cart-widget-<hash>.js)"),
    wasm: pick(/^cart-widget-[0-9a-f]+_bg\.wasm$/, "widget wasm (cart-widget-<hash>_bg.wasm)"),
    css: pick(/^widget-[0-9a-f]+\.css$/, "widget stylesheet (widget-<hash>.css)"),
  };
}

/**
 * The files of `dist/cdn/` as each bundle's first visit downloads them: the
 * default one's (the loader, V2's glue and wasm, the CSS) with their total,
 * and in `v1` the same for v1's.
 */
function bundles(dir, files) {
  const shared = (file) => file.role === "loader" || file.role === "CSS";
  const isV1 = (file) => file.role.endsWith(", v1");
  const sum = (list) => Object.fromEntries(["raw", "gzip", "brotli"].map((key) => [key, list.reduce((total, file) => total + file[key], 0)]));
  const v2 = files.filter((file) => !isV1(file));
  const v1 = files.filter((file) => shared(file) || isV1(file));
  return { dir, files: v2, total: sum(v2), v1: { files: v1, total: sum(v1) } };
}

/** gzip -9 and brotli at quality 11, as a CDN serves them precompressed. */
export function compress(bytes, binary = false) {
  return {
    gzip: gzipSync(bytes, { level: 9 }),
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        // For the wasm, the encoder's font mode and 64 KB blocks: 0.2 KB
        // less than generic mode (docs/wasm-size.md). Only encoder choices:
        // any brotli decoder reads the result.
        [constants.BROTLI_PARAM_MODE]: binary ? constants.BROTLI_MODE_FONT : constants.BROTLI_MODE_TEXT,
        ...(binary ? { [constants.BROTLI_PARAM_LGBLOCK]: 16 } : {}),
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  };
}

/**
 * The loader, a classic script (no module, no inline code needed on the
 * page). Everything is resolved against its own URL, so it works from any
 * CDN path and origin. It starts the stylesheet at once (a preload the
 * widget copies into its shadow roots, so it never applies to the page), and
 * the glue and the wasm (compiled while it downloads) of the dialect the
 * page's first mount element asks for as soon as the parser has made that
 * element: `bundles` is `{v2: {js, wasm}, v1: {js, wasm}}`, read by the rule
 * the widget reads `data-cart-api` by (`ApiDialect::parse`, `src/config.rs`):
 * v1 if it says so, else V2. Every mount element shows one cart configured by
 * the first (`mount_all`, `src/lib.rs`), so when others ask for the other
 * dialect they speak the first one's too, and the console says so. It starts
 * the widget when the document has been parsed, so it can be loaded `async`
 * from the `<head>`; a page with no mount element downloads no wasm.
 * With the first mount element it also asks for the visitor's cart
 * (`prefetchSource`), in parallel with the wasm, and paints it
 * (`paintSource`); a cart it has painted is on screen before the widget
 * starts.
 */
export function loaderSource(css, bundles) {
  return `/*! cart widget loader: <script src=".../${LOADER}" async></script> plus <div data-cart-widget ...></div>. Short cache; the files it names are immutable. */
(function () {
  "use strict";
  if (window.cartWidgetLoader) return;
  var script = document.currentScript || document.querySelector('script[src$="/${LOADER}"],script[src="${LOADER}"]');
  var at = function (file) { return new URL(file, script.src).href; };
  var painted, shadow;
  var fail = function (error) {
    // No paint now, nor one from an answer that comes later. The shadow root
    // attached for a paint would hide what the merchant put in the element
    // (a link to the cart page, say), and its stylesheet would restyle it
    // (\`:host\` resets what is inherited): unless the widget had taken the
    // root, a slot alone takes its place, and the element shows as before.
    if (shadow && !taken) shadow.replaceChildren(document.createElement("slot"));
    else if (painted) painted.remove();
    taken = true;
    console.error("cart widget: could not start:", error);
  };
  // Fetched now, applied only inside the widget's shadow roots: the widget
  // copies this link there (src/shadow.rs).
  var link = document.createElement("link");
  link.rel = "preload";
  link.as = "style";
  link.href = at(${JSON.stringify(css)});
  link.dataset.cartStylesheet = "";
  document.head.appendChild(link);
  var bundles = ${JSON.stringify(bundles)};
  /** A mount element's attribute, trimmed (as the widget reads them, \`src/config.rs\`). */
  var attribute = function (element, name) { return (element.getAttribute(name) || "").trim(); };
  var dialect = function (element) {
    return /^v1$/i.test(attribute(element, "data-cart-api")) ? "v1" : "v2";
  };
  var spoken, loading, painting, taken;
  var load = function () {
    var first = document.querySelector(${JSON.stringify(MOUNT_SELECTOR)});
    if (loading || !first) return;
    watch.disconnect();
    spoken = dialect(first);
    var files = bundles[spoken];
    var module = fetch(at(files.wasm)).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status + " for " + response.url);
      return /^application\\/wasm/.test(response.headers.get("Content-Type") || "") && WebAssembly.compileStreaming
        ? WebAssembly.compileStreaming(response)
        : response.arrayBuffer().then(function (bytes) { return WebAssembly.compile(bytes); });
    });
    module.catch(function () {});
    loading = [import(at(files.js)), module];
    prefetch(first, spoken);
  };
  var watch = new MutationObserver(load);
${paintSource()}
${prefetchSource()}
  var start = function () {
    watch.disconnect();
    load();
    if (!loading) return;
    var mixed = [].some.call(document.querySelectorAll(${JSON.stringify(MOUNT_SELECTOR)}), function (element) {
      return dialect(element) !== spoken;
    });
    if (mixed) console.warn("cart widget: mixed data-cart-api values; all widgets use the first: " + spoken);
    window.cartWidgetLoader = Promise.all(loading).then(function (loaded) {
      // A cart that has come is painted first: the widget's start takes the
      // main thread for a while, and would keep the paint from it.
      // Held back at most 0.1 s (a slow body; a hidden tab, which draws no frames).
      return Promise.race([painting, new Promise(function (done) { setTimeout(done, 100); })]).then(function () {
        return loaded[0].default({ module_or_path: loaded[1] });
      });
    });
    window.cartWidgetLoader.catch(fail);
  };
  window.cartWidgetLoader = true;
  if (document.readyState === "loading") {
    watch.observe(document, { childList: true, subtree: true });
    load();
    document.addEventListener("DOMContentLoaded", start);
  } else start();
})();
`;
}

/**
 * The painted cart: the cart's lines drawn by the loader before the wasm has
 * run, so a visitor with a cart sees it about when a hand-written page would
 * show it (docs/page-load.md): the cart the widget kept for this visitor
 * (`src/snapshot.rs`) at once, then the prefetched answer, in its place, as
 * soon as it comes. The rules:
 * - It is the widget's own markup for the header and the line rows (the
 *   same elements, classes and texts, so the same stylesheet lays it out the
 *   same), without what only the widget's language can say: the title, the
 *   Remove label and a stock notice keep their place but are blank. An
 *   end-to-end test (`tests/e2e/paint.test.mjs`) compares it with the
 *   widget's rows for the same cart, in both dialects, element by element
 *   and box by box.
 * - Only in an inline first mount element (a drawer's cart is closed) that
 *   the widget has not reached yet, and only for a cart with lines (a 200
 *   answer, or the kept cart of the visitor whose refresh token it names).
 * - The widget starts a frame after a first paint, so that paint is on
 *   screen before the widget's start takes the main thread; a repaint does
 *   not hold it back.
 * - In the shadow root the widget will use, `inert` (nothing in it answers a
 *   click or a screen reader) and busy, with the widget's own copy of the
 *   stylesheet. The widget renders beside it, kept out of sight
 *   (`.cw-paint~.cw-root` in style/widget.css), and the paint goes in the
 *   same task as the widget first shows more than its loading skeleton; or
 *   when the widget cannot start.
 * - API text is set as text; an image only for an http(s) URL, as the
 *   widget does (`safe_http_url`); a swatch only for a #rgb/#rrggbb colour.
 * - A cart it cannot read (not an object, a money format the browser
 *   refuses) paints nothing: the widget shows the cart as it always did. A
 *   missing field paints as the widget shows it (blank, quantity 0).
 * - The server's answer is kept as the widget will keep it, before it is
 *   painted, so the widget starts on the same cart; an empty cart removes
 *   the paint.
 * The facts it repeats (the kept cart's key and digest, the threshold of a
 * stock notice, the quantity limit) are checked against the widget's by a
 * native test (`src/prefetch.rs`).
 */
function paintSource() {
  return `  var paint = function (element, dialect, cart) {
    try {
      var v2 = dialect !== "v1", lines = cart.lineItems || [], count = 0;
      // The server's cart is empty: the kept one goes.
      if (!taken && painted && !lines.length) painted.remove(), painted = null;
      if (taken || (element.shadowRoot && !painted) || !lines.length || /^drawer$/i.test(attribute(element, "data-mode"))) return;
      var make = function (parent, tag, name, text) {
        var node = parent.appendChild(document.createElement(tag));
        if (name) node.className = "cw-" + name;
        if (text != null) node.textContent = text;
        return node;
      };
      // As the widget reads them (\`as_str\`, \`as_u32\`): a string, a whole number.
      var words = function (text) {
        return [(text = text || {}).translated, text.original, ""].find(function (word) { return typeof word == "string"; });
      };
      var whole = function (number, otherwise) { return /^\\d+$/.test(number) ? +number : otherwise; };
      var customer = cart.customerInfo || {};
      var currency = (cart.businessInfo || {}).currencyCode || customer.currencyCode || "";
      var format = /^[a-z]{3}$/i.test(currency) && Intl.NumberFormat(attribute(element, "data-locale") || customer.languageCode || undefined, { style: "currency", currency: currency });
      var amount = function (price) { return price && price.amount != null ? String(price.amount) : ""; };
      var money = function (price) {
        return v2 ? (format && amount(price) ? format.format(amount(price)) : amount(price)) : (price && price.formattedAmount) || "";
      };
      var shown = document.createElement("div");
      shown.className = "cw-root cw-paint";
      shown.hidden = shown.inert = true;
      var section = make(shown, "section", "");
      section.className = "cw";
      section.ariaBusy = "true";
      var header = make(section, "header", "header");
      make(header, "h2", "title", "\\u00a0");
      var counted = make(header, "span", "count"), list = make(section, "ul", "lines");
      lines.forEach(function (line) {
        var info = (v2 ? line.quantityInfo : line.availability) || {}, held = (v2 ? line.attributes : line) || {};
        var pricing = (v2 ? line.pricing : line) || {}, price = v2 ? pricing.unitPrice : line.price;
        var full = v2 ? (pricing.breakdown || {}).fullPrice : line.fullPrice, status = (v2 ? line.status : info.status) || "";
        var quantity = whole(v2 ? info.confirmedQuantity : line.quantity, 0), left = whole(v2 ? info.availableQuantity : info.quantityAvailable, null);
        var url = String((held.image || {}).url || "").trim();
        count += quantity;
        var row = make(list, "li", "line"), media = make(row, "div", "line-media"), body = make(row, "div", "line-body");
        if (/^https?:\\/\\/(?!\\/\\/)[^\\s\\x00-\\x1f\\x7f-\\x9f]+$/i.test(url)) {
          var image = make(media, "img", "line-image");
          image.loading = "lazy";
          image.src = url;
        }
        make(body, "p", "line-name", words(v2 ? line.name : line.productName));
        var options = make(body, "ul", "line-options");
        (held.descriptionLines || []).forEach(function (option) {
          var color = option.colorInfo, item = make(options, "li");
          if (color && /^#([0-9a-f]{3}){1,2}$/i.test(color.code)) make(item, "span", "swatch").style.backgroundColor = color.code;
          item.append(words(option.name) + ": " + words(color || option.plainText));
        });
        var unit = make(body, "p", "line-unit");
        make(unit, "span", "", money(price));
        unit.append(" ");
        if (+amount(full) > +amount(price)) make(unit, "s", "line-full-price", money(full));
        // NOT_AVAILABLE, NOT_FOUND; V2's OUT_OF_STOCK, REMOVED_FROM_CATALOG.
        make(body, "p", "line-availability", /NOT_|OUT|REM/.test(status) || left <= 5 ? "\\u00a0" : "");
        var actions = make(body, "div", "line-actions"), stepper = make(actions, "div", "stepper");
        make(stepper, "button", "step", "\\u2212").disabled = quantity <= 1;
        make(stepper, "input", "quantity").value = quantity;
        make(stepper, "button", "step", "+").disabled = quantity >= Math.min(Math.max(left == null ? 100000 : left, 1), 100000);
        make(actions, "button", "remove", "\\u00a0");
        make(row, "p", "line-total", money(v2 ? pricing.totalPrice : line.lineItemPrice));
      });
      counted.textContent = count;
      // Again, with the server's answer after the kept cart: in its place.
      if (painted) return painted.replaceWith(shown), painted = shown;
      var sheet = link.cloneNode();
      shadow = element.attachShadow({ mode: "open" });
      sheet.rel = "stylesheet";
      sheet.media = "all";
      shadow.append(sheet, shown);
      painted = shown;
      element.attachShadow = function () {
        delete element.attachShadow;
        taken = true;
        new MutationObserver(function (changes, watching) {
          if (shadow.querySelectorAll(".cw").length > 1 && !shadow.querySelector(".cw-skeleton")) {
            if (painted) painted.remove();
            watching.disconnect();
          }
        }).observe(shadow, { childList: true, subtree: true });
        return shadow;
      };
    } catch (error) {}
  };`;
}

/**
 * The loader's head start on the cart (`src/prefetch.rs` has the rules): the
 * request the widget's first load would make, started at once, in parallel
 * with the wasm, as the widget would make it: the first mount element's API
 * base, client id and dialect, the access token the widget stored (none, or
 * one within a minute of expiry: no request, the widget decides), the same
 * 15 s limit. Its `fetch` promise waits on `window.cartWidgetPrefetch`
 * (a failure is the widget's to see, not an unhandled rejection). Runs when the
 * script does if the element is already parsed, else once the document is.
 * The facts it repeats are checked against the widget's by a native test
 * (`src/prefetch.rs`).
 */
function prefetchSource() {
  return `  var prefetch = function (element, dialect) {
    var base = attribute(element, "data-api-base").replace(/\\/+$/, "") || location.origin;
    var client = attribute(element, "data-client-id") || "cart-widget";
    var url = base + (dialect === "v1" ? "/ecom/v1/carts/current" : "/ecom/v2/carts/current");
    var tokens = null, key = "cart-widget:cart:" + client + "@" + url, head, answer;
    try {
      tokens = JSON.parse(localStorage.getItem("cart-widget:tokens:" + client + "@" + base));
      // The request first: painting the kept cart below can take a while
      // (in V2 it makes the page's first Intl object).
      answer = tokens.expiresAtMs > Date.now() + 60000 &&
        fetch(url, { headers: { Authorization: tokens.accessToken }, signal: AbortSignal.timeout && AbortSignal.timeout(15000) });
      // The cart the widget kept for this visitor (src/snapshot.rs: the
      // FNV-1a digest of their refresh token, a line break, the cart). The
      // digest is of UTF-16 units where the widget's is of UTF-8 bytes: for
      // a token that is not ASCII they differ, and nothing is painted.
      for (var hash = 0xcbf29ce484222325n, i = 0; i < tokens.refreshToken.length; i++)
        hash = BigInt.asUintN(64, (hash ^ BigInt(tokens.refreshToken.charCodeAt(i))) * 0x100000001b3n);
      var kept = localStorage.getItem(key);
      head = hash + "\\n";
      if (!kept.indexOf(head)) paint(element, dialect, JSON.parse(kept.slice(head.length)));
    } catch (error) {}
    if (!answer) return;
    // The first Intl.NumberFormat of a page loads the browser's number data
    // (15-30 ms on a cold page, docs/page-load.md): made while the cart is
    // on its way, in the task that sent its request (a task of its own
    // often ran only as the answer came), rather than when V2's first price
    // is written; v1's prices come written. It holds the page's parser for
    // that while, as it would have later. With a kept cart painted, the
    // paint has made one already and this one is quick.
    if (dialect != "v1") try { Intl.NumberFormat(attribute(element, "data-locale") || undefined, { style: "currency", currency: "USD" }); } catch (error) {}
    answer.then(function (response) {
      var first = !painted, repainting = response.status === 200 && !taken && response.clone().json().then(function (body) {
        // Kept now, as the widget will keep it: the cart the widget shows at
        // its start is then this one, not the older one painted before.
        try {
          var text = head + JSON.stringify(body.cart);
          if (head && body.cart && text.length <= 64000) localStorage.setItem(key, text);
        } catch (error) {}
        paint(element, dialect, body.cart);
        // A first paint: the widget starts once it is on screen, a frame
        // later (its start takes the main thread for a while). A kept cart
        // already on screen does not hold the widget back.
        return first && painted && new Promise(function (done) {
          requestAnimationFrame(function () { setTimeout(done); });
        });
      }).catch(function () {});
      if (first) painting = repainting;
    }, function () {});
    window.cartWidgetPrefetch = { url: url, token: tokens.accessToken, answer: answer };
  };`;
}

/** The stylesheet, minified by lightningcss (Trunk copies it as written). */
export function minifyCss(css) {
  return Buffer.from(lightningcss({ filename: "widget.css", code: Buffer.from(css), minify: true }).code);
}

/**
 * JavaScript minified by terser: the glue (`module: true`, an ES module whose
 * exports stay) or the loader (a classic script). Its `/*!` comment stays.
 */
export async function minifyJs(source, { module }) {
  // ASCII only: a classic script is read in the page's own encoding when
  // served without a charset (the loader's no-break spaces and minus sign).
  const { code } = await terser(source, { module, ecma: 2020, compress: { passes: 2 }, format: { ascii_only: true } });
  return code;
}

/**
 * Stops the build when the glue exports a class. The loader imports nothing
 * from the glue but its `default` (the init function), so an exported class
 * is never used, yet its wasm exports keep its code in the wasm, and with it
 * what that code reaches through the function table, which no tool after the
 * link can tell apart from live code: wasm-streams' three classes (Leptos
 * links it through server_fn) cost 3.9 KB brotli so, until the workspace put
 * `crates/wasm-streams-stub` in its place (docs/wasm-size.md).
 */
export function assertNoExportedClasses(js) {
  const program = parseJs(js, { ecmaVersion: "latest", sourceType: "module" });
  const classes = program.body
    .filter((node) => node.type === "ExportNamedDeclaration" && node.declaration?.type === "ClassDeclaration")
    .map((node) => node.declaration.id.name);
  if (classes.length > 0) {
    throw new Error(
      `the JS glue exports ${classes.join(", ")}: a dependency exports Rust types to JS (#[wasm_bindgen]), ` +
        "and their code stays in the wasm though nothing calls it (see crates/wasm-streams-stub/src/lib.rs)",
    );
  }
}

/**
 * Gives the wasm's imports and exports short names (`a`, `b`, … `ab`, …), in
 * the wasm and in its glue alike; nothing else in either file changes.
 * wasm-bindgen names each import after its Rust item plus a hash (156 of
 * them) and each exported closure shim after its symbol hash: about 4.5 KB
 * brotli between the two files. In the glue an import is its key in the
 * import object (each old name must occur exactly once), an export is read
 * as `wasm.<name>`; anything else stops the build rather than guess.
 */
export function shortenNames(wasm, js) {
  const imports = readEntries(wasm, IMPORT_SECTION);
  const exports = readEntries(wasm, EXPORT_SECTION);
  const word = (name) => {
    if (!/^[\w$]+$/.test(name)) throw new Error(`wasm name ${JSON.stringify(name)} is not a JS identifier: cannot rename it`);
    return name.replace(/\$/g, "\\$");
  };
  if (/\bwasm\s*\[/.test(js)) throw new Error("the glue reads a wasm export by a computed name: cannot rename exports");
  let glue = js;
  let next = 0;
  for (const item of imports) {
    if (item.kind !== 0) throw new Error(`wasm import ${item.module}.${item.name} is not a function: the renaming does not know it`);
    const pattern = new RegExp(`(?<![\\w$.])${word(item.name)}(?![\\w$])`, "g");
    const found = glue.match(pattern)?.length ?? 0;
    if (found !== 1) throw new Error(`the wasm import ${item.name} occurs ${found} times in the glue, not once: cannot rename it`);
    item.name = shortName(next++);
    glue = glue.replace(pattern, item.name);
  }
  for (const item of exports) {
    if (item.name === "memory") continue; // short already, and the usual name for it
    const pattern = new RegExp(`\\bwasm\\.${word(item.name)}(?![\\w$])`, "g");
    item.name = shortName(next++);
    glue = glue.replace(pattern, `wasm.${item.name}`);
  }
  return { wasm: writeEntries(writeEntries(wasm, IMPORT_SECTION, imports), EXPORT_SECTION, exports), js: glue };
}

/** `a`…`z`, `A`…`Z`, then `ab`, `bb`, …: identifiers, and never a JS keyword. */
function shortName(index) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = letters[index % letters.length];
  for (let rest = Math.floor(index / letters.length); rest > 0; rest = Math.floor(rest / letters.length)) {
    name += letters[rest % letters.length];
  }
  return name;
}

// The wasm binary format, only as far as the import (id 2) and export (id 7)
// sections: https://webassembly.github.io/spec/core/binary/modules.html
const IMPORT_SECTION = 2;
const EXPORT_SECTION = 7;

function readU32(bytes, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [value, at];
  }
}

function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

function section(wasm, id) {
  if (wasm.readUInt32BE(0) !== 0x0061736d) throw new Error("not a wasm module");
  for (let at = 8; at < wasm.length; ) {
    const [size, start] = readU32(wasm, at + 1);
    if (wasm[at] === id) return { at, start, end: start + size };
    at = start + size;
  }
  return undefined;
}

/**
 * The entries of the import or export section: the import's module, the
 * name, the kind, and the bytes that follow (kept as they are). An export's
 * index and a function import's type index are one number; other imports
 * are not read (their kind stops `shortenNames`).
 */
function readEntries(wasm, id) {
  const found = section(wasm, id);
  if (!found) return [];
  const text = (at) => {
    const [length, start] = readU32(wasm, at);
    return [wasm.toString("utf8", start, start + length), start + length];
  };
  let [count, at] = readU32(wasm, found.start);
  const entries = [];
  while (count--) {
    let module;
    if (id === IMPORT_SECTION) [module, at] = text(at);
    const [name, afterName] = text(at);
    const kind = wasm[afterName];
    const numbered = id === EXPORT_SECTION || kind === 0;
    const [, end] = numbered ? readU32(wasm, afterName + 1) : [0, afterName + 1];
    entries.push({ module, name, kind, rest: wasm.subarray(afterName + 1, end) });
    at = end;
  }
  if (at !== found.end) throw new Error(`wasm section ${id} did not read to its end`);
  return entries;
}

/** The module with its import or export section written from `entries`. */
function writeEntries(wasm, id, entries) {
  const found = section(wasm, id);
  if (!found) return wasm;
  const text = (value) => {
    const bytes = Buffer.from(value, "utf8");
    return [u32(bytes.length), bytes];
  };
  const contents = Buffer.concat([
    u32(entries.length),
    ...entries.flatMap((item) => [
      ...(id === IMPORT_SECTION ? text(item.module) : []),
      ...text(item.name),
      Buffer.from([item.kind]),
      item.rest,
    ]),
  ]);
  return Buffer.concat([wasm.subarray(0, found.at), Buffer.from([id]), u32(contents.length), contents, wasm.subarray(found.end)]);
}

/** The bundles already in `<dist>/cdn/`, as `buildCdn` returns them, read back from their files. */
export async function readCdn(dist = "dist") {
  const dir = join(dist, "cdn");
  const names = (await readdir(dir)).filter((name) => !/\.(br|gz)$/.test(name));
  const role = (name) => {
    if (name === LOADER) return "loader";
    const kind = { js: "JS glue", wasm: "wasm", css: "CSS" }[name.split(".").pop()];
    return name.startsWith(V1_PREFIX) ? `${kind}, v1` : kind;
  };
  const order = ["loader", "JS glue", "wasm", "CSS", "JS glue, v1", "wasm, v1"];
  const files = [];
  for (const name of names) {
    const size = async (file) => (await readFile(join(dir, file))).length;
    files.push({ role: role(name), name, raw: await size(name), gzip: await size(`${name}.gz`), brotli: await size(`${name}.br`) });
  }
  files.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  if (files.map((f) => f.role).join() !== order.join()) {
    throw new Error(`${dir} does not hold one loader, stylesheet, and glue and wasm for each dialect (${names.join(", ")}): run \`cargo xtask dist\` first`);
  }
  return bundles(dir, files);
}

/**
 * The size tables: raw / gzip / brotli per file and in total, the default
 * bundle's against the budget, then the v1 bundle's (not held to it: only
 * pages asking for v1 download it, until Wix removes v1 on 2027-02-01).
 */
export function sizeTable({ files, total, v1 }) {
  const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
  const table = (files, total) => {
    const rows = [
      ["file", "role", "raw", "gzip", "brotli"],
      ...files.map((f) => [f.name, f.role, kb(f.raw), kb(f.gzip), kb(f.brotli)]),
      ["total", "", kb(total.raw), kb(total.gzip), kb(total.brotli)],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    const line = (row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
    return [line(rows[0]), ...rows.slice(1, -1).map(line), widths.map((w) => "-".repeat(w)).join("  "), line(rows.at(-1))];
  };
  const over = total.brotli - BUDGET_BYTES;
  const verdict = over > 0 ? `OVER by ${kb(over)}` : `within, ${kb(-over)} to spare`;
  return [
    "the default bundle (Cart V2):",
    ...table(files, total),
    `transfer (brotli) ${kb(total.brotli)} of the ${kb(BUDGET_BYTES)} budget: ${verdict}; held at ${(enforced() / 1000).toFixed(2)} KB (the size reached, CEILING_BYTES); the aim is ${kb(AIM_BYTES)} (1 KB = 1000 bytes)`,
    "",
    'the v1 bundle (pages with data-cart-api="v1"; reported, not held to the budget):',
    ...table(v1.files, v1.total),
  ].join("\n");
}

/** What the test enforces: the ceiling, and never more than the budget. */
function enforced() {
  return Math.min(CEILING_BYTES, BUDGET_BYTES);
}

/** Whether the default bundle is within what the test enforces. */
export function withinBudget({ total }) {
  return total.brotli <= enforced();
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? "")).href) {
  const args = process.argv.slice(2);
  if (args[0] === "--budget") {
    const result = await readCdn(args[1] ?? "dist");
    console.log(sizeTable(result));
    if (!withinBudget(result)) {
      console.log(
        result.total.brotli > BUDGET_BYTES
          ? `the CDN bundle is over its ${BUDGET_BYTES / 1000} KB budget: docs/wasm-size.md lists what was cut and what each part costs`
          : `the CDN bundle grew past the ${CEILING_BYTES} bytes it had reached (CEILING_BYTES; the budget is ${BUDGET_BYTES / 1000} KB): ` +
              "cut what the change added, or raise the ceiling by what it measured, with a row in docs/wasm-size.md",
      );
      process.exitCode = 1;
    }
  } else {
    const result = await buildCdn(args[0] ?? "dist", args[1] ?? V1_DIST);
    console.log(`CDN bundle in ${result.dir}/ (hashed files: Cache-Control: public, max-age=31536000, immutable; ${LOADER}: max-age=300)\n`);
    console.log(sizeTable(result));
  }
}
