// End to end: drawer mode (`data-mode="drawer"`). The demo store with a cart
// button in its header, alone or beside the inline cart: the button's count
// and name, opening on add and by the host page's events, focus in and back,
// Esc and the backdrop, Tab kept inside, the page held still behind, one cart
// in both views, axe-core with the drawer open, reduced motion, and no
// control cut off or too small on a phone. Saves the drawer's screenshots.
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { addButton, expectTexts, expectValues, newPage, serverAndBrowser } from "./harness.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const SCREENSHOTS = "docs/screenshots";
const DESKTOP = { width: 1200, height: 800 };
const PHONE_HEIGHT = 720;

/**
 * The built demo store, plus host pages made from it: `mixed.html` has a
 * cart button in its header and the inline cart beside the products,
 * `drawer.html` the button alone, `left.html` the button alone with
 * `data-side="left" data-open-on-add="false"`.
 */
async function hostPages() {
  const dir = await mkdtemp(join(tmpdir(), "cart-drawer-"));
  await cp(process.env.CART_DIST_DIR ?? "dist", dir, { recursive: true });
  const index = await readFile(join(dir, "index.html"), "utf8");
  const page = (drawerAttributes, inline) => {
    const header = '<p class="store-cart-count">Cart (<span data-cart-count>0</span>)</p>';
    const aside = '<div data-cart-widget data-client-id="demo-storefront"></div>';
    assert.ok(index.includes(header) && index.includes(aside), "the demo page changed: update hostPages()");
    const button = `<div class="store-cart-count" data-cart-widget data-mode="drawer" data-client-id="demo-storefront" ${drawerAttributes}></div>`;
    return index.replace(header, button).replace(aside, inline ? aside : "");
  };
  await writeFile(join(dir, "mixed.html"), page("", true));
  await writeFile(join(dir, "drawer.html"), page("", false));
  await writeFile(join(dir, "left.html"), page('data-side="left" data-open-on-add="false"', false));
  return dir;
}

const shared = serverAndBrowser({ staticDir: await hostPages() });

/**
 * Opens one of the host pages in a new context (`options` for
 * `browser.newContext`), recording the drawer's events; resolves once the
 * cart has loaded.
 */
async function open(name, options = { viewport: DESKTOP }) {
  const context = await shared.browser.newContext(options);
  const opened = await newPage(shared.browser, { context });
  const { page } = opened;
  await page.addInitScript(() => {
    window.heard = [];
    for (const name of ["cart:opened", "cart:closed"]) window.addEventListener(name, () => window.heard.push(name));
  });
  await page.goto(new URL(name, shared.server.url).href);
  const drawer = page.getByTestId("drawer");
  await drawer.locator("[data-testid=empty-cart], [data-testid=line-item]").first().waitFor({ state: "attached" });
  const heard = () => page.evaluate(() => window.heard);
  return { ...opened, drawer, button: page.getByTestId("cart-button"), heard };
}

/** Waits until the drawer is open (or closed) and done sliding. */
async function expectOpen(drawer, open) {
  const selector = "[data-testid=drawer][open]";
  await drawer.page().locator(selector).waitFor({ state: open ? "attached" : "detached" });
  // A transition replaced by another ends by rejecting its `finished`: wait for none to be left.
  await drawer.evaluate(async (dialog) => {
    while (dialog.getAnimations().length > 0) await Promise.allSettled(dialog.getAnimations().map((a) => a.finished));
  });
}

/** What has focus (looking into shadow roots): its test id or class, and whether it is in the drawer. */
function focused(page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return "nothing";
    const name = element.dataset.testid ?? element.className;
    return `${name} ${element.closest("dialog") ? "in the drawer" : "outside"}`;
  });
}

