//! JavaScript cannot import Rust constants, so the few facts the JS tests and
//! the merchant example need are written there once more; these tests keep
//! each copy equal to the Rust one.

use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_js_tests_use_the_same_stores_app_id() {
    let js = read("tests/support/demo-catalog.mjs");
    let expected = format!("STORES_APP_ID = \"{}\"", cart_wire::WIX_STORES_APP_ID);
    assert!(
        js.contains(&expected),
        "tests/support/demo-catalog.mjs must say {expected}"
    );
}

#[test]
fn the_merchant_example_uses_the_same_stores_app_id() {
    let js = read("examples/csp-host/site/host.js");
    let expected = format!("WIX_STORES_APP_ID = \"{}\"", cart_wire::WIX_STORES_APP_ID);
    assert!(
        js.contains(&expected),
        "examples/csp-host/site/host.js must say {expected}"
    );
}
