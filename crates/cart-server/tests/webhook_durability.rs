//! The outbox survives `kill -9`: the real binary, its receiver down, five
//! changes, SIGKILL, a restart on the same database with the receiver back:
//! all five arrive, in order, their sequences contiguous.

mod common;

use std::path::Path;
use std::time::Duration;

use common::node::Node;
use common::receiver::Receiver;
use serde_json::{Value, json};

const KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/webhook-test-key.pem"
);

/// The server on `db`, posting to `hook`, with 50 ms first retries.
fn start(db: &Path, hook: &str) -> Node {
    let args = ["--webhook-url", hook, "--webhook-key", KEY];
    Node::start(
        db,
        &[&args[..], &["--webhook-first-retry-ms", "50"]].concat(),
    )
}

async fn post(client: &reqwest::Client, url: String, token: Option<&str>, body: Value) -> Value {
    let mut request = client
        .post(url)
        .header("Content-Type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.header("Authorization", token);
    }
    let response = request.send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

#[tokio::test]
async fn events_not_acknowledged_before_a_kill_9_arrive_after_the_restart_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cart.db");
    // A port nobody listens on until the receiver comes back on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let hook = format!("http://{address}/hook");

    let mut server = start(&db, &hook);
    let origin = server.origin.clone();
    let client = reqwest::Client::new();
    let tokens = post(
        &client,
        format!("{origin}/oauth2/token"),
        None,
        json!({"clientId": "test", "grantType": "anonymous"}),
    )
    .await;
    let token = tokens["access_token"].as_str().unwrap();
    let mut cart_id = String::new();
    for quantity in 1..=5 {
        let add = common::add_body(cart_server::demo::MUG, Value::Null, 1);
        let path = format!("{origin}{}/add-to-cart", common::CURRENT);
        let answer = post(&client, path, Some(token), add).await;
        assert_eq!(answer["cart"]["lineItems"][0]["quantity"], quantity);
        cart_id = answer["cart"]["id"].as_str().unwrap().to_owned();
    }
    // Let it fail a few deliveries, then kill it without warning.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill();

    let receiver = Receiver::default();
    receiver.start_on(&address).await;
    let mut server = start(&db, &hook);
    let deliveries = receiver.wait_for(5).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill();

    assert_eq!(receiver.count(), 5, "each event once");
    let sequences: Vec<(String, i64)> = deliveries.iter().map(|d| d.sequence()).collect();
    let expected: Vec<(String, i64)> = (1..=5).map(|n| (cart_id.clone(), n)).collect();
    assert_eq!(sequences, expected);
    let quantities: Vec<&Value> = deliveries
        .iter()
        .map(|d| {
            let body = &d.event[if d.event["slug"] == "created" {
                "createdEvent"
            } else {
                "updatedEvent"
            }];
            let cart = if body["entity"].is_null() {
                &body["currentEntity"]
            } else {
                &body["entity"]
            };
            &cart["lineItems"][0]["quantity"]
        })
        .collect();
    assert_eq!(quantities, [1, 2, 3, 4, 5]);
    assert_eq!(deliveries[0].event_type(), "wix.ecom.v1.cart_created");
}
