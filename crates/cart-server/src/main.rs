use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = cart_server::Config::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "cart_server=info,tower_http=info".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    if config.log_format == "json" {
        logs.json().init();
    } else {
        logs.init();
    }
    cart_server::serve(config).await
}
