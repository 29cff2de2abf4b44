//! A webhook receiver for the tests: a real HTTP server on 127.0.0.1 that
//! records every body, answers from a script, and verifies deliveries with
//! the test public key.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

const PUBLIC_KEY: &[u8] = include_bytes!("../fixtures/webhook-test-key.pub.pem");

/// What the receiver got, and what it will answer next.
#[derive(Clone, Default)]
pub struct Receiver {
    /// Every body posted, in arrival order.
    pub bodies: Arc<Mutex<Vec<String>>>,
    /// Statuses to answer, first to last; 200 once empty.
    pub script: Arc<Mutex<VecDeque<StatusCode>>>,
    /// Events of this cart are answered 500 (before the script).
    pub refused_cart: Arc<Mutex<Option<String>>>,
}

async fn receive(State(receiver): State<Receiver>, body: String) -> StatusCode {
    let cart = Delivery::verify(&body).sequence().0;
    receiver.bodies.lock().unwrap().push(body);
    if receiver.refused_cart.lock().unwrap().as_deref() == Some(cart.as_str()) {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let next = receiver.script.lock().unwrap().pop_front();
    next.unwrap_or(StatusCode::OK)
}

impl Receiver {
    /// Serves on 127.0.0.1:0; the URL to post to.
    pub async fn start(&self) -> reqwest::Url {
        self.start_on("127.0.0.1:0").await
    }

    /// Serves on `address` (a port taken before, to come back on it).
    pub async fn start_on(&self, address: &str) -> reqwest::Url {
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url.parse().unwrap()
    }

    pub fn count(&self) -> usize {
        self.bodies.lock().unwrap().len()
    }

    /// Waits (at most 20 s) until `n` bodies arrived; all of them, verified.
    pub async fn wait_for(&self, n: usize) -> Vec<Delivery> {
        for _ in 0..2000 {
            if self.count() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let bodies = self.bodies.lock().unwrap().clone();
        assert!(
            bodies.len() >= n,
            "{} of {n} deliveries arrived",
            bodies.len()
        );
        bodies.iter().map(|body| Delivery::verify(body)).collect()
    }
}

/// One delivery, verified with the public key and unwrapped.
#[derive(Debug)]
pub struct Delivery {
    pub envelope: Value,
    pub event: Value,
    pub identity: Value,
}

impl Delivery {
    pub fn verify(token: &str) -> Self {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_aud = false;
        let key = DecodingKey::from_rsa_pem(PUBLIC_KEY).unwrap();
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .expect("a delivery verifies with the public key")
            .claims;
        let envelope: Value = serde_json::from_str(claims["data"].as_str().unwrap()).unwrap();
        let event = serde_json::from_str(envelope["data"].as_str().unwrap()).unwrap();
        let identity = serde_json::from_str(envelope["identity"].as_str().unwrap()).unwrap();
        Self {
            envelope,
            event,
            identity,
        }
    }

    pub fn event_type(&self) -> &str {
        self.envelope["eventType"].as_str().unwrap()
    }

    pub fn sequence(&self) -> (String, i64) {
        let sequence = self.event["entityEventSequence"].as_str().unwrap();
        (
            self.event["entityId"].as_str().unwrap().to_owned(),
            sequence.parse().unwrap(),
        )
    }
}
