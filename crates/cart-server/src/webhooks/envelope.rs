//! The delivery body, as Wix sends its webhooks (`@wix/sdk`'s
//! `webhooks.process` parses it): a JWT signed RS256 whose claim `data` is
//! the JSON *string* of the `MessageEnvelope`, whose `data` is in turn the
//! JSON string of the `DomainEvent` and whose `identity` is a JSON string
//! too. Field order follows the captured fixtures
//! (`cart-wire/fixtures/webhook-cart-*.json`), which the tests below check.

use cart_wire::Cart;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::db::EventKind;

/// `entityFqdn` of every cart event.
pub const ENTITY_FQDN: &str = "wix.ecom.v1.cart";

/// How long a signed delivery is valid (`exp` − `iat`), as in Wix's.
const TOKEN_LIFETIME_SECONDS: i64 = 3600;

/// The envelope's `eventType` for an event kind.
pub fn event_type(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Created => "wix.ecom.v1.cart_created",
        EventKind::Updated => "wix.ecom.v1.cart_updated",
        EventKind::Deleted => "wix.ecom.v1.cart_deleted",
    }
}

/// The domain event (`envelope.data`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainEvent {
    pub id: String,
    pub entity_fqdn: &'static str,
    pub entity_id: String,
    pub triggered_by_anonymize_request: bool,
    pub slug: &'static str,
    #[serde(flatten)]
    pub body: EventBody,
    /// ISO-8601 UTC with milliseconds.
    pub event_time: String,
    /// int64 as a string.
    pub entity_event_sequence: String,
}

/// What the event carries: the cart after the change, or nothing.
#[derive(Clone, Debug, Serialize)]
pub enum EventBody {
    #[serde(rename = "createdEvent")]
    Created { entity: Cart },
    #[serde(rename = "updatedEvent")]
    Updated {
        #[serde(rename = "currentEntity")]
        current_entity: Cart,
    },
    #[serde(rename = "deletedEvent")]
    Deleted {},
}

impl EventBody {
    /// The body for `kind`; `cart` is ignored for `Deleted` and required otherwise.
    pub fn new(kind: EventKind, cart: Option<Cart>) -> Option<Self> {
        Some(match kind {
            EventKind::Created => Self::Created { entity: cart? },
            EventKind::Updated => Self::Updated {
                current_entity: cart?,
            },
            EventKind::Deleted => Self::Deleted {},
        })
    }
}

impl DomainEvent {
    pub fn new(
        id: &str,
        cart_id: &str,
        kind: EventKind,
        body: EventBody,
        event_time_ms: i64,
        sequence: i64,
    ) -> Self {
        Self {
            id: id.to_owned(),
            entity_fqdn: ENTITY_FQDN,
            entity_id: cart_id.to_owned(),
            triggered_by_anonymize_request: false,
            slug: kind.slug(),
            body,
            event_time: event_time(event_time_ms),
            entity_event_sequence: sequence.to_string(),
        }
    }
}

/// Who made the change (`envelope.identity`, sent as a JSON string).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "identityType")]
pub enum Identity {
    #[serde(rename = "ANONYMOUS_VISITOR")]
    AnonymousVisitor {
        #[serde(rename = "anonymousVisitorId")]
        anonymous_visitor_id: String,
    },
    /// A cart created with the admin key belongs to no visitor.
    #[serde(rename = "UNKNOWN")]
    Unknown,
}

impl Identity {
    pub fn of_visitor(visitor_id: Option<&str>) -> Self {
        match visitor_id {
            Some(id) => Self::AnonymousVisitor {
                anonymous_visitor_id: id.to_owned(),
            },
            None => Self::Unknown,
        }
    }
}

/// `envelope.accountInfo`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    pub account_id: String,
    pub site_id: String,
}

/// The message envelope (the JWT's `data`, sent as a JSON string).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageEnvelope {
    /// The domain event as a JSON string.
    pub data: String,
    pub instance_id: String,
    pub event_type: &'static str,
    /// The identity as a JSON string.
    pub identity: String,
    pub account_info: AccountInfo,
}

impl MessageEnvelope {
    /// The envelope for `event`, on the site `instance_id`. This server
    /// has no Wix account: the account and site ids are the instance id.
    pub fn new(
        event: &DomainEvent,
        kind: EventKind,
        identity: &Identity,
        instance_id: &str,
    ) -> serde_json::Result<Self> {
        Ok(Self {
            data: serde_json::to_string(event)?,
            instance_id: instance_id.to_owned(),
            event_type: event_type(kind),
            identity: serde_json::to_string(identity)?,
            account_info: AccountInfo {
                account_id: instance_id.to_owned(),
                site_id: instance_id.to_owned(),
            },
        })
    }
}

