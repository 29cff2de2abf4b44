//! `GET /checkout/{id}`: the page create-checkout sends shoppers to. This
//! reference server takes no payments; the page shows what was ordered.

use axum::Router;
use axum::extract::State;
use axum::http::header::{CONTENT_SECURITY_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use serde_json::Value;

use crate::AppState;
use crate::error::{ApiError, ApiPath};

pub fn router() -> Router<AppState> {
    Router::new().route("/checkout/{id}", get(checkout_show))
}

/// The page's policy: no script, no plugin, no framing (no clickjacking of a
/// checkout); its only style is none and its only image the inline icon.
const PAGE_POLICY: &str = "default-src 'none'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn checkout_show(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    let summary = state.db.checkout_summary(&id).await?.ok_or_else(|| {
        ApiError::application(
            StatusCode::NOT_FOUND,
            "CHECKOUT_NOT_FOUND",
            "No such checkout",
            serde_json::json!({}),
        )
    })?;
    let text = |value: &Value| escape(value.as_str().unwrap_or_default());
    let rows: String = summary["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|line| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(&line["name"]),
                line["quantity"],
                text(&line["total"])
            )
        })
        .collect();
    let total = text(&summary["priceSummary"]["total"]["formattedAmount"]);
    let page = Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>Checkout</title></head>\
         <body><main><h1>Checkout</h1><p>Checkout <code>{id}</code> (demo: no payment is taken).</p>\
         <table><thead><tr><th>Item</th><th>Qty</th><th>Total</th></tr></thead><tbody>{rows}</tbody></table>\
         <p data-testid=\"checkout-total\">Total: {total}</p></main></body></html>",
        id = escape(&id),
    ));
    Ok((
        [
            (
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(PAGE_POLICY),
            ),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        page,
    ))
}

/// HTML-escapes text.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
