// Test harness: starts the real reference server (serving the real built
// widget) on a free loopback port with a fresh database, and launches
// Debian's Chromium through playwright-core. Nothing here is mocked.
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { startServer as launchServer } from "../support/server.mjs";

/**
 * The API dialect the widget speaks in this run (`v1` or `v2`): `CART_API`
 * runs the same suite against either. The host pages say nothing, which is
 * the widget's default, V2; only a run that asks for a dialect marks them.
 */
export const CART_API = process.env.CART_API || "v2";
const ASKED_DIALECT = process.env.CART_API;
/**
 * The release build the server serves (Trunk's demo store): each dialect is
 * its own build, V2's in `dist/`, v1's in `dist-v1/` (`cargo xtask dist`).
 */
export const DIST_DIR = process.env.CART_DIST_DIR ?? (CART_API === "v1" ? "dist-v1" : "dist");

/** The request a quantity change is, in the dialect spoken. */
export const QUANTITY_REQUEST =
  CART_API === "v2"
    ? "POST /ecom/v2/carts/current/update-line-items"
    : "POST /ecom/v1/carts/current/update-line-items-quantity";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * For a test file: a real server and a browser, started before its tests and
 * stopped after them. The returned object gets `server` and `browser`.
 */
export function serverAndBrowser(options = {}) {
  const shared = {};
  before(async () => {
    shared.server = await startServer(options);
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}

/**
 * Starts cart-server serving the built widget (see `tests/support/server.mjs`);
 * resolves once it is listening. `args` are extra server flags (e.g.
 * `["--cors-origins", origin]`); `staticDir` replaces the built widget.
 */
export function startServer({ args = [], staticDir = DIST_DIR } = {}) {
  return launchServer({ args, staticDir });
}

/** Headless Chromium with the flags that keep it off the (closed) network. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A page that fails the test on any uncaught error or console error.
 * `failingRequests`: the test makes requests fail on purpose (faults,
 * offline), so the browser's logs of failed API requests are expected.
 */
export async function newPage(browser, { failingRequests = false, context: shared } = {}) {
  const context = shared ?? (await browser.newContext({ viewport: { width: 1200, height: 800 } }));
  const page = await context.newPage();
  if (ASKED_DIALECT) await speakDialect(page, ASKED_DIALECT);
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // Chromium logs every 4xx answer of the API (a new visitor's 404, a
    // refused coupon's 400): those are answers the widget shows in words,
    // which the tests check. Anything else logged as an error is a problem.
    const apiRequest = URL.canParse(message.location().url ?? "")
      ? new URL(message.location().url).pathname.startsWith("/ecom/")
      : false;
    const expected = failingRequests
      ? /status of 5\d\d|ERR_INTERNET_DISCONNECTED|Failed to fetch|refresh failed/.test(message.text())
      : false;
    const apiAnswer = apiRequest && /status of 4\d\d/.test(message.text());
    if (message.type() === "error" && !apiAnswer && !expected) {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  return { page, context, problems };
}

/** Waits until the locator's texts equal `expected`, else fails showing the last texts. */
export function expectTexts(locator, expected, timeout) {
  return expectEach(locator, expected, timeout, () => locator.allTextContents());
}

/** Waits until the values of the locator's inputs equal `expected`. */
export function expectValues(locator, expected, timeout) {
  return expectEach(locator, expected, timeout, () => locator.evaluateAll((inputs) => inputs.map((i) => i.value)));
}

async function expectEach(locator, expected, timeout = 10_000, read) {
  const deadline = Date.now() + timeout;
  let actual;
  do {
    actual = await read();
    if (JSON.stringify(actual) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  } while (Date.now() < deadline);
  throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/**
 * An attribute of the focused element (its tag name when it has none),
 * looked for inside shadow roots too: `document.activeElement` stops at the
 * widget's mount element, whose shadow root holds the focused control.
 */
export function focused(page, attribute = "data-testid") {
  return page.evaluate((attribute) => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.getAttribute(attribute) ?? element?.tagName;
  }, attribute);
}

/** Opens the demo store on a new page and waits for the widget's first answer. */
export async function openStore(shared, options = {}) {
  const opened = await newPage(shared.browser, options);
  await opened.page.goto(shared.server.url);
  const widget = opened.page.locator("[data-cart-widget]").first();
  await widget.locator("[data-testid=empty-cart], [data-testid=line-item]").first().waitFor();
  return { ...opened, widget };
}

/**
 * The demo store's "Add to cart" button of a product. Its accessible name
 * starts with the visible text, then names the product (WCAG 2.5.3).
 */
export function addButton(page, name) {
  return page.getByRole("button", { name: `Add to cart: ${name}`, exact: true });
}

/** Adds a product with the demo store's own button; waits until the widget shows `lines`. */
export async function addProduct({ page, widget }, name, lines = [name]) {
  await addButton(page, name).click();
  await expectTexts(widget.getByTestId("line-name"), lines);
}

/**
 * Waits until the widget has nothing in flight: no pending change and
 * totals, if any, estimated for the cart shown (no `aria-busy="true"`). A test that
 * changes what the widget's next request will carry (its stored token, the
 * server's faults) waits for this first, so a request the last step started
 * (the estimate after an add) does not take the change.
 */
export async function settled(widget) {
  await widget.locator('section.cw[aria-busy="false"]').waitFor();
  await widget.locator('[data-testid=totals][aria-busy="true"]').waitFor({ state: "detached" });
}

/** Sets the server's test fault switch (`--test-faults`). */
export async function setFaults(server, plan) {
  const response = await fetch(`${server.url}/__test/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(plan),
  });
  if (!response.ok) throw new Error(`fault switch: ${response.status} ${await response.text()}`);
}

/**
 * Gives every mount element `data-cart-api` as the parser creates it, before
 * any of the page's scripts can read it, as a merchant choosing that dialect
 * would write it; the widget and the server stay as they are. (Rewriting the
 * HTML through `page.route` would not do: Chromium then treats the page as
 * public and refuses its requests to the loopback servers.)
 */
async function speakDialect(page, api) {
  await page.addInitScript((dialect) => {
    const mark = (node) => {
      if (node instanceof Element && node.matches("[data-cart-widget]")) node.setAttribute("data-cart-api", dialect);
    };
    new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) mark(node);
    }).observe(document, { childList: true, subtree: true });
  }, api);
}
