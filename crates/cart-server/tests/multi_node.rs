//! Several server nodes on one PostgreSQL database, as behind a load
//! balancer: the real binary twice, a fresh database per test (see
//! `common/postgres.rs`; without a test cluster these skip, or fail under
//! CI). Also what a node does when its database is unreachable at start,
//! refuses its password, or goes away while it serves.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use common::node::{Node, run_to_exit};
use common::receiver::Receiver;
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

const KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/webhook-test-key.pem"
);

/// An HTTP answer: status and JSON body (`Null` when none).
async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> reqwest::Result<(u16, Value)> {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.header("Authorization", token);
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let text = response.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// A new anonymous visitor's access token, minted by the node at `origin`.
async fn visitor(client: &reqwest::Client, origin: &str) -> String {
    let body = json!({"clientId": "test", "grantType": "anonymous"});
    let url = format!("{origin}/oauth2/token");
    let (status, tokens) = call(client, reqwest::Method::POST, url, None, Some(body))
        .await
        .unwrap();
    assert_eq!(status, 200, "{tokens}");
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// Adds one e-book (stock not tracked) through the node at `origin`.
async fn add_book(
    client: &reqwest::Client,
    origin: &str,
    token: &str,
) -> reqwest::Result<(u16, Value)> {
    let url = format!("{origin}{}/add-to-cart", common::CURRENT);
    let body = common::add_body(cart_server::demo::E_BOOK, Value::Null, 1);
    call(client, reqwest::Method::POST, url, Some(token), Some(body)).await
}

/// The visitor's cart as the node at `origin` reads it.
async fn current_cart(client: &reqwest::Client, origin: &str, token: &str) -> (u16, Value) {
    let url = format!("{origin}{}", common::CURRENT);
    call(client, reqwest::Method::GET, url, Some(token), None)
        .await
        .unwrap()
}

/// Two nodes on one fresh database, started at the same moment (so their
/// migrations race on the empty database); `None` without a test cluster.
fn two_nodes(url: &str, args: &[&str]) -> (Node, Node) {
    std::thread::scope(|scope| {
        let a = scope.spawn(|| Node::start(url, args));
        let b = scope.spawn(|| Node::start(url, args));
        (a.join().unwrap(), b.join().unwrap())
    })
}

#[tokio::test]
async fn a_token_minted_by_one_node_works_on_the_other_and_a_change_reads_back_there_at_once() {
    let Some(url) = common::postgres::fresh_database().await else {
        return;
    };
    let (a, b) = two_nodes(&url, &[]);
    let client = reqwest::Client::new();
    let token = visitor(&client, &a.origin).await;
    for quantity in 1..=3 {
        let (writer, reader) = if quantity % 2 == 1 {
            (&a, &b)
        } else {
            (&b, &a)
        };
        let (status, added) = add_book(&client, &writer.origin, &token).await.unwrap();
        assert_eq!(status, 200, "{added}");
        let (status, read) = current_cart(&client, &reader.origin, &token).await;
        assert_eq!(status, 200, "{read}");
        assert_eq!(read["cart"]["lineItems"][0]["quantity"], quantity);
        assert_eq!(read["cart"]["id"], added["cart"]["id"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_parallel_adds_split_over_two_nodes_leave_one_line_of_a_hundred() {
    let Some(url) = common::postgres::fresh_database().await else {
        return;
    };
    let (a, b) = two_nodes(&url, &[]);
    let client = reqwest::Client::new();
    let token = visitor(&client, &b.origin).await;
    let mut adds = JoinSet::new();
    for n in 0..100 {
        let origin = if n % 2 == 0 { &a.origin } else { &b.origin }.clone();
        let (client, token) = (client.clone(), token.clone());
        adds.spawn(async move { add_book(&client, &origin, &token).await.unwrap() });
    }
    while let Some(done) = adds.join_next().await {
        let (status, body) = done.unwrap();
        assert_eq!(status, 200, "{body}");
    }
    for node in [&a, &b] {
        let (_, cart) = current_cart(&client, &node.origin, &token).await;
        let lines = cart["cart"]["lineItems"].as_array().unwrap();
        assert_eq!(lines.len(), 1, "{cart}");
        assert_eq!(lines[0]["quantity"], 100);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_kill_9_of_one_node_under_load_the_other_answers_and_no_acknowledged_add_is_lost() {
    let Some(url) = common::postgres::fresh_database().await else {
        return;
    };
    let (mut a, b) = two_nodes(&url, &[]);
    let client = reqwest::Client::new();
    let token = visitor(&client, &a.origin).await;
    let acknowledged = Arc::new(AtomicUsize::new(0));
    // Adds sent to the killed node that got no answer: each may or may not
    // have been committed.
    let unanswered = Arc::new(AtomicUsize::new(0));
    let mut load = JoinSet::new();
    for worker in 0..8 {
        let origin = if worker % 2 == 0 {
            &a.origin
        } else {
            &b.origin
        }
        .clone();
        let survivor = worker % 2 == 1;
        let (client, token) = (client.clone(), token.clone());
        let (acknowledged, unanswered) = (acknowledged.clone(), unanswered.clone());
        load.spawn(async move {
            for _ in 0..25 {
                match add_book(&client, &origin, &token).await {
                    Ok((200, _)) => {
                        acknowledged.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok((status, body)) => panic!("{origin} answered {status}: {body}"),
                    Err(error) if survivor => panic!("the surviving node failed: {error}"),
                    Err(_) => {
                        unanswered.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    a.kill();
    while let Some(done) = load.join_next().await {
        done.unwrap();
    }
    let acknowledged = acknowledged.load(Ordering::SeqCst);
    let unanswered = unanswered.load(Ordering::SeqCst);
    assert!(unanswered > 0, "the kill came after all the load");
    let (status, cart) = current_cart(&client, &b.origin, &token).await;
    assert_eq!(status, 200, "{cart}");
    let quantity = cart["cart"]["lineItems"][0]["quantity"].as_u64().unwrap() as usize;
    assert!(
        (acknowledged..=acknowledged + unanswered).contains(&quantity),
        "{quantity} books: {acknowledged} acknowledged, {unanswered} unanswered"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_send_each_cart_event_once_and_each_carts_events_in_order() {
    let Some(url) = common::postgres::fresh_database().await else {
        return;
    };
    let receiver = Receiver::default();
    let hook = receiver.start().await;
    let args = ["--webhook-url", hook.as_str(), "--webhook-key", KEY];
    let (a, b) = two_nodes(&url, &args);
    let client = reqwest::Client::new();
    let mut visitors = JoinSet::new();
    for _ in 0..4 {
        let (client, a, b) = (client.clone(), a.origin.clone(), b.origin.clone());
        visitors.spawn(async move {
            let token = visitor(&client, &a).await;
            for n in 0..5 {
                let origin = if n % 2 == 0 { &a } else { &b };
                let (status, body) = add_book(&client, origin, &token).await.unwrap();
                assert_eq!(status, 200, "{body}");
            }
        });
    }
    while let Some(done) = visitors.join_next().await {
        done.unwrap();
    }
    let deliveries = receiver.wait_for(20).await;
    // Both dispatchers poll every 500 ms: give a duplicate time to show.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.count(), 20, "each event once");
    let mut by_cart: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
    for delivery in &deliveries {
        let (cart, sequence) = delivery.sequence();
        by_cart.entry(cart).or_default().push(sequence);
    }
    assert_eq!(by_cart.len(), 4);
    for sequences in by_cart.values() {
        assert_eq!(sequences, &[1, 2, 3, 4, 5], "in order, none twice");
    }
}

#[tokio::test]
async fn an_unreachable_database_or_a_wrong_password_stops_the_start_with_a_clear_message() {
    // Nothing listens on port 1; no cluster is needed to find that out.
    let refused = run_to_exit("postgres://cart:secret@127.0.0.1:1/cart", &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("could not open database postgres://cart:***@127.0.0.1:1/cart")
            && stderr.contains("Connection refused"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret") && !stderr.contains("panicked"),
        "{stderr}"
    );

    let Some(url) = common::postgres::fresh_database().await else {
        return;
    };
    let mut wrong = reqwest::Url::parse(&url).unwrap();
    wrong.set_password(Some("not-the-password")).unwrap();
    let refused = run_to_exit(wrong.as_str(), &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("password authentication failed"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-the-password"), "{stderr}");
}

/// A TCP relay between a node and PostgreSQL that the test can cut (every
/// open connection dropped, new ones refused at once) and restore: the
/// database "goes away" without touching the shared cluster.
struct Relay {
    address: String,
    up: Arc<AtomicBool>,
    connections: Arc<std::sync::Mutex<JoinSet<()>>>,
}

impl Relay {
    async fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let up = Arc::new(AtomicBool::new(true));
        let connections = Arc::new(std::sync::Mutex::new(JoinSet::new()));
        let (relay_up, relay_connections) = (up.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !relay_up.load(Ordering::SeqCst) {
                    continue; // dropped: the node sees its connection closed
                }
                let target = target.clone();
                relay_connections.lock().unwrap().spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Self {
            address,
            up,
            connections,
        }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.connections.lock().unwrap().abort_all();
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_lost_while_serving_gives_503_in_the_error_envelope_and_service_comes_back() {
    let Some(url) = common::postgres::fresh_database().await else {
        return;
    };
    let direct = reqwest::Url::parse(&url).unwrap();
    let target = format!(
        "{}:{}",
        direct.host_str().unwrap(),
        direct.port().unwrap_or(5432)
    );
    let relay = Relay::start(target).await;
    let mut via_relay = direct.clone();
    let (host, port) = relay.address.split_once(':').unwrap();
    via_relay.set_host(Some(host)).unwrap();
    via_relay.set_port(Some(port.parse().unwrap())).unwrap();
    let node = Node::start(via_relay.as_str(), &[]);
    let client = reqwest::Client::new();
    let token = visitor(&client, &node.origin).await;
    assert_eq!(
        add_book(&client, &node.origin, &token).await.unwrap().0,
        200
    );

    relay.cut();
    let (status, body) = current_cart(&client, &node.origin, &token).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        body["details"]["applicationError"]["code"], "SERVICE_UNAVAILABLE",
        "{body}"
    );
    let (status, _) = add_book(&client, &node.origin, &token).await.unwrap();
    assert_eq!(status, 503);

    relay.restore();
    let mut answer = (0, Value::Null);
    for _ in 0..40 {
        answer = current_cart(&client, &node.origin, &token).await;
        if answer.0 == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(answer.0, 200, "{}", answer.1);
    assert_eq!(
        answer.1["cart"]["lineItems"][0]["quantity"], 1,
        "the change before the outage is there, the refused one is not"
    );
    assert_eq!(
        add_book(&client, &node.origin, &token).await.unwrap().0,
        200
    );
}

/// A webhook URL that accepts connections and never answers; how many
/// connections it has accepted. What a node posting there is stuck on.
fn black_hole() -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().map_while(Result::ok) {
            held.push(stream);
            count.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, accepted)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_while_it_holds_an_events_lease_delays_that_cart_but_loses_nothing() {
    let Some(url) = common::postgres::fresh_database().await else {
        return;
    };
    // Node A posts into a black hole with a 2 s timeout: its lease on the
    // event it is sending is 2 s + 5 s.
    let (hole, accepted) = black_hole();
    let timeouts = [
        "--webhook-timeout-ms",
        "2000",
        "--webhook-first-retry-ms",
        "50",
    ];
    let a_args = [
        &["--webhook-url", hole.as_str(), "--webhook-key", KEY],
        &timeouts[..],
    ]
    .concat();
    let mut a = Node::start(&url, &a_args);
    let client = reqwest::Client::new();
    let token = visitor(&client, &a.origin).await;
    assert_eq!(add_book(&client, &a.origin, &token).await.unwrap().0, 200);
    for _ in 0..200 {
        if accepted.load(Ordering::SeqCst) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "A is posting the event");
    let claimed = std::time::Instant::now();
    a.kill();

    // Node B sends to a real receiver, but only once A's lease has run out.
    let receiver = Receiver::default();
    let hook = receiver.start().await;
    let b_args = [
        &["--webhook-url", hook.as_str(), "--webhook-key", KEY],
        &timeouts[..],
    ]
    .concat();
    let b = Node::start(&url, &b_args);
    assert_eq!(add_book(&client, &b.origin, &token).await.unwrap().0, 200);
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(receiver.count(), 0, "the cart's events wait for the lease");
    let deliveries = receiver.wait_for(2).await;
    let waited = claimed.elapsed();
    assert!(waited >= Duration::from_secs(6), "sent after {waited:?}");
    let sequences: Vec<i64> = deliveries.iter().map(|d| d.sequence().1).collect();
    assert_eq!(sequences, [1, 2], "both, in order");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.count(), 2, "each once");
}
