//! How large and how slow a request body may be, checked before any
//! handler runs, each refusal in the envelope:
//!
//! - a body declared larger than `MAX_BODY_BYTES` is refused at once (413),
//!   before authentication, the database or a single byte of it is read;
//! - the whole body must arrive within the body timeout of its headers, else
//!   408 and the connection is closed: a client dripping a byte at a time
//!   cannot hold a connection (and its task) for longer. A deadline for the
//!   whole body, not between bytes, since a byte every few seconds would
//!   pass a per-read timeout forever;
//! - a body longer than it declared (or with no declared length) stops at
//!   `MAX_BODY_BYTES` (413).
//!
//! The body is read whole here: every API body is JSON that its handler
//! would buffer anyway, so this costs nothing more and holds for every route.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::json;

use crate::error::ApiError;

/// Largest request body accepted (a PATCH with 300 line items fits comfortably).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Seconds a client has to send a request's whole body (`--body-timeout-secs`).
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 30;

fn payload_too_large() -> Response {
    ApiError::application(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        format!("The body is larger than {MAX_BODY_BYTES} bytes"),
        json!({ "maxBytes": MAX_BODY_BYTES }),
    )
    .into_response()
}

/// Refuses a body declared larger than `MAX_BODY_BYTES` without reading it.
pub async fn refuse_declared_oversize(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return payload_too_large();
    }
    next.run(request).await
}

/// Reads the whole body within `timeout` (the state) and hands it on.
pub async fn read_within(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(timeout, Limited::new(body, MAX_BODY_BYTES).collect());
    match read.await {
        Ok(Ok(body)) => {
            let request = Request::from_parts(parts, Body::from(body.to_bytes()));
            next.run(request).await
        }
        Ok(Err(error)) if error.is::<LengthLimitError>() => payload_too_large(),
        // The client broke off or sent a malformed chunked body.
        Ok(Err(error)) => ApiError::application(
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
            format!("The body could not be read: {error}"),
            json!({}),
        )
        .into_response(),
        Err(_) => {
            let seconds = timeout.as_secs_f64();
            let mut response = ApiError::application(
                StatusCode::REQUEST_TIMEOUT,
                "REQUEST_TIMEOUT",
                format!("The body did not arrive within {seconds} s"),
                json!({ "timeoutSeconds": seconds }),
            )
            .into_response();
            // The rest of the body may still come: the connection cannot
            // carry another request.
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}
