//! The stored cart (what the database keeps) and its rendering into the wire
//! `Cart`. Only references and quantities are stored; names, prices, images
//! and availability come from the catalog each time the cart is read, so a
//! cart always shows current catalog data.

use cart_wire::{
    Availability, BuyerInfo, Cart, CatalogReference, Image, ItemType, LineItem, PhysicalProperties,
    ProductName,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::catalog::{Catalog, Product};
use crate::money;

/// Most units of one line item the API accepts.
pub const MAX_QUANTITY: u32 = 100_000;
/// Most line items one cart may hold.
pub const MAX_LINE_ITEMS: usize = 300;

/// A line as stored: what was added and how many.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredLine {
    pub id: String,
    pub catalog_reference: CatalogReference,
    pub quantity: u32,
}

/// A visitor's cart as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredCart {
    pub id: String,
    pub visitor_id: String,
    pub revision: i64,
    pub lines: Vec<StoredLine>,
    pub created_at: String,
    pub updated_at: String,
}

/// What adding to a cart did to one requested item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// The line now holds this many units.
    Added,
    /// Fewer units than asked for: the line was clamped to what is in stock.
    Clamped,
}

impl StoredCart {
    /// A new, empty cart for a visitor (revision 0: not saved yet).
    pub fn new(visitor_id: &str) -> Self {
        let now = now_timestamp();
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            visitor_id: visitor_id.to_owned(),
            revision: 0,
            lines: Vec::new(),
            created_at: now.clone(),
            updated_at: now,
        }
    }

    /// Adds `quantity` units of an item, merging into the line that already
    /// holds the same item (same catalog item and options). The line's total
    /// is clamped to `stock` (when tracked) and to `MAX_QUANTITY`.
    pub fn add(
        &mut self,
        reference: &CatalogReference,
        quantity: u32,
        stock: Option<u32>,
    ) -> AddOutcome {
        let limit = stock.unwrap_or(MAX_QUANTITY).min(MAX_QUANTITY);
        let index = match self
            .lines
            .iter()
            .position(|line| line.catalog_reference == *reference)
        {
            Some(index) => index,
            None => {
                self.lines.push(StoredLine {
                    id: uuid::Uuid::new_v4().to_string(),
                    catalog_reference: reference.clone(),
                    quantity: 0,
                });
                self.lines.len() - 1
            }
        };
        let line = &mut self.lines[index];
        let wanted = line.quantity.saturating_add(quantity);
        line.quantity = wanted.min(limit);
        if line.quantity < wanted {
            AddOutcome::Clamped
        } else {
            AddOutcome::Added
        }
    }

    /// The wire form of this cart, priced from `catalog`. `base_url` is the
    /// origin product images are served from.
    pub fn to_wire(&self, catalog: &Catalog, base_url: &str) -> Cart {
        let line_items: Vec<LineItem> = self
            .lines
            .iter()
            .map(|line| {
                render_line(
                    line,
                    catalog.find(&line.catalog_reference),
                    catalog,
                    base_url,
                )
            })
            .collect();
        let subtotal: Decimal = self
            .lines
            .iter()
            .filter_map(|line| {
                catalog
                    .find(&line.catalog_reference)
                    .map(|product| product.price * Decimal::from(line.quantity))
            })
            .sum();
        Cart {
            id: Some(self.id.clone()),
            line_items,
            buyer_info: Some(BuyerInfo {
                visitor_id: Some(self.visitor_id.clone()),
                member_id: None,
            }),
            currency: Some(catalog.currency.clone()),
            conversion_currency: Some(catalog.currency.clone()),
            buyer_language: Some("en".to_owned()),
            site_language: Some("en".to_owned()),
            tax_included_in_prices: Some(false),
            weight_unit: Some("KG".to_owned()),
            subtotal: Some(money::price(subtotal, &catalog.currency)),
            created_date: Some(self.created_at.clone()),
            updated_date: Some(self.updated_at.clone()),
            payment_currency: Some(catalog.currency.clone()),
            revision: Some(self.revision.to_string()),
            ..Cart::default()
        }
    }
}

