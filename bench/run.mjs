// The benchmarks, in one run: `cargo xtask bench` builds what they need and
// runs `node bench/run.mjs --write BENCHMARKS.md`. Everything is real: the
// CDN build of the widget (dist/cdn) loaded through its loader in Debian's
// Chromium, the reference server in its release build on loopback with a
// fresh SQLite database, and wrk against it.
//
// Environment: CART_SERVER_BIN (default target/server-release/cart-server),
// CART_DIST_DIR (default dist), CHROMIUM_PATH, BENCH_API (v2, the default, or
// v1: the API dialect both the widget and the floor speak), BENCH_LOADS (page
// loads per page and cache state, default 25). Flags: --write FILE;
// --only PARTS runs only those parts (comma-separated: requests, clicks,
// load, server, webhooks, postgres) and prints their rows, e.g. `--only load`
// while working on the page load (the server's parts need no browser).
// Looking into the page load: BENCH_DEBUG=1 prints each load's timeline
// (resource requests and answers, DOMContentLoaded, long tasks, when the
// lines reach the DOM and when they are painted, in ms from navigation);
// BENCH_PROFILE=/tmp/p writes a CPU profile of each cold widget load to
// /tmp/p-N.cpuprofile (open it in Chromium's DevTools; function names need
// a wasm built with them: docs/page-load.md says how).
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXAMPLE_ORIGINS, startStaticServer } from "../examples/csp-host/serve.mjs";
import { launchBrowser } from "../tests/e2e/harness.mjs";
import { STORES_APP_ID as APP_ID, product } from "../tests/support/demo-catalog.mjs";
import { startServer } from "../tests/support/server.mjs";
import { BUDGET_BYTES, LOADER } from "../xtask/dist.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const SERVER_BIN = process.env.CART_SERVER_BIN ?? "target/server-release/cart-server";
const DIST = process.env.CART_DIST_DIR ?? "dist";
const API = /^v1$/i.test(process.env.BENCH_API ?? "") ? "v1" : "v2";
const flag = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : null);
const WRITE = flag("--write");
const PARTS = ["requests", "clicks", "load", "server", "webhooks", "postgres"];
const ONLY = flag("--only")?.split(",") ?? PARTS;
if (ONLY.some((part) => !PARTS.includes(part))) throw new Error(`--only takes some of ${PARTS.join(", ")}`);
if (WRITE && ONLY.length < PARTS.length) throw new Error("--write needs every part: drop --only");

const CLIENT_ID = "cart-bench";
const PRODUCTS = {
  ebook: product("seasonal-recipes-e-book").id, // no stock limit, no options
  mug: product("stoneware-mug").id,
  candle: product("beeswax-candle").id,
};
const CLICKS = 120; // click → paint samples, per page
const CLICK_ROUNDS = 12; // the clicks go in rounds, widget and floor alternating
const LOADS = Number(process.env.BENCH_LOADS ?? 25); // page loads per page and cache state
if (!(Number.isInteger(LOADS) && LOADS > 0)) throw new Error(`BENCH_LOADS must be a whole number above 0, not ${process.env.BENCH_LOADS}`);
const GAP_MS = 60; // between the clicks of a burst: a fast shopper
const WRK = { threads: 1, connections: 32, seconds: 10, maxRequests: 2_000_000, visitors: 64 };
// 5h: each of WRK's connections waits paceMs after each answer: about
// perSecond requests a second while answers take about a millisecond.
const PACED_WRK = { perSecond: 1000, paceMs: 31 };
const SOAK_WINDOWS = 12; // 5i: windows of WRK.seconds each

// Each run mints its visitors' tokens from loopback before it measures:
// more than the default per-client limit on minting, which is not measured.
const UNLIMITED_MINTING = ["--token-mints-per-minute", "0"];

const ms = (value) => `${value.toFixed(1)} ms`;
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const median = (values) => quantile(values, 0.5);
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const step = (text) => console.error(`bench: ${text}`);

// ---------------------------------------------------------------- machine

function describeMachine() {
  const read = (path) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return "";
    }
  };
  const version = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n")[0].trim();
    } catch (error) {
      return (error.stdout ?? "").split("\n")[0].trim() || "unknown";
    }
  };
  const os = read("/etc/os-release").match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? "unknown";
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os}, Linux ${release()}`,
    node: process.version,
    rustc: version("rustc", ["--version"]),
    wrk: version("wrk", ["--version"]).replace(/ Copyright.*/, ""),
    load: loadavg().map((l) => l.toFixed(2)).join(" "),
  };
}

/** The machine's CPU counters from /proc/stat (jiffies; steal = time the hypervisor gave to other guests). */
function cpuTimes() {
  const fields = (readFileSync("/proc/stat", "utf8").match(/^cpu\s+(.*)$/m)?.[1] ?? "").trim().split(/\s+/).map(Number);
  return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
}

/** Share of the run's CPU time the hypervisor took away, in percent: on a shared VM it slows every figure. */
function stealPercent(start, end) {
  const total = end.total - start.total;
  return total > 0 ? (100 * (end.steal - start.steal)) / total : 0;
}

// ---------------------------------------------------------------- sizes

async function measureSizes(dir) {
  const names = await readdir(dir);
  const loader = await readFile(join(dir, LOADER), "utf8");
  const named = [...loader.matchAll(/"(cart-widget-[0-9a-f]{16}\.(js|wasm|css))"/g)].map((m) => m[1]);
  const files = [];
  for (const name of [LOADER, ...named]) {
    if (!names.includes(`${name}.br`)) throw new Error(`${dir}/${name}.br is missing: run cargo xtask dist`);
    const size = async (file) => (await stat(join(dir, file))).size;
    files.push({ name, raw: await size(name), gzip: await size(`${name}.gz`), brotli: await size(`${name}.br`) });
  }
  const sum = (key) => files.reduce((total, file) => total + file[key], 0);
  return { files, raw: sum("raw"), gzip: sum("gzip"), brotli: sum("brotli") };
}

// ---------------------------------------------------------------- server

/** A new visitor (as the widget would store it) with `items` in the cart. */
async function newVisitor(api, items) {
  const call = async (path, token, body) => {
    const response = await fetch(`${api}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { ...(token ? { Authorization: token } : {}), "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  const tokens = await call("/oauth2/token", null, { clientId: CLIENT_ID, grantType: "anonymous" });
  const token = tokens.access_token;
  for (const id of items) {
    await call("/ecom/v1/carts/current/add-to-cart", token, {
      lineItems: [{ catalogReference: { catalogItemId: id, appId: APP_ID }, quantity: 1 }],
    });
  }
  const { cart } = await call("/ecom/v1/carts/current", token);
  const stored = { accessToken: token, refreshToken: tokens.refresh_token, expiresAtMs: Date.now() + tokens.expires_in * 1000 };
  return { token, cart, storage: { name: `cart-widget:tokens:${CLIENT_ID}@${api}`, value: JSON.stringify(stored) } };
}

