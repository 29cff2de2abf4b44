//! `cargo xtask bench`: the widget's transfer size, the requests a burst of
//! changes sends, click → paint latency, page load against a hand-written
//! vanilla-JS floor, and the reference server under `wrk`. Prints one table
//! and writes it, with a description of the machine, to `BENCHMARKS.md`.
//!
//! Not part of `cargo xtask test`: timings are measurements, not checks.

use std::path::Path;

use crate::process::{command, run};
use crate::tools::{self, Needs};

pub fn run_command(root: &Path) -> Result<(), String> {
    tools::ensure(root, Needs::Everything)?;
    if !tool_on_path(root, "wrk") {
        println!("xtask: installing Debian's wrk (HTTP load generator)");
        tools::apt_install(&["wrk"])?;
    }
    crate::dist::build(root)?;
    run(command(root, "cargo").args([
        "build",
        "-p",
        "cart-server",
        "--profile",
        "server-release",
    ]))?;
    // 5f/5g run the server on PostgreSQL: a throwaway cluster with fsync on,
    // one empty database for the one-node run and one for the two-node run.
    crate::postgres::ensure_installed()?;
    let cluster = crate::postgres::Cluster::start_durable()?;
    let databases = [
        cluster.create_database("bench_one_node")?,
        cluster.create_database("bench_two_nodes")?,
    ];
    run(command(root, "node")
        .args(["bench/run.mjs", "--write", "BENCHMARKS.md"])
        .env("CART_BENCH_POSTGRES", databases.join(" "))
        .env(
            "CART_SERVER_BIN",
            root.join("target/server-release/cart-server"),
        )
        .env("CART_DIST_DIR", root.join("dist")))
}

/// Whether `program` is an executable file in one of `PATH`'s directories
/// (`wrk --version` exits non-zero, so its output cannot tell).
fn tool_on_path(root: &Path, program: &str) -> bool {
    std::env::split_paths(&crate::process::tool_path(root)).any(|dir| dir.join(program).is_file())
}
