//! Wire rendering: a priced cart (`pricing.rs`) as the `cart_wire` answers
//! of the API: the `Cart` every cart endpoint returns (here) and the
//! `EstimateTotalsResponse` (`render/estimate.rs`). Amounts become
//! `MultiCurrencyPrice` through `money::price`; no amount is computed here.

mod estimate;
pub mod v2;
mod v2_summary;

use cart_wire::{
    AppliedCoupon, AppliedDiscount, Availability, BuyerInfo, Cart, ContactInfo,
    EstimateTotalsRequest, EstimateTotalsResponse, Image, ItemType, LineItem, MultiCurrencyPrice,
    PageUrl, PhysicalProperties, ProductName,
};
use rust_decimal::Decimal;

pub use estimate::checkout_summary;

use crate::cart::StoredLine;
use crate::catalog::{CatalogItem, image_url};
use crate::money;
use crate::pricing::{EstimateOptions, PricedCart, PricedLine};

/// The wire cart. `base_url` is the origin product images and pages are served from.
pub fn cart(priced: &PricedCart<'_>, base_url: &str) -> Cart {
    Render { priced, base_url }.cart()
}

/// The estimate for a destination: the request's shipping address, else
/// the cart's address, else the shop's default.
pub fn estimate(
    priced: &PricedCart<'_>,
    request: &EstimateTotalsRequest,
    base_url: &str,
) -> EstimateTotalsResponse {
    let content = &priced.cart.content;
    let options = EstimateOptions {
        address: request
            .shipping_address
            .as_ref()
            .or(content.address.as_ref()),
        shipping_option: request
            .selected_shipping_option
            .as_ref()
            .or(content.selected_shipping_option.as_ref())
            .map(|option| option.code.as_str()),
        skip_shipping: request.calculate_shipping == Some(false),
        skip_tax: request.calculate_tax == Some(false),
    };
    let estimate = priced.estimate(options);
    Render { priced, base_url }.estimate(&estimate)
}

struct Render<'p, 'a> {
    priced: &'p PricedCart<'a>,
    base_url: &'p str,
}

impl Render<'_, '_> {
    fn price(&self, amount: Decimal) -> MultiCurrencyPrice {
        money::price(amount, self.priced.currency, &self.priced.rules.locale)
    }

    /// The shop's language, from its locale (`de-DE` → `de`).
    fn language(&self) -> &str {
        self.priced
            .rules
            .locale
            .split(['-', '_'])
            .next()
            .unwrap_or("en")
    }

    fn cart(&self) -> Cart {
        let priced = self.priced;
        let (cart, currency) = (priced.cart, priced.currency);
        let content = &cart.content;
        Cart {
            id: Some(cart.id.clone()),
            line_items: priced.lines.iter().map(|l| self.line_item(l)).collect(),
            buyer_note: content.buyer_note.clone(),
            buyer_info: cart.visitor_id.as_ref().map(|visitor| BuyerInfo {
                visitor_id: Some(visitor.clone()),
                member_id: None,
            }),
            currency: Some(currency.to_owned()),
            conversion_currency: Some(currency.to_owned()),
            buyer_language: Some(self.language().to_owned()),
            site_language: Some(self.language().to_owned()),
            tax_included_in_prices: Some(priced.rules.tax_included_in_prices),
            weight_unit: Some("KG".to_owned()),
            checkout_id: content.checkout_id.clone(),
            override_checkout_url: content.override_checkout_url.clone(),
            selected_shipping_option: content.selected_shipping_option.clone(),
            contact_info: content.address.clone().map(|address| ContactInfo {
                address: Some(address),
            }),
            subtotal: Some(self.price(priced.subtotal())),
            subtotal_after_discounts: Some(self.price(priced.subtotal() - priced.discount())),
            discount: Some(self.price(priced.discount())),
            applied_discounts: priced
                .active_coupon()
                .map(|coupon| AppliedDiscount {
                    coupon: Some(AppliedCoupon {
                        id: coupon.id.clone(),
                        code: coupon.code.clone(),
                        amount: None,
                        name: None,
                    }),
                    ..AppliedDiscount::default()
                })
                .into_iter()
                .collect(),
            created_date: Some(cart.created_at.clone()),
            updated_date: Some(cart.updated_at.clone()),
            payment_currency: Some(currency.to_owned()),
            revision: Some(cart.revision.to_string()),
        }
    }

    fn line_item(&self, line: &PricedLine<'_>) -> LineItem {
        let base_url = self.base_url;
        let stored = line.stored;
        let mut wire = LineItem {
            id: Some(stored.id.clone()),
            quantity: stored.quantity,
            catalog_reference: stored.catalog_reference.clone(),
            payment_option: "FULL_PAYMENT_ONLINE".to_owned(),
            modifiers_total_price: self.price(Decimal::ZERO),
            ..LineItem::default()
        };
        let Some(item) = &line.item else {
            // The item left the catalog after it was added: say so, at no price.
            wire.availability.status = "NOT_FOUND".to_owned();
            let zero = self.price(Decimal::ZERO);
            wire.price = zero.clone();
            wire.full_price = zero.clone();
            wire.price_before_discounts = zero.clone();
            wire.line_item_price = zero;
            return wire;
        };
        wire.product_name = product_name(item);
        wire.custom_line_item = stored.custom.is_some();
        wire.url = page_url(stored, item, base_url);
        wire.price = self.price(item.price);
        wire.full_price = self.price(item.full_price);
        wire.price_before_discounts = self.price(item.price);
        wire.line_item_price = self.price(line.total);
        wire.description_lines = item.description_lines.clone();
        wire.image = line_image(stored, item, base_url);
        wire.availability = availability(stored.quantity, item.stock);
        wire.physical_properties = physical_properties(item);
        wire.item_type = item_type(item);
        wire.root_catalog_item_id = Some(item.product_id.clone());
        wire
    }
}

/// The line's name, untranslated (the demo catalog has one language).
fn product_name(item: &CatalogItem) -> ProductName {
    ProductName {
        original: item.name.clone(),
        translated: Some(item.name.clone()),
    }
}

/// A custom line's own page, else the product's page on this shop.
fn page_url(stored: &StoredLine, item: &CatalogItem, base_url: &str) -> Option<PageUrl> {
    match &stored.custom {
        Some(custom) => custom.url.clone(),
        None => Some(PageUrl {
            relative_path: format!("/product-page/{}", item.slug),
            url: Some(format!("{base_url}/product-page/{}", item.slug)),
        }),
    }
}

/// A custom line's own media, else the product's image served by this shop.
fn line_image(stored: &StoredLine, item: &CatalogItem, base_url: &str) -> Option<Image> {
    match &stored.custom {
        Some(custom) => custom.media.clone(),
        None => Some(Image {
            id: Some(item.image.clone()),
            url: image_url(&item.image, base_url),
            alt_text: Some(item.name.clone()),
            filename: Some(item.image.clone()),
            ..Image::default()
        }),
    }
}

fn item_type(item: &CatalogItem) -> ItemType {
    ItemType {
        preset: Some(item.item_type().to_owned()),
        custom: None,
    }
}

fn physical_properties(item: &CatalogItem) -> PhysicalProperties {
    PhysicalProperties {
        weight: item.weight,
        sku: Some(item.sku.clone()),
        shippable: item.shippable,
    }
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
