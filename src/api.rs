//! The one place the widget talks HTTP: the Current Cart API through gloo-net,
//! with visitor tokens from `/oauth2/token` kept in `localStorage`.
//!
//! The API dialect (`config::ApiDialect`, `data-cart-api`) stops here: each
//! method sends the dialect's path and body (`wire::requests` for v1,
//! `wire::v2` for Cart V2) and reads its answer into the one read model
//! (`wire::answers`), so its callers never know which dialect answered.
//! Each bundle builds in one dialect (the cargo features `v2` and `v1`): the
//! choice is a constant there, so the other dialect's requests and readers
//! are left out of its wasm.
//!
//! The first cart load takes the loader's prefetched answer when it stands
//! for its own request (`prefetch.rs`); the last cart the server sent is kept for
//! the next visit (`snapshot.rs`) beside the tokens.

use std::sync::{Arc, Mutex};

use cart_wire::{GRANT_ANONYMOUS, GRANT_REFRESH_TOKEN};
use gloo_net::http::{Method, RequestBuilder, Response};

use crate::config::{ApiDialect, WidgetConfig};
use crate::error::ApiError;
use crate::prefetch;
use crate::snapshot;
use crate::tokens::{VisitorTokens, storage_key};
use crate::wire::answers::{Cart, Checkout, Estimate, TokenAnswer};
use crate::wire::json::Json;
use crate::wire::requests::{self, Address};
use crate::wire::v2;

use cart_wire::CURRENT_CART_PATH as CURRENT_CART;

/// A change to the cart's own fields, whichever request the dialect makes of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CartUpdate {
    /// The buyer note.
    Note(String),
    /// The shipping option checkout uses (v1's carrier id is V2's `appId`).
    Shipping {
        code: String,
        carrier_id: Option<String>,
    },
}

/// A request with no answer by then is given up (and reported as a network
/// error, so changes it carried wait for a retry instead of being lost).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// How long a tab whose refresh was refused looks for the tokens another tab
/// renewed with the same refresh token (`renewed_elsewhere`), and how often.
const RENEWAL_WAIT_MS: f64 = 1_500.0;
const RENEWAL_POLL: std::time::Duration = std::time::Duration::from_millis(50);

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
    /// V2 only: the destination last stored on the cart, so it is sent again
    /// only when the shopper changes it.
    #[cfg(feature = "v2")]
    stored_destination: Arc<Mutex<Option<Address>>>,
}

impl CartApi {
    pub fn new(config: WidgetConfig) -> Self {
        Self {
            config,
            token_lock: Arc::default(),
            memory: Arc::default(),
            #[cfg(feature = "v2")]
            stored_destination: Arc::default(),
        }
    }

    /// Whether Cart V2 is spoken (`ApiDialect::spoken`): a constant in each
    /// bundle, which has one dialect built in, so the other's branches are
    /// left out of its wasm.
    fn is_v2(&self) -> bool {
        self.config.dialect.spoken() == ApiDialect::V2
    }

    /// The language V2's money is written in: `data-locale`, else the
    /// cart's (in `wire::v2`), as the widget's own language is chosen.
    fn locale(&self) -> Option<&str> {
        self.config.locale.as_deref()
    }

    /// The cart in a `{cart}` answer from the server, read in the dialect
    /// spoken, and kept for the next visit (`remember`).
    fn read_cart(&self, answer: Json) -> Result<Cart, ApiError> {
        let cart = self.decode_cart(&answer)?;
        self.remember(Some(&answer));
        Ok(cart)
    }

    /// The cart in a `{cart}` answer, read in the dialect spoken.
    fn decode_cart(&self, answer: &Json) -> Result<Cart, ApiError> {
        decode(if self.is_v2() {
            v2::cart_answer(answer, self.locale())
        } else {
            Cart::from_answer(answer)
        })
    }

