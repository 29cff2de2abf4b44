//! The use cases called directly, without HTTP: a real `Db` on a temporary
//! SQLite file, the demo catalog and the demo shop's rules.

use cart_wire::{
    AddToCartRequest, CatalogReference, CreateCheckoutRequest, LineItemInput,
    LineItemQuantityUpdate, UpdateLineItemsQuantityRequest, WIX_STORES_APP_ID,
};
use serde_json::json;

use super::*;
use crate::catalog::demo::{MUG, TOTE};

struct Fixture {
    db: Db,
    catalogs: Catalogs,
    rules: ShopRules,
    _dir: tempfile::TempDir,
}

impl Fixture {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            db: Db::open(&dir.path().join("cart.db")).await.unwrap(),
            catalogs: Catalogs::demo(),
            rules: ShopRules::demo(),
            _dir: dir,
        }
    }

    fn carts(&self) -> Carts<'_> {
        Carts::new(&self.db, &self.catalogs, &self.rules)
    }
}

fn add(item: &str, quantity: i64) -> AddToCartRequest {
    AddToCartRequest {
        line_items: vec![LineItemInput {
            catalog_reference: Some(CatalogReference {
                catalog_item_id: item.to_owned(),
                app_id: WIX_STORES_APP_ID.to_owned(),
                options: None,
            }),
            quantity: Some(quantity),
        }],
        ..AddToCartRequest::default()
    }
}

fn set_quantity(line_id: &str, quantity: i64) -> UpdateLineItemsQuantityRequest {
    UpdateLineItemsQuantityRequest {
        line_items: vec![LineItemQuantityUpdate {
            id: Some(line_id.to_owned()),
            quantity: Some(quantity),
        }],
    }
}

/// The application error code, or a panic naming what came instead.
fn code(error: ApiError) -> &'static str {
    match error {
        ApiError::Application { code, .. } => code,
        other => panic!("expected an application error, got {other:?}"),
    }
}

#[tokio::test]
async fn adding_creates_the_visitors_cart_and_merges_the_same_item() {
    let fixture = Fixture::new().await;
    let carts = fixture.carts();
    let visitor = CartKey::Visitor("visitor-1");
    let cart = carts
        .add_to_cart(visitor, Caller::Visitor, add(MUG, 1))
        .await
        .unwrap();
    assert_eq!((cart.revision, cart.lines().len()), (1, 1));
    let cart = carts
        .add_to_cart(visitor, Caller::Visitor, add(MUG, 2))
        .await
        .unwrap();
    assert_eq!((cart.revision, cart.lines()[0].quantity), (2, 3));
    assert_eq!(carts.load(visitor).await.unwrap(), cart);
}

#[tokio::test]
async fn a_new_quantity_is_clamped_to_stock() {
    let fixture = Fixture::new().await;
    let carts = fixture.carts();
    let visitor = CartKey::Visitor("visitor-1");
    let cart = carts
        .add_to_cart(visitor, Caller::Visitor, add(TOTE, 1))
        .await
        .unwrap();
    let line = cart.lines()[0].id.clone();
    let cart = carts
        .update_quantities(visitor, set_quantity(&line, 50))
        .await
        .unwrap();
    assert_eq!(cart.lines()[0].quantity, 3, "3 totes in stock");
    assert_eq!(cart.revision, 2);
}

#[tokio::test]
async fn changing_a_cart_that_does_not_exist_is_owned_cart_not_found() {
    let fixture = Fixture::new().await;
    let carts = fixture.carts();
    let missing = "00000000-0000-4000-8000-000000000001";
    let error = carts
        .update_quantities(CartKey::Visitor("nobody"), set_quantity(missing, 1))
        .await
        .unwrap_err();
    assert_eq!(code(error), cart_wire::OWNED_CART_NOT_FOUND);
}

#[tokio::test]
async fn a_visitor_may_not_send_custom_line_items_but_the_admin_may() {
    let fixture = Fixture::new().await;
    let carts = fixture.carts();
    let mut request = add(MUG, 1);
    request.custom_line_items = vec![json!({
        "quantity": 1, "price": "4.50", "productName": {"original": "Gift wrap"},
        "itemType": {"preset": "PHYSICAL"}
    })];
    let error = carts
        .add_to_cart(
            CartKey::Visitor("visitor-1"),
            Caller::Visitor,
            request.clone(),
        )
        .await
        .unwrap_err();
    assert_eq!(code(error), "PERMISSION_DENIED");
    let cart = carts
        .add_to_cart(CartKey::Visitor("visitor-1"), Caller::Admin, request)
        .await
        .unwrap();
    assert_eq!(cart.lines().len(), 2);
}

#[tokio::test]
async fn a_checkout_is_saved_with_the_cart_in_one_change() {
    let fixture = Fixture::new().await;
    let carts = fixture.carts();
    let visitor = CartKey::Visitor("visitor-1");
    let checkout = || CreateCheckoutRequest {
        channel_type: Some("WEB".to_owned()),
        ..CreateCheckoutRequest::default()
    };
    let error = carts
        .create_checkout(visitor, checkout(), "http://shop.test")
        .await
        .unwrap_err();
    assert_eq!(code(error), cart_wire::OWNED_CART_NOT_FOUND);

    carts
        .add_to_cart(visitor, Caller::Visitor, add(MUG, 2))
        .await
        .unwrap();
    let created = carts
        .create_checkout(visitor, checkout(), "http://shop.test")
        .await
        .unwrap();
    let cart = carts.load(visitor).await.unwrap();
    assert_eq!(cart.revision, 2, "one write for the checkout and the cart");
    assert_eq!(
        cart.content.checkout_id.as_ref(),
        Some(&created.checkout_id)
    );
    let summary = fixture
        .db
        .checkout_summary(&created.checkout_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(summary["lines"][0]["quantity"], 2);

    // Checking out again updates the same checkout.
    let again = carts
        .create_checkout(visitor, checkout(), "http://shop.test")
        .await
        .unwrap();
    assert_eq!(again.checkout_id, created.checkout_id);
}
