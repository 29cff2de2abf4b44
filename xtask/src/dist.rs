//! `cargo xtask dist`: the widget built for static hosting on a CDN.
//!
//! Two `trunk build --release`s, one per API dialect: the default bundle
//! (Cart V2) into `dist/`, the v1 one (the cargo feature `v1`) into
//! `dist-v1/`; then `xtask/dist.mjs` writes `dist/cdn/`: the stable-named
//! loader `cart-widget.js`, which loads one dialect's files, the
//! content-hashed JS glue and wasm of each, the CSS, a `.br` and a `.gz`
//! beside each, and prints their sizes.

use std::path::Path;
use std::process::Command;

use crate::process::{command, run};
use crate::tools::{self, Needs};

/// Where the v1 bundle's Trunk build goes (`V1_DIST` in `xtask/dist.mjs`):
/// beside `dist/`, not in it, because each Trunk build empties its folder.
pub const V1_DIST: &str = "dist-v1";

pub fn run_command(root: &Path) -> Result<(), String> {
    tools::ensure(root, Needs::Build)?;
    build(root)
}

/// Both release builds and the CDN bundle (tools already installed).
pub fn build(root: &Path) -> Result<(), String> {
    run(&mut release_build(root))?;
    run(&mut release_build_v1(root))?;
    run(&mut cdn_bundle(root))
}

/// `trunk build --release` into `dist/`: the default bundle, Cart V2.
pub fn release_build(root: &Path) -> Command {
    let mut trunk = command(root, "trunk");
    trunk.args(["build", "--release"]);
    trunk
}

/// The v1 bundle (`data-cart-api="v1"`) into `dist-v1/`: the same source
/// with only the `v1` feature. Only the widget itself is compiled again: its
/// dependencies have the same features in both builds.
pub fn release_build_v1(root: &Path) -> Command {
    let mut trunk = release_build(root);
    trunk.args([
        "--no-default-features",
        "--features",
        "v1",
        "--dist",
        V1_DIST,
    ]);
    trunk
}

/// `dist/cdn/` from the release builds in `dist/` and `dist-v1/`.
pub fn cdn_bundle(root: &Path) -> Command {
    let mut node = command(root, "node");
    node.args(["xtask/dist.mjs", "dist", V1_DIST]);
    node
}

/// The size tables of `dist/cdn/`; fails when the default bundle is over
/// the size it has reached (`CEILING_BYTES` in `xtask/dist.mjs`, under the
/// 120 KB budget).
pub fn cdn_budget(root: &Path) -> Command {
    let mut node = command(root, "node");
    node.args(["xtask/dist.mjs", "--budget", "dist"]);
    node
}
