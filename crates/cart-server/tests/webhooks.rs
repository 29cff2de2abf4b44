//! Cart events end to end: the API in process (`oneshot`), the real
//! dispatcher with short retry timings, and a real receiver on
//! 127.0.0.1:0 that verifies each delivery with the public key.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use cart_server::demo::{MUG, TOTE};
use cart_server::webhooks::{DispatchOptions, Dispatcher, RetryPolicy, SigningKey};
use cart_server::{EventStatus, ShopRules, app};
use common::receiver::{Delivery, Receiver};
use common::{CURRENT, TestServer};
use serde_json::{Value, json};

const KEY: &[u8] = include_bytes!("fixtures/webhook-test-key.pem");
const INSTANCE: &str = "6f1c1e52-6a43-4c1b-9a0c-3f2d8e4b7a10";

/// The API with events on, and its dispatcher posting to `url`.
async fn shop_with_webhooks(url: reqwest::Url) -> (TestServer, cart_server::AppState) {
    shop_giving_up_after(url, Duration::from_secs(60)).await
}

/// `shop_with_webhooks`, parking events that fail for `give_up_after`.
async fn shop_giving_up_after(
    url: reqwest::Url,
    give_up_after: Duration,
) -> (TestServer, cart_server::AppState) {
    let dir = tempfile::tempdir().unwrap();
    let mut state = common::state_for(&dir.path().join("cart.db"), ShopRules::demo()).await;
    state.db = state.db.clone().with_events(true);
    let options = DispatchOptions {
        retry: RetryPolicy {
            first_retry: Duration::from_millis(20),
            max_delay: Duration::from_millis(100),
            give_up_after,
        },
        poll_interval: Duration::from_millis(20),
        timeout: Duration::from_secs(5),
        batch: 32,
        keep_delivered: Duration::from_secs(3600),
    };
    let dispatcher = Dispatcher::new(
        &state.db,
        vec![url],
        SigningKey::from_pem(KEY).unwrap(),
        INSTANCE.to_owned(),
        state.catalogs.clone(),
        state.rules.clone(),
        state.public_url.clone().unwrap(),
        options,
    )
    .unwrap();
    dispatcher.spawn();
    let router = app(state.clone(), None);
    (TestServer { router, dir }, state)
}

async fn set_quantity(server: &TestServer, token: &str, line: &str, quantity: i64) -> Value {
    let body = json!({"lineItems": [{"id": line, "quantity": quantity}]});
    let path = format!("{CURRENT}/update-line-items-quantity");
    let (status, answer) = server
        .call(Method::POST, &path, Some(token), Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["cart"].clone()
}

#[tokio::test]
async fn each_change_arrives_signed_with_the_cart_the_api_answered() {
    let receiver = Receiver::default();
    let (server, _state) = shop_with_webhooks(receiver.start().await).await;
    let token = server.visitor().await;

    let (status, added) = server.add(&token, MUG, 2).await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let added = added["cart"].clone();
    let line = added["lineItems"][0]["id"].as_str().unwrap().to_owned();
    let changed = set_quantity(&server, &token, &line, 3).await;
    let (status, _) = server
        .call(Method::DELETE, CURRENT, Some(&token), None)
        .await;
    assert!(status.is_success(), "{status}");

    let deliveries = receiver.wait_for(3).await;
    let types: Vec<&str> = deliveries.iter().map(Delivery::event_type).collect();
    assert_eq!(
        types,
        [
            "wix.ecom.v1.cart_created",
            "wix.ecom.v1.cart_updated",
            "wix.ecom.v1.cart_deleted"
        ]
    );
    let cart_id = added["id"].as_str().unwrap();
    for (n, delivery) in deliveries.iter().enumerate() {
        assert_eq!(delivery.sequence(), (cart_id.to_owned(), n as i64 + 1));
        assert_eq!(delivery.envelope["instanceId"], INSTANCE);
        assert_eq!(delivery.event["entityFqdn"], "wix.ecom.v1.cart");
        assert_eq!(
            delivery.identity,
            json!({
                "identityType": "ANONYMOUS_VISITOR",
                "anonymousVisitorId": added["buyerInfo"]["visitorId"],
            })
        );
    }
    assert_eq!(deliveries[0].event["slug"], "created");
    assert_eq!(deliveries[0].event["createdEvent"]["entity"], added);
    assert_eq!(
        deliveries[1].event["updatedEvent"]["currentEntity"],
        changed
    );
    assert_eq!(deliveries[2].event["deletedEvent"], json!({}));
}

#[tokio::test]
async fn a_receiver_failing_twice_gets_the_same_event_until_it_acknowledges() {
    let receiver = Receiver::default();
    receiver.script.lock().unwrap().extend([
        StatusCode::INTERNAL_SERVER_ERROR,
        StatusCode::INTERNAL_SERVER_ERROR,
    ]);
    let (server, state) = shop_with_webhooks(receiver.start().await).await;
    let token = server.visitor().await;
    let (status, added) = server.add(&token, MUG, 1).await;
    assert_eq!(status, StatusCode::OK);

    let deliveries = receiver.wait_for(3).await;
    let ids: Vec<&Value> = deliveries.iter().map(|d| &d.event["id"]).collect();
    assert_eq!(ids, [ids[0], ids[0], ids[0]], "the same event each attempt");
    let cart_id = added["cart"]["id"].as_str().unwrap();
    wait_until_settled(&state, cart_id).await;
    let events = state.db.storage().cart_events(cart_id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].status, events[0].attempts),
        (EventStatus::Delivered, 3)
    );
    assert_eq!(events[0].id, ids[0].as_str().unwrap());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(receiver.count(), 3, "acknowledged: not sent again");
}

