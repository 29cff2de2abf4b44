// End to end: text and URLs from the API are never markup or script. The
// server sells from a catalog file whose product name is an XSS payload and
// whose image URL is `javascript:`.
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { STORES_APP_ID } from "../support/demo-catalog.mjs";
import { expectTexts, openStore, serverAndBrowser } from "./harness.mjs";

const XSS_PRODUCT_ID = "9d0c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const PAYLOAD = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>Mug`;
const catalogFile = join(await mkdtemp(join(tmpdir(), "cart-xss-")), "catalog.json");
before(() =>
  writeFile(
    catalogFile,
    JSON.stringify({
      currency: "USD",
      products: [
        {
          id: XSS_PRODUCT_ID,
          name: PAYLOAD,
          slug: "xss-mug",
          price: "10.00",
          image: "javascript:window.__xss=3",
          sku: "XSS",
          stock: 5,
          itemType: "PHYSICAL",
        },
      ],
    }),
  ),
);
const shared = serverAndBrowser({ args: ["--catalog", catalogFile] });

test("an XSS product name renders as text and a javascript: image URL is dropped", async () => {
  const store = await openStore(shared);
  const { page, context, problems, widget } = store;
  await page.evaluate(
    (catalogReference) => window.dispatchEvent(new CustomEvent("cart:add", { detail: { catalogReference } })),
    { catalogItemId: XSS_PRODUCT_ID, appId: STORES_APP_ID },
  );
  await expectTexts(widget.getByTestId("line-name"), [PAYLOAD]);
  assert.equal(await widget.locator("img").count(), 0, "no image from a javascript: URL");
  assert.equal(await widget.locator("script").count(), 0);
  await widget.getByTestId("increase").click();
  await expectTexts(widget.getByTestId("cart-subtotal"), ["$20.00"]);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(problems, []);
  await context.close();
});
