//! Slow and numerous clients cannot hold the server: a client that does not
//! finish its headers is disconnected, a body that stalls gets a 408 in the
//! envelope and the connection closed, and past the connection limit new
//! connections wait for one to close. Over real TCP connections, with
//! test-short timeouts; handlers still see the peer's address, and a
//! shutdown lets the request in flight finish.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use axum::routing::get;
use cart_server::connections::{ConnectionLimits, serve};
use cart_server::{AppState, ShopRules, app};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const SHORT: Duration = Duration::from_millis(300);
/// Far longer than any test waits.
const LONG: Duration = Duration::from_secs(60);

/// A running server: its address, its stop switch and its task.
struct Running {
    address: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

async fn start(app: Router, limits: ConnectionLimits) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, app, limits, async {
        let _ = stopped.await;
    }));
    Running {
        address,
        stop,
        task,
    }
}

/// The cart API on a fresh database, adjusted by `with`.
async fn cart_app(dir: &tempfile::TempDir, with: impl FnOnce(&mut AppState)) -> Router {
    let mut state = common::state_for(&dir.path().join("cart.db"), ShopRules::demo()).await;
    with(&mut state);
    app(state, None)
}

/// What the server sent until it closed the connection, or `None` when it
/// is still open after `wait`.
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut bytes = Vec::new();
    // A reset counts as closed, like the end of the stream.
    tokio::time::timeout(wait, stream.read_to_end(&mut bytes))
        .await
        .ok()?
        .ok();
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

async fn send(address: SocketAddr, text: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(text.as_bytes()).await.unwrap();
    stream
}

const OPENAPI: &str = "GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

#[tokio::test]
async fn a_client_that_sends_half_its_headers_is_disconnected_after_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let limits = ConnectionLimits {
        header_timeout: SHORT,
        max_connections: 10,
    };
    let server = start(cart_app(&dir, |_| {}).await, limits).await;

    let started = Instant::now();
    let mut half = send(server.address, "GET /openapi.json HTTP/1.1\r\nHost: 127.0").await;
    let sent = read_until_closed(&mut half, Duration::from_secs(10)).await;
    let sent = sent.expect("the connection was closed");
    assert!(started.elapsed() >= SHORT, "{:?}", started.elapsed());
    assert!(!sent.contains("200 OK"), "{sent}");
    // A client silent from the start is disconnected too.
    let mut silent = TcpStream::connect(server.address).await.unwrap();
    assert!(
        read_until_closed(&mut silent, Duration::from_secs(10))
            .await
            .is_some()
    );

    // Whole headers in time are answered.
    let mut whole = send(server.address, OPENAPI).await;
    let answer = read_until_closed(&mut whole, Duration::from_secs(10)).await;
    assert!(answer.unwrap().starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn a_body_that_stalls_gets_an_envelope_408_and_the_connection_closes() {
    let dir = tempfile::tempdir().unwrap();
    let app = cart_app(&dir, |state| state.body_timeout = SHORT).await;
    let limits = ConnectionLimits {
        header_timeout: LONG,
        max_connections: 10,
    };
    let server = start(app, limits).await;

    let started = Instant::now();
    let head = "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                Content-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    let mut stalled = send(server.address, &format!("{head}{{\"clientId\"")).await;
    let answer = read_until_closed(&mut stalled, Duration::from_secs(10)).await;
    let answer = answer.expect("the connection was closed");
    assert!(started.elapsed() >= SHORT, "{:?}", started.elapsed());
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"REQUEST_TIMEOUT\""), "{answer}");
    assert!(answer.contains("x-wix-request-id"), "{answer}");

    // A body sent in time is read as before.
    let body = r#"{"clientId":"test","grantType":"anonymous"}"#;
    let request = format!(
        "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut whole = send(server.address, &request).await;
    let answer = read_until_closed(&mut whole, Duration::from_secs(10)).await;
    let answer = answer.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("access_token"), "{answer}");
}

#[tokio::test]
async fn past_the_connection_limit_a_connection_waits_until_one_closes() {
    let dir = tempfile::tempdir().unwrap();
    let limits = ConnectionLimits {
        header_timeout: LONG,
        max_connections: 2,
    };
    let server = start(cart_app(&dir, |_| {}).await, limits).await;

    let first = TcpStream::connect(server.address).await.unwrap();
    let _second = TcpStream::connect(server.address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut third = send(server.address, OPENAPI).await;
    let early = read_until_closed(&mut third, Duration::from_millis(500)).await;
    assert_eq!(early, None, "the third connection was served at once");

    drop(first);
    let answer = read_until_closed(&mut third, Duration::from_secs(10)).await;
    assert!(answer.unwrap().starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn handlers_see_the_peer_address() {
    let app = Router::new().route(
        "/peer",
        get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
    );
    let server = start(app, ConnectionLimits::default()).await;
    let request = "GET /peer HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let mut stream = send(server.address, request).await;
    let own = stream.local_addr().unwrap().to_string();
    let answer = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    let answer = answer.unwrap();
    assert!(answer.ends_with(&format!("\r\n\r\n{own}")), "{answer}");
}

#[tokio::test]
async fn a_shutdown_finishes_the_request_in_flight_and_accepts_no_more() {
    let app = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(SHORT).await;
            "done"
        }),
    );
    let server = start(app, ConnectionLimits::default()).await;
    let request = "GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let mut stream = send(server.address, request).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.stop.send(()).unwrap();

    let answer = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.unwrap().ends_with("done"));
    tokio::time::timeout(Duration::from_secs(10), server.task)
        .await
        .expect("serve returned")
        .unwrap();
    assert!(TcpStream::connect(server.address).await.is_err());
}
