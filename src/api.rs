//! The one place the widget talks HTTP: the Current Cart API through gloo-net,
//! with visitor tokens from `/oauth2/token` kept in `localStorage`.

use std::sync::{Arc, Mutex};

use cart_wire::{
    AddToCartRequest, Cart, CartInfoUpdate, CartResponse, CreateCheckoutRequest,
    CreateCheckoutResponse, EstimateTotalsRequest, EstimateTotalsResponse, GRANT_ANONYMOUS,
    GRANT_REFRESH_TOKEN, LineItemInput, LineItemQuantityUpdate, RemoveLineItemsRequest,
    TokenRequest, TokenResponse, UpdateCartRequest, UpdateLineItemsQuantityRequest,
};
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::WidgetConfig;
use crate::error::ApiError;
use crate::tokens::{VisitorTokens, storage_key};

const CURRENT_CART: &str = "/ecom/v1/carts/current";

/// A request with no answer by then is given up (and reported as a network
/// error, so changes it carried wait for a retry instead of being lost).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// Client of the Current Cart API for one visitor. Cheap to clone; clones
/// share the token state.
#[derive(Clone, Debug)]
pub struct CartApi {
    config: WidgetConfig,
    /// Held while tokens are fetched, so concurrent first calls end up as
    /// one visitor instead of several.
    token_lock: Arc<futures::lock::Mutex<()>>,
    /// Copy of the tokens for when `localStorage` is unavailable.
    memory: Arc<Mutex<Option<VisitorTokens>>>,
}

impl CartApi {
    pub fn new(config: WidgetConfig) -> Self {
        Self {
            config,
            token_lock: Arc::default(),
            memory: Arc::default(),
        }
    }

