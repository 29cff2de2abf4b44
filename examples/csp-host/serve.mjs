// A small static origin, as a CDN or a merchant's web server would be set up
// for the widget, and the CSP-host example run on it.
//
// - Hashed files (`name-<16 hex>.ext`): `Cache-Control: public, max-age=31536000, immutable`.
// - The loader (`cart-widget.js`): `public, max-age=300`; HTML: `no-cache`.
// - Precompressed `.br` / `.gz` beside a file are served when the browser
//   accepts them (`Content-Encoding`, `Vary: Accept-Encoding`).
// - `application/wasm` for wasm (needed for streaming compilation) and
//   `Access-Control-Allow-Origin: *` (the loader imports the glue and fetches
//   the wasm cross-origin, in CORS mode).
//
// The end-to-end test and the benchmark use it. Run the example by hand:
//
//   cargo xtask dist
//   cargo run -p cart-server -- --static-dir dist --cors-origins http://127.0.0.1:8082
//   node examples/csp-host/serve.mjs      # CDN on :8081, merchant page on :8082
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** Where the example expects each origin; the test and benchmark rewrite these. */
export const EXAMPLE_ORIGINS = {
  api: "http://127.0.0.1:3000",
  cdn: "http://127.0.0.1:8081",
  host: "http://127.0.0.1:8082",
};

/** `Cache-Control` for a file served from the CDN or the host. */
export function cacheControl(name) {
  if (/-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(name)) return "public, max-age=31536000, immutable";
  if (name === "cart-widget.js") return "public, max-age=300";
  return "no-cache";
}

/**
 * The strict policy of a merchant page embedding the widget: no inline script,
 * no eval (`'wasm-unsafe-eval'` only lets WebAssembly compile), and each
 * resource kind only from where the widget really gets it.
 */
export function strictCsp({ cdn, api, images = api }) {
  return [
    "default-src 'none'",
    `script-src 'self' ${cdn} 'wasm-unsafe-eval'`,
    `style-src 'self' ${cdn}`,
    `connect-src ${api} ${cdn}`,
    `img-src 'self' ${images} data:`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Serves `dir` on `127.0.0.1:port` (0: any free port). Options, each a value
 * or a function called per request (for values known only later):
 * - `csp`: Content-Security-Policy for HTML pages;
 * - `rewrite`: `{from: to}` string replacements in HTML pages (the example's
 *   origins to the real ones);
 * - `cors`: send `Access-Control-Allow-Origin: *` (default true).
 * Resolves to `{url, origin, close(), requests}` once listening; `requests`
 * lists what was asked for (`METHOD /path encoding`).
 */
export async function startStaticServer({ dir, port = 0, csp, rewrite, cors = true } = {}) {
  const root = resolve(dir);
  const requests = [];
  const value = (option) => (typeof option === "function" ? option() : option);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    const headers = {};
    if (cors) headers["Access-Control-Allow-Origin"] = "*";
    if (!file.startsWith(root + sep) || !["GET", "HEAD"].includes(request.method)) {
      requests.push(`${request.method} ${path} refused`);
      response.writeHead(file.startsWith(root + sep) ? 405 : 403, headers).end();
      return;
    }
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    const name = file.slice(file.lastIndexOf(sep) + 1);
    Object.assign(headers, { "Content-Type": type, "Cache-Control": cacheControl(name), "X-Content-Type-Options": "nosniff" });
    try {
      let body;
      let encoding = "identity";
      if (type.startsWith("text/html")) {
        body = await readFile(file, "utf8");
        for (const [from, to] of Object.entries(value(rewrite) ?? {})) body = body.replaceAll(from, to);
        const policy = value(csp);
        if (policy) headers["Content-Security-Policy"] = policy;
      } else {
        const accepted = request.headers["accept-encoding"] ?? "";
        for (const [token, suffix] of [["br", ".br"], ["gzip", ".gz"]]) {
          if (new RegExp(`\\b${token}\\b`).test(accepted) && (await exists(file + suffix))) {
            encoding = token;
            body = await readFile(file + suffix);
            break;
          }
        }
        body ??= await readFile(file);
        if (await exists(`${file}.br`)) headers.Vary = "Accept-Encoding";
        if (encoding !== "identity") headers["Content-Encoding"] = encoding;
      }
      headers["Content-Length"] = Buffer.byteLength(body);
      requests.push(`${request.method} ${path} ${encoding}`);
      response.writeHead(200, headers);
      response.end(request.method === "HEAD" ? undefined : body);
    } catch {
      requests.push(`${request.method} ${path} 404`);
      response.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: `${origin}/`,
    requests,
    close: () => {
      const closed = new Promise((ok) => server.close(ok));
      server.closeAllConnections();
      return closed;
    },
  };
}

async function exists(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? "")).href) {
  const port = (origin) => Number(new URL(origin).port);
  const { api, cdn, host } = EXAMPLE_ORIGINS;
  await startStaticServer({ dir: join(HERE, "../../dist/cdn"), port: port(cdn) });
  await startStaticServer({ dir: join(HERE, "site"), port: port(host), csp: strictCsp({ cdn, api }) });
  console.log(`CDN (dist/cdn):    ${cdn}/cart-widget.js`);
  console.log(`merchant page:     ${host}/  (API expected at ${api}, started with --cors-origins ${host})`);
}
