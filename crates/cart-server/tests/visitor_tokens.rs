//! The life of a visitor's tokens through `POST /oauth2/token`: a refresh
//! spends the refresh token for a new one and ends the access tokens issued
//! before it, keeping the visitor's cart; a spent token is honoured again
//! within the grace only; an expired refresh token gets the answer an
//! unknown one gets.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use cart_server::ShopRules;
use cart_server::demo::MUG;
use cart_server::visitor_tokens::Policy;
use common::{CURRENT, TestServer, code, state_for};
use serde_json::{Value, json};

/// `POST /oauth2/token` with the refresh token `refresh_token`.
async fn refresh(server: &TestServer, refresh_token: &Value) -> (StatusCode, Value) {
    let request = json!({"clientId": "test", "grantType": "refresh_token",
                         "refreshToken": refresh_token});
    server
        .call(Method::POST, "/oauth2/token", None, Some(request))
        .await
}

/// The answer to a refresh token the server never issued.
async fn unknown_refresh_answer(server: &TestServer) -> (StatusCode, Value) {
    let answer = refresh(server, &json!("cart-refresh.never-issued")).await;
    assert_eq!(answer.0, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&answer.1), "UNAUTHENTICATED");
    answer
}

/// The quantity of the first line in the cart `token` reaches, or the status.
async fn first_quantity(server: &TestServer, token: &Value) -> Result<Value, StatusCode> {
    let token = token.as_str().unwrap();
    let (status, body) = server.call(Method::GET, CURRENT, Some(token), None).await;
    match status {
        StatusCode::OK => Ok(body["cart"]["lineItems"][0]["quantity"].clone()),
        status => Err(status),
    }
}

#[tokio::test]
async fn each_refresh_gives_a_new_refresh_token_for_the_same_visitors_cart() {
    let server = TestServer::new().await;
    let mut tokens = server.anonymous_tokens().await;
    server
        .add(tokens["access_token"].as_str().unwrap(), MUG, 2)
        .await;
    for _ in 0..3 {
        let (status, renewed) = refresh(&server, &tokens["refresh_token"]).await;
        assert_eq!(status, StatusCode::OK, "{renewed}");
        assert_ne!(renewed["refresh_token"], tokens["refresh_token"]);
        assert_ne!(renewed["access_token"], tokens["access_token"]);
        assert_eq!(renewed["expires_in"], 14_400);
        assert_eq!(
            first_quantity(&server, &renewed["access_token"]).await,
            Ok(json!(2))
        );
        tokens = renewed;
    }
}

