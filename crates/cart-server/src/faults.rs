//! Fault injection, for tests only (`--test-faults`): a switch that makes
//! API requests fail, stall or answer garbled JSON, so the end-to-end suite can check that the
//! widget rolls back, says so and recovers against the real server.
//!
//! `PUT /__test/faults` with a [`FaultPlan`] sets the switch; `{"mode":"off"}`
//! clears it. Without the flag neither the route nor the middleware exist.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::ApiError;

/// What happens to the requests a plan matches.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FaultMode {
    /// Requests go through untouched.
    #[default]
    Off,
    /// Requests are answered 503 in the error envelope, without running.
    Fail,
    /// Requests wait `stallMs`, then run normally.
    Stall,
    /// Requests run, then their answer is cut off halfway, as a broken
    /// proxy might: the change is made, the client gets no valid JSON.
    Garble,
    /// Requests panic before running, as a bug would: the answer must still
    /// be a 500 in the envelope, and the server keeps serving.
    Panic,
}

/// The switch's setting.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultPlan {
    pub mode: FaultMode,
    /// Only requests whose path contains this; default: every `/ecom/` request.
    #[serde(default)]
    pub path_contains: Option<String>,
    /// How long a stalled request waits.
    #[serde(default)]
    pub stall_ms: u64,
    /// How many matching requests to affect; default: all until switched off.
    #[serde(default)]
    pub times: Option<u32>,
}

/// The shared switch.
#[derive(Clone, Debug, Default)]
pub struct Faults(Arc<Mutex<FaultPlan>>);

impl Faults {
    /// The fault for a request to `path`, counting it against `times`.
    fn take(&self, path: &str) -> FaultPlan {
        let mut plan = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let matches = path.starts_with("/ecom/")
            && plan
                .path_contains
                .as_deref()
                .is_none_or(|part| path.contains(part));
        if plan.mode == FaultMode::Off || !matches {
            return FaultPlan::default();
        }
        let fault = plan.clone();
        if let Some(times) = plan.times.as_mut() {
            *times = times.saturating_sub(1);
            if *times == 0 {
                *plan = FaultPlan::default();
            }
        }
        fault
    }

    fn set(&self, new: FaultPlan) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = new;
    }
}

/// `PUT /__test/faults`.
pub fn router(faults: Faults) -> Router {
    Router::new()
        .route("/__test/faults", put(set_plan))
        .with_state(faults)
}

async fn set_plan(State(faults): State<Faults>, Json(plan): Json<FaultPlan>) -> impl IntoResponse {
    tracing::warn!(?plan, "test fault switch set");
    faults.set(plan.clone());
    Json(plan)
}

/// Middleware: applies the switch to each request.
pub async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let fault = faults.take(request.uri().path());
    match fault.mode {
        FaultMode::Off => next.run(request).await,
        FaultMode::Fail => ApiError::application(
            StatusCode::SERVICE_UNAVAILABLE,
            crate::error::SERVICE_UNAVAILABLE,
            "The service is unavailable (test fault)",
            json!({}),
        )
        .into_response(),
        FaultMode::Stall => {
            tokio::time::sleep(Duration::from_millis(fault.stall_ms)).await;
            next.run(request).await
        }
        FaultMode::Panic => panic!("test fault: a panic in the request's path"),
        FaultMode::Garble => {
            let (mut parts, body) = next.run(request).await.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(body.slice(..body.len() / 2)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_affects_matching_api_requests_the_given_number_of_times() {
        let faults = Faults::default();
        faults.set(FaultPlan {
            mode: FaultMode::Fail,
            path_contains: Some("quantity".into()),
            times: Some(2),
            ..FaultPlan::default()
        });
        let path = "/ecom/v1/carts/current/update-line-items-quantity";
        assert_eq!(faults.take("/ecom/v1/carts/current").mode, FaultMode::Off);
        assert_eq!(faults.take("/oauth2/token").mode, FaultMode::Off);
        assert_eq!(faults.take(path).mode, FaultMode::Fail);
        assert_eq!(faults.take(path).mode, FaultMode::Fail);
        assert_eq!(faults.take(path).mode, FaultMode::Off, "used up");
    }

    #[test]
    fn without_a_count_it_lasts_until_switched_off() {
        let faults = Faults::default();
        faults.set(FaultPlan {
            mode: FaultMode::Stall,
            stall_ms: 10,
            ..FaultPlan::default()
        });
        for _ in 0..5 {
            assert_eq!(faults.take("/ecom/v1/carts/current").mode, FaultMode::Stall);
        }
        faults.set(FaultPlan::default());
        assert_eq!(faults.take("/ecom/v1/carts/current").mode, FaultMode::Off);
    }
}
