//! The webhook deliveries (admin key): what is waiting or parked in the
//! cart-events outbox, and re-queueing the parked ones.
//!
//! - `GET /admin/webhook-deliveries?status=pending|failed` (default both)
//! - `POST /admin/webhook-deliveries/requeue`: every failed delivery is
//!   pending again, due now, its attempts reset; answers how many.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Admin;
use crate::db::{CartEvent, EventStatus, unix_millis};
use crate::error::{ApiError, ApiJson};
use crate::webhooks::{event_time, event_type};

/// At most this many deliveries are listed per status.
const LIST_LIMIT: i64 = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/webhook-deliveries", get(deliveries_list))
        .route(
            "/admin/webhook-deliveries/requeue",
            post(deliveries_requeue),
        )
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
}

async fn deliveries_list(
    _: Admin,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<ApiJson<Value>, ApiError> {
    let statuses = match query.status.as_deref() {
        None => vec![EventStatus::Failed, EventStatus::Pending],
        Some(status @ ("pending" | "failed")) => {
            vec![EventStatus::parse(status).expect("a known status")]
        }
        Some(_) => {
            return Err(ApiError::application(
                StatusCode::BAD_REQUEST,
                "INVALID_ARGUMENT",
                "status must be `pending` or `failed`",
                json!({}),
            ));
        }
    };
    let mut deliveries = Vec::new();
    for status in statuses {
        let events = state.db.storage().events(status, LIST_LIMIT).await?;
        deliveries.extend(events.iter().map(delivery));
    }
    Ok(ApiJson(json!({ "deliveries": deliveries })))
}

async fn deliveries_requeue(
    _: Admin,
    State(state): State<AppState>,
) -> Result<ApiJson<Value>, ApiError> {
    let requeued = state.db.storage().requeue_failed(unix_millis()).await?;
    state.db.event_signal().notify_one();
    Ok(ApiJson(json!({ "requeued": requeued })))
}

fn delivery(event: &CartEvent) -> Value {
    json!({
        "id": event.id,
        "cartId": event.cart_id,
        "eventType": event_type(event.kind),
        "entityEventSequence": event.sequence.to_string(),
        "eventTime": event_time(event.created_at),
        "status": event.status.as_str().to_uppercase(),
        "attempts": event.attempts,
        "nextAttemptTime": (event.status == EventStatus::Pending)
            .then(|| event_time(event.next_attempt_at)),
        "lastError": event.last_error,
    })
}