/// The JWT's claims.
#[derive(Clone, Debug, Serialize)]
pub struct Claims {
    /// The envelope as a JSON string (the SDK refuses anything else).
    pub data: String,
    pub iat: i64,
    pub exp: i64,
}

/// The signing key, read once at start.
#[derive(Clone)]
pub struct SigningKey(EncodingKey);

impl SigningKey {
    /// A PKCS#8 (or PKCS#1) PEM RSA private key; checked by signing a test
    /// token, since parsing the PEM alone accepts some non-keys.
    pub fn from_pem(pem: &[u8]) -> Result<Self, jsonwebtoken::errors::Error> {
        let key = Self(EncodingKey::from_rsa_pem(pem)?);
        key.sign_claims(&Claims {
            data: String::new(),
            iat: 0,
            exp: 0,
        })?;
        Ok(key)
    }

    fn sign_claims(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), claims, &self.0)
    }

    /// The delivery body for `envelope`, signed now.
    pub fn sign(&self, envelope: &MessageEnvelope) -> anyhow::Result<String> {
        let iat = OffsetDateTime::now_utc().unix_timestamp();
        let claims = Claims {
            data: serde_json::to_string(envelope)?,
            iat,
            exp: iat + TOKEN_LIFETIME_SECONDS,
        };
        Ok(self.sign_claims(&claims)?)
    }
}

