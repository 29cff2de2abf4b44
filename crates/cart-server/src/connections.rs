//! Accepting and serving connections, with the limits a server on the
//! internet needs against slow or numerous clients (`axum::serve` has
//! neither, so connections are served here with hyper, HTTP/1 as before):
//!
//! - each request's headers must arrive within `header_timeout`, else the
//!   connection is closed (hyper's header read timeout; it also closes a
//!   kept-alive connection idle that long), so a client sending half its
//!   headers, or nothing, cannot hold a connection;
//! - at most `max_connections` are served at once; past it, new ones wait in
//!   the listen backlog until one closes (a burst of shoppers is slowed, not
//!   refused, and the server's memory and file descriptors stay bounded);
//! - the `shutdown` future (Ctrl-C) stops accepting, lets each connection
//!   finish the request in flight, then `serve` returns.
//!
//! A slow body is refused by a middleware instead (`body_limits`), since
//! that refusal is an answer in the envelope. Each request carries the
//! peer's address (`ConnectInfo`), which the token rate limit keys on.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// Seconds a client has to send a request's headers (`--header-timeout-secs`).
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;

/// Connections served at once (`--max-connections`).
pub const DEFAULT_MAX_CONNECTIONS: u32 = 10_000;

/// How long headers may take and how many connections are served at once.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
            max_connections: DEFAULT_MAX_CONNECTIONS as usize,
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes,
/// then waits for the requests in flight.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer, permit) = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener, &permits) => accepted,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, "connection ended: {error}");
            }
            // Only now may the next connection be accepted.
            drop(permit);
        });
    }
    // New connections are refused while the open ones finish.
    drop(listener);
    graceful.shutdown().await;
}

/// The next connection, once fewer than the limit are open.
async fn accept(
    listener: &TcpListener,
    permits: &Arc<Semaphore>,
) -> (TcpStream, SocketAddr, OwnedSemaphorePermit) {
    let permit = permits
        .clone()
        .acquire_owned()
        .await
        .expect("the semaphore is never closed");
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => return (stream, peer, permit),
            // A client gone before it was accepted: take the next one.
            Err(error) if is_connection_error(&error) => {}
            // Out of file descriptors, most likely: wait for some to close
            // rather than spin (as `axum::serve` does).
            Err(error) => {
                tracing::error!("could not accept a connection: {error}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
