//! Reference server for the Wix eCommerce Current Cart API: v1
//! (`/ecom/v1/carts/current…`) and Cart V2 (`/ecom/v2/carts/current…`), two
//! APIs over the same carts.
//!
//! `app()` builds the router (used directly by the handler tests);
//! `serve()` opens the database and runs it.
//!
//! # Layers
//!
//! A request goes down these layers and its answer comes back up; each
//! layer only calls the ones below it.
//!
//! | layer | modules | what it does |
//! |---|---|---|
//! | HTTP | `routes/*`, `auth`, `error` | extract (token, admin key, JSON), call the service, answer; `routes::respond` renders a cart (`routes/current_cart_v2.rs` its V2 form), `error::ApiError` every failure in the Wix envelope |
//! | use cases | `carts`, `visitor_tokens` | `Carts`: one method per cart endpoint, shared by the current-cart and cart-by-id routes; `carts/v2.rs` adds Cart V2's own operations over the same carts; `visitor_tokens`: minting, refresh (rotation), expiry and clean-up of visitor tokens |
//! | rules | `validate`, `cart`, `catalog`, `shop_rules`, `pricing`, `money` | pure: what a valid request is, how a stored cart changes, what an item is, the shop's coupons/tax/shipping, the amounts |
//! | wire | `render` | a priced cart as the `cart_wire` answer types (`render/v2.rs`, `render/v2_summary.rs`: `cart_wire::v2`) |
//! | storage | `db`, `db/sqlite`, `db/postgres`, `db/read_cache` | `Db` over the `Storage` trait: tokens, carts and checkouts, one transaction per cart change; with SQLite, carts and access tokens also kept in memory |
//!
//! `webhooks` sends the cart events (created / updated / deleted) from the
//! outbox that `db` writes with each change. `faults` is a test-only switch that injects failures; `config` is the
//! command line.
//!
//! Before the HTTP layer: `connections` accepts and serves connections
//! (header timeout, connection limit, graceful shutdown); `body_limits` and
//! `hosts` refuse, before any handler, a body too large or too slow and a
//! `Host` that URLs may not be built from.

mod auth;
pub mod body_limits;
mod cart;
mod carts;
mod catalog;
mod config;
pub mod connections;
mod db;
mod error;
mod faults;
pub mod hosts;
mod money;
mod pricing;
mod render;
mod routes;
mod shop_rules;
pub mod token_limit;
mod validate;
pub mod visitor_tokens;
pub mod webhooks;

use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::routing::any;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use cart::{CartContent, StoredCart, StoredLine};
pub use catalog::{CatalogItem, CatalogProvider, Catalogs, StoresCatalog, demo};
pub use config::Config;
pub use db::{
    Alongside, AttemptOutcome, CartEvent, CartKey, CartWrite, CheckoutWrite, Db, DbLocation,
    EventKind, EventStatus, PostgresStorage, SqliteStorage, Storage, TokenKind, TokenOwner,
    TokenPair, WriteOutcome,
};
pub use error::ApiError;
pub use faults::{FaultMode, FaultPlan, Faults};
pub use shop_rules::ShopRules;

/// Everything a handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Where line items come from, by `appId`.
    pub catalogs: Arc<Catalogs>,
    /// The Wix Stores catalog, for the storefront's products query.
    pub stores_catalog: Arc<StoresCatalog>,
    /// The shop's currency, locale, coupons, tax and shipping rules.
    pub rules: Arc<ShopRules>,
    /// Fixed public origin for absolute URLs; `None` derives it from `Host`.
    pub public_url: Option<String>,
    /// The `Host` names URLs may be derived from without `public_url`.
    pub allowed_hosts: Arc<hosts::AllowedHosts>,
    /// How long a request's whole body may take to arrive.
    pub body_timeout: std::time::Duration,
    /// Key for the cart-by-id API; `None` turns it off.
    pub admin_key: Option<String>,
    /// How many visitor tokens one client may mint.
    pub token_limiter: Arc<token_limit::TokenLimiter>,
    /// How refresh tokens live and are renewed.
    pub token_policy: visitor_tokens::Policy,
}

