// Recipe A of the API reference: Wix's official SDK, unmodified, pointed at
// a local server by rewriting the Wix API origin in `fetch` (the OAuth token
// call included). Shared by every conformance test.

const WIX_API = /^https:\/\/(www|edge)\.wixapis\.com/;

/**
 * Sends the SDK's requests for `www`/`edge.wixapis.com` to `origin` instead.
 * Returns the log of what was sent (`"METHOD /path"`) and `restore()`, which
 * puts the real `fetch` back.
 */
export function routeWixTo(origin) {
  const realFetch = globalThis.fetch;
  const requests = [];
  const local = (url) => String(url).replace(WIX_API, origin);
  globalThis.fetch = (input, init) => {
    const plain = typeof input === "string" || input instanceof URL;
    const url = local(plain ? input : input.url);
    requests.push(`${init?.method ?? input.method ?? "GET"} ${new URL(url).pathname}`);
    return plain ? realFetch(url, init) : realFetch(new Request(url, input), init);
  };
  return {
    requests,
    restore() {
      globalThis.fetch = realFetch;
    },
  };
}
