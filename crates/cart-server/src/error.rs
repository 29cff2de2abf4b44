//! One error type for the whole API, rendered as the Wix error envelope
//! `{message, details: {applicationError | validationError}}`.

use axum::Json;
use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cart_wire::{ApplicationError, ErrorBody, ErrorDetails, FieldViolation, ValidationError};
use serde_json::{Value, json};

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
    /// 500; the detail is logged, never sent.
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
        (self.status(), Json(self.body())).into_response()
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

/// Collects field violations so one response reports all of them.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldViolation>);

impl Violations {
    pub fn add(&mut self, field: String, rule: &str, description: String, data: Option<Value>) {
        self.0.push(FieldViolation {
            field,
            description,
            violated_rule: rule.to_owned(),
            rule_name: Some(rule.to_owned()),
            data,
        });
    }

    pub fn required(&mut self, field: String) {
        self.add(field, "REQUIRED_FIELD", "is required".to_owned(), None);
    }

    /// Checks `min <= value <= max`, recording a `MIN` or `MAX` violation.
    pub fn range(&mut self, field: String, value: i64, min: i64, max: i64) {
        if value < min {
            let description = format!("must be greater than or equal to {min}");
            self.add(field, "MIN", description, Some(json!({ "threshold": min })));
        } else if value > max {
            let description = format!("must be less than or equal to {max}");
            self.add(field, "MAX", description, Some(json!({ "threshold": max })));
        }
    }

    /// Checks a string's length in characters, recording `MIN_LENGTH` / `MAX_LENGTH`.
    pub fn length(&mut self, field: String, value: &str, min: usize, max: usize) {
        let len = value.chars().count();
        if len < min {
            let description = format!("must be at least {min} characters long");
            self.add(
                field,
                "MIN_LENGTH",
                description,
                Some(json!({ "threshold": min })),
            );
        } else if len > max {
            let description = format!("must be at most {max} characters long");
            self.add(
                field,
                "MAX_LENGTH",
                description,
                Some(json!({ "threshold": max })),
            );
        }
    }

    /// Checks a list's size, recording `MIN_SIZE` / `MAX_SIZE`.
    pub fn size(&mut self, field: String, len: usize, min: usize, max: usize) {
        if len < min {
            let description = format!("must contain at least {min} items");
            self.add(
                field,
                "MIN_SIZE",
                description,
                Some(json!({ "threshold": min })),
            );
        } else if len > max {
            let description = format!("must contain at most {max} items");
            self.add(
                field,
                "MAX_SIZE",
                description,
                Some(json!({ "threshold": max })),
            );
        }
    }

    /// `Ok(())` when nothing was recorded, else the 400 error carrying them all.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}
