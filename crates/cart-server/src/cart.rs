//! The stored cart (what the database keeps) and the changes made to it.
//! Only references and quantities are stored; names, prices, images and
//! availability come from the catalog each time the cart is priced
//! (`pricing.rs`), so a cart always shows current catalog data.

use cart_wire::{Address, CatalogReference, CustomLineItemInput, SelectedShippingOption};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::catalog::CatalogItem;

use cart_wire::MAX_QUANTITY;
/// `appId` of custom line items that name no catalog reference of their own.
pub const CUSTOM_ITEMS_APP_ID: &str = "00000000-0000-0000-0000-000000000000";

/// A line as stored: what was added and how many.
// Stored with snake_case keys, as since the first schema version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredLine {
    pub id: String,
    pub catalog_reference: CatalogReference,
    pub quantity: u32,
    /// The variant the reference resolved to when added; lines merge by it,
    /// so `{variantId}` and `{options}` naming one variant are one line.
    #[serde(default)]
    pub variant_id: Option<String>,
    /// A custom line item's own details (admin only); `None` for catalog items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<CustomLineItemInput>,
}

impl StoredLine {
    fn holds(&self, reference: &CatalogReference, item: &CatalogItem) -> bool {
        if self.custom.is_some() {
            return false;
        }
        let text_fields = |r: &CatalogReference| {
            r.options
                .as_ref()
                .and_then(|o| o.get("customTextFields"))
                .cloned()
        };
        self.catalog_reference.app_id == reference.app_id
            && self.catalog_reference.catalog_item_id == reference.catalog_item_id
            && self.variant_id == item.variant_id
            && text_fields(&self.catalog_reference) == text_fields(reference)
    }
}

/// Everything about a cart besides its identity, stored as one JSON document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CartContent {
    pub lines: Vec<StoredLine>,
    pub buyer_note: Option<String>,
    pub override_checkout_url: Option<String>,
    pub selected_shipping_option: Option<SelectedShippingOption>,
    /// The buyer's address (`cartInfo.contactInfo.address`).
    pub address: Option<Address>,
    /// The applied coupon's code; one at most.
    pub coupon_code: Option<String>,
    pub checkout_id: Option<String>,
    /// The customer's contact details, set through Cart V2 (`customerInfo`).
    pub customer: Option<Customer>,
}

/// The customer's contact details (V2 `customerInfo`'s writable part).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Customer {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

/// A cart as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredCart {
    pub id: String,
    /// The visitor whose current cart this is; `None` for carts created by id.
    pub visitor_id: Option<String>,
    pub revision: i64,
    pub content: CartContent,
    pub created_at: String,
    pub updated_at: String,
}

/// What adding to a cart did to one requested item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// The line holds everything asked for.
    Added,
    /// Fewer units than asked for: the line was clamped to what is in stock.
    Clamped,
}

/// The most units of an item a line may hold.
pub fn quantity_limit(stock: Option<u32>) -> u32 {
    stock.unwrap_or(MAX_QUANTITY).min(MAX_QUANTITY)
}

impl StoredCart {
    /// A new, empty cart (revision 0: not saved yet).
    pub fn new(visitor_id: Option<&str>) -> Self {
        let now = now_timestamp();
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            visitor_id: visitor_id.map(str::to_owned),
            revision: 0,
            content: CartContent::default(),
            created_at: now.clone(),
            updated_at: now,
        }
    }

    pub fn lines(&self) -> &[StoredLine] {
        &self.content.lines
    }

    /// Adds `quantity` units of a resolved item, merging into the line that
    /// already holds it. The line's total is clamped to stock and `MAX_QUANTITY`.
    pub fn add(
        &mut self,
        reference: &CatalogReference,
        item: &CatalogItem,
        quantity: u32,
    ) -> AddOutcome {
        let lines = &mut self.content.lines;
        let index = match lines.iter().position(|line| line.holds(reference, item)) {
            Some(index) => index,
            None => {
                lines.push(StoredLine {
                    id: uuid::Uuid::new_v4().to_string(),
                    catalog_reference: reference.clone(),
                    quantity: 0,
                    variant_id: item.variant_id.clone(),
                    custom: None,
                });
                lines.len() - 1
            }
        };
        let line = &mut lines[index];
        let wanted = line.quantity.saturating_add(quantity);
        line.quantity = wanted.min(quantity_limit(item.stock));
        if line.quantity < wanted {
            AddOutcome::Clamped
        } else {
            AddOutcome::Added
        }
    }

    /// Adds a custom line item (already validated) as a line of its own.
    pub fn add_custom(&mut self, custom: &CustomLineItemInput) {
        let id = uuid::Uuid::new_v4().to_string();
        let quantity = u32::try_from(custom.quantity.unwrap_or(1)).unwrap_or(1);
        let catalog_reference =
            custom
                .catalog_reference
                .clone()
                .unwrap_or_else(|| CatalogReference {
                    catalog_item_id: id.clone(),
                    app_id: CUSTOM_ITEMS_APP_ID.to_owned(),
                    options: None,
                });
        let mut stored = custom.clone();
        stored.quantity = None;
        self.content.lines.push(StoredLine {
            id,
            catalog_reference,
            quantity: quantity.min(quantity_limit(custom.quantity_available)),
            variant_id: None,
            custom: Some(stored),
        });
    }

    /// Sets a line's quantity, clamped to `limit`. `false` when there is no such line.
    pub fn set_quantity(&mut self, line_id: &str, quantity: u32, limit: u32) -> bool {
        match self
            .content
            .lines
            .iter_mut()
            .find(|line| line.id == line_id)
        {
            Some(line) => {
                line.quantity = quantity.min(limit).max(1);
                true
            }
            None => false,
        }
    }

    /// Removes the lines with these ids; ids not in the cart are ignored, so
    /// repeating a removal (a retry after a timeout) is harmless.
    pub fn remove(&mut self, line_ids: &[String]) {
        self.content
            .lines
            .retain(|line| !line_ids.contains(&line.id));
    }

    pub fn line(&self, line_id: &str) -> Option<&StoredLine> {
        self.content.lines.iter().find(|line| line.id == line_id)
    }
}

