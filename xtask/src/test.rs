//! `cargo xtask test`: every check the project has, in one run.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::dist;
use crate::fuzz;
use crate::postgres;
use crate::process::{TestCounts, command, run_counting};
use crate::tools::{self, Needs};

/// One check: its name, the command, the checks it needs to have passed,
/// and whether it needs the installed tools (wasm target, Trunk,
/// wasm-bindgen, npm packages, Chromium). A step that `explains` puts its
/// output in the summary when it fails (the size table of an over-budget
/// bundle).
struct Step {
    name: &'static str,
    command: Command,
    needs: &'static [&'static str],
    tools: bool,
    explains: bool,
}

/// The URLs of the test cluster's databases for the node suites that run
/// on PostgreSQL too.
struct OnPostgres {
    conformance: String,
    system: String,
}

/// The name under which a failed install shows in the summary.
const TOOLS: &str = "install tools";

pub fn run(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    // Before the background install: two apt-get runs at once would fight
    // over dpkg's lock.
    let postgres_installed = postgres::ensure_installed();
    // The checks that need only cargo run while the tools install: on a
    // fresh machine that overlaps most of the native work with the long
    // Trunk build (whose last minutes use one core).
    let mut installing = Some(tools::ensure_in_background(root, Needs::Everything));

    // Started before any test and stopped when `run` returns, however it
    // returns (`Cluster`'s drop). Every test command gets its URL; without
    // one the PostgreSQL tests fail under CI and skip otherwise. Two node
    // suites also run once more on a server on PostgreSQL, each in a
    // database of its own (nothing the Rust tests left is in it).
    let cluster = postgres_installed
        .and_then(|()| postgres::Cluster::start())
        .and_then(|cluster| {
            let databases = OnPostgres {
                conformance: cluster.create_database("conformance")?,
                system: cluster.create_database("system")?,
            };
            Ok((cluster, databases))
        });
    let postgres_url = cluster
        .as_ref()
        .ok()
        .map(|(cluster, _)| cluster.url.clone());
    let cargo = |args: &[&str]| {
        let mut cargo = command(root, "cargo");
        cargo.args(args);
        if let Some(url) = &postgres_url {
            cargo.env(postgres::URL_VARIABLE, url);
        }
        cargo
    };
    let mut wasm_tests = cargo(&[
        "test",
        "-p",
        "cart-widget",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "web",
    ]);
    wasm_tests.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    );
    let node_run = |files: Vec<String>| -> Command {
        let mut node = command(root, "node");
        node.args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
            .args(files)
            .env("CART_SERVER_BIN", root.join("target/debug/cart-server"))
            .env("CART_DIST_DIR", root.join("dist"))
            .env("CART_CDN_DIR", root.join("dist/cdn"));
        if let Some(url) = &postgres_url {
            node.env(postgres::URL_VARIABLE, url);
        }
        node
    };
    let node_tests = |dir: &str| test_files(root, dir).map(node_run);
    // `tests/support/server.mjs` starts its servers on `CART_SERVER_DB`
    // instead of a new SQLite file.
    let on_postgres = |files: Vec<String>, pick: fn(&OnPostgres) -> &String| {
        let mut node = node_run(files);
        if let Ok((_, databases)) = &cluster {
            node.env("CART_SERVER_DB", pick(databases));
        }
        node
    };
    let sdk_files = test_files(root, "tests/conformance")?
        .into_iter()
        .filter(|file| file.contains("/wix-sdk"))
        .collect();
    let sdk_on_postgres = on_postgres(sdk_files, |databases| &databases.conformance);
    let system_on_postgres = on_postgres(test_files(root, "tests/system")?, |databases| {
        &databases.system
    });

    let steps = vec![
        Step {
            name: "cargo fmt --check",
            command: cargo(&["fmt", "--all", "--check"]),
            needs: &[],
            tools: false,
            explains: false,
        },
        Step {
            name: "clippy (native)",
            command: cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
            needs: &[],
            tools: false,
            explains: false,
        },
        // The same for the v1 bundle's build: the other dialect's calls in
        // `src/api.rs` are compiled out of each bundle (both dialects' wire
        // code is compiled and tested in every build). `--workspace`, so the
        // dependencies' features are unified as in the step above and only
        // the widget is checked again (`-p cart-widget` would resolve them
        // for the widget alone and rebuild dozens of crates).
        Step {
            name: "clippy (native, v1 bundle)",
            command: cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--no-default-features",
                "--features",
                "cart-widget/v1",
                "--",
                "-D",
                "warnings",
            ]),
            needs: &[],
            tools: false,
            explains: false,
        },
        Step {
            name: "native tests",
            command: cargo(&["test", "--workspace"]),
            needs: &[],
            tools: false,
            explains: false,
        },
        // The libraries' unit tests again with the v1 bundle's features
        // (`--workspace` as for its clippy step; only the widget's change).
        Step {
            name: "native tests (v1 bundle)",
            command: cargo(&[
                "test",
                "--workspace",
                "--lib",
                "--no-default-features",
                "--features",
                "cart-widget/v1",
            ]),
            needs: &[],
            tools: false,
            explains: false,
        },
        Step {
            name: "server build",
            command: cargo(&["build", "-p", "cart-server"]),
            needs: &[],
            tools: false,
            explains: false,
        },
        Step {
            name: "clippy (wasm)",
            command: cargo(&[
                "clippy",
                "-p",
                "cart-widget",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
            needs: &[],
            tools: true,
            explains: false,
        },
        Step {
            name: "component tests (Chromium)",
            command: wasm_tests,
            needs: &[],
            tools: true,
            explains: false,
        },
        Step {
            name: "release build (trunk)",
            command: dist::release_build(root),
            needs: &[],
            tools: true,
            explains: false,
        },
        Step {
            name: "release build, v1 (trunk)",
            command: dist::release_build_v1(root),
            needs: &[],
            tools: true,
            explains: false,
        },
        Step {
            name: "CDN bundle (dist/cdn)",
            command: dist::cdn_bundle(root),
            needs: &["release build (trunk)", "release build, v1 (trunk)"],
            tools: true,
            explains: false,
        },
        Step {
            name: "CDN bundle size budget",
            command: dist::cdn_budget(root),
            needs: &["CDN bundle (dist/cdn)"],
            tools: true,
            explains: true,
        },
        Step {
            name: "system tests (kill -9)",
            command: node_tests("tests/system")?,
            needs: &["server build"],
            tools: true,
            explains: false,
        },
        Step {
            name: "Wix SDK conformance",
            command: node_tests("tests/conformance")?,
            needs: &["server build"],
            tools: true,
            explains: false,
        },
        // Needs python3 (with venv), not the browser tools.
        Step {
            name: "API fuzzing (Schemathesis)",
            command: fuzz::step(root),
            needs: &["server build"],
            tools: false,
            explains: false,
        },
        Step {
            name: "system tests (kill -9) on PostgreSQL",
            command: system_on_postgres,
            needs: &["server build", "PostgreSQL test cluster"],
            tools: true,
            explains: false,
        },
        Step {
            name: "Wix SDK conformance on PostgreSQL",
            command: sdk_on_postgres,
            needs: &["server build", "PostgreSQL test cluster"],
            tools: true,
            explains: false,
        },
        Step {
            name: "end-to-end (Chromium)",
            command: node_tests("tests/e2e")?,
            needs: &["CDN bundle (dist/cdn)", "server build"],
            tools: true,
            explains: false,
        },
        // The same flows with the widget speaking v1 (`data-cart-api="v1"`;
        // the default is Cart V2): every feature in both dialects, against
        // the same server, with the v1 bundle (the demo store of its Trunk
        // build; the loader of `dist/cdn` picks it by the attribute).
        Step {
            name: "end-to-end, v1 API (Chromium)",
            command: {
                let mut command = node_tests("tests/e2e")?;
                command
                    .env("CART_API", "v1")
                    .env("CART_DIST_DIR", root.join(dist::V1_DIST));
                command
            },
            needs: &["CDN bundle (dist/cdn)", "server build"],
            tools: true,
            explains: false,
        },
    ];

    let mut results: Vec<(&str, Result<(), String>, f64)> = Vec::new();
    results.push((
        "PostgreSQL test cluster",
        cluster.as_ref().map(|_| ()).map_err(Clone::clone),
        0.0,
    ));
    let mut counts = TestCounts::default();
    for mut step in steps {
        if step.tools
            && let Some(install) = installing.take()
        {
            let (result, seconds) = install
                .join()
                .unwrap_or_else(|_| (Err("the install thread panicked".to_owned()), 0.0));
            if result.is_ok() {
                println!("xtask: tools ready after {:.0?}", started.elapsed());
            }
            results.push((TOOLS, result, seconds));
        }
        if step.tools
            && results
                .iter()
                .any(|(name, result, _)| *name == TOOLS && result.is_err())
        {
            results.push((step.name, Err(format!("skipped: needs {TOOLS}")), 0.0));
            continue;
        }
        let unmet: Vec<&str> = step
            .needs
            .iter()
            .copied()
            .filter(|need| {
                !results
                    .iter()
                    .any(|(name, result, _)| name == need && result.is_ok())
            })
            .collect();
        if !unmet.is_empty() {
            let reason = format!("skipped: needs {}", unmet.join(", "));
            results.push((step.name, Err(reason), 0.0));
            continue;
        }
        println!("\n=== {} ===", step.name);
        let step_started = Instant::now();
        let (result, step_counts) = run_counting(&mut step.command, step.explains);
        counts.passed += step_counts.passed;
        counts.failed += step_counts.failed;
        results.push((step.name, result, step_started.elapsed().as_secs_f64()));
    }

    println!("\n=== summary ({:.0?} in all) ===", started.elapsed());
    for (name, result, seconds) in &results {
        match result {
            Ok(()) => println!("  ok      {seconds:6.1}s  {name}"),
            Err(reason) => println!("  FAILED  {seconds:6.1}s  {name}: {reason}"),
        }
    }
    let failed_steps = results
        .iter()
        .filter(|(_, result, _)| result.is_err())
        .count();
    println!("tests: {} passed, {} failed", counts.passed, counts.failed);
    if failed_steps == 0 && counts.failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed_steps} of {} steps failed", results.len()))
    }
}

/// The node test files of a directory, `{dir}/*.test.mjs`.
fn test_files(root: &Path, dir: &str) -> Result<Vec<String>, String> {
    let relative = dir;
    let dir = root.join(dir);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|error| format!("{}: {error}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("{relative}/{name}"))
        .collect();
    files.sort();
    Ok(files)
}