    /// The visitor's cart; `None` when they have none yet (v1: 404
    /// `OWNED_CART_NOT_FOUND`; V2 types no such error: any 404). A visitor
    /// with no tokens stored cannot have a cart, so nothing is asked: a first
    /// visit makes no request (and logs no 404 on the merchant's page) until
    /// the shopper adds something.
    pub async fn current_cart(&self) -> Result<Option<Cart>, ApiError> {
        let Some(tokens) = self.load_tokens() else {
            return Ok(None);
        };
        let answer = match self.prefetched(&tokens).await {
            Some(response) => read_response(response).await,
            None => self.send(Method::GET, self.cart_path(), None).await,
        };
        let no_cart = match answer {
            Ok(answer) => return self.read_cart(answer).map(Some),
            Err(error) if error.is_owned_cart_not_found() => None,
            Err(ApiError::Server { status: 404, .. }) if self.is_v2() => None,
            Err(error) => return Err(error),
        };
        self.remember(None);
        Ok(no_cart)
    }

    /// The loader's answer to this request, the first time, when it is
    /// usable for `tokens` (`prefetch.rs`).
    async fn prefetched(&self, tokens: &VisitorTokens) -> Option<Response> {
        let (offer, response) = prefetch::take()?;
        if !offer.matches(&self.cart_url(), tokens, js_sys::Date::now()) {
            return None;
        }
        let response = prefetch::response(response).await?;
        if response.status() == 401 {
            self.expire_access_token(&offer.token);
        }
        prefetch::is_usable(response.status()).then_some(response)
    }

    /// The cart last accepted for this visitor on this site, from storage
    /// (`snapshot.rs`): shown until the server answers.
    pub fn remembered_cart(&self) -> Option<Cart> {
        let visitor = snapshot::visitor_id(&self.load_tokens()?.refresh_token);
        let text = local_storage()?.get_item(&self.snapshot_key()).ok()??;
        self.decode_cart(&snapshot::read(&text, &visitor)?).ok()
    }

    /// Keeps the cart `answer` the server just gave for the next visit; no
    /// cart (`None`) or one too long removes the one kept.
    fn remember(&self, answer: Option<&Json>) {
        let Some(storage) = local_storage() else {
            return;
        };
        let visitor = self
            .load_tokens()
            .map(|tokens| snapshot::visitor_id(&tokens.refresh_token));
        let text = answer
            .zip(visitor)
            .and_then(|(answer, visitor)| snapshot::write(&visitor, answer));
        // Best effort, as for the tokens: storage may be full or blocked.
        let _ = match text {
            Some(text) => storage.set_item(&self.snapshot_key(), &text),
            None => storage.remove_item(&self.snapshot_key()),
        };
    }

    /// Adds a catalog item (`{catalogReference, quantity}`), creating the cart on first use.
    // Each method picks its dialect's request first and awaits once: every
    // `.await` keeps its future's code in the wasm, even in a branch that
    // is never taken.
    pub async fn add_to_cart(&self, line_item: Json) -> Result<Cart, ApiError> {
        let (action, body) = if self.is_v2() {
            (v2::ADD_LINE_ITEMS, v2::add_line_items(line_item))
        } else {
            ("/add-to-cart", requests::add_to_cart(line_item))
        };
        self.cart_call(Method::POST, action, body).await
    }

    /// Applies a coupon code (replacing any applied one).
    pub async fn apply_coupon(&self, code: &str) -> Result<Cart, ApiError> {
        let (method, action, body) = if self.is_v2() {
            (Method::POST, v2::ADD_COUPON, v2::add_coupon(code))
        } else {
            (Method::PATCH, "", requests::apply_coupon(code))
        };
        self.cart_call(method, action, body).await
    }