/// Now as RFC 3339 UTC with milliseconds, like `2025-06-11T10:40:31.579Z`.
pub fn now_timestamp() -> String {
    OffsetDateTime::now_utc()
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        ))
        .expect("timestamp format is valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalogs;
    use crate::catalog::demo::{MUG, NAVY_M, T_SHIRT, TOTE};
    use cart_wire::WIX_STORES_APP_ID;
    use serde_json::json;

    fn reference(id: &str, options: serde_json::Value) -> CatalogReference {
        CatalogReference {
            catalog_item_id: id.to_owned(),
            app_id: WIX_STORES_APP_ID.to_owned(),
            options: options.as_object().cloned(),
        }
    }

    fn add(cart: &mut StoredCart, reference: &CatalogReference, quantity: u32) -> AddOutcome {
        let item = Catalogs::demo().resolve(reference).unwrap();
        cart.add(reference, &item, quantity)
    }

    #[test]
    fn content_saved_before_cart_v2_still_loads() {
        let old = json!({"lines": [], "buyerNote": "hi", "couponCode": "SAVE10"});
        let content: CartContent = serde_json::from_value(old).unwrap();
        assert_eq!(content.buyer_note.as_deref(), Some("hi"));
        assert_eq!(content.customer, None);
    }

    #[test]
    fn adding_the_same_item_merges_even_when_named_differently() {
        let mut cart = StoredCart::new(Some("visitor"));
        add(&mut cart, &reference(MUG, json!(null)), 2);
        add(
            &mut cart,
            &reference(
                MUG,
                json!({"variantId": "00000000-0000-0000-0000-000000000000"}),
            ),
            1,
        );
        add(
            &mut cart,
            &reference(T_SHIRT, json!({"variantId": NAVY_M})),
            1,
        );
        add(
            &mut cart,
            &reference(T_SHIRT, json!({"options": {"Color": "Navy", "Size": "M"}})),
            2,
        );
        add(
            &mut cart,
            &reference(T_SHIRT, json!({"options": {"Color": "Sand", "Size": "M"}})),
            1,
        );
        let quantities: Vec<u32> = cart.lines().iter().map(|l| l.quantity).collect();
        assert_eq!(quantities, [3, 3, 1]);
    }

    #[test]
    fn different_engravings_are_different_lines() {
        let mut cart = StoredCart::new(None);
        add(
            &mut cart,
            &reference(MUG, json!({"customTextFields": {"Engraving": "A"}})),
            1,
        );
        add(
            &mut cart,
            &reference(MUG, json!({"customTextFields": {"Engraving": "B"}})),
            1,
        );
        assert_eq!(cart.lines().len(), 2);
    }

    #[test]
    fn quantity_is_clamped_to_stock() {
        let mut cart = StoredCart::new(Some("visitor"));
        assert_eq!(
            add(&mut cart, &reference(TOTE, json!(null)), 2),
            AddOutcome::Added
        );
        assert_eq!(
            add(&mut cart, &reference(TOTE, json!(null)), 2),
            AddOutcome::Clamped
        );
        assert_eq!(cart.lines()[0].quantity, 3);
        let id = cart.lines()[0].id.clone();
        assert!(cart.set_quantity(&id, 50, 3));
        assert_eq!(cart.lines()[0].quantity, 3);
        assert!(!cart.set_quantity("missing", 1, 3));
    }

    #[test]
    fn removing_is_idempotent() {
        let mut cart = StoredCart::new(None);
        add(&mut cart, &reference(MUG, json!(null)), 1);
        let ids = vec![cart.lines()[0].id.clone(), "not-there".to_owned()];
        cart.remove(&ids);
        cart.remove(&ids);
        assert!(cart.lines().is_empty());
    }

    #[test]
    fn timestamps_have_milliseconds_and_zulu() {
        let now = now_timestamp();
        assert_eq!(now.len(), "2025-06-11T10:40:31.579Z".len(), "{now}");
        assert!(now.ends_with('Z'));
    }
}
