//! Server settings: command-line flags with environment-variable fallbacks.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::db::DbLocation;

/// Reference server for the Wix eCommerce Current Cart API (v1).
#[derive(Clone, Debug, Parser)]
#[command(version, about)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "CART_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Where the data lives: a SQLite file (created with its schema on first
    /// start), or a `postgres://user:password@host:port/database` URL, which
    /// any number of server nodes may share (schema applied on start).
    #[arg(long, env = "CART_DB", default_value = "cart.db", value_parser = DbLocation::parse,
          hide_env_values = true)]
    pub db: DbLocation,

    /// Database connections this server keeps at most. With PostgreSQL, all
    /// nodes together must stay under the server's `max_connections` (100 by default).
    #[arg(long, env = "CART_DB_POOL_SIZE", default_value_t = crate::db::DEFAULT_POOL_SIZE,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub db_pool_size: u32,

    /// Directory of built widget files (Trunk's `dist/`) to serve beside the API.
    #[arg(long, env = "CART_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// Origin that shoppers' browsers reach this server at, used to build
    /// absolute product image URLs (default: from each request's Host header).
    #[arg(long, env = "CART_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Without `--public-url`: host names, comma-separated, whose `Host`
    /// header URLs may be built from, besides loopback names (always
    /// allowed); a request naming any other host gets 400 `HOST_NOT_ALLOWED`.
    #[arg(long, env = "CART_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,

    /// API key for the cart-by-id endpoints (`/ecom/v1/carts/{id}…`) and
    /// custom line items, sent as `Authorization`; without it they answer 403.
    #[arg(long, env = "CART_ADMIN_KEY", hide_env_values = true)]
    pub admin_key: Option<String>,

    /// Origins allowed to call the API from the browser (CORS), comma-separated,
    /// e.g. `https://shop.example.com`; `*` allows any. Default: none (same origin only).
    #[arg(long, env = "CART_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Catalog file (Wix Stores–shaped products, the format of
    /// `catalog/demo.json`) to sell from instead of the demo catalog.
    #[arg(long, env = "CART_CATALOG")]
    pub catalog: Option<PathBuf>,

    /// For tests only: enables `PUT /__test/faults`, a switch that makes API
    /// requests fail, stall or answer garbled JSON. A flag only (no
    /// environment variable can turn it on unseen), refused with a public
    /// https `--public-url`, and loud in the log.
    #[arg(long)]
    pub test_faults: bool,

    /// Where cart events (webhooks) are posted; repeatable, or comma-separated
    /// in the environment. None: no events are queued.
    #[arg(long = "webhook-url", env = "CART_WEBHOOK_URLS", value_delimiter = ',',
          value_name = "URL", value_parser = crate::webhooks::parse_url)]
    pub webhook_urls: Vec<reqwest::Url>,

    /// PKCS#8 PEM RSA private key that signs the events (required with
    /// `--webhook-url`); receivers verify with its public key.
    #[arg(long, env = "CART_WEBHOOK_KEY", value_name = "PATH")]
    pub webhook_key: Option<PathBuf>,

    /// The site instance id carried in every event (default: one made on
    /// first start and kept in the database).
    #[arg(long, env = "CART_INSTANCE_ID", value_name = "UUID")]
    pub instance_id: Option<uuid::Uuid>,

    /// For tests only: the first retry's wait in milliseconds (doubling,
    /// capped at ten times it) instead of 2 s (capped at 5 minutes).
    #[arg(long, env = "CART_WEBHOOK_FIRST_RETRY_MS", hide = true)]
    pub webhook_first_retry_ms: Option<u64>,

    /// For tests only: how long a receiver may take to answer, in
    /// milliseconds, instead of 10 s (a claimed event's lease is this per
    /// URL plus 5 s).
    #[arg(long, env = "CART_WEBHOOK_TIMEOUT_MS", hide = true)]
    pub webhook_timeout_ms: Option<u64>,

    /// Anonymous visitor tokens one client (IP address) may mint per minute,
    /// also the burst allowed at once; 0 turns the limit off.
    #[arg(long, env = "CART_TOKEN_MINTS_PER_MINUTE",
          default_value_t = crate::token_limit::DEFAULT_MINTS_PER_MINUTE)]
    pub token_mints_per_minute: u32,

    /// Days a refresh token lives after its last use: how long a visitor
    /// may stay away and keep their cart.
    #[arg(long, env = "CART_REFRESH_TOKEN_DAYS",
          default_value_t = crate::visitor_tokens::DEFAULT_REFRESH_TOKEN_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub refresh_token_days: u32,

    /// Keep a refresh token across refreshes instead of replacing it, as
    /// Wix does: needed by storefronts on Wix's JS SDK, which keeps the
    /// refresh token it has (with rotation its second renewal starts a new
    /// visitor). Rotation, the default, makes a stolen refresh token stop
    /// working once its owner renews.
    #[arg(long, env = "CART_KEEP_REFRESH_TOKENS")]
    pub keep_refresh_tokens: bool,

    /// Seconds a replaced refresh token is still honoured (0 to 3600), so
    /// a renewal whose answer was lost (the page closed mid-way) can be
    /// made again without losing the visitor and their cart; 0: spent at
    /// once.
    #[arg(long, env = "CART_REFRESH_GRACE_SECS",
          default_value_t = crate::visitor_tokens::DEFAULT_REFRESH_GRACE_SECS,
          value_parser = clap::value_parser!(u32).range(0..=3600))]
    pub refresh_grace_secs: u32,

    /// Key the token rate limit on the last `X-Forwarded-For` address (set
    /// this only behind a load balancer that writes that header).
    #[arg(long, env = "CART_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Seconds a client has to send a request's headers (also how long an
    /// idle kept-alive connection stays open); then the connection is closed.
    #[arg(long, env = "CART_HEADER_TIMEOUT_SECS",
          default_value_t = crate::connections::DEFAULT_HEADER_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,

    /// Seconds a client has to send a request's whole body; then 408
    /// `REQUEST_TIMEOUT` and the connection is closed.
    #[arg(long, env = "CART_BODY_TIMEOUT_SECS",
          default_value_t = crate::body_limits::DEFAULT_BODY_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout_secs: u64,

    /// Connections served at once; more wait to be accepted until one closes.
    #[arg(long, env = "CART_MAX_CONNECTIONS",
          default_value_t = crate::connections::DEFAULT_MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Request log format: `text` or `json`.
    #[arg(long, env = "CART_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
}
