//! Reading carts and outbox events from rows, for every backend: the
//! columns and their meaning are the same on SQLite and PostgreSQL, only
//! the row type differs.

use anyhow::Context;
use sqlx::{ColumnIndex, Database, Decode, Row, Type};

use super::{CartEvent, EventKind, EventStatus};
use crate::cart::StoredCart;

/// The columns a `StoredCart` is read from.
pub const CART_COLUMNS: &str = "id, visitor_id, revision, content, created_at, updated_at";

/// The columns a `CartEvent` is read from.
pub const EVENT_COLUMNS: &str =
    "id, cart_id, sequence, kind, visitor_id, cart_revision, cart_content,
    cart_created_at, cart_updated_at, created_at, status, attempts, next_attempt_at, failing_since,
    last_error";

/// A cart from a row of `CART_COLUMNS`.
pub fn cart_from_row<R, DB>(row: &R) -> anyhow::Result<StoredCart>
where
    DB: Database,
    R: Row<Database = DB>,
    for<'r> &'r str: ColumnIndex<R>,
    for<'r> String: Decode<'r, DB> + Type<DB>,
    for<'r> i64: Decode<'r, DB> + Type<DB>,
{
    let content: String = row.try_get("content")?;
    Ok(StoredCart {
        id: row.try_get("id")?,
        visitor_id: row.try_get("visitor_id")?,
        revision: row.try_get("revision")?,
        content: serde_json::from_str(&content).context("corrupt cart content")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// An event from a row of `EVENT_COLUMNS`.
pub fn event_from_row<R, DB>(row: &R) -> anyhow::Result<CartEvent>
where
    DB: Database,
    R: Row<Database = DB>,
    for<'r> &'r str: ColumnIndex<R>,
    for<'r> String: Decode<'r, DB> + Type<DB>,
    for<'r> i64: Decode<'r, DB> + Type<DB>,
{
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let cart_id: String = row.try_get("cart_id")?;
    let visitor_id: Option<String> = row.try_get("visitor_id")?;
    let content: Option<String> = row.try_get("cart_content")?;
    let cart = match content {
        Some(content) => Some(StoredCart {
            id: cart_id.clone(),
            visitor_id: visitor_id.clone(),
            revision: row.try_get::<Option<i64>, _>("cart_revision")?.unwrap_or(0),
            content: serde_json::from_str(&content).context("corrupt event cart")?,
            created_at: row
                .try_get::<Option<String>, _>("cart_created_at")?
                .unwrap_or_default(),
            updated_at: row
                .try_get::<Option<String>, _>("cart_updated_at")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(CartEvent {
        id: row.try_get("id")?,
        cart_id,
        sequence: row.try_get("sequence")?,
        kind: EventKind::from_slug(&kind).context("corrupt event kind")?,
        visitor_id,
        cart,
        created_at: row.try_get("created_at")?,
        status: EventStatus::parse(&status).context("corrupt event status")?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        failing_since: row.try_get("failing_since")?,
        last_error: row.try_get("last_error")?,
    })
}

/// The outcome of an attempt as the columns it sets: status, failed at,
/// next attempt at, error.
pub fn attempt_columns(
    outcome: super::AttemptOutcome,
) -> (EventStatus, Option<i64>, Option<i64>, Option<String>) {
    use super::AttemptOutcome;
    match outcome {
        AttemptOutcome::Delivered => (EventStatus::Delivered, None, None, None),
        AttemptOutcome::Retry {
            failed_at,
            next_attempt_at,
            error,
        } => (
            EventStatus::Pending,
            Some(failed_at),
            Some(next_attempt_at),
            Some(error),
        ),
        AttemptOutcome::Park { failed_at, error } => {
            (EventStatus::Failed, Some(failed_at), None, Some(error))
        }
    }
}
