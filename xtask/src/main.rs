//! The project's one-command workflows.
//!
//! - `cargo xtask demo`: install what is missing, start the reference server and
//!   the widget preview (`trunk serve`), print the URL and open it.
//! - `cargo xtask test`: install what is missing (Chromium included), then run
//!   every check: fmt, clippy, native tests, browser component tests, the
//!   release build and the end-to-end suite in headless Chromium; the
//!   server's PostgreSQL tests on a throwaway cluster (`postgres.rs`).
//! - `cargo xtask dist`: the release build plus `dist/cdn/`, the widget ready
//!   for a CDN (loader, content-hashed files, `.br`/`.gz`), with a size table.
//! - `cargo xtask bench`: size, requests, latency and server-load benchmarks;
//!   prints one table and writes `BENCHMARKS.md`.
//! - `cargo xtask fuzz`: Schemathesis against the debug server's
//!   `/openapi.json` (`fuzz.rs`); also a step of `cargo xtask test`.
//! - `cargo xtask setup`: only install what is missing.
//! - `cargo xtask with-postgres COMMAND…`: runs one command with a throwaway
//!   PostgreSQL cluster's URL in `CART_TEST_POSTGRES_URL`, e.g. the server's
//!   PostgreSQL tests by hand: `cargo xtask with-postgres cargo test -p
//!   cart-server --test multi_node`.

mod bench;
mod demo;
mod dist;
mod fuzz;
mod postgres;
mod process;
mod progress;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = project_root();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo::run(&root),
        Some("test") => test::run(&root),
        Some("dist") => dist::run_command(&root),
        Some("bench") => bench::run_command(&root),
        Some("fuzz") => fuzz::run_command(&root, &args[1..]),
        Some("setup") => tools::ensure(&root, tools::Needs::Everything),
        Some("with-postgres") if args.len() > 1 => postgres::run_with(&root, &args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <demo|test|dist|bench|fuzz|setup|with-postgres COMMAND…>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