async function screenshot(page, name, clip) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: "disabled", clip });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("the button names the count, the drawer opens on add, and Esc, the backdrop and Close bring focus back", async () => {
  const { page, context, problems, drawer, button, heard } = await open("mixed.html");
  const inline = page.locator("aside [data-cart-widget]");
  await page.getByRole("button", { name: "Cart, empty", exact: true }).waitFor();
  await expectTexts(button.getByTestId("cart-button-count"), [""]);

  await addButton(page, "Stoneware Mug").click();
  await expectOpen(drawer, true);
  assert.equal(await focused(page), "cw-title in the drawer");
  await page.getByRole("button", { name: "Cart, 1 item", exact: true }).waitFor();
  await expectTexts(button.getByTestId("cart-button-count"), ["1"]);
  // One cart, two views.
  await expectTexts(drawer.getByTestId("line-name"), ["Stoneware Mug"]);
  await expectTexts(inline.getByTestId("line-name"), ["Stoneware Mug"]);

  await page.keyboard.press("Escape");
  await expectOpen(drawer, false);
  assert.equal(await focused(page), "cart-button outside");

  await addButton(page, "Canvas Tote Bag").click();
  await expectOpen(drawer, true);
  // Far left of the page: the backdrop.
  await page.mouse.click(40, 400);
  await expectOpen(drawer, false);
  assert.equal(await focused(page), "cart-button outside");

  // A change in the inline cart shows in the drawer and on the button.
  await inline.getByTestId("increase").first().click();
  await page.getByRole("button", { name: "Cart, 3 items", exact: true }).waitFor();
  await button.click();
  await expectOpen(drawer, true);
  await expectValues(drawer.getByTestId("line-quantity"), ["2", "1"]);
  await drawer.getByTestId("drawer-close").click();
  await expectOpen(drawer, false);
  assert.equal(await focused(page), "cart-button outside");
  assert.deepEqual(await heard(), ["cart:opened", "cart:closed", "cart:opened", "cart:closed", "cart:opened", "cart:closed"]);

  // Undo puts a line back with an add, which is not the page's: no opening.
  await inline.getByTestId("remove").first().click();
  await inline.getByTestId("undo-button").click();
  await expectTexts(inline.getByTestId("line-name"), ["Stoneware Mug", "Canvas Tote Bag"]);
  await sleep(300);
  assert.equal(await drawer.evaluate((dialog) => dialog.open), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the host page opens and closes the drawer; Tab stays in it and the page behind does not scroll", async () => {
  const { page, context, problems, drawer, button, heard } = await open("left.html");
  // data-open-on-add="false": adding leaves the drawer closed.
  await addButton(page, "Stoneware Mug").click();
  await page.getByRole("button", { name: "Cart, 1 item", exact: true }).waitFor();
  await sleep(300);
  assert.equal(await drawer.evaluate((dialog) => dialog.open), false);

  // A page long enough to scroll.
  await page.evaluate(() => (document.body.style.minHeight = "400vh"));
  await page.evaluate(() => window.dispatchEvent(new CustomEvent("cart:open")));
  await expectOpen(drawer, true);
  assert.deepEqual(await heard(), ["cart:opened"]);
  const box = await drawer.boundingBox();
  assert.equal(box.x, 0, "data-side=left: the panel is at the left edge");

  // The wheel over the backdrop (right of the panel) does not move the page.
  await page.mouse.move(1000, 400);
  await page.mouse.wheel(0, 1500);
  await sleep(300);
  assert.equal(await page.evaluate(() => window.scrollY), 0);

  // Tab and Shift+Tab go round the drawer's controls; past either end the
  // browser takes focus for one step (its own UI: nothing in the page has
  // focus), as it does for every modal dialog. No element of the page
  // behind ever gets it.
  const seen = new Set();
  for (const key of [...Array(25).fill("Tab"), ...Array(25).fill("Shift+Tab")]) {
    await page.keyboard.press(key);
    seen.add(await focused(page));
  }
  const outside = [...seen].filter((where) => !where.endsWith("in the drawer") && where !== "nothing");
  assert.deepEqual(outside, []);
  assert.ok(seen.has("drawer-close in the drawer") && seen.has("increase in the drawer"), [...seen].join(", "));

  await page.evaluate(() => window.dispatchEvent(new CustomEvent("cart:close")));
  await expectOpen(drawer, false);
  assert.deepEqual(await heard(), ["cart:opened", "cart:closed"]);
  assert.equal(await focused(page), "cart-button outside");
  // Closed, the same wheel scrolls the page again.
  await page.mouse.wheel(0, 1500);
  await page.waitForFunction(() => window.scrollY > 0);
  await expectTexts(button.getByTestId("cart-button-count"), ["1"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("axe-core: no violations with the drawer open; screenshots on a desktop and a phone", async () => {
  for (const [suffix, viewport] of [["", DESKTOP], ["-phone", { width: 375, height: PHONE_HEIGHT }]]) {
    const { page, context, problems, drawer } = await open("drawer.html", { viewport });
    await addButton(page, "Organic Cotton T-Shirt").click();
    await expectOpen(drawer, true);
    await expectTexts(drawer.getByTestId("line-name"), ["Organic Cotton T-Shirt"]);
    await drawer.getByTestId("total").filter({ hasText: "$" }).waitFor();
    const panel = await drawer.boundingBox();
    assert.equal(Math.round(panel.x + panel.width), viewport.width, "the panel is at the right edge");
    if (suffix) assert.equal(panel.width, viewport.width, "full width on a phone");
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    });
    assert.deepEqual(violations, []);
    await screenshot(page, `drawer-open${suffix}`);
    await drawer.getByTestId("drawer-close").click();
    await expectOpen(drawer, false);
    await page.mouse.click(5, 5);
    const header = await page.locator(".store-header").boundingBox();
    await screenshot(page, `drawer-closed${suffix}`, suffix ? undefined : header);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("prefers-reduced-motion: the panel does not slide", async () => {
  const { page, context, problems, drawer } = await open("drawer.html");
  const slide = () => drawer.evaluate((dialog) => getComputedStyle(dialog).transitionDuration.split(", "));
  assert.ok((await slide()).every((duration) => duration !== "0s"), "it slides by default");
  await page.emulateMedia({ reducedMotion: "reduce" });
  assert.deepEqual(await slide(), ["0s"]);
  assert.deepEqual(problems, []);
  await context.close();
});

/**
 * The widget's controls in `scope` that are cut off: outside the cart's box,
 * text wider than a button, or a select narrower than its chosen option.
 */
function cutOffControls(scope) {
  return scope.locator("button, input, select, textarea").evaluateAll((controls) =>
    controls
      .filter((control) => control.getClientRects().length > 0)
      .flatMap((control) => {
        const name = control.dataset.testid ?? control.className;
        const cart = control.closest(".cw")?.getBoundingClientRect() ?? { left: 0, right: innerWidth };
        const box = control.getBoundingClientRect();
        const problems = [];
        if (box.left < cart.left - 0.5 || box.right > cart.right + 0.5 || box.right > innerWidth) {
          problems.push(`${name} at ${box.left}–${box.right}, the cart at ${cart.left}–${cart.right}`);
        }
        if (control instanceof HTMLButtonElement && control.scrollWidth > control.clientWidth + 1) {
          problems.push(`${name}: text ${control.scrollWidth} px wide in ${control.clientWidth} px`);
        }
        if (control instanceof HTMLSelectElement) {
          // The same select holding only the chosen option, as wide as it needs.
          const probe = control.cloneNode(false);
          probe.removeAttribute("data-testid");
          probe.append(new Option(control.selectedOptions[0]?.text ?? ""));
          probe.style.width = "auto";
          probe.style.position = "absolute";
          probe.style.visibility = "hidden";
          control.after(probe);
          const needed = probe.getBoundingClientRect().width;
          probe.remove();
          if (box.width < needed - 0.5) problems.push(`${name}: “${probe.options[0].text}” needs ${needed} px, has ${box.width}`);
        }
        return problems;
      }),
  );
}

/** The smallest of the boxes of the controls with these test ids in `scope`. */
async function smallestTarget(scope, testIds) {
  const boxes = await scope.locator(testIds.map((id) => `[data-testid=${id}]`).join(", ")).evaluateAll((controls) =>
    controls.filter((c) => c.getClientRects().length > 0).map((c) => {
      const box = c.getBoundingClientRect();
      return { id: c.dataset.testid, width: box.width, height: box.height };
    }),
  );
  assert.deepEqual([...new Set(boxes.map((box) => box.id))].sort(), [...testIds].sort());
  return Math.min(...boxes.flatMap((box) => [box.width, box.height]));
}

test("phones, 320 to 414 px: no control is cut off, inline or in the drawer; touch targets are 44 px", async () => {
  for (const width of [320, 375, 414]) {
    for (const touch of [false, true]) {
      const options = { viewport: { width, height: PHONE_HEIGHT }, hasTouch: touch, isMobile: touch };
      const where = `${width} px${touch ? ", touch" : ""}`;

      const inline = await open("mixed.html", options);
      const cart = inline.page.locator("aside [data-cart-widget]");
      await addButton(inline.page, "Stoneware Mug").click();
      await expectOpen(inline.drawer, true);
      await inline.page.keyboard.press("Escape");
      await expectOpen(inline.drawer, false);
      await expectTexts(cart.getByTestId("line-name"), ["Stoneware Mug"]);
      await cart.getByTestId("total").filter({ hasText: "$" }).waitFor();
      assert.deepEqual(await cutOffControls(cart), [], `inline, ${where}`);
      if (touch) assert.ok((await smallestTarget(cart, ["decrease", "increase", "remove"])) >= 44, `inline, ${where}`);

      await inline.button.click();
      await expectOpen(inline.drawer, true);
      assert.deepEqual(await cutOffControls(inline.drawer), [], `drawer, ${where}`);
      if (touch) {
        const smallest = await smallestTarget(inline.drawer, ["decrease", "increase", "remove", "drawer-close"]);
        assert.ok(smallest >= 44, `drawer, ${where}: ${smallest} px`);
      }
      assert.deepEqual(inline.problems, []);
      await inline.context.close();
    }
  }
});
