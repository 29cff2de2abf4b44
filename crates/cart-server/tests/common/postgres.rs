//! PostgreSQL for tests: a fresh, empty database per test on the cluster
//! that `CART_TEST_POSTGRES_URL` points at (`cargo xtask test` starts a
//! throwaway one and sets it; its user may create databases).
//!
//! Without the variable a test that needs PostgreSQL cannot run. Under CI
//! (`CI` set) that is a failure, so a misconfigured pipeline never passes
//! by testing nothing; run by hand, the test prints why and passes
//! (`cargo xtask with-postgres cargo test -p cart-server` gives it a cluster).

use sqlx::Connection;

/// The variable naming the test cluster: `postgres://user:password@host:port/database`.
pub const URL_VARIABLE: &str = "CART_TEST_POSTGRES_URL";

/// The URL of a new empty database, or `None` (after saying so) when there
/// is no test cluster and this is not CI.
pub async fn fresh_database() -> Option<String> {
    let Some(cluster) = std::env::var(URL_VARIABLE)
        .ok()
        .filter(|url| !url.is_empty())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{URL_VARIABLE} is not set but CI is: the PostgreSQL tests would not run \
             (`cargo xtask test` starts a cluster and sets it)"
        );
        eprintln!(
            "skipped: {URL_VARIABLE} is not set (`cargo xtask test` starts a PostgreSQL \
             cluster and sets it; by hand: `cargo xtask with-postgres cargo test …`)"
        );
        return None;
    };
    let name = format!("cart_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&cluster)
        .await
        .unwrap_or_else(|error| panic!("{URL_VARIABLE}: cannot connect: {error}"));
    // The name is ours (a uuid), so formatting it into the statement is safe.
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let mut url = reqwest::Url::parse(&cluster).unwrap();
    url.set_path(&name);
    Some(url.into())
}
