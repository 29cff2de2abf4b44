use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = cart_server::Config::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "cart_server=info,tower_http=info".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    if config.log_format == "json" {
        logs.json().init();
    } else {
        logs.init();
    }
    // The causes on one line, and no backtrace even with RUST_BACKTRACE
    // set: a failed start (database unreachable, bad flag value) is the
    // operator's to fix, not a bug.
    match cart_server::serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cart-server: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