    /// Changes the buyer note or the shipping option.
    pub async fn update_cart(&self, update: CartUpdate) -> Result<Cart, ApiError> {
        let (method, action, body) = match (self.is_v2(), update) {
            (false, CartUpdate::Note(note)) => (Method::PATCH, "", requests::buyer_note(&note)),
            (false, CartUpdate::Shipping { code, carrier_id }) => (
                Method::PATCH,
                "",
                requests::selected_shipping(&code, carrier_id.as_deref()),
            ),
            (true, CartUpdate::Note(note)) => (Method::PATCH, "", v2::note(&note)),
            (true, CartUpdate::Shipping { code, carrier_id }) => (
                Method::POST,
                v2::SET_DELIVERY_METHOD,
                v2::set_delivery_method(&code, carrier_id.as_deref()),
            ),
        };
        self.cart_call(method, action, body).await
    }

    /// Removes the applied coupon (`coupon_id`: the cart's, which V2 needs).
    pub async fn remove_coupon(&self, coupon_id: Option<&str>) -> Result<Cart, ApiError> {
        let body = if self.is_v2() {
            let id = coupon_id.ok_or(ApiError::Decode("the cart has no coupon id".to_owned()))?;
            v2::remove_coupon(id)
        } else {
            requests::remove_coupon()
        };
        self.cart_call(Method::POST, "/remove-coupon", body).await
    }

    /// Subtotal, discount, shipping, tax and total, for `address` (else the
    /// store's default destination). V2 keeps the destination on the cart:
    /// it is stored there first when it changed, and the estimate then
    /// carries the changed cart.
    pub async fn estimate_totals(&self, address: Option<&Address>) -> Result<Estimate, ApiError> {
        // Each dialect's `.await` is compiled out of the other's bundle: a
        // dead `.await` still costs its future's code (measured).
        #[cfg(not(feature = "v1"))]
        return self.estimate_v2(address).await;
        #[cfg(feature = "v1")]
        {
            #[cfg(feature = "v2")]
            if self.is_v2() {
                return self.estimate_v2(address).await;
            }
            self.estimate_v1(address).await
        }
    }

    #[cfg(feature = "v1")]
    async fn estimate_v1(&self, address: Option<&Address>) -> Result<Estimate, ApiError> {
        let body = requests::estimate_totals(address);
        let answer = self
            .cart_action(Method::POST, "/estimate-totals", body)
            .await?;
        decode(Estimate::from_answer(&answer))
    }

    #[cfg(feature = "v2")]
    async fn estimate_v2(&self, address: Option<&Address>) -> Result<Estimate, ApiError> {
        let stored = self.stored_destination.lock().ok().and_then(|s| s.clone());
        let to_store = address.filter(|address| stored.as_ref() != Some(*address));
        if let Some(address) = to_store {
            self.cart_action(Method::PATCH, "", v2::delivery_address(address))
                .await?;
            if let Ok(mut stored) = self.stored_destination.lock() {
                *stored = Some(address.clone());
            }
        }
        let answer = self
            .cart_action(Method::POST, v2::ESTIMATE, v2::estimate())
            .await?;
        let mut estimate = decode(v2::estimate_answer(&answer, self.locale()))?;
        if to_store.is_some() {
            estimate.changed_cart = Some(self.read_cart(answer)?);
        }
        Ok(estimate)
    }

    /// Creates (or updates) the checkout of `cart`; the answer says where to go.
    pub async fn create_checkout(&self, cart: Option<&Cart>) -> Result<Checkout, ApiError> {
        let (path, body, cart_id) = if self.is_v2() {
            let cart = cart.ok_or(ApiError::Decode("there is no cart".to_owned()))?;
            let id = cart
                .id
                .as_deref()
                .ok_or(ApiError::Decode("the cart has no id".to_owned()))?;
            let body = v2::get_checkout_url(id, cart.currency.as_deref());
            (v2::checkout_url_path(id), body, Some(id))
        } else {
            let path = [CURRENT_CART, "/create-checkout"].concat();
            (path, requests::create_checkout(), None)
        };
        let answer = self.send(Method::POST, &path, Some(body)).await?;
        decode(match cart_id {
            Some(id) => v2::checkout_answer(&answer, id),
            None => Checkout::from_answer(&answer),
        })
    }