// ---------------------------------------------------------------- browser

/** The storage of a page where the visitor's token is stored, as `storedContext` takes it. */
function visitorStorage(pagesOrigin, visitor) {
  return [{ origin: pagesOrigin, localStorage: [visitor.storage] }];
}

/**
 * A fresh browser context (empty cache) holding `origins`' storage (as
 * Playwright's `storageState` lists it); its pages' errors are collected.
 */
async function storedContext(browser, origins) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, storageState: { cookies: [], origins } });
  const problems = [];
  context.on("weberror", (error) => problems.push(error.error().message));
  return { context, problems };
}

/** Opens the widget page (or the floor's) and waits for its `lines` lines; logs API requests. */
async function openWidget(env, visitor, lines, which = "widget") {
  const { context, problems } = await storedContext(env.browser, visitorStorage(env.pages.origin, visitor));
  const page = await context.newPage();
  const log = { requests: [], inFlight: 0, last: Date.now() };
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (process.env.BENCH_DEBUG) console.error("request", request.method(), request.url());
    if (url.origin !== env.api.origin) return;
    log.requests.push({ method: request.method(), path: url.pathname, body: request.postData() });
    log.inFlight++;
    log.last = Date.now();
  });
  for (const event of ["requestfinished", "requestfailed"]) {
    page.on(event, (request) => {
      if (new URL(request.url()).origin !== env.api.origin) return;
      log.inFlight--;
      log.last = Date.now();
    });
  }
  await page.goto(`${env.pages.url}${which}/`);
  await page.locator(`[data-cart-widget] [data-testid="line-name"] >> nth=${lines - 1}`).waitFor();
  await settle(log);
  log.requests.length = 0;
  return { page, context, log, problems };
}

/**
 * Waits until no API request has been in flight for 2.5 s (longer than the
 * queue's 2 s cap), counting from now at the earliest: changes just made may
 * not have sent anything yet.
 */
async function settle(log) {
  log.last = Math.max(log.last, Date.now());
  const deadline = Date.now() + 30_000;
  while (log.inFlight > 0 || Date.now() - log.last < 2_500) {
    if (Date.now() > deadline) throw new Error("the widget's requests did not settle in 30 s");
    await sleep(100);
  }
}

function countRequests(log) {
  // A quantity change in either dialect (V2, the default: `update-line-items`).
  const updates = log.requests.filter((r) => /\/update-line-items(-quantity)?$/.test(r.path));
  return {
    updates: updates.length,
    linesPerUpdate: updates.map((r) => JSON.parse(r.body).lineItems.length),
    all: log.requests.length,
    kinds: [...new Set(log.requests.map((r) => `${r.method} ${r.path.replace(/\/ecom\/v[12]\/carts\/current/, "") || "/current"}`))],
  };
}

async function measureRequests(env) {
  step("requests: a burst of 10 + clicks on one line");
  const burst = await openWidget(env, await newVisitor(env.api.origin, [PRODUCTS.ebook]), 1);
  await burst.page.evaluate(async ({ gap }) => {
    const plus = document.querySelector("[data-cart-widget]").shadowRoot.querySelector('[data-testid="increase"]');
    for (let i = 0; i < 10; i++) {
      plus.click();
      await new Promise((ok) => setTimeout(ok, gap));
    }
  }, { gap: GAP_MS });
  await settle(burst.log);
  const quantity = await burst.page.locator('[data-cart-widget] [data-testid="line-quantity"]').inputValue();
  if (quantity !== "11") throw new Error(`after 10 clicks the quantity is ${quantity}, not 11`);
  const one = countRequests(burst.log);
  await burst.context.close();

  step("requests: 3 lines changed within the coalescing window");
  const three = await openWidget(env, await newVisitor(env.api.origin, [PRODUCTS.mug, PRODUCTS.ebook, PRODUCTS.candle]), 3);
  await three.page.evaluate(async ({ gap }) => {
    for (const plus of document.querySelector("[data-cart-widget]").shadowRoot.querySelectorAll('[data-testid="increase"]')) {
      plus.click();
      await new Promise((ok) => setTimeout(ok, gap));
    }
  }, { gap: GAP_MS });
  await settle(three.log);
  const values = await three.page.locator('[data-cart-widget] [data-testid="line-quantity"]').evaluateAll((inputs) => inputs.map((i) => i.value));
  if (values.join() !== "2,2,2") throw new Error(`after the changes the quantities are ${values}, not 2,2,2`);
  const lines = countRequests(three.log);
  await three.context.close();
  return { one, lines, problems: [...burst.problems, ...three.problems] };
}

/**
 * Clicks "+" `count` times in the page and returns each click → paint time.
 * Each click lands at a random point within a frame, like a real click; the
 * time ends with the first frame whose rAF callback sees the new quantity
 * (rAF runs just before that frame's style, layout and paint, and a message
 * posted from it is handled once the frame is done).
 */
function clickSeries(page, count) {
  return page.evaluate(async (count) => {
    const query = (testid) => document.querySelector("[data-cart-widget]").shadowRoot.querySelector(`[data-testid="${testid}"]`);
    const paintedWhen = (changed) =>
      new Promise((ok) => {
        const check = () => {
          if (!changed()) return requestAnimationFrame(check);
          const channel = new MessageChannel();
          channel.port1.onmessage = () => ok(performance.now());
          channel.port2.postMessage(null);
        };
        requestAnimationFrame(check);
      });
    const times = [];
    for (let i = 0; i < count; i++) {
      await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, Math.random() * 16)));
      const before = query("line-quantity").value;
      const clicked = performance.now();
      query("increase").click();
      const painted = await paintedWhen(() => query("line-quantity").value !== before);
      times.push(painted - clicked);
    }
    return times;
  }, count);
}