/// Waits until no event of the cart is pending.
async fn wait_until_settled(state: &cart_server::AppState, cart_id: &str) {
    for _ in 0..500 {
        let events = state.db.storage().cart_events(cart_id).await.unwrap();
        if events.iter().all(|e| e.status != EventStatus::Pending) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("events of {cart_id} still pending");
}

#[tokio::test]
async fn two_carts_get_contiguous_sequences_and_a_refused_change_sends_nothing() {
    let receiver = Receiver::default();
    let (server, state) = shop_with_webhooks(receiver.start().await).await;
    let (one, two) = (server.visitor().await, server.visitor().await);
    for (token, item) in [
        (&one, MUG),
        (&two, TOTE),
        (&one, TOTE),
        (&two, MUG),
        (&one, MUG),
    ] {
        let (status, body) = server.add(token, item, 1).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // Refused: an unknown item, a zero quantity, an unknown coupon.
    let (status, _) = server.add(&one, "no-such-item", 1).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = server.add(&two, MUG, 0).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let coupon = json!({"couponCode": "NO-SUCH-COUPON"});
    let (status, _) = server
        .call(Method::PATCH, CURRENT, Some(&one), Some(coupon))
        .await;
    assert!(status.is_client_error(), "{status}");

    let deliveries = receiver.wait_for(5).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(receiver.count(), 5, "nothing for the refused changes");
    let mut by_cart: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
    for delivery in &deliveries {
        let (cart, sequence) = delivery.sequence();
        by_cart.entry(cart).or_default().push(sequence);
    }
    let mut sequences: Vec<Vec<i64>> = by_cart.into_values().collect();
    sequences.sort();
    assert_eq!(sequences, [vec![1, 2], vec![1, 2, 3]]);
    let pending = state.db.storage().events(EventStatus::Pending, 100).await;
    assert_eq!(pending.unwrap(), []);
}

#[tokio::test]
async fn a_failing_cart_holds_back_its_own_later_events_and_no_other_carts() {
    let receiver = Receiver::default();
    let (server, state) = shop_with_webhooks(receiver.start().await).await;
    let (one, two) = (server.visitor().await, server.visitor().await);
    let (_, first) = server.add(&one, MUG, 1).await;
    let stuck = first["cart"]["id"].as_str().unwrap().to_owned();
    receiver.wait_for(1).await;
    // From now on the receiver fails the first cart's events.
    *receiver.refused_cart.lock().unwrap() = Some(stuck.clone());
    server.add(&one, TOTE, 1).await;
    server.add(&one, MUG, 1).await;
    for item in [MUG, TOTE, MUG] {
        server.add(&two, item, 1).await;
    }

    let of = |stuck_cart: bool| {
        let receiver = receiver.clone();
        let stuck = stuck.clone();
        async move {
            receiver
                .wait_for(0)
                .await
                .iter()
                .map(Delivery::sequence)
                .filter(|(cart, _)| (*cart == stuck) == stuck_cart)
                .map(|(_, sequence)| sequence)
                .collect::<Vec<i64>>()
        }
    };
    // The other cart's three arrive while the stuck cart's second is retried.
    for _ in 0..500 {
        if of(false).await.len() == 3 && of(true).await.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(of(false).await, [1, 2, 3]);
    let tried = of(true).await;
    assert!(tried.len() >= 3, "retried: {tried:?}");
    assert!(
        tried[1..].iter().all(|&s| s == 2),
        "the third waits behind the second: {tried:?}"
    );

    // Once the receiver takes them, the stuck cart's events follow in order.
    *receiver.refused_cart.lock().unwrap() = None;
    wait_until_settled(&state, &stuck).await;
    let delivered: Vec<i64> = of(true)
        .await
        .into_iter()
        .skip_while(|&s| s < 2)
        .skip_while(|&s| s == 2)
        .collect();
    assert_eq!(delivered, [3]);
}

#[tokio::test]
async fn a_parked_delivery_is_listed_and_requeued_with_the_admin_key() {
    let receiver = Receiver::default();
    receiver
        .script
        .lock()
        .unwrap()
        .extend([StatusCode::SERVICE_UNAVAILABLE; 1000]);
    let url = receiver.start().await;
    let (server, state) = shop_giving_up_after(url, Duration::from_millis(150)).await;
    let token = server.visitor().await;
    let (_, added) = server.add(&token, MUG, 1).await;
    let cart_id = added["cart"]["id"].as_str().unwrap();
    wait_until_settled(&state, cart_id).await;

    let list = "/admin/webhook-deliveries?status=failed";
    let (status, _) = server.call(Method::GET, list, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = server
        .call(Method::GET, list, Some(common::ADMIN_KEY), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let failed = body["deliveries"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{body}");
    assert_eq!(failed[0]["cartId"], cart_id);
    assert_eq!(failed[0]["status"], "FAILED");
    assert_eq!(failed[0]["eventType"], "wix.ecom.v1.cart_created");
    assert!(
        failed[0]["lastError"].as_str().unwrap().contains("503"),
        "{body}"
    );
    let attempts_before = receiver.count();
    assert!(attempts_before >= 2);

    receiver.script.lock().unwrap().clear();
    let (status, body) = server
        .call(
            Method::POST,
            "/admin/webhook-deliveries/requeue",
            Some(common::ADMIN_KEY),
            None,
        )
        .await;
    assert_eq!((status, &body), (StatusCode::OK, &json!({"requeued": 1})));
    let deliveries = receiver.wait_for(attempts_before + 1).await;
    assert_eq!(
        deliveries.last().unwrap().event["id"],
        deliveries[0].event["id"]
    );
    wait_until_settled(&state, cart_id).await;
    let events = state.db.storage().cart_events(cart_id).await.unwrap();
    assert_eq!(events[0].status, EventStatus::Delivered);
    let (_, body) = server
        .call(
            Method::GET,
            "/admin/webhook-deliveries",
            Some(common::ADMIN_KEY),
            None,
        )
        .await;
    assert_eq!(body, json!({"deliveries": []}));
}

#[tokio::test]
async fn without_webhooks_no_event_is_queued() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::state_for(&dir.path().join("cart.db"), ShopRules::demo()).await;
    let server = TestServer {
        router: app(state.clone(), None),
        dir,
    };
    let token = server.visitor().await;
    let (status, added) = server.add(&token, MUG, 1).await;
    assert_eq!(status, StatusCode::OK);
    let cart_id = added["cart"]["id"].as_str().unwrap();
    let events = state.db.storage().cart_events(cart_id).await.unwrap();
    assert_eq!(events, []);
}

#[tokio::test]
async fn a_change_through_cart_v2_is_one_event_in_the_same_sequence_as_v1() {
    let receiver = Receiver::default();
    let (server, _state) = shop_with_webhooks(receiver.start().await).await;
    let token = server.visitor().await;
    let v2 = cart_wire::CURRENT_CART_V2_PATH;

    let (status, added) = server.add(&token, MUG, 1).await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let item = json!({"catalogItems": [{"catalogReference": {"catalogItemId": TOTE, "appId": common::STORES}, "quantity": 1}]});
    let (status, body) = server
        .call(
            Method::POST,
            &format!("{v2}/add-line-items"),
            Some(&token),
            Some(item),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = server.call(Method::DELETE, v2, Some(&token), None).await;
    assert!(status.is_success(), "{body}");

    let deliveries = receiver.wait_for(3).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(receiver.count(), 3, "one event per change, whichever API");
    let types: Vec<&str> = deliveries.iter().map(Delivery::event_type).collect();
    assert_eq!(
        types,
        [
            "wix.ecom.v1.cart_created",
            "wix.ecom.v1.cart_updated",
            "wix.ecom.v1.cart_deleted"
        ]
    );
    let sequences: Vec<i64> = deliveries.iter().map(|d| d.sequence().1).collect();
    assert_eq!(sequences, [1, 2, 3]);
    let names: Vec<&Value> = deliveries[1].event["updatedEvent"]["currentEntity"]["lineItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| &line["productName"]["original"])
        .collect();
    assert_eq!(names.len(), 2, "the V2 add is in the v1 entity: {names:?}");
}
