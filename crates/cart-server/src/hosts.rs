//! Which `Host` a request may name. Without `--public-url`, the absolute
//! URLs in answers (product images and pages, the checkout) are built from
//! the request's `Host` header, which the client writes: a forged one would
//! make the server hand out links to another site, and a page on another
//! site could reach a server on loopback through DNS rebinding. So without
//! `--public-url` only loopback names (`localhost`, `127.0.0.1`, `[::1]`)
//! and the `--allowed-hosts` are answered, any port; any other `Host` gets
//! 400 `HOST_NOT_ALLOWED` in the envelope before anything else runs. With
//! `--public-url`, no URL comes from `Host`, so it is not checked.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::HOST;
use axum::http::uri::Authority;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::AppState;
use crate::error::ApiError;

/// The host names answered besides loopback ones, lower-case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowedHosts(Vec<String>);

impl AllowedHosts {
    /// Loopback names and these (`shop.example.com`; a port or a final dot
    /// is ignored).
    pub fn new(names: &[String]) -> Self {
        let names = names
            .iter()
            .filter_map(|name| host_name(name.trim()))
            .collect();
        Self(names)
    }

    /// Whether a `Host` header value names an allowed host.
    pub fn allows(&self, host: &str) -> bool {
        host_name(host).is_some_and(|name| {
            name == "localhost"
                || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
                || self.0.contains(&name)
        })
    }
}

/// The host name of a `Host` value (`Shop.example.com.:8080` →
/// `shop.example.com`, `[::1]:3000` → `::1`); `None` when it is not an
/// authority with only a host and a port.
fn host_name(host: &str) -> Option<String> {
    let authority = host.parse::<Authority>().ok()?;
    if authority.as_str().contains('@') {
        return None;
    }
    let name = authority.host();
    let name = name
        .strip_prefix('[')
        .and_then(|name| name.strip_suffix(']'))
        .unwrap_or(name)
        .trim_end_matches('.');
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// Refuses a request whose `Host` URLs may not be built from (see above).
pub async fn refuse_unknown_host(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let refused = state.public_url.is_none()
        && request.headers().get(HOST).is_some_and(|host| {
            !host
                .to_str()
                .is_ok_and(|host| state.allowed_hosts.allows(host))
        });
    if refused {
        tracing::info!(host = ?request.headers().get(HOST), "refused a request for a host not allowed");
        return ApiError::application(
            StatusCode::BAD_REQUEST,
            "HOST_NOT_ALLOWED",
            "This server does not answer for this Host (see --public-url and --allowed-hosts)",
            json!({}),
        )
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_are_allowed_on_any_port() {
        let hosts = AllowedHosts::default();
        for host in [
            "localhost",
            "LOCALHOST:3000",
            "127.0.0.1",
            "127.0.0.1:8080",
            "127.1.2.3",
            "[::1]:3000",
            "localhost.",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
    }

    #[test]
    fn other_names_only_when_listed() {
        let hosts = AllowedHosts::new(&["Shop.Example.com".to_owned(), " ".to_owned()]);
        assert!(hosts.allows("shop.example.com:443"));
        assert!(hosts.allows("SHOP.example.com."));
        for host in [
            "evil.test",
            "shop.example.com.evil.test",
            "10.0.0.1",
            "user@localhost",
            "localhost/evil",
            "",
            " ",
        ] {
            assert!(!hosts.allows(host), "{host:?}");
        }
    }
}