    /// Removes lines.
    pub async fn remove_line_items(&self, line_ids: &[String]) -> Result<Cart, ApiError> {
        let body = requests::remove_line_items(line_ids);
        self.cart_call(Method::POST, "/remove-line-items", body)
            .await
    }

    /// Sets absolute quantities of several lines in one request.
    pub async fn update_quantities(&self, lines: &[(String, u32)]) -> Result<Cart, ApiError> {
        let (action, body) = if self.is_v2() {
            (v2::UPDATE_LINE_ITEMS, v2::update_line_items(lines))
        } else {
            (
                "/update-line-items-quantity",
                requests::update_quantities(lines),
            )
        };
        self.cart_call(Method::POST, action, body).await
    }

    /// A call on the current cart (`action` after its path) that answers `{cart}`.
    async fn cart_call(&self, method: Method, action: &str, body: Json) -> Result<Cart, ApiError> {
        let answer = self.cart_action(method, action, body).await?;
        self.read_cart(answer)
    }

    /// The current cart's path in the dialect spoken.
    fn cart_path(&self) -> &'static str {
        if self.is_v2() {
            v2::CURRENT_CART
        } else {
            CURRENT_CART
        }
    }

    /// The current cart's URL: what the loader prefetches and the snapshot is keyed by.
    fn cart_url(&self) -> String {
        [self.config.api_base.as_str(), self.cart_path()].concat()
    }

    /// A call on the current cart (`action` after its path).
    async fn cart_action(
        &self,
        method: Method,
        action: &str,
        body: Json,
    ) -> Result<Json, ApiError> {
        let path = [self.cart_path(), action].concat();
        self.send(method, &path, Some(body)).await
    }

    /// Sends an authorised request. A 401 means the access token went bad:
    /// it is renewed once and the request repeated.
    async fn send(&self, method: Method, path: &str, body: Option<Json>) -> Result<Json, ApiError> {
        let body = body.map(|body| body.to_json());
        let token = self.access_token().await?;
        match self
            .send_once(method.clone(), path, body.as_deref(), Some(&token))
            .await
        {
            Err(error) if error.is_unauthenticated() => {
                self.expire_access_token(&token);
                let token = self.access_token().await?;
                self.send_once(method, path, body.as_deref(), Some(&token))
                    .await
            }
            other => other,
        }
    }

    /// One request with a JSON body. Only HTTP 200 is success (as in Wix's
    /// SDK); any other status carries the error envelope.
    async fn send_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
        token: Option<&str>,
    ) -> Result<Json, ApiError> {
        // Aborted after `REQUEST_TIMEOUT`, reading the body included.
        let abort = web_sys::AbortController::new().ok();
        let mut builder = RequestBuilder::new(&[self.config.api_base.as_str(), path].concat())
            .method(method)
            .abort_signal(abort.as_ref().map(|abort| abort.signal()).as_ref());
        if let Some(token) = token {
            // Raw token, no `Bearer ` prefix: exactly what Wix's SDK sends.
            builder = builder.header("Authorization", token);
        }
        let request = match body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body.to_owned()),
            None => builder.build(),
        }
        .map_err(network_error)?;
        let timer = abort.and_then(|abort| {
            leptos::prelude::set_timeout_with_handle(move || abort.abort(), REQUEST_TIMEOUT).ok()
        });
        let result =
            async { read_response(request.send().await.map_err(network_error)?).await }.await;
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
                }) => {
                    // A refresh spends the refresh token: another tab that
                    // renewed with it at the same moment stores its new
                    // tokens once its answer is in, and those keep the
                    // shopper's cart.
                    if let Some(renewed) = self.renewed_elsewhere(&old.refresh_token).await {
                        return Ok(renewed.access_token);
                    }
                    self.request_tokens(GRANT_ANONYMOUS, None).await?
                }
                Err(error) => return Err(error),
            },
            None => self.request_tokens(GRANT_ANONYMOUS, None).await?,
        };
        let tokens = VisitorTokens::from_response(response, js_sys::Date::now());
        self.save_tokens(&tokens);
        Ok(tokens.access_token)
    }

    /// Tokens another tab stored in place of the refresh token `spent`,
    /// looked for until `RENEWAL_WAIT_MS` has passed. Its answer can come
    /// after this tab's refusal (that tab's page busy, or its answer slower),
    /// and starting over as a new visitor in the meantime would lose the cart
    /// in both tabs, since the new visitor's tokens would replace the renewed
    /// ones.
    async fn renewed_elsewhere(&self, spent: &str) -> Option<VisitorTokens> {
        let deadline = js_sys::Date::now() + RENEWAL_WAIT_MS;
        loop {
            let stored = self
                .load_tokens()
                .filter(|tokens| tokens.refresh_token != spent);
            if stored.is_some() || js_sys::Date::now() >= deadline {
                return stored;
            }
            pause(RENEWAL_POLL).await;
        }
    }

    async fn request_tokens(
        &self,
        grant_type: &str,
        refresh_token: Option<&str>,
    ) -> Result<TokenAnswer, ApiError> {
        let body = requests::token(&self.config.client_id, grant_type, refresh_token);
        let answer = self
            .send_once(
                Method::POST,
                cart_wire::TOKEN_PATH,
                Some(&body.to_json()),
                None,
            )
            .await?;
        decode(TokenAnswer::from_answer(&answer))
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

    fn snapshot_key(&self) -> String {
        snapshot::storage_key(&self.config.client_id, &self.cart_url())
    }

    fn load_tokens(&self) -> Option<VisitorTokens> {
        local_storage()
            .and_then(|storage| storage.get_item(&self.storage_key()).ok().flatten())
            .and_then(|json| VisitorTokens::from_json(&json))
            .or_else(|| self.memory.lock().ok()?.clone())
    }

    fn save_tokens(&self, tokens: &VisitorTokens) {
        if let Some(storage) = local_storage() {
            // Best effort: storage may be full or blocked; memory still has them.
            let _ = storage.set_item(&self.storage_key(), &tokens.to_json());
        }
        if let Ok(mut memory) = self.memory.lock() {
            *memory = Some(tokens.clone());
        }
    }
}