fn render_line(
    line: &StoredLine,
    product: Option<&Product>,
    catalog: &Catalog,
    base_url: &str,
) -> LineItem {
    let currency = &catalog.currency;
    let mut item = LineItem {
        id: Some(line.id.clone()),
        quantity: line.quantity,
        catalog_reference: line.catalog_reference.clone(),
        payment_option: "FULL_PAYMENT_ONLINE".to_owned(),
        modifiers_total_price: money::price(Decimal::ZERO, currency),
        ..LineItem::default()
    };
    let Some(product) = product else {
        // The item left the catalog after it was added: say so, at no price.
        item.availability.status = "NOT_FOUND".to_owned();
        item.price = money::price(Decimal::ZERO, currency);
        item.full_price = item.price.clone();
        item.price_before_discounts = item.price.clone();
        item.line_item_price = item.price.clone();
        return item;
    };
    let quantity = Decimal::from(line.quantity);
    item.product_name = ProductName {
        original: product.name.clone(),
        translated: Some(product.name.clone()),
    };
    item.price = money::price(product.price, currency);
    item.full_price = money::price(product.full_price.unwrap_or(product.price), currency);
    item.price_before_discounts = item.price.clone();
    item.line_item_price = money::price(product.price * quantity, currency);
    item.image = Some(Image {
        id: Some(product.image.clone()),
        url: format!("{base_url}/products/{}", product.image),
        alt_text: Some(product.name.clone()),
        filename: Some(product.image.clone()),
        ..Image::default()
    });
    item.availability = availability(line.quantity, product.stock);
    item.physical_properties = PhysicalProperties {
        weight: product.weight,
        sku: Some(product.sku.clone()),
        shippable: product.is_shippable(),
    };
    item.item_type = ItemType {
        preset: Some(product.item_type.clone()),
        custom: None,
    };
    item.root_catalog_item_id = Some(product.id.clone());
    item.price_description.original = String::new();
    item
}

/// `AVAILABLE` while stock covers the quantity, `PARTIALLY_AVAILABLE` when it
/// covers only part, `NOT_AVAILABLE` when sold out.
fn availability(quantity: u32, stock: Option<u32>) -> Availability {
    let status = match stock {
        None => "AVAILABLE",
        Some(0) => "NOT_AVAILABLE",
        Some(stock) if stock < quantity => "PARTIALLY_AVAILABLE",
        Some(_) => "AVAILABLE",
    };
    Availability {
        status: status.to_owned(),
        quantity_available: stock,
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
    use cart_wire::WIX_STORES_APP_ID;

    fn reference(id: &str) -> CatalogReference {
        CatalogReference {
            catalog_item_id: id.to_owned(),
            app_id: WIX_STORES_APP_ID.to_owned(),
            options: None,
        }
    }

    #[test]
    fn adding_the_same_item_twice_merges_into_one_line() {
        let mut cart = StoredCart::new("visitor");
        assert_eq!(cart.add(&reference("a"), 2, None), AddOutcome::Added);
        assert_eq!(cart.add(&reference("a"), 3, None), AddOutcome::Added);
        assert_eq!(cart.add(&reference("b"), 1, None), AddOutcome::Added);
        assert_eq!(cart.lines.len(), 2);
        assert_eq!(cart.lines[0].quantity, 5);
    }

    #[test]
    fn quantity_is_clamped_to_stock() {
        let mut cart = StoredCart::new("visitor");
        assert_eq!(cart.add(&reference("a"), 2, Some(3)), AddOutcome::Added);
        assert_eq!(cart.add(&reference("a"), 2, Some(3)), AddOutcome::Clamped);
        assert_eq!(cart.lines[0].quantity, 3);
    }

    #[test]
    fn line_prices_come_from_the_catalog() {
        let catalog = Catalog::demo();
        let mug = &catalog.products[0];
        let mut cart = StoredCart::new("visitor");
        cart.add(&reference(&mug.id), 3, mug.stock);
        let wire = cart.to_wire(&catalog, "http://shop.test");
        let line = &wire.line_items[0];
        assert_eq!(line.product_name.original, "Stoneware Mug");
        assert_eq!(line.price.amount, "12.5");
        assert_eq!(line.line_item_price.formatted_amount, "$37.50");
        assert_eq!(
            line.image.as_ref().unwrap().url,
            "http://shop.test/products/mug.svg"
        );
        assert_eq!(wire.subtotal.unwrap().amount, "37.5");
    }

    #[test]
    fn timestamps_have_milliseconds_and_zulu() {
        let now = now_timestamp();
        assert_eq!(now.len(), "2025-06-11T10:40:31.579Z".len(), "{now}");
        assert!(now.ends_with('Z'));
    }
}