#[tokio::test]
async fn without_a_grace_a_spent_refresh_token_is_refused_as_an_unknown_one_is() {
    let server = server_with(|policy| policy.spent_grace = Duration::ZERO).await;
    let tokens = server.anonymous_tokens().await;
    let (status, renewed) = refresh(&server, &tokens["refresh_token"]).await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let replay = refresh(&server, &tokens["refresh_token"]).await;
    assert_eq!(replay, unknown_refresh_answer(&server).await);
    // The replay spent nothing: the new refresh token still works.
    let (status, _) = refresh(&server, &renewed["refresh_token"]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn within_the_grace_a_renewal_whose_answer_was_lost_is_made_again_for_the_same_cart() {
    let server = TestServer::new().await;
    let tokens = server.anonymous_tokens().await;
    server
        .add(tokens["access_token"].as_str().unwrap(), MUG, 2)
        .await;
    // The first answer never reaches the browser (the page closed mid-way).
    let (status, lost) = refresh(&server, &tokens["refresh_token"]).await;
    assert_eq!(status, StatusCode::OK, "{lost}");
    let (status, again) = refresh(&server, &tokens["refresh_token"]).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_ne!(again["refresh_token"], lost["refresh_token"]);
    assert_eq!(
        first_quantity(&server, &again["access_token"]).await,
        Ok(json!(2))
    );
    assert_eq!(
        first_quantity(&server, &lost["access_token"]).await,
        Err(StatusCode::UNAUTHORIZED),
        "an access token issued before the second renewal ends"
    );
    // Both new refresh tokens renew: either tab's may be the one stored.
    for refresh_token in [&lost["refresh_token"], &again["refresh_token"]] {
        let (status, renewed) = refresh(&server, refresh_token).await;
        assert_eq!(status, StatusCode::OK, "{renewed}");
    }
}

#[tokio::test]
async fn access_tokens_issued_before_a_refresh_stop_working() {
    let server = TestServer::new().await;
    let tokens = server.anonymous_tokens().await;
    server
        .add(tokens["access_token"].as_str().unwrap(), MUG, 3)
        .await;
    let (_, renewed) = refresh(&server, &tokens["refresh_token"]).await;
    assert_eq!(
        first_quantity(&server, &tokens["access_token"]).await,
        Err(StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        first_quantity(&server, &renewed["access_token"]).await,
        Ok(json!(3))
    );
}

#[tokio::test]
async fn another_visitors_tokens_survive_a_refresh() {
    let server = TestServer::new().await;
    let mine = server.anonymous_tokens().await;
    let theirs = server.anonymous_tokens().await;
    server
        .add(theirs["access_token"].as_str().unwrap(), MUG, 1)
        .await;
    let (status, _) = refresh(&server, &mine["refresh_token"]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        first_quantity(&server, &theirs["access_token"]).await,
        Ok(json!(1))
    );
    let (status, _) = refresh(&server, &theirs["refresh_token"]).await;
    assert_eq!(status, StatusCode::OK);
}

/// A server whose token policy `change` sets.
async fn server_with(change: impl FnOnce(&mut Policy)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut state = state_for(&dir.path().join("cart.db"), ShopRules::demo()).await;
    change(&mut state.token_policy);
    TestServer {
        router: cart_server::app(state, None),
        dir,
    }
}

#[tokio::test]
async fn a_kept_refresh_token_renews_again_and_still_ends_earlier_access_tokens() {
    let server = server_with(|policy| policy.rotate = false).await;
    let tokens = server.anonymous_tokens().await;
    server
        .add(tokens["access_token"].as_str().unwrap(), MUG, 2)
        .await;
    let mut access = tokens["access_token"].clone();
    for _ in 0..3 {
        let (status, renewed) = refresh(&server, &tokens["refresh_token"]).await;
        assert_eq!(status, StatusCode::OK, "{renewed}");
        assert_eq!(renewed["refresh_token"], tokens["refresh_token"]);
        assert_eq!(
            first_quantity(&server, &renewed["access_token"]).await,
            Ok(json!(2))
        );
        assert_eq!(
            first_quantity(&server, &access).await,
            Err(StatusCode::UNAUTHORIZED)
        );
        access = renewed["access_token"].clone();
    }
}

#[tokio::test]
async fn an_expired_refresh_token_is_refused_as_an_unknown_one_is() {
    // Refresh tokens that expire as they are issued.
    let server = server_with(|policy| policy.refresh_lifetime = Duration::ZERO).await;
    let tokens = server.anonymous_tokens().await;
    let answer = refresh(&server, &tokens["refresh_token"]).await;
    assert_eq!(answer, unknown_refresh_answer(&server).await);
}

#[tokio::test]
async fn the_refresh_token_lifetime_defaults_to_thirty_days() {
    let config = <cart_server::Config as clap::Parser>::parse_from(["cart-server"]);
    assert_eq!(config.refresh_token_days, 30);
    assert!(!config.keep_refresh_tokens);
    assert_eq!(config.refresh_grace_secs, 60);
    assert_eq!(
        cart_server::visitor_tokens::Policy::new(
            config.refresh_token_days,
            true,
            config.refresh_grace_secs
        ),
        cart_server::visitor_tokens::Policy::default()
    );
    assert_eq!(
        cart_server::visitor_tokens::Policy::default().refresh_lifetime,
        Duration::from_secs(30 * 24 * 60 * 60)
    );
}