/// Unix milliseconds as `eventTime`: `2025-06-12T08:00:00.000Z`.
pub fn event_time(unix_ms: i64) -> String {
    let time = OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let seconds = time
        .replace_nanosecond(0)
        .unwrap_or(time)
        .format(&Rfc3339)
        .unwrap_or_default();
    format!(
        "{}.{:03}Z",
        seconds.trim_end_matches('Z'),
        time.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{DecodingKey, Validation};
    use serde_json::Value;

    use super::*;

    const TEST_KEY: &[u8] = include_bytes!("../../tests/fixtures/webhook-test-key.pem");
    const TEST_PUBLIC_KEY: &[u8] = include_bytes!("../../tests/fixtures/webhook-test-key.pub.pem");

    fn fixture(kind: EventKind, part: &str) -> Value {
        let text = match (kind, part) {
            (EventKind::Created, "domain-event") => {
                include_str!("../../../cart-wire/fixtures/webhook-cart-created.domain-event.json")
            }
            (EventKind::Created, _) => include_str!(
                "../../../cart-wire/fixtures/webhook-cart-created.message-envelope.json"
            ),
            (EventKind::Updated, "domain-event") => {
                include_str!("../../../cart-wire/fixtures/webhook-cart-updated.domain-event.json")
            }
            (EventKind::Updated, _) => include_str!(
                "../../../cart-wire/fixtures/webhook-cart-updated.message-envelope.json"
            ),
            (EventKind::Deleted, "domain-event") => {
                include_str!("../../../cart-wire/fixtures/webhook-cart-deleted.domain-event.json")
            }
            (EventKind::Deleted, _) => include_str!(
                "../../../cart-wire/fixtures/webhook-cart-deleted.message-envelope.json"
            ),
        };
        serde_json::from_str(text).unwrap()
    }

    /// The fixture's domain event rebuilt from its parts by this module,
    /// and the fixture with its entity as `cart_wire::Cart` writes it (the
    /// captured cart has fields this server does not model, such as
    /// `couponScopes`; the cart's own fidelity is `cart-wire`'s concern).
    fn rebuilt(kind: EventKind) -> (DomainEvent, Value) {
        let mut expected = fixture(kind, "domain-event");
        let entity = match kind {
            EventKind::Created => Some(&mut expected["createdEvent"]["entity"]),
            EventKind::Updated => Some(&mut expected["updatedEvent"]["currentEntity"]),
            EventKind::Deleted => None,
        };
        let cart: Option<Cart> = entity.map(|entity| {
            let cart: Cart = serde_json::from_value(entity.clone()).unwrap();
            assert_eq!(cart.id.as_deref(), entity["id"].as_str());
            *entity = serde_json::to_value(&cart).unwrap();
            cart
        });
        let time =
            OffsetDateTime::parse(expected["eventTime"].as_str().unwrap(), &Rfc3339).unwrap();
        let event = DomainEvent::new(
            expected["id"].as_str().unwrap(),
            expected["entityId"].as_str().unwrap(),
            kind,
            EventBody::new(kind, cart).unwrap(),
            i64::try_from(time.unix_timestamp_nanos() / 1_000_000).unwrap(),
            expected["entityEventSequence"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
        );
        (event, expected)
    }

    fn keys(value: &str) -> Vec<String> {
        // serde_json without `preserve_order` sorts keys; read the order from the text.
        let object: Value = serde_json::from_str(value).unwrap();
        let mut keys: Vec<(usize, String)> = object
            .as_object()
            .unwrap()
            .keys()
            .map(|k| (value.find(&format!("\"{k}\"")).unwrap(), k.clone()))
            .collect();
        keys.sort();
        keys.into_iter().map(|(_, k)| k).collect()
    }

    const KINDS: [EventKind; 3] = [EventKind::Created, EventKind::Updated, EventKind::Deleted];

    #[test]
    fn each_domain_event_matches_its_fixture_field_for_field_and_in_order() {
        for kind in KINDS {
            let (event, expected) = rebuilt(kind);
            let text = serde_json::to_string(&event).unwrap();
            assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), expected);
            let fixture_text = match kind {
                EventKind::Created => include_str!(
                    "../../../cart-wire/fixtures/webhook-cart-created.domain-event.json"
                ),
                EventKind::Updated => include_str!(
                    "../../../cart-wire/fixtures/webhook-cart-updated.domain-event.json"
                ),
                EventKind::Deleted => include_str!(
                    "../../../cart-wire/fixtures/webhook-cart-deleted.domain-event.json"
                ),
            };
            assert_eq!(keys(&text), keys(fixture_text), "{kind:?}");
        }
    }

    #[test]
    fn each_envelope_matches_its_fixture_with_the_event_and_identity_as_json_strings() {
        for kind in KINDS {
            let (event, expected_event) = rebuilt(kind);
            let expected = fixture(kind, "message-envelope");
            let identity = Identity::of_visitor(Some("4c9f6a3e-8d2b-4e1f-a7c5-0b3d2e1f9a87"));
            let envelope = MessageEnvelope::new(
                &event,
                kind,
                &identity,
                "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
            )
            .unwrap();
            let ours = serde_json::to_value(&envelope).unwrap();
            for field in ["instanceId", "eventType"] {
                assert_eq!(ours[field], expected[field], "{kind:?} {field}");
            }
            let parse = |v: &Value| serde_json::from_str::<Value>(v.as_str().unwrap()).unwrap();
            assert_eq!(parse(&ours["data"]), expected_event, "{kind:?}");
            let fixture_event = parse(&expected["data"]);
            assert_eq!(fixture_event["id"], expected_event["id"]);
            assert_eq!(parse(&ours["identity"]), parse(&expected["identity"]));
            assert_eq!(
                ours["accountInfo"]["siteId"],
                expected["accountInfo"]["siteId"]
            );
            assert_eq!(
                keys(&serde_json::to_string(&envelope).unwrap()),
                ["data", "instanceId", "eventType", "identity", "accountInfo"]
            );
        }
    }

    #[test]
    fn a_signed_delivery_verifies_with_the_public_key_and_nests_strings_as_wix_does() {
        let key = SigningKey::from_pem(TEST_KEY).unwrap();
        let (event, expected) = rebuilt(EventKind::Updated);
        let envelope =
            MessageEnvelope::new(&event, EventKind::Updated, &Identity::Unknown, "site").unwrap();
        let token = key.sign(&envelope).unwrap();

        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_aud = false;
        let decoded = jsonwebtoken::decode::<Value>(
            &token,
            &DecodingKey::from_rsa_pem(TEST_PUBLIC_KEY).unwrap(),
            &validation,
        )
        .unwrap();
        let claims = decoded.claims;
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            3600
        );
        let envelope: Value = serde_json::from_str(claims["data"].as_str().unwrap()).unwrap();
        let event: Value = serde_json::from_str(envelope["data"].as_str().unwrap()).unwrap();
        assert_eq!(event, expected);
        let identity: Value = serde_json::from_str(envelope["identity"].as_str().unwrap()).unwrap();
        assert_eq!(identity, serde_json::json!({"identityType": "UNKNOWN"}));
    }

    #[test]
    fn a_key_that_is_not_an_rsa_private_key_is_refused() {
        let public = include_bytes!("../../tests/fixtures/webhook-test-key.pub.pem");
        assert!(SigningKey::from_pem(public).is_err());
        assert!(SigningKey::from_pem(b"not a key").is_err());
    }

    #[test]
    fn event_time_has_milliseconds_and_a_z() {
        assert_eq!(event_time(1_749_715_200_000), "2025-06-12T08:00:00.000Z");
        assert_eq!(event_time(1_749_647_126_650), "2025-06-11T13:05:26.650Z");
    }
}
