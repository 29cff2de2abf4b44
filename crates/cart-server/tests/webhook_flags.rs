//! Flags at start (webhooks, the test fault switch): bad combinations stop
//! the real binary with a clear message and a non-zero exit, before it
//! listens.

use std::path::Path;
use std::process::{Command, Output};

const KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/webhook-test-key.pem"
);
const PUBLIC_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/webhook-test-key.pub.pem"
);

/// Runs the server with `args` on a fresh database (port 0: never serves
/// for long in these tests; each case fails before listening).
fn start(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cart-server"))
        .args(["--listen", "127.0.0.1:0", "--db"])
        .arg(dir.join("cart.db"))
        .args(args)
        .env_remove("CART_WEBHOOK_URLS")
        .env_remove("CART_WEBHOOK_KEY")
        .env_remove("CART_INSTANCE_ID")
        .output()
        .unwrap()
}

fn refused(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let output = start(dir.path(), args);
    assert!(!output.status.success(), "started with {args:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_url_without_a_key_stops_the_start() {
    let stderr = refused(&["--webhook-url", "http://127.0.0.1:9/hook"]);
    assert!(stderr.contains("--webhook-key"), "{stderr}");
}

#[test]
fn a_missing_key_file_stops_the_start_naming_it() {
    let stderr = refused(&[
        "--webhook-url",
        "http://127.0.0.1:9/hook",
        "--webhook-key",
        "/nonexistent/key.pem",
    ]);
    assert!(
        stderr.contains("could not read the webhook key /nonexistent/key.pem"),
        "{stderr}"
    );
}

#[test]
fn a_public_key_instead_of_a_private_one_stops_the_start() {
    let stderr = refused(&[
        "--webhook-url",
        "http://127.0.0.1:9/hook",
        "--webhook-key",
        PUBLIC_KEY,
    ]);
    assert!(stderr.contains("is not a PEM RSA private key"), "{stderr}");
}

#[test]
fn a_malformed_url_stops_the_start() {
    for url in ["not a url", "ftp://example.com/hook", "/relative/hook"] {
        let stderr = refused(&["--webhook-url", url, "--webhook-key", KEY]);
        assert!(stderr.contains("--webhook-url"), "{url}: {stderr}");
    }
}

#[test]
fn a_malformed_instance_id_stops_the_start() {
    let stderr = refused(&["--instance-id", "site-1"]);
    assert!(stderr.contains("--instance-id"), "{stderr}");
}

#[test]
fn the_test_fault_switch_is_refused_on_a_public_https_origin() {
    let stderr = refused(&["--test-faults", "--public-url", "https://shop.example.com"]);
    assert!(stderr.contains("--test-faults"), "{stderr}");
}
