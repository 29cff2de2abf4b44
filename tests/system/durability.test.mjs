// System test: an acknowledged change survives `kill -9`. Visitors change
// their carts as fast as the server answers; the server is killed mid-load
// and started again on the same database; every change the client saw
// acknowledged (a 200 answer) must be there. No browser: plain HTTP.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { catalogReference } from "../support/demo-catalog.mjs";
import { startServer } from "../support/server.mjs";

const VISITORS = 8;
const LOAD_MS = 1500;
const EBOOK = catalogReference("seasonal-recipes-e-book"); // no stock limit

async function call(origin, path, token, body) {
  const response = await fetch(`${origin}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function visitor(origin) {
  const { status, body } = await call(origin, "/oauth2/token", null, { clientId: "durability", grantType: "anonymous" });
  assert.equal(status, 200);
  return body.access_token;
}

const ebookQuantity = (cart) =>
  cart?.lineItems?.find((line) => line.catalogReference?.catalogItemId === EBOOK.catalogItemId)?.quantity ?? 0;

test("every change acknowledged before a kill -9 is there after the restart", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "cart-durability-"));
  try {
    const first = await startServer({ dataDir });
    const tokens = await Promise.all(Array.from({ length: VISITORS }, () => visitor(first.origin)));
    // Per visitor: the highest quantity a 200 answer showed, and whether a
    // request was still unanswered at the kill (it may or may not have committed).
    const acknowledged = tokens.map(() => 0);
    const unanswered = tokens.map(() => false);
    let killed = false;
    const load = tokens.map(async (token, i) => {
      while (!killed) {
        unanswered[i] = true;
        try {
          const { status, body } = await call(first.origin, "/ecom/v1/carts/current/add-to-cart", token, {
            lineItems: [{ catalogReference: EBOOK, quantity: 1 }],
          });
          if (status !== 200) throw new Error(`HTTP ${status}`);
          acknowledged[i] = Math.max(acknowledged[i], ebookQuantity(body.cart));
          unanswered[i] = false;
        } catch {
          return; // the server is gone
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    killed = true;
    await first.crash();
    await Promise.all(load);
    assert.ok(acknowledged.every((q) => q > 0), `every visitor got answers before the kill: ${acknowledged}`);

    const second = await startServer({ dataDir });
    try {
      for (const [i, token] of tokens.entries()) {
        const { status, body } = await call(second.origin, "/ecom/v1/carts/current", token);
        assert.equal(status, 200, `visitor ${i} still has a cart`);
        const stored = ebookQuantity(body.cart);
        // One request per visitor at a time: at most one unanswered add may have committed.
        const most = acknowledged[i] + (unanswered[i] ? 1 : 0);
        assert.ok(
          stored >= acknowledged[i] && stored <= most,
          `visitor ${i}: ${stored} stored, ${acknowledged[i]} acknowledged (at most ${most})`,
        );
      }
      const total = acknowledged.reduce((a, b) => a + b, 0);
      assert.ok(total >= VISITORS * 5, `the load was real: ${total} acknowledged adds`);
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
