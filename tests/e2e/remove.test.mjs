// End to end: removing lines, undo, and where focus goes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addButton, expectTexts, expectValues, focused, newPage, serverAndBrowser, settled } from "./harness.mjs";

const shared = serverAndBrowser();

test("remove, then undo restores the same item, quantity and place; focus moves on", async () => {
  const { page, context, problems } = await newPage(shared.browser);
  await page.goto(shared.server.url);
  const widget = page.locator("[data-cart-widget]");
  await widget.getByTestId("empty-cart").waitFor();
  await addButton(page, "Stoneware Mug").click();
  await addButton(page, "Beeswax Candle").click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug", "Beeswax Candle"]);
  await widget.getByTestId("increase").first().click();
  await widget.getByTestId("increase").first().click();
  await expectTexts(widget.getByTestId("line-total"), ["$37.50", "$9.50"]);

  await widget.getByRole("button", { name: "Remove Stoneware Mug" }).click();
  await expectTexts(widget.getByTestId("line-name"), ["Beeswax Candle"]);
  assert.equal(await focused(page), "remove", "focus moved to the next line's Remove");
  assert.equal(await focused(page, "aria-label"), "Remove Beeswax Candle");
  await expectTexts(widget.getByTestId("undo").locator("span"), ["Removed Stoneware Mug."]);

  await widget.getByTestId("undo-button").click();
  // Back where it was, although the API adds it at the end.
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug", "Beeswax Candle"]);
  await expectValues(widget.getByTestId("line-quantity"), ["3", "1"]);
  await expectTexts(widget.getByTestId("line-total"), ["$37.50", "$9.50"]);
  await expectTexts(widget.getByTestId("undo"), [""]);

  // Removing the last lines leaves focus on the empty cart's heading, and
  // Undo is still offered in the empty cart.
  await widget.getByRole("button", { name: "Remove Beeswax Candle" }).click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug"]);
  await widget.getByRole("button", { name: "Remove Stoneware Mug" }).click();
  await widget.getByTestId("empty-cart").waitFor();
  await widget.locator('[data-testid="empty-title"]:focus').waitFor();
  await expectTexts(widget.getByTestId("undo").locator("span"), ["Removed Stoneware Mug."]);
  await widget.getByTestId("undo-button").click();
  await expectTexts(widget.getByTestId("line-name"), ["Stoneware Mug"]);
  await expectValues(widget.getByTestId("line-quantity"), ["3"]);
  await widget.getByRole("button", { name: "Remove Stoneware Mug" }).click();
  await widget.getByTestId("empty-cart").waitFor();
  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await widget.getByTestId("empty-cart").waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
