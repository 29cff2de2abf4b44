// End to end: the buyer note is saved to the cart and survives a reload.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addProduct, expectTexts, expectValues, openStore, serverAndBrowser, settled } from "./harness.mjs";

const shared = serverAndBrowser();

test("the buyer note counts, saves and persists across reload", async () => {
  const store = await openStore(shared);
  const { page, context, problems, widget } = store;
  await addProduct(store, "Stoneware Mug");
  const note = widget.getByTestId("buyer-note");
  await note.fill("Gift wrap, please");
  await expectTexts(widget.getByTestId("note-counter"), ["17 / 1000"]);
  await expectTexts(widget.getByTestId("note-status"), ["Note saved"]);
  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await expectValues(widget.getByTestId("buyer-note"), ["Gift wrap, please"]);

  // The field stops at the API's 1000 characters.
  await widget.getByTestId("buyer-note").fill("x".repeat(1005));
  await expectTexts(widget.getByTestId("note-counter"), ["1000 / 1000"]);
  await widget.getByTestId("buyer-note").blur();
  await expectTexts(widget.getByTestId("note-status"), ["Note saved"]);
  await page.reload();
  await settled(widget); // the server's answer, not the snapshot shown first
  await expectValues(widget.getByTestId("buyer-note"), ["x".repeat(1000)]);
  assert.deepEqual(problems, []);
  await context.close();
});