/**
 * The widget's stepper against the floor's (`bench/floor/`, the same
 * stepper by hand), each in its own page with its own visitor: the clicks
 * go in rounds, alternating which page goes first, so both see the same
 * machine.
 */
async function measureClickToPaint(env) {
  step(`click → paint: ${CLICKS} + clicks each on the widget and the floor, interleaved`);
  const pages = {
    widget: await openWidget(env, await newVisitor(env.api.origin, [PRODUCTS.ebook]), 1),
    floor: await openWidget(env, await newVisitor(env.api.origin, [PRODUCTS.ebook]), 1, "floor"),
  };
  const samples = { widget: [], floor: [] };
  for (let round = 0; round < CLICK_ROUNDS; round++) {
    const order = round % 2 === 0 ? ["widget", "floor"] : ["floor", "widget"];
    for (const which of order) {
      await pages[which].page.bringToFront();
      samples[which].push(...(await clickSeries(pages[which].page, CLICKS / CLICK_ROUNDS)));
    }
  }
  for (const [which, opened] of Object.entries(pages)) {
    await settle(opened.log);
    const quantity = await opened.page.locator('[data-cart-widget] [data-testid="line-quantity"]').inputValue();
    if (quantity !== String(CLICKS + 1)) throw new Error(`${which}: after ${CLICKS} clicks the quantity is ${quantity}`);
  }
  // The display's frame interval, for comparison: what "the next frame" costs.
  const frame = await pages.widget.page.evaluate(async () => {
    const stamps = [];
    await new Promise((ok) => {
      const tick = (t) => (stamps.push(t) < 61 ? requestAnimationFrame(tick) : ok());
      requestAnimationFrame(tick);
    });
    return (stamps.at(-1) - stamps[0]) / (stamps.length - 1);
  });
  for (const opened of Object.values(pages)) await opened.context.close();
  const stats = (values) => ({ samples: values, p50: quantile(values, 0.5), p95: quantile(values, 0.95) });
  return {
    ...stats(samples.widget),
    floor: stats(samples.floor),
    frame,
    problems: [...pages.widget.problems, ...pages.floor.problems],
  };
}

/**
 * Records, in every page of the context, when the cart's lines are painted
 * (`cartVisibleAt`) and when the cart painted is the server's
 * (`cartConfirmedAt`): the widget marks itself busy while it shows the
 * snapshot it stored on an earlier visit; the floor never shows one.
 * "Painted" means rendered, not only in the DOM: each frame (from the first)
 * checks that every line name is there and `checkVisibility()` (a widget's
 * mount point stays hidden until its stylesheet applies, which no DOM
 * mutation announces), and the time is taken after that frame's paint.
 * With `debug` (BENCH_DEBUG) it also marks when the lines reach the DOM
 * (watched in each shadow root as it is attached, which a document's
 * observer does not see into) and each long task, for the timeline; without,
 * the measured page runs nothing more than that per-frame check.
 */
function markCartVisible({ lines, debug }) {
  const root = () => document.querySelector("[data-cart-widget]")?.shadowRoot;
  // By class: the floor, the widget and the loader's painted cart all draw them so.
  const lineNames = () => [...(root()?.querySelectorAll(".cw-line-name") ?? [])];
  const inDom = (names) => names.length >= lines && names.every((name) => name.textContent.trim() !== "");
  const afterThisFrame = (name) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => (window[name] = performance.now());
    channel.port2.postMessage(null);
  };
  let visible = false;
  const frame = () => {
    const names = lineNames();
    const painted = inDom(names) && names.every((name) => name.checkVisibility());
    if (painted && !visible) {
      visible = true;
      afterThisFrame("cartVisibleAt");
    }
    // Confirmed: painted, and the server's cart (the widget not busy).
    if (painted && !root()?.querySelector('.cw[aria-busy="true"]')) return afterThisFrame("cartConfirmedAt");
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  if (!debug) return;
  let seen = false;
  const observer = new MutationObserver(() => {
    if (!seen && inDom(lineNames())) {
      seen = true;
      // Whose lines: the loader's painted cart (xtask/dist.mjs) or the widget's.
      performance.mark(root()?.querySelector(".cw-paint") ? "lines-in-dom (painted)" : "lines-in-dom");
      observer.disconnect();
    }
  });
  const options = { childList: true, subtree: true, characterData: true };
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const shadowRoot = attachShadow.call(this, init);
    observer.observe(shadowRoot, options);
    return shadowRoot;
  };
  observer.observe(document, options);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) performance.mark(`longtask ${Math.round(entry.duration)}ms from`, { startTime: entry.startTime });
  }).observe({ type: "longtask", buffered: true });
}