impl AppState {
    /// The cart service over this state's storage, catalogs and rules.
    pub fn carts(&self) -> carts::Carts<'_> {
        carts::Carts::new(&self.db, &self.catalogs, &self.rules)
    }
}

/// The HTTP application: API routes, demo media, and optionally the built widget.
pub fn app(state: AppState, static_dir: Option<&std::path::Path>) -> Router {
    app_with_cors(state, static_dir, &[])
}

/// `app`, answering browsers on the given origins (CORS); `*` allows any.
pub fn app_with_cors(
    state: AppState,
    static_dir: Option<&std::path::Path>,
    cors_origins: &[String],
) -> Router {
    app_with(state, static_dir, cors_origins, None)
}

/// `app_with_cors`, plus the test fault switch when `faults` is given.
pub fn app_with(
    state: AppState,
    static_dir: Option<&std::path::Path>,
    cors_origins: &[String],
    faults: Option<Faults>,
) -> Router {
    let router = routes::router()
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limits::MAX_BODY_BYTES))
        .with_state(state.clone());
    let router = match static_dir {
        // Unknown API paths stay API errors (the envelope), not the static
        // folder's empty 404; everything else is a file.
        Some(dir) => routes::API_PREFIXES
            .iter()
            .fold(router, |router, prefix| {
                router.route(&format!("{prefix}{{*rest}}"), any(routes::not_found))
            })
            .fallback_service(ServeDir::new(dir)),
        None => router.fallback(routes::not_found),
    };
    // Inside CORS, so an injected failure still reaches a cross-origin page as one.
    let router = match faults {
        Some(faults) => router
            .merge(faults::router(faults.clone()))
            .layer(axum::middleware::from_fn_with_state(faults, faults::inject)),
        None => router,
    };
    let request_id = HeaderName::from_static("x-wix-request-id");
    router
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn_with_state(
            state.body_timeout,
            body_limits::read_within,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            hosts::refuse_unknown_host,
        ))
        .layer(axum::middleware::from_fn(
            body_limits::refuse_declared_oversize,
        ))
        .layer(cors(cors_origins))
        // One log line per request with method, path, status and latency.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(LatencyUnit::Millis),
                ),
        )
        // Every answer carries a request id (Wix's SDK puts it in `error.requestId`).
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        // The id is always the server's own: a client-sent one would be
        // echoed as given (and could forge log correlation), so it is
        // only logged, next to ours.
        .layer(axum::middleware::map_request(forget_client_request_id))
}

/// Takes a client's `x-wix-request-id` off the request (see `app_with`).
async fn forget_client_request_id(mut request: axum::extract::Request) -> axum::extract::Request {
    if let Some(id) = request.headers_mut().remove("x-wix-request-id") {
        tracing::info!(client_request_id = ?id, "the client sent its own request id; ours replaces it");
    }
    request
}

