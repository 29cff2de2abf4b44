// The one launcher of the real reference server, shared by the end-to-end
// tests, the conformance tests and the benchmark: a fresh SQLite database in
// a temporary folder (or the PostgreSQL database `CART_SERVER_DB` names), a
// free loopback port, and a stop that waits for exit.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How long a server may take to say it is listening. */
const START_TIMEOUT_MS = 15_000;

/**
 * Starts cart-server and resolves once it is listening.
 *
 * - `bin`: the server binary (default `CART_SERVER_BIN`, else the debug build);
 * - `staticDir`: the folder it serves at `/` (`null`: none);
 * - `args`: extra flags, e.g. `["--cors-origins", origin]`;
 * - `db`: the database (a path or a `postgres://` URL), else as below.
 *
 * With `CART_SERVER_DB` set (a `postgres://` URL; `cargo xtask test` sets it
 * for the SDK conformance run on PostgreSQL) the server runs on that
 * database instead of a new SQLite file: the caller's to keep fresh.
 *
 * The server's output goes to a file rather than a pipe, so a busy server
 * (the benchmark's load) never blocks on a pipe nobody reads.
 */
export async function startServer({
  bin = process.env.CART_SERVER_BIN ?? "target/debug/cart-server",
  staticDir = null,
  args = [],
  dataDir = null,
  db: database = null,
} = {}) {
  // `dataDir`: a folder of the caller's holding the database, kept on stop,
  // so a second server can start on what the first one left.
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), "cart-server-")));
  const logPath = join(dir, `server-${Date.now()}.log`);
  const logFile = openSync(logPath, "w");
  const db = database ?? (process.env.CART_SERVER_DB || join(dir, "cart.db"));
  const flags = ["--listen", "127.0.0.1:0", "--db", db];
  if (staticDir !== null) flags.push("--static-dir", staticDir);
  const child = spawn(bin, [...flags, ...args], {
    stdio: ["ignore", logFile, logFile],
    env: { ...process.env, NO_COLOR: "1" },
  });
  closeSync(logFile);
  let exited = null;
  child.on("exit", (code, signal) => (exited = code ?? signal));
  const log = () => readFileSync(logPath, "utf8");

  const deadline = Date.now() + START_TIMEOUT_MS;
  let url;
  while (!url) {
    const text = await readFile(logPath, "utf8");
    url = text.match(/listening on (http:\/\/[\d.:]+)/)?.[1];
    if (url) break;
    if (exited !== null) throw new Error(`server exited (${exited}):\n${text}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    /** `http://127.0.0.1:PORT/` as the server printed it. */
    url,
    /** The same without the trailing slash, for building URLs and CSP sources. */
    origin: url.replace(/\/$/, ""),
    pid: child.pid,
    log,
    /** The process's resident memory now and at its peak, in bytes. */
    async memory() {
      const status = await readFile(`/proc/${child.pid}/status`, "utf8");
      const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))[1]) * 1024;
      return { rss: field("VmRSS"), peak: field("VmHWM") };
    },
    /** Stops the server (SIGINT, a graceful shutdown) and removes its database unless it is the caller's. */
    async stop() {
      if (exited === null) {
        const done = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        await done;
      }
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
    /** Kills the server with SIGKILL (`kill -9`): no shutdown, no flush; resolves once it is gone. */
    async crash() {
      if (exited !== null) return;
      const done = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await done;
    },
  };
}
