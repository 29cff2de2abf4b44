//! One error type for the whole API, rendered as the Wix error envelope
//! `{message, details: {applicationError | validationError}}`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cart_wire::{ApplicationError, ErrorBody, ErrorDetails, FieldViolation, ValidationError};
use serde_json::{Value, json};

/// The code of every 503: the database out of reach, or the test fault
/// switch's injected failure (`faults.rs`).
pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400 with `validationError.fieldViolations`.
    #[error("invalid request fields")]
    Validation(Vec<FieldViolation>),
    /// A business-rule error with a code, e.g. 404 `OWNED_CART_NOT_FOUND`.
    #[error("{code}: {description}")]
    Application {
        status: StatusCode,
        code: &'static str,
        description: String,
        data: Value,
    },
    /// The request body could not be read as JSON (malformed, wrong content type, too large).
    #[error("unreadable body: {0}")]
    Body(#[from] JsonRejection),
    /// A path parameter could not be read (e.g. malformed percent-encoding).
    #[error("unreadable path: {0}")]
    Path(#[from] PathRejection),
    /// 429: too many requests from one client; `Retry-After` says when to try again.
    #[error("too many requests; retry after {retry_after_seconds} s")]
    TooManyRequests { retry_after_seconds: u64 },
    /// 500; the detail is logged, never sent. 503 instead when the cause is
    /// the database being out of reach (`db::is_unavailable`): the request
    /// was fine and may be sent again.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn application(
        status: StatusCode,
        code: &'static str,
        description: impl Into<String>,
        data: Value,
    ) -> Self {
        Self::Application {
            status,
            code,
            description: description.into(),
            data,
        }
    }

    /// 401: missing, unknown or expired token.
    pub fn unauthenticated(description: &str) -> Self {
        Self::application(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            description,
            json!({}),
        )
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::BAD_REQUEST,
            Self::Application { status, .. } => *status,
            Self::Body(rejection) => rejection.status(),
            Self::Path(rejection) => rejection.status(),
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(error) if crate::db::is_unavailable(error) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        let application = |code: &str, description: String, data: Value| ErrorBody {
            message: description.clone(),
            details: application_details(code, description, data),
        };
        match self {
            Self::Validation(violations) => ErrorBody {
                message: validation_message(violations),
                details: ErrorDetails {
                    application_error: None,
                    validation_error: Some(ValidationError {
                        field_violations: violations.clone(),
                    }),
                },
            },
            Self::Application {
                code,
                description,
                data,
                ..
            } => application(code, description.clone(), data.clone()),
            Self::Body(rejection) => {
                let code = match rejection {
                    JsonRejection::MissingJsonContentType(_) => "UNSUPPORTED_MEDIA_TYPE",
                    _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => "PAYLOAD_TOO_LARGE",
                    _ => "INVALID_JSON",
                };
                application(code, rejection.body_text(), json!({}))
            }
            Self::Path(rejection) => application("INVALID_PATH", rejection.body_text(), json!({})),
            Self::TooManyRequests {
                retry_after_seconds,
            } => application(
                "TOO_MANY_REQUESTS",
                format!("Too many requests; try again in {retry_after_seconds} s"),
                json!({ "retryAfterSeconds": retry_after_seconds }),
            ),
            Self::Internal(error) if crate::db::is_unavailable(error) => application(
                SERVICE_UNAVAILABLE,
                "The service is temporarily unavailable; try again".to_owned(),
                json!({}),
            ),
            Self::Internal(_) => application(
                "INTERNAL_ERROR",
                "Internal server error".to_owned(),
                json!({}),
            ),
        }
    }
}

/// The `details` of an application error: how a failed request reports a
/// business-rule error, and how estimate-totals reports a calculation
/// problem (`calculationErrors`) without failing. Built here only.
pub fn application_details(code: &str, description: String, data: Value) -> ErrorDetails {
    ErrorDetails {
        application_error: Some(ApplicationError {
            code: code.to_owned(),
            description,
            data,
        }),
        validation_error: None,
    }
}

/// `INVALID_ARGUMENT: "lineItems[0].quantity" must be …`, as Wix phrases it.
fn validation_message(violations: &[FieldViolation]) -> String {
    let parts: Vec<String> = violations
        .iter()
        .map(|v| format!("\"{}\" {}", v.field, v.description))
        .collect();
    format!("INVALID_ARGUMENT: {}", parts.join(", "))
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(error) = &self {
            tracing::error!("{error:#}");
        }
        let status = self.status();
        let mut response = (status, Json(self.body())).into_response();
        let retry_after = match self {
            Self::TooManyRequests {
                retry_after_seconds,
            } => Some(retry_after_seconds),
            // The pool reconnects within seconds once the database is back.
            _ if status == StatusCode::SERVICE_UNAVAILABLE => Some(1),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// `axum::Json` whose rejections are rendered in the error envelope.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// `axum::extract::Path` whose rejections are rendered in the error envelope.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A handler that panicked, as a 500 in the envelope (tower-http's
/// `CatchPanicLayer` calls it): one bad request never takes its connection
/// down, and the panic's message is logged, never sent.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    ApiError::Internal(anyhow::anyhow!("handler panicked: {message}")).into_response()
}