/// Resolves after `duration` (a timer, so the page stays responsive).
async fn pause(duration: std::time::Duration) {
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                duration.as_millis() as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(timer).await;
}

/// `localStorage`, when the browser lets this page use it.
pub(crate) fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A request that got no answer, in the browser's words ("Failed to fetch",
/// "signal is aborted without reason"). Not gloo's `Display`: that would also
/// link serde_json's error texts into the wasm for a variant never built here.
fn network_error(error: gloo_net::Error) -> ApiError {
    ApiError::Network(match error {
        gloo_net::Error::JsError(error) => error.message,
        gloo_net::Error::GlooError(message) => message,
        _ => "request failed".to_owned(),
    })
}

/// An answer as its status says: only HTTP 200 is success (as in Wix's
/// SDK); any other status carries the error envelope. One function for the
/// widget's own answers and the loader's, so its code is in the wasm once.
async fn read_response(response: Response) -> Result<Json, ApiError> {
    let text = response.text().await.map_err(network_error)?;
    match response.status() {
        200 => Json::parse(&text).map_err(|error| ApiError::Decode(error.to_string())),
        status => Err(ApiError::from_response(status, &text)),
    }
}

/// A decoded answer, or why it is not what the API promises.
fn decode<T>(decoded: Result<T, String>) -> Result<T, ApiError> {
    decoded.map_err(ApiError::Decode)
}