async function measurePageLoad(env) {
  step(`page load → cart visible: ${LOADS} cold, ${LOADS} warm and ${LOADS} returning loads each of the widget and the floor`);
  const visitor = await newVisitor(env.api.origin, [PRODUCTS.mug, PRODUCTS.ebook, PRODUCTS.candle]);
  const lines = visitor.cart.lineItems.length;
  const results = {
    widget: { cold: [], warm: [], warmConfirmed: [], returning: [] },
    floor: { cold: [], warm: [], warmConfirmed: [], returning: [] },
  };
  const problems = [];
  const shown = {};
  /** A context as `storedContext` makes it, whose pages mark when the cart is visible. */
  const watchedContext = async (origins) => {
    const opened = await storedContext(env.browser, origins);
    await opened.context.addInitScript(markCartVisible, { lines, debug: Boolean(process.env.BENCH_DEBUG) });
    return opened;
  };
  const timeLoad = async (page, url) => {
    await page.goto(url);
    await page.waitForFunction(() => window.cartConfirmedAt !== undefined, null, { timeout: 15_000 });
    if (process.env.BENCH_DEBUG) {
      const timeline = await page.evaluate(() => [
        ...performance.getEntriesByType("resource").map((e) => [e.name.replace(/^.*\//, "").slice(0, 28), Math.round(e.startTime), Math.round(e.responseEnd)]),
        ["DOMContentLoaded", 0, Math.round(performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd)],
        ...performance.getEntriesByType("mark").map((e) => [e.name, 0, Math.round(e.startTime)]),
        ["visible", 0, Math.round(window.cartVisibleAt)],
        ["confirmed", 0, Math.round(window.cartConfirmedAt)],
      ]);
      console.error(url, timeline.map(([n, a, b]) => `${n} ${a}-${b}`).join(" | "));
    }
    return page.evaluate(() => [window.cartVisibleAt, window.cartConfirmedAt]);
  };
  for (let i = 0; i < LOADS; i++) {
    // Interleaved, and alternating which goes first, so both see the same machine.
    const order = i % 2 === 0 ? ["widget", "floor"] : ["floor", "widget"];
    for (const which of order) {
      const { context, problems: seen } = await watchedContext(visitorStorage(env.pages.origin, visitor));
      const page = await context.newPage();
      const url = `${env.pages.url}${which}/`;
      let cdp;
      if (process.env.BENCH_PROFILE && which === "widget") {
        cdp = await context.newCDPSession(page);
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
        await cdp.send("Profiler.start");
      }
      results[which].cold.push((await timeLoad(page, url))[0]);
      // What each shows once confirmed, the first time: the floor must show the same cart.
      shown[which] ??= await page.evaluate(() => {
        const root = document.querySelector("[data-cart-widget]").shadowRoot;
        const rows = [...root.querySelectorAll(".cw-line")].map((row) =>
          [".cw-line-name", ".cw-line-unit > span", ".cw-quantity", ".cw-line-total"].map((part) => {
            const node = row.querySelector(part);
            return node?.value ?? node?.textContent.trim();
          }),
        );
        return { count: root.querySelector(".cw-count")?.textContent.trim(), rows };
      });
      if (cdp) {
        const { profile } = await cdp.send("Profiler.stop");
        await writeFile(`${process.env.BENCH_PROFILE}-${i}.cpuprofile`, JSON.stringify(profile));
      }
      // Warm: the same visitor again, with the HTTP cache (and compiled wasm)
      // from the first load, and what the page stored then (the widget's snapshot).
      const [warm, warmConfirmed] = await timeLoad(page, url);
      results[which].warm.push(warm);
      results[which].warmConfirmed.push(warmConfirmed);
      problems.push(...seen);
      // Returning: what the page stored (tokens and the widget's snapshot),
      // with an empty HTTP cache, as after the cache was evicted.
      await page.goto("about:blank");
      const { origins } = await context.storageState();
      await context.close();
      const returning = await watchedContext(origins);
      results[which].returning.push((await timeLoad(await returning.context.newPage(), url))[0]);
      problems.push(...returning.problems);
      await returning.context.close();
    }
  }
  if (shown.widget.rows.length !== lines || JSON.stringify(shown.widget) !== JSON.stringify(shown.floor))
    problems.push(`the floor does not show the widget's cart: widget ${JSON.stringify(shown.widget)}, floor ${JSON.stringify(shown.floor)}`);
  return { results, problems };
}

// ---------------------------------------------------------------- server load

/** wrk's "Socket errors: connect 0, read 0, write 0, timeout 19" line as numbers (absent means none). */
function socketErrors(output) {
  const count = (kind) => Number(output.match(new RegExp(`Socket errors:.*\\b${kind} (\\d+)`))?.[1] ?? 0);
  return { connect: count("connect"), read: count("read"), write: count("write"), timeout: count("timeout") };
}

function wrkArgs(script, url, args, connections = WRK.connections, after = []) {
  return [
    `-t${WRK.threads}`, `-c${connections}`, `-d${WRK.seconds}s`, "--latency", "--timeout", "5s",
    "-s", join(HERE, "wrk", script), url, "--", ...args, String(WRK.maxRequests), ...after,
  ];
}

function runWrk(script, url, args, after = []) {
  return wrkResult(execFileSync("wrk", wrkArgs(script, url, args, WRK.connections, after), { encoding: "utf8" }));
}

/** wrk's output as numbers. */
function wrkResult(output) {
  const unit = { us: 0.001, ms: 1, s: 1000 };
  const p99 = output.match(/^\s+99%\s+([\d.]+)(us|ms|s)\s*$/m);
  const done = output.match(/(\d+) requests in ([\d.]+)(ms|s|m)/);
  const seconds = Number(done[2]) * { ms: 0.001, s: 1, m: 60 }[done[3]];
  return {
    perSecond: Number(output.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    p99: Number(p99[1]) * unit[p99[2]],
    requests: Number(done[1]),
    seconds,
    failed: Number(output.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    ...socketErrors(output),
    output,
  };
}

async function measureServer(env) {
  const idle = await env.api.memory();
  step(`server: GET current cart, wrk ${WRK.connections} connections, ${WRK.seconds} s or ${WRK.maxRequests} requests`);
  const reader = await newVisitor(env.api.origin, [PRODUCTS.mug, PRODUCTS.ebook, PRODUCTS.candle]);
  // The floor: the same server's HTTP stack answering /openapi.json (built
  // once, no database), before and after the GET run, averaged.
  const floorBefore = runWrk("get-path.lua", env.api.origin, ["/openapi.json"]);
  const get = runWrk("get-cart.lua", env.api.origin, [reader.token]);
  const floorAfter = runWrk("get-path.lua", env.api.origin, ["/openapi.json"]);
  const floor = { perSecond: (floorBefore.perSecond + floorAfter.perSecond) / 2 };

  step(`server: mixed mutations over ${WRK.visitors} visitors`);
  const file = await mixedVisitors(env.api.origin);
  const mixed = runWrk("mixed.lua", env.api.origin, [file]);
  step(`server: the same mutations paced at about ${PACED_WRK.perSecond} req/s`);
  const paced = runWrk("mixed-paced.lua", env.api.origin, [file], [String(PACED_WRK.paceMs)]);
  const memory = await env.api.memory();
  for (const [name, run] of Object.entries({ floorBefore, get, floorAfter, mixed, paced })) assertClean(name, run);

  // 5i: the paced load again, window after window on the same server and
  // carts: latency and memory should stay flat (a leak or a slowing store
  // shows as a rising curve).
  step(`server: soak, ${SOAK_WINDOWS} windows of ${WRK.seconds} s at about ${PACED_WRK.perSecond} req/s`);
  const soak = [];
  for (let i = 0; i < SOAK_WINDOWS; i++) {
    const run = runWrk("mixed-paced.lua", env.api.origin, [file], [String(PACED_WRK.paceMs)]);
    assertClean(`soak window ${i + 1}`, run);
    soak.push({ perSecond: run.perSecond, p99: run.p99, rss: (await env.api.memory()).rss });
  }
  await rm(file, { force: true });
  return { idle, floor, get, mixed, paced, memory, soak };
}

// ---------------------------------------------------------------- PostgreSQL

/** The visitors of a mixed run, written to a file for `mixed.lua`. */
async function mixedVisitors(origin) {
  // wrk ran synchronously just before, blocking this event loop: let it see
  // the kept-alive sockets the server closed meanwhile (idle past
  // --header-timeout-secs) before fetch picks one of them to reuse.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const lines = [];
  for (let i = 0; i < WRK.visitors; i++) {
    const visitor = await newVisitor(origin, [PRODUCTS.ebook]);
    lines.push(`${visitor.token} ${visitor.cart.lineItems[0].id}`);
  }
  const file = join(await mkdtemp(join(tmpdir(), "cart-bench-wrk-")), "visitors.txt");
  await writeFile(file, `${lines.join("\n")}\n`);
  return file;
}

/**
 * A refused request or a broken connection is a fault to fix; a slow answer
 * (past wrk's 5 s timeout) is a result, and the table reports it.
 */
function assertClean(name, run) {
  const broken = run.connect + run.read + run.write;
  if (run.failed > 0 || broken > 0) throw new Error(`wrk ${name}: ${run.failed} non-2xx, ${broken} socket errors\n${run.output}`);
}

/**
 * 5f and 5g: the mixed load of 5b on PostgreSQL (`CART_BENCH_POSTGRES`, a
 * cluster `cargo xtask bench` starts with fsync on), first on one node, then
 * on two nodes sharing the database, the load split over both: two wrk
 * processes at once, half the connections each, their rates added and the
 * worse p99 kept. Each run has a database of its own.
 */
async function measurePostgres() {
  const urls = (process.env.CART_BENCH_POSTGRES ?? "").split(" ").filter(Boolean);
  if (urls.length < 2) throw new Error("CART_BENCH_POSTGRES must name two empty databases (cargo xtask bench sets it)");
  step(`server on PostgreSQL: the mixed mutations of 5b, one node`);
  const one = await startServer({ bin: SERVER_BIN, db: urls[0], args: UNLIMITED_MINTING });
  let single;
  try {
    const file = await mixedVisitors(one.origin);
    single = runWrk("mixed.lua", one.origin, [file]);
    await rm(file, { force: true });
  } finally {
    await one.stop();
  }
  assertClean("PostgreSQL, one node", single);

  step(`server on PostgreSQL: the same load split over two nodes`);
  const nodes = [await startServer({ bin: SERVER_BIN, db: urls[1], args: UNLIMITED_MINTING }), await startServer({ bin: SERVER_BIN, db: urls[1], args: UNLIMITED_MINTING })];
  let runs;
  try {
    const file = await mixedVisitors(nodes[0].origin);
    const half = Math.max(1, WRK.connections / 2);
    runs = await Promise.all(
      nodes.map(async (node) => {
        const { stdout } = await promisify(execFile)("wrk", wrkArgs("mixed.lua", node.origin, [file], half), { encoding: "utf8" });
        return wrkResult(stdout);
      }),
    );
    await rm(file, { force: true });
  } finally {
    for (const node of nodes) await node.stop();
  }
  runs.forEach((run, i) => assertClean(`PostgreSQL, node ${i + 1} of 2`, run));
  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  const two = {
    perSecond: sum("perSecond"),
    p99: Math.max(...runs.map((run) => run.p99)),
    requests: sum("requests"),
    seconds: Math.max(...runs.map((run) => run.seconds)),
    timeout: sum("timeout"),
  };
  return { single, two };
}

// ---------------------------------------------------------------- webhooks

/** The test key pair's private half (test-only, committed with the server's tests). */
const WEBHOOK_KEY = fileURLToPath(new URL("../crates/cart-server/tests/fixtures/webhook-test-key.pem", import.meta.url));

/**
 * A receiver on loopback that acknowledges every delivery and records how
 * long after the change it arrived: now minus the event's `eventTime` (the
 * server stamps it when the change commits; same machine, same clock). The
 * signature is not checked here: the tests do that.
 */
async function startReceiver() {
  const delays = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const arrived = Date.now();
      const claims = JSON.parse(Buffer.from(body.split(".")[1], "base64url").toString("utf8"));
      const event = JSON.parse(JSON.parse(claims.data).data);
      delays.push(arrived - Date.parse(event.eventTime));
      response.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks/cart`,
    delays,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Changes per second in the paced run of 5e, and how long it lasts. */
const PACED = { perSecond: 100, seconds: 5, visitors: 20 };

/**
 * 5b again on a server that posts every change as a webhook to a local
 * receiver (5d: what the outbox costs the API at full load, and how fast the
 * dispatcher then drains it), then a paced run well below saturation (5e:
 * how long a change takes to reach the receiver when the dispatcher keeps up).
 */
async function measureWebhooks() {
  step(`server with webhooks: the same mixed mutations, each change posted to a receiver on loopback`);
  const receiver = await startReceiver();
  const api = await startServer({ bin: SERVER_BIN, args: ["--webhook-url", receiver.url, "--webhook-key", WEBHOOK_KEY, ...UNLIMITED_MINTING] });
  try {
    const file = await mixedVisitors(api.origin);
    const loadEnded = Date.now();
    const mixed = runWrk("mixed.lua", api.origin, [file]);
    await rm(file, { force: true });
    assertClean("webhooks", mixed);
    const drained = await waitForQuiet(receiver);
    const events = receiver.delays.length;
    const drainSeconds = (drained - (loadEnded - mixed.seconds * 1000)) / 1000;

    step(`server with webhooks: ${PACED.perSecond} changes/s for ${PACED.seconds} s over ${PACED.visitors} carts`);
    receiver.delays.length = 0;
    const visitors = [];
    for (let i = 0; i < PACED.visitors; i++) visitors.push(await newVisitor(api.origin, [PRODUCTS.ebook]));
    const total = PACED.perSecond * PACED.seconds;
    const started = Date.now();
    const sent = [];
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / PACED.perSecond - Date.now();
      if (wait > 0) await sleep(wait);
      const visitor = visitors[i % visitors.length];
      sent.push(
        fetch(`${api.origin}/ecom/v1/carts/current/update-line-items-quantity`, {
          method: "POST",
          headers: { Authorization: visitor.token, "Content-Type": "application/json" },
          body: JSON.stringify({ lineItems: [{ id: visitor.cart.lineItems[0].id, quantity: 1 + (i % 5) }] }),
        }).then((response) => {
          if (!response.ok) throw new Error(`paced change: HTTP ${response.status}`);
        }),
      );
    }
    await Promise.all(sent);
    await waitForQuiet(receiver);
    const delays = [...receiver.delays];
    return {
      mixed,
      events,
      drainPerSecond: events / drainSeconds,
      paced: { events: delays.length, p50: quantile(delays, 0.5), p99: quantile(delays, 0.99) },
    };
  } finally {
    await api.stop();
    await receiver.close();
  }
}

/** Resolves, with the time, once no delivery has come for two seconds. */
async function waitForQuiet(receiver) {
  let seen = -1;
  while (receiver.delays.length !== seen) {
    seen = receiver.delays.length;
    await sleep(2000);
  }
  return Date.now() - 2000;
}

// ---------------------------------------------------------------- report

function table(m) {
  const { sizes, requests, clicks, load, server } = m;
  const med = (which, state) => median(load.results[which][state]);
  const over = sizes.brotli - BUDGET_BYTES;
  const timeouts = (run) => (run.timeout > 0 ? `${run.timeout} timed out (> 5 s)` : "0 errors");
  const describe = (r) =>
    `${r.updates} quantity requests (lines in it: ${r.linesPerUpdate.join(", ") || "none"}); ${r.all} API requests in all: ${r.kinds.map((k) => k.split("/").at(-1)).join(", ")}`;
  // Each row with the parts it needs: only those measured are shown (--only).
  const rows = [
    [[], () => ["1", "transfer size, brotli (loader + JS + wasm + CSS)", kb(sizes.brotli), `budget ${kb(BUDGET_BYTES)}: ${over > 0 ? `OVER by ${kb(over)}` : `${kb(-over)} to spare`}`]],
    [["requests"], () => ["2a", `requests: burst of 10 "+" clicks on one line (${GAP_MS} ms apart)`, describe(requests.one), "10 changes"]],
    [["requests"], () => ["2b", `requests: + on 3 lines within the coalescing window (${GAP_MS} ms apart)`, describe(requests.lines), "3 changes"]],
    [["clicks"], () => ["3", `click → optimistic quantity painted (${clicks.samples.length} clicks each, interleaved)`, `widget p50 ${ms(clicks.p50)}, p95 ${ms(clicks.p95)}`, `floor p50 ${ms(clicks.floor.p50)}, p95 ${ms(clicks.floor.p95)}: p95 ×${(clicks.p95 / clicks.floor.p95).toFixed(2)}; frame interval ${ms(clicks.frame)}`]],
    [["load"], () => ["4a", `page load → cart visible, cold cache (median of ${LOADS})`, `widget ${ms(med("widget", "cold"))}`, `floor ${ms(med("floor", "cold"))}: ×${(med("widget", "cold") / med("floor", "cold")).toFixed(2)}`]],
    [["load"], () => ["4b", `page load → cart visible, warm cache (median of ${LOADS})`, `widget ${ms(med("widget", "warm"))}`, `floor ${ms(med("floor", "warm"))}: ×${(med("widget", "warm") / med("floor", "warm")).toFixed(2)}`]],
    [["load"], () => ["4c", `page load → the server's cart shown, warm cache (median of ${LOADS})`, `widget ${ms(med("widget", "warmConfirmed"))}`, `floor ${ms(med("floor", "warmConfirmed"))}: ×${(med("widget", "warmConfirmed") / med("floor", "warmConfirmed")).toFixed(2)}`]],
    [["load"], () => ["4d", `page load → cart visible, cold cache, returning visitor (median of ${LOADS})`, `widget ${ms(med("widget", "returning"))}`, `floor ${ms(med("floor", "returning"))}: ×${(med("widget", "returning") / med("floor", "returning")).toFixed(2)}`]],
    [["server"], () => ["5a", `server: GET current cart (wrk, ${WRK.connections} conn.)`, `${Math.round(server.get.perSecond)} req/s, p99 ${ms(server.get.p99)}`, `floor (the same server's /openapi.json) ${Math.round(server.floor.perSecond)} req/s: ×${(server.get.perSecond / server.floor.perSecond).toFixed(2)}; ${server.get.requests} requests in ${server.get.seconds.toFixed(1)} s, ${timeouts(server.get)}`]],
    [["server"], () => ["5b", `server: add / update quantity / estimate, 1:1:1 (wrk, ${WRK.connections} conn., ${WRK.visitors} carts)`, `${Math.round(server.mixed.perSecond)} req/s, p99 ${ms(server.mixed.p99)}`, `${server.mixed.requests} requests in ${server.mixed.seconds.toFixed(1)} s, ${timeouts(server.mixed)}`]],
    [["server"], () => ["5h", `server: 5b paced at about ${PACED_WRK.perSecond} req/s (each connection waits ${PACED_WRK.paceMs} ms after an answer)`, `${Math.round(server.paced.perSecond)} req/s, p99 ${ms(server.paced.p99)}`, `target: p99 under 10 ms at 1,000 req/s; ${server.paced.requests} requests, ${timeouts(server.paced)}`]],
    [["server"], () => ["5i", `server: soak, 5h's load for ${server.soak.length} × ${WRK.seconds} s`, `p99 ${ms(server.soak[0].p99)} first, ${ms(Math.max(...server.soak.map((w) => w.p99)))} worst, ${ms(server.soak.at(-1).p99)} last`, `memory (VmRSS) ${mb(server.soak[0].rss)} after the first window, ${mb(server.soak.at(-1).rss)} after the last (the curve below)`]],
    [["server"], () => ["5c", "server: peak memory (VmHWM)", mb(server.memory.peak), `idle before the load: ${mb(server.idle.rss)} (VmRSS)`]],
    [["server", "webhooks"], () => ["5d", "server: 5b with webhooks on (each change posted to a local receiver)", `${Math.round(m.webhooks.mixed.perSecond)} req/s, p99 ${ms(m.webhooks.mixed.p99)}`, `×${(m.webhooks.mixed.perSecond / server.mixed.perSecond).toFixed(2)} of 5b's req/s, ${timeouts(m.webhooks.mixed)}; its ${m.webhooks.events} events delivered at ${Math.round(m.webhooks.drainPerSecond)}/s`]],
    [["webhooks"], () => ["5e", `change committed → webhook received, at ${PACED.perSecond} changes/s`, `p50 ${ms(m.webhooks.paced.p50)}, p99 ${ms(m.webhooks.paced.p99)}`, `${m.webhooks.paced.events} events over ${PACED.visitors} carts`]],
    [["server", "postgres"], () => ["5f", "server: 5b on PostgreSQL, one node", `${Math.round(m.postgres.single.perSecond)} req/s, p99 ${ms(m.postgres.single.p99)}`, `×${(m.postgres.single.perSecond / server.mixed.perSecond).toFixed(2)} of 5b's req/s (SQLite), ${timeouts(m.postgres.single)}`]],
    [["postgres"], () => ["5g", "server: 5b on PostgreSQL, two nodes, the load split over both", `${Math.round(m.postgres.two.perSecond)} req/s, p99 ${ms(m.postgres.two.p99)}`, `×${(m.postgres.two.perSecond / m.postgres.single.perSecond).toFixed(2)} of one node's, ${m.postgres.two.requests} requests, ${timeouts(m.postgres.two)}, 0 refused`]],
  ];
  const measured = rows.filter(([needs]) => needs.every((part) => ONLY.includes(part))).map(([, row]) => row());
  return [["#", "measure", "result", "compared with"], ...measured];
}

/** 5i's curve: each soak window's rate, p99 and the server's memory after it. */
function soakCurve(soak) {
  return `## Soak (5i)

| window | req/s | p99 | memory (VmRSS) after it |
|---:|---:|---:|---:|
${soak.map((w, i) => `| ${i + 1} | ${Math.round(w.perSecond)} | ${ms(w.p99)} | ${mb(w.rss)} |`).join("\n")}

`;
}

function markdown(rows) {
  const escape = (cell) => cell.replaceAll("|", "\\|");
  return [
    `| ${rows[0].join(" | ")} |`,
    `|${rows[0].map(() => "---").join("|")}|`,
    ...rows.slice(1).map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

function plain(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

function report(m, rows) {
  const { machine, sizes, load, clicks } = m;
  const git = (args) => {
    try {
      return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "";
    }
  };
  const commit = git(["rev-parse", "--short", "HEAD"]);
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]) ? " plus uncommitted changes" : "";
  const spread = (values) => `min ${ms(Math.min(...values))}, median ${ms(median(values))}, max ${ms(Math.max(...values))}`;
  return `# Benchmarks

Measured by \`cargo xtask bench\` on ${m.date} (commit ${commit}${dirty}). Every
figure below comes from that one run; run the command again to reproduce them on
your machine. It takes a few minutes.

${markdown(rows)}

## Machine

| | |
|---|---|
| CPU | ${machine.cpu}, ${machine.cores} cores |
| memory | ${machine.memory} |
| OS | ${machine.os} |
| browser | Chromium ${machine.chromium} (headless) |
| tools | Node ${machine.node}, ${machine.rustc}, ${machine.wrk} |
| load average (1, 5, 15 min) | at the start ${machine.load}; at the end ${m.loadAtEnd} |
| CPU time taken by the hypervisor (steal) during the run | ${m.steal.toFixed(1)} % |

Everything runs on this one machine over loopback: the browser, the static
server, the reference server and wrk share its cores.

## Transfer size per file

| file | raw | gzip | brotli |
|---|---:|---:|---:|
${sizes.files.map((f) => `| \`${f.name}\` | ${kb(f.raw)} | ${kb(f.gzip)} | ${kb(f.brotli)} |`).join("\n")}
| **total** | ${kb(sizes.raw)} | ${kb(sizes.gzip)} | ${kb(sizes.brotli)} |

1 KB = 1000 bytes. The files are \`dist/cdn/\` from \`cargo xtask dist\`:
gzip level 9 and brotli quality 11, as served precompressed.

## Distributions

- Click → paint (${clicks.samples.length} clicks each): widget ${spread(clicks.samples)}; floor ${spread(clicks.floor.samples)}.
- Page load, widget, cold: ${spread(load.results.widget.cold)}; warm: ${spread(load.results.widget.warm)}; warm, the server's cart: ${spread(load.results.widget.warmConfirmed)}; returning: ${spread(load.results.widget.returning)}.
- Page load, floor, cold: ${spread(load.results.floor.cold)}; warm: ${spread(load.results.floor.warm)}; returning: ${spread(load.results.floor.returning)}.

${m.server ? soakCurve(m.server.soak) : ""}## How each figure is measured

1. **Transfer size**: the sizes of \`dist/cdn/\`'s \`.br\` files for the loader,
   the JS glue, the wasm and the CSS: what a browser downloads on a first
   visit. The budget is ${kb(BUDGET_BYTES)}.
2. **Requests**: the widget page (the CDN build through its loader) with a
   visitor whose cart has one line (2a) or three (2b). Clicks are
   \`element.click()\` in the page, ${GAP_MS} ms apart. Playwright's request events
   count every request to the API origin (CORS preflights are not counted)
   from the first click until none has been in flight for 2.5 s, longer
   than the queue's 2 s cap. "in all" includes the estimate and any
   reconciling GET that follow.
3. **Click → paint**: in the page, the "+" button is clicked at a random point
   of a frame; the time runs from just before \`click()\` to the end of the
   first frame whose \`requestAnimationFrame\` callback sees the new quantity
   in the input (a message posted from that callback is handled after the
   frame's style, layout and paint). Server answers arrive during the
   series, as they would. The floor is \`bench/floor/\`'s stepper: the same
   markup, the quantity set at once by hand, changes sent as the widget
   sends them (absolute, coalesced over 300 ms). Widget and floor each have
   their own page and visitor; the clicks go in ${CLICK_ROUNDS} rounds,
   alternating which page goes first. "Frame interval" is the browser's
   measured rAF period.
4. **Page load → cart visible**: \`performance.now()\` (time since navigation
   start) after the paint of the first frame in which all ${m.lines} line names of
   the cart are in the DOM and rendered (\`checkVisibility()\`: the widget's
   mount point stays hidden until its stylesheet applies), checked each frame
   by a script installed before the page's scripts. Both pages are served by the same static server on
   loopback (with the CDN's caching headers and brotli); the cart API is
   another origin, so both make the same CORS requests. The **floor** is
   \`bench/floor/\`: hand-written JS that reads the widget's stored token,
   fetches the cart once in the widget's API dialect (${API === "v1" ? "v1 in this run" : "Cart V2, the default"}) and renders the same
   lines with the same stylesheet. ${API === "v1" ? "v1 sends its prices written (\`formattedAmount\`)." : "A V2 page writes its prices itself (\`Intl.NumberFormat\`: V2 sends no formatted amounts), so the floor makes its first \`Intl\` object while its request is in flight, as the widget's loader does."}
   The run fails unless the floor shows what the widget shows (the count;
   each line's name, price, quantity and total).
   The widget page is \`bench/widget/\`: the loader \`<script>\` and the mount
   element. Cold: a new browser context (empty cache), the visitor's token in
   \`localStorage\`, nothing else; warm: the same page loaded again in that
   context. Returning (4d): a new context (empty cache again) with what the
   page stored by the end of the warm load, as for a returning visitor whose
   cache was evicted. Loads
   are interleaved, widget and floor alternating first. The widget's loader
   asks for the cart while the wasm loads (\`src/prefetch.rs\`) and paints it
   before the wasm runs (the cart the widget kept for this visitor at once, then
   the server's: \`paintSource\` in \`xtask/dist.mjs\`); on
   the warm load the widget first shows the cart it stored on the cold one
   (\`src/snapshot.rs\`, marked busy), so 4c also times the end of that busy
   mark: the lines painted as the server's answer has them.
5. **Server**: the \`server-release\` build on loopback with a fresh database
   and its default request logging (to a file). wrk ${machine.wrk.split(" ")[1] ?? ""}, ${WRK.threads} thread,
   ${WRK.connections} connections, each run bounded to ${WRK.seconds} s and
   ${WRK.maxRequests} requests (\`bench/wrk/*.lua\`). 5a: one visitor's cart
   with three lines. 5b: add-to-cart, update-line-items-quantity and
   estimate-totals in turn, spread over ${WRK.visitors} visitors' carts. p99 is
   wrk's latency percentile. Peak memory is the server process's \`VmHWM\`
   from \`/proc/<pid>/status\` after both runs (it covers the whole benchmark).
   5a's floor is wrk on the same server's \`/openapi.json\` (built once at
   start, no database, the same middleware), run just before and just after
   5a and averaged. 5h: 5b's load paced (\`bench/wrk/mixed-paced.lua\`):
   latency below saturation, where 5b shows the most the server can take.
   5d: the 5b load on a second server started with \`--webhook-url\` (a
   receiver on loopback that answers 200) and \`--webhook-key\`: every
   add and quantity change also writes an outbox row and is posted; the
   delivery rate is its events over the time from the load's start to the
   last delivery (signing is RSA-2048, on the same two cores as the API, wrk
   and the receiver). 5e: quantity changes sent at a fixed rate by Node,
   spread over ${PACED.visitors} carts; for each delivery, the receiver's
   clock minus the event's \`eventTime\` (stamped when the change commits).
   5f and 5g: the 5b load on a throwaway PostgreSQL 15 cluster on
   loopback (fsync on, as in production), started by \`cargo xtask bench\`;
   5f one node, 5g two nodes on one database with two wrk processes at once,
   ${WRK.connections / 2} connections each, their rates added and the worse
   p99 shown. Everything shares these two cores, so two nodes cannot be
   faster here: the figures show what the network database costs and that
   nothing is refused or broken when the load is split.
`;
}

// ---------------------------------------------------------------- main

async function main() {
  const machine = describeMachine();
  const cpuAtStart = cpuTimes();
  step(`machine: ${machine.cpu}, ${machine.cores} cores, load ${machine.load}`);
  // A snapshot of the build: a concurrent `trunk build` empties dist/.
  const snapshot = await mkdtemp(join(tmpdir(), "cart-bench-dist-"));
  await cp(DIST, snapshot, { recursive: true });
  const sizes = await measureSizes(join(snapshot, "cdn"));

  const env = {};
  const cdn = await startStaticServer({ dir: join(snapshot, "cdn") });
  const cssName = sizes.files.find((f) => f.name.endsWith(".css")).name;
  env.pages = await startStaticServer({
    dir: HERE,
    rewrite: () => ({
      [`${EXAMPLE_ORIGINS.cdn}/cart-widget.css`]: `${cdn.origin}/${cssName}`,
      [EXAMPLE_ORIGINS.cdn]: cdn.origin,
      [EXAMPLE_ORIGINS.api]: env.api.origin,
      // BENCH_API=v1: both pages speak v1 (the widget's v1 bundle, the floor's v1 calls).
      ...(API === "v1" ? { 'data-client-id="cart-bench"': 'data-client-id="cart-bench" data-cart-api="v1"' } : {}),
    }),
  });
  env.api = await startServer({ bin: SERVER_BIN, staticDir: snapshot, args: ["--cors-origins", env.pages.origin, ...UNLIMITED_MINTING] });
  env.browser = await launchBrowser();
  machine.chromium = env.browser.version();
  try {
    const part = (name, measure) => (ONLY.includes(name) ? measure() : null);
    const requests = await part("requests", () => measureRequests(env));
    if (process.env.BENCH_DEBUG) console.error(JSON.stringify(requests, null, 1));
    const clicks = await part("clicks", () => measureClickToPaint(env));
    const load = await part("load", () => measurePageLoad(env));
    await env.browser.close();
    const server = await part("server", () => measureServer(env));
    const webhooks = await part("webhooks", () => measureWebhooks());
    const postgres = await part("postgres", () => measurePostgres());
    const problems = [requests, clicks, load].flatMap((measured) => measured?.problems ?? []);
    if (problems.length > 0) throw new Error(`page errors during the benchmark:\n${problems.join("\n")}`);
    const steal = stealPercent(cpuAtStart, cpuTimes());
    console.error(`bench: CPU steal during the run ${steal.toFixed(1)} %, load average at the end ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    if (steal > 5) console.error(`bench: warning: the hypervisor took ${steal.toFixed(0)} % of the CPU time during this run; latency and load figures are pessimistic`);
    const measured = { loadAtEnd: loadavg().map((l) => l.toFixed(2)).join(" "), steal, date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", machine, sizes, requests, clicks, load, server, webhooks, postgres, lines: 3 };
    const rows = table(measured);
    console.log(`\n${plain(rows)}\n`);
    if (WRITE) {
      await writeFile(WRITE, report(measured, rows));
      console.log(`written to ${WRITE}`);
    }
  } finally {
    await env.browser.close().catch(() => {});
    await env.api.stop();
    await cdn.close();
    await env.pages.close();
    await rm(snapshot, { recursive: true, force: true });
  }
}

await main();
