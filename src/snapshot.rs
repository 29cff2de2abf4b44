//! The last cart the server sent the widget, kept in the visitor's
//! own `localStorage`, so a returning visitor sees their cart the moment the
//! widget mounts (stale-while-revalidate), before the server answers.
//!
//! The rules:
//! - It is written whenever the server answers with a cart (`api.rs`, where
//!   the answer's JSON still is: the read model has no writer, and one would
//!   cost wasm), and removed when the server says there is no cart.
//! - It is keyed by site: the client id and the URL of the current cart
//!   (API base and dialect), like the tokens; and it names its visitor by a
//!   digest of their refresh token (not the token itself: one secret is
//!   enough to keep). A snapshot is shown only to that visitor: a new or
//!   renewed visitor identity on that site does not see it.
//! - It is bounded: a cart whose answer is longer than
//!   [`SNAPSHOT_LIMIT_BYTES`] is not kept (and the older one goes).
//! - While one is shown, the state marks totals and checkout pending, and the
//!   server's answer replaces it whole (`state/mod.rs`): no stale line
//!   survives it. A failed load takes it off the screen too.

use crate::wire::json::Json;

/// The longest snapshot kept, in bytes of its JSON: well within a site's
/// storage (browsers give an origin 5 MB, shared with the merchant's page),
/// and a cart of a few dozen lines.
pub const SNAPSHOT_LIMIT_BYTES: usize = 64_000;

/// What the `localStorage` key of every snapshot starts with (the loader
/// reads it too, to paint the kept cart: `xtask/dist.mjs`).
pub const STORAGE_KEY_PREFIX: &str = "cart-widget:cart:";

/// The `localStorage` key of the snapshot of the cart at `cart_url` for
/// `client_id`.
pub fn storage_key(client_id: &str, cart_url: &str) -> String {
    [STORAGE_KEY_PREFIX, client_id, "@", cart_url].concat()
}

/// FNV-1a's 64-bit parameters (the loader computes the same digest).
pub const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
pub const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// Names the visitor without keeping their secret: FNV-1a (64 bits) of the
/// refresh token, in decimal (the wasm already formats integers so; hex
/// would link more formatting code). Not a protection (the token sits beside
/// it in the same storage), only an identity to compare.
pub fn visitor_id(refresh_token: &str) -> String {
    refresh_token
        .bytes()
        .fold(FNV_OFFSET_BASIS, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
        })
        .to_string()
}

/// The snapshot of the `{cart}` answer `answer` for `visitor`, as stored
/// (the visitor, a line break, the cart's JSON); `None` when it has no cart
/// or is too long to keep.
pub fn write(visitor: &str, answer: &Json) -> Option<String> {
    let cart = answer.get("cart");
    if !cart.is_object() {
        return None;
    }
    let text = [visitor, "\n", &cart.to_json()].concat();
    (text.len() <= SNAPSHOT_LIMIT_BYTES).then_some(text)
}

/// The `{cart}` answer kept in `text`, when it was kept for `visitor`.
pub fn read(text: &str, visitor: &str) -> Option<Json> {
    let (kept_for, cart) = text.split_once('\n')?;
    let cart = Json::parse(cart).ok().filter(Json::is_object)?;
    (kept_for == visitor).then(|| Json::object([("cart", cart)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(lines: usize) -> Json {
        let line = Json::object([("id", Json::str("l1")), ("quantity", Json::int(2))]);
        Json::object([(
            "cart",
            Json::object([
                ("id", Json::str("c1")),
                ("lineItems", Json::Array(vec![line; lines])),
            ]),
        )])
    }

    #[test]
    fn a_snapshot_reads_back_as_the_answer_for_its_visitor() {
        let visitor = visitor_id("refresh-1");
        let text = write(&visitor, &answer(2)).expect("kept");
        assert_eq!(read(&text, &visitor), Some(answer(2)));
    }

    #[test]
    fn another_visitors_snapshot_is_never_shown() {
        let text = write(&visitor_id("refresh-1"), &answer(1)).expect("kept");
        assert_eq!(read(&text, &visitor_id("refresh-2")), None);
        assert_eq!(read(&text, ""), None);
    }

    #[test]
    fn the_visitor_is_named_by_a_digest_not_by_the_token() {
        let text = write(&visitor_id("secret-refresh-token"), &answer(1)).expect("kept");
        assert!(!text.contains("secret-refresh-token"));
        // FNV-1a's published test vector: "a" → 0xaf63dc4c8601ec8c.
        assert_eq!(visitor_id("a"), 0xaf63_dc4c_8601_ec8c_u64.to_string());
        assert_ne!(visitor_id("a"), visitor_id("b"));
    }

    #[test]
    fn sites_and_dialects_have_their_own_snapshot() {
        let v2 = "https://api.test/ecom/v2/carts/current";
        assert_ne!(storage_key("x", v2), storage_key("y", v2));
        assert_ne!(
            storage_key("x", v2),
            storage_key("x", "https://api.test/ecom/v1/carts/current")
        );
        assert_ne!(
            storage_key("x", v2),
            storage_key("x", "https://other.test/ecom/v2/carts/current")
        );
    }

    #[test]
    fn an_answer_without_a_cart_or_too_long_is_not_kept() {
        assert_eq!(write("v", &Json::object([("cart", Json::Null)])), None);
        let long = answer(SNAPSHOT_LIMIT_BYTES / 20);
        assert!(long.to_json().len() > SNAPSHOT_LIMIT_BYTES);
        assert_eq!(write("v", &long), None);
    }

    #[test]
    fn a_damaged_snapshot_is_ignored() {
        assert_eq!(read("not json", "v"), None);
        assert_eq!(read("v\nnull", "v"), None);
        assert_eq!(read("v\n{\"id\"", "v"), None);
    }
}