/// Starts delivering cart events; aborted when the returned guard drops.
async fn spawn_dispatcher(
    state: &AppState,
    settings: webhooks::WebhookSettings,
    listener: &tokio::net::TcpListener,
) -> anyhow::Result<AbortOnDrop> {
    let instance_id = match settings.instance_id {
        Some(id) => id,
        None => {
            let fresh = uuid::Uuid::new_v4().to_string();
            state
                .db
                .storage()
                .setting_or_insert(webhooks::INSTANCE_ID_SETTING, &fresh)
                .await?
        }
    };
    let mut options = webhooks::DispatchOptions::default();
    if let Some(ms) = settings.first_retry_ms {
        options.retry.first_retry = std::time::Duration::from_millis(ms);
        options.retry.max_delay = options.retry.first_retry * 10;
        options.poll_interval = options.poll_interval.min(options.retry.first_retry);
    }
    if let Some(ms) = settings.timeout_ms {
        options.timeout = std::time::Duration::from_millis(ms);
    }
    let base_url = match &state.public_url {
        Some(url) => url.clone(),
        None => format!("http://{}", listener.local_addr()?),
    };
    tracing::info!(
        urls = ?settings.urls.iter().map(|u| u.as_str()).collect::<Vec<_>>(),
        %instance_id,
        "cart events are sent to the webhook URLs"
    );
    let dispatcher = webhooks::Dispatcher::new(
        &state.db,
        settings.urls,
        settings.key,
        instance_id,
        state.catalogs.clone(),
        state.rules.clone(),
        base_url,
        options,
    )?;
    Ok(AbortOnDrop(dispatcher.spawn()))
}

/// Aborts a background task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<&str> = origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .collect();
    let allow = if origins.contains(&"*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|origin| HeaderValue::from_str(origin).ok()),
        )
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([AUTHORIZATION, CONTENT_TYPE])
        .expose_headers([HeaderName::from_static("x-wix-request-id")])
        .max_age(std::time::Duration::from_secs(600))
}

/// Opens the database (running migrations), binds the listener and serves until Ctrl-C.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    // Checked before anything else, so a bad key or URL stops the start.
    let webhooks = webhooks::WebhookSettings::from_config(&config)?;
    if config.test_faults
        && let Some(url) = config
            .public_url
            .as_deref()
            .filter(|url| url.starts_with("https://"))
    {
        anyhow::bail!(
            "--test-faults lets anyone make this server fail; it is refused with a public \
             https origin (--public-url {url}): it is for tests on loopback only"
        );
    }
    let db = Db::connect(&config.db, config.db_pool_size)
        .await
        .with_context(|| format!("could not open database {}", config.db))?
        .with_events(webhooks.is_some());
    let stores_catalog = Arc::new(match &config.catalog {
        Some(path) => StoresCatalog::from_file(path)?,
        None => StoresCatalog::demo(),
    });
    let state = AppState {
        db,
        catalogs: Arc::new(Catalogs::demo_with(stores_catalog.clone())),
        stores_catalog,
        rules: Arc::new(ShopRules::demo()),
        public_url: config.public_url.clone(),
        allowed_hosts: Arc::new(hosts::AllowedHosts::new(&config.allowed_hosts)),
        body_timeout: std::time::Duration::from_secs(config.body_timeout_secs),
        admin_key: config.admin_key.clone().filter(|key| !key.is_empty()),
        token_limiter: Arc::new(token_limit::TokenLimiter::new(
            config.token_mints_per_minute,
            config.trust_forwarded_for,
        )),
        token_policy: visitor_tokens::Policy::new(
            config.refresh_token_days,
            !config.keep_refresh_tokens,
            config.refresh_grace_secs,
        ),
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("could not listen on {}", config.listen))?;
    let _token_cleanup = AbortOnDrop(visitor_tokens::spawn_cleanup(
        state.db.clone(),
        visitor_tokens::CLEANUP_EVERY,
    ));
    let _dispatcher = match webhooks {
        Some(settings) => Some(spawn_dispatcher(&state, settings, &listener).await?),
        None => None,
    };
    tracing::info!("cart-server listening on http://{}", listener.local_addr()?);
    if config.test_faults {
        tracing::warn!("test fault switch enabled: PUT /__test/faults (never in production)");
    }
    let faults = config.test_faults.then(Faults::default);
    let app = app_with(
        state,
        config.static_dir.as_deref(),
        &config.cors_origins,
        faults,
    );
    let limits = connections::ConnectionLimits {
        header_timeout: std::time::Duration::from_secs(config.header_timeout_secs),
        max_connections: config.max_connections as usize,
    };
    connections::serve(listener, app, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}
