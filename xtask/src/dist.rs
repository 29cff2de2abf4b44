//! `cargo xtask dist`: the widget built for static hosting on a CDN.
//!
//! `trunk build --release`, then `xtask/dist.mjs` writes `dist/cdn/`: the
//! stable-named loader `cart-widget.js`, the content-hashed JS glue, wasm and
//! CSS, a `.br` and a `.gz` beside each, and prints their sizes.

use std::path::Path;
use std::process::Command;

use crate::process::{command, run};
use crate::tools::{self, Needs};

pub fn run_command(root: &Path) -> Result<(), String> {
    tools::ensure(root, Needs::Build)?;
    build(root)
}

/// The release build and the CDN bundle (tools already installed).
pub fn build(root: &Path) -> Result<(), String> {
    run(&mut release_build(root))?;
    run(&mut cdn_bundle(root))
}

/// `trunk build --release` into `dist/`.
pub fn release_build(root: &Path) -> Command {
    let mut trunk = command(root, "trunk");
    trunk.args(["build", "--release"]);
    trunk
}

/// `dist/cdn/` from the release build in `dist/`.
pub fn cdn_bundle(root: &Path) -> Command {
    let mut node = command(root, "node");
    node.args(["xtask/dist.mjs", "dist"]);
    node
}

/// The size table of `dist/cdn/`; fails when the bundle is over its budget
/// (`BUDGET_BYTES` in `xtask/dist.mjs`: 120 KB brotli).
pub fn cdn_budget(root: &Path) -> Command {
    let mut node = command(root, "node");
    node.args(["xtask/dist.mjs", "--budget", "dist"]);
    node
}