    /// The visitor's cart; `None` when they have none yet (404 `OWNED_CART_NOT_FOUND`).
    pub async fn current_cart(&self) -> Result<Option<Cart>, ApiError> {
        match self
            .send::<CartResponse, ()>(Method::GET, CURRENT_CART, None)
            .await
        {
            Ok(response) => Ok(Some(response.cart)),
            Err(error) if error.is_owned_cart_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Adds catalog items, creating the cart on first use.
    pub async fn add_to_cart(&self, line_items: Vec<LineItemInput>) -> Result<Cart, ApiError> {
        let body = AddToCartRequest {
            line_items,
            ..AddToCartRequest::default()
        };
        let path = format!("{CURRENT_CART}/add-to-cart");
        self.send::<CartResponse, _>(Method::POST, &path, Some(&body))
            .await
            .map(|response| response.cart)
    }

    /// Applies a coupon code (replacing any applied one).
    pub async fn apply_coupon(&self, code: &str) -> Result<Cart, ApiError> {
        let body = UpdateCartRequest {
            coupon_code: Some(code.to_owned()),
            ..UpdateCartRequest::default()
        };
        self.send::<CartResponse, _>(Method::PATCH, CURRENT_CART, Some(&body))
            .await
            .map(|response| response.cart)
    }

    /// Updates `cartInfo` (buyer note, selected shipping option).
    pub async fn update_cart_info(&self, info: CartInfoUpdate) -> Result<Cart, ApiError> {
        let body = UpdateCartRequest {
            cart_info: Some(info),
            ..UpdateCartRequest::default()
        };
        self.send::<CartResponse, _>(Method::PATCH, CURRENT_CART, Some(&body))
            .await
            .map(|response| response.cart)
    }

    /// Removes the applied coupon.
    pub async fn remove_coupon(&self) -> Result<Cart, ApiError> {
        let path = format!("{CURRENT_CART}/remove-coupon");
        self.send::<CartResponse, _>(Method::POST, &path, Some(&serde_json::json!({})))
            .await
            .map(|response| response.cart)
    }

    /// Subtotal, discount, shipping, tax and total.
    pub async fn estimate_totals(
        &self,
        request: &EstimateTotalsRequest,
    ) -> Result<EstimateTotalsResponse, ApiError> {
        let path = format!("{CURRENT_CART}/estimate-totals");
        self.send(Method::POST, &path, Some(request)).await
    }

    /// Creates (or updates) the checkout; the answer says where to go.
    pub async fn create_checkout(&self) -> Result<CreateCheckoutResponse, ApiError> {
        let body = CreateCheckoutRequest {
            channel_type: Some("WEB".to_owned()),
            ..CreateCheckoutRequest::default()
        };
        let path = format!("{CURRENT_CART}/create-checkout");
        self.send(Method::POST, &path, Some(&body)).await
    }

    /// Removes lines.
    pub async fn remove_line_items(&self, line_ids: Vec<String>) -> Result<Cart, ApiError> {
        let body = RemoveLineItemsRequest {
            line_item_ids: line_ids,
        };
        let path = format!("{CURRENT_CART}/remove-line-items");
        self.send::<CartResponse, _>(Method::POST, &path, Some(&body))
            .await
            .map(|response| response.cart)
    }

    /// Sets absolute quantities of several lines in one request.
    pub async fn update_quantities(&self, lines: &[(String, u32)]) -> Result<Cart, ApiError> {
        let body = UpdateLineItemsQuantityRequest {
            line_items: lines
                .iter()
                .map(|(id, quantity)| LineItemQuantityUpdate {
                    id: Some(id.clone()),
                    quantity: Some(i64::from(*quantity)),
                })
                .collect(),
        };
        let path = format!("{CURRENT_CART}/update-line-items-quantity");
        self.send::<CartResponse, _>(Method::POST, &path, Some(&body))
            .await
            .map(|response| response.cart)
    }

    /// Sends an authorised request. A 401 means the access token went bad:
    /// it is renewed once and the request repeated.
    async fn send<T: DeserializeOwned, B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ApiError> {
        let token = self.access_token().await?;
        match self
            .send_once(method.clone(), path, body, Some(&token))
            .await
        {
            Err(error) if error.is_unauthenticated() => {
                self.expire_access_token(&token);
                let token = self.access_token().await?;
                self.send_once(method, path, body, Some(&token)).await
            }
            other => other,
        }
    }

    async fn send_once<T: DeserializeOwned, B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        token: Option<&str>,
    ) -> Result<T, ApiError> {
        // Aborted after `REQUEST_TIMEOUT`, reading the body included.
        let abort = web_sys::AbortController::new().ok();
        let mut builder = RequestBuilder::new(&format!("{}{path}", self.config.api_base))
            .method(method)
            .abort_signal(abort.as_ref().map(|abort| abort.signal()).as_ref());
        if let Some(token) = token {
            // Raw token, no `Bearer ` prefix: exactly what Wix's SDK sends.
            builder = builder.header("Authorization", token);
        }
        let request = match body {
            Some(body) => builder.json(body),
            None => builder.build(),
        }
        .map_err(|error| ApiError::Network(error.to_string()))?;
        let timer = abort.and_then(|abort| {
            leptos::prelude::set_timeout_with_handle(move || abort.abort(), REQUEST_TIMEOUT).ok()
        });
        let result = match request.send().await {
            Ok(response) => read_response(response).await,
            Err(error) => Err(ApiError::Network(error.to_string())),
        };
        if let Some(timer) = timer {
            timer.clear();
        }
        result
    }

    /// A usable access token: the stored one while fresh, else one renewed
    /// with the refresh token, else a new anonymous visitor's.
    async fn access_token(&self) -> Result<String, ApiError> {
        let _guard = self.token_lock.lock().await;
        let stored = self.load_tokens();
        if let Some(tokens) = stored.as_ref().filter(|t| t.is_fresh(js_sys::Date::now())) {
            return Ok(tokens.access_token.clone());
        }
        let response = match stored {
            Some(old) => match self
                .request_tokens(GRANT_REFRESH_TOKEN, Some(&old.refresh_token))
                .await
            {
                Ok(mut response) => {
                    if response.refresh_token.is_empty() {
                        response.refresh_token = old.refresh_token;
                    }
                    response
                }
                // The refresh token itself was refused: only then start over
                // as a new visitor. A network failure is reported instead,
                // so an offline moment never swaps the shopper's cart.
                Err(ApiError::Server {
                    status: 400 | 401 | 403,
                    ..
                }) => self.request_tokens(GRANT_ANONYMOUS, None).await?,
                Err(error) => return Err(error),
            },
            None => self.request_tokens(GRANT_ANONYMOUS, None).await?,
        };
        let tokens = VisitorTokens::from_response(response, js_sys::Date::now());
        self.save_tokens(&tokens);
        Ok(tokens.access_token)
    }

    async fn request_tokens(
        &self,
        grant_type: &str,
        refresh_token: Option<&str>,
    ) -> Result<TokenResponse, ApiError> {
        let body = TokenRequest {
            client_id: self.config.client_id.clone(),
            grant_type: grant_type.to_owned(),
            refresh_token: refresh_token.map(str::to_owned),
        };
        self.send_once(Method::POST, "/oauth2/token", Some(&body), None)
            .await
    }

    /// Marks `token` expired (if it is still the stored one) so the next call renews it.
    fn expire_access_token(&self, token: &str) {
        if let Some(mut tokens) = self.load_tokens().filter(|t| t.access_token == token) {
            tokens.expires_at_ms = 0.0;
            self.save_tokens(&tokens);
        }
    }

    fn storage_key(&self) -> String {
        storage_key(&self.config.api_base, &self.config.client_id)
    }

    fn load_tokens(&self) -> Option<VisitorTokens> {
        local_storage()
            .and_then(|storage| storage.get_item(&self.storage_key()).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok())
            .or_else(|| self.memory.lock().ok()?.clone())
    }

    fn save_tokens(&self, tokens: &VisitorTokens) {
        if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(tokens)) {
            // Best effort: storage may be full or blocked; memory still has them.
            let _ = storage.set_item(&self.storage_key(), &json);
        }
        if let Ok(mut memory) = self.memory.lock() {
            *memory = Some(tokens.clone());
        }
    }
}

/// `localStorage`, when the browser lets this page use it.
pub(crate) fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Only HTTP 200 is success (as in Wix's SDK); any other status carries the
/// error envelope.
async fn read_response<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    if status == 200 {
        serde_json::from_str(&text).map_err(|error| ApiError::Decode(error.to_string()))
    } else {
        Err(ApiError::from_response(status, &text))
    }
}
