//! Catalogs: where line items come from. Each catalog answers for one
//! `appId` (the Wix "catalog service plugin" idea); the demo store's products
//! are a Wix Stores catalog kept as a data file in the repository (ids and
//! images of the demo store in `catalog/demo.rs`).
//!
//! Over 400 lines only because of its tests (about 140 lines); the code is one
//! concern, resolving a reference with options to a variant.

pub mod demo;

use std::collections::HashMap;
use std::sync::Arc;

use cart_wire::{CatalogReference, ColorInfo, DescriptionLine, ProductName, WIX_STORES_APP_ID};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

pub use demo::media as demo_media;

/// Variant id Wix Stores uses for a product without options.
pub const DEFAULT_VARIANT_ID: &str = "00000000-0000-0000-0000-000000000000";

/// An item a catalog reference resolved to, priced and with its stock.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogItem {
    /// The product (root catalog item) id.
    pub product_id: String,
    /// The chosen variant, for products with options.
    pub variant_id: Option<String>,
    pub name: String,
    pub slug: String,
    /// What the shopper pays per unit.
    pub price: Decimal,
    /// Price before the catalog's own sale (equal to `price` when not on sale).
    pub full_price: Decimal,
    /// Option lines under the name ("Color: Navy", "Size: M").
    pub description_lines: Vec<DescriptionLine>,
    /// Image: a file name served at `/products/{image}`, or an absolute URL.
    pub image: String,
    pub sku: String,
    /// Kilograms.
    pub weight: Option<f64>,
    /// Units in stock; `None` when stock is not tracked.
    pub stock: Option<u32>,
    /// Whether the item is shipped (physical) or delivered otherwise (digital).
    pub shippable: bool,
}

impl CatalogItem {
    /// `PHYSICAL` or `DIGITAL`.
    pub fn item_type(&self) -> &'static str {
        if self.shippable {
            "PHYSICAL"
        } else {
            "DIGITAL"
        }
    }
}

/// Why a reference did not resolve.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("no catalog item {0}")]
    NotFound(String),
    #[error("{product} has options; choose them with options.variantId or options.options")]
    OptionsRequired { product: String },
    #[error("{product} has no variant matching the chosen options")]
    NoSuchVariant { product: String },
}

/// A catalog: resolves references into items.
pub trait CatalogProvider: Send + Sync {
    /// Resolves a reference (with its `options`) to the item it points at.
    fn resolve(&self, reference: &CatalogReference) -> Result<CatalogItem, CatalogError>;
}

/// The catalogs a store sells from, by `appId`, all priced in one currency.
#[derive(Clone)]
pub struct Catalogs {
    pub currency: String,
    providers: HashMap<String, Arc<dyn CatalogProvider>>,
}

impl Catalogs {
    pub fn new(currency: &str) -> Self {
        Self {
            currency: currency.to_owned(),
            providers: HashMap::new(),
        }
    }

    /// Registers the catalog that answers for `app_id`.
    pub fn with(mut self, app_id: &str, provider: Arc<dyn CatalogProvider>) -> Self {
        self.providers.insert(app_id.to_owned(), provider);
        self
    }

    /// The demo store: the demo Wix Stores catalog.
    pub fn demo() -> Self {
        Self::demo_with(Arc::new(StoresCatalog::demo()))
    }

    /// A store selling from this Wix Stores catalog.
    pub fn demo_with(stores: Arc<StoresCatalog>) -> Self {
        Self::new(&stores.currency.clone()).with(WIX_STORES_APP_ID, stores)
    }

    pub fn resolve(&self, reference: &CatalogReference) -> Result<CatalogItem, CatalogError> {
        self.providers
            .get(&reference.app_id)
            .ok_or_else(|| CatalogError::NotFound(reference.catalog_item_id.clone()))?
            .resolve(reference)
    }
}

/// A Wix Stores–shaped catalog: products with options and variants.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoresCatalog {
    pub currency: String,
    pub products: Vec<Product>,
}

/// One product of the catalog file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: String,
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub description: String,
    pub price: Decimal,
    pub full_price: Option<Decimal>,
    pub image: String,
    pub sku: String,
    pub weight: Option<f64>,
    /// Stock of a product without variants; absent when not tracked.
    pub stock: Option<u32>,
    /// `PHYSICAL` or `DIGITAL`.
    pub item_type: String,
    #[serde(default)]
    pub options: Vec<ProductOption>,
    #[serde(default)]
    pub variants: Vec<Variant>,
}

/// An option such as Color or Size, with its choices.
#[derive(Debug, Deserialize)]
pub struct ProductOption {
    pub name: String,
    pub choices: Vec<Choice>,
}

/// One choice of an option; colours carry a swatch code.
#[derive(Debug, Deserialize)]
pub struct Choice {
    pub value: String,
    pub code: Option<String>,
}

/// One combination of choices, with its own SKU, stock and optional price.
#[derive(Debug, Deserialize)]
pub struct Variant {
    pub id: String,
    pub choices: HashMap<String, String>,
    pub sku: String,
    pub stock: Option<u32>,
    pub price: Option<Decimal>,
}

impl StoresCatalog {
    /// The demo catalog compiled into the server.
    pub fn demo() -> Self {
        serde_json::from_str(include_str!("../catalog/demo.json"))
            .expect("catalog/demo.json is a valid catalog")
    }

    /// A catalog file in the demo catalog's format (`catalog/demo.json`).
    pub fn from_file(path: &std::path::Path) -> anyhow::Result<Self> {
        use anyhow::Context;
        let json = std::fs::read_to_string(path)
            .with_context(|| format!("could not read catalog {}", path.display()))?;
        serde_json::from_str(&json)
            .with_context(|| format!("{} is not a valid catalog", path.display()))
    }

    /// Units in stock of a product: of all its variants together, or its own.
    pub fn product_stock(product: &Product) -> Option<u32> {
        if product.variants.is_empty() {
            product.stock
        } else {
            product
                .variants
                .iter()
                .map(|variant| variant.stock)
                .sum::<Option<u32>>()
        }
    }

    fn variant<'a>(
        product: &'a Product,
        options: Option<&serde_json::Map<String, Value>>,
    ) -> Result<Option<&'a Variant>, CatalogError> {
        if product.variants.is_empty() {
            return Ok(None);
        }
        let product_name = || product.name.clone();
        let by_id = options
            .and_then(|o| o.get("variantId"))
            .and_then(Value::as_str)
            .filter(|id| *id != DEFAULT_VARIANT_ID);
        if let Some(id) = by_id {
            return product
                .variants
                .iter()
                .find(|variant| variant.id == id)
                .map(Some)
                .ok_or(CatalogError::NoSuchVariant {
                    product: product_name(),
                });
        }
        let chosen = options
            .and_then(|o| o.get("options"))
            .and_then(Value::as_object)
            .ok_or(CatalogError::OptionsRequired {
                product: product_name(),
            })?;
        product
            .variants
            .iter()
            .find(|variant| {
                variant.choices.len() == chosen.len()
                    && variant.choices.iter().all(|(name, value)| {
                        chosen.get(name).and_then(Value::as_str) == Some(value)
                    })
            })
            .map(Some)
            .ok_or(CatalogError::NoSuchVariant {
                product: product_name(),
            })
    }
}

impl CatalogProvider for StoresCatalog {
    fn resolve(&self, reference: &CatalogReference) -> Result<CatalogItem, CatalogError> {
        let product = self
            .products
            .iter()
            .find(|product| product.id == reference.catalog_item_id)
            .ok_or_else(|| CatalogError::NotFound(reference.catalog_item_id.clone()))?;
        let variant = Self::variant(product, reference.options.as_ref())?;
        let price = variant.and_then(|v| v.price).unwrap_or(product.price);
        let mut description_lines: Vec<DescriptionLine> = product
            .options
            .iter()
            .filter_map(|option| {
                let value = variant?.choices.get(&option.name)?;
                let code = option
                    .choices
                    .iter()
                    .find(|choice| &choice.value == value)
                    .and_then(|choice| choice.code.clone());
                Some(option_line(&option.name, value, code))
            })
            .collect();
        // Free text the shopper typed (e.g. an engraving) shows as its own line.
        if let Some(fields) = reference
            .options
            .as_ref()
            .and_then(|o| o.get("customTextFields"))
            .and_then(Value::as_object)
        {
            for (name, value) in fields {
                if let Some(value) = value.as_str() {
                    description_lines.push(option_line(name, value, None));
                }
            }
        }
        Ok(CatalogItem {
            product_id: product.id.clone(),
            variant_id: variant.map(|v| v.id.clone()),
            name: product.name.clone(),
            slug: product.slug.clone(),
            price,
            // A variant's own price is not a sale; the product's sale applies to the base price.
            full_price: product
                .full_price
                .filter(|_| variant.and_then(|v| v.price).is_none())
                .unwrap_or(price),
            description_lines,
            image: product.image.clone(),
            sku: variant.map_or_else(|| product.sku.clone(), |v| v.sku.clone()),
            weight: product.weight,
            stock: variant.map_or(product.stock, |v| v.stock),
            shippable: product.item_type == "PHYSICAL",
        })
    }
}

/// `Name: value` — a colour value as `colorInfo` (with its swatch), any other as `plainText`.
fn option_line(name: &str, value: &str, color_code: Option<String>) -> DescriptionLine {
    let text = |s: &str| ProductName {
        original: s.to_owned(),
        translated: Some(s.to_owned()),
    };
    DescriptionLine {
        name: text(name),
        plain_text: color_code.is_none().then(|| text(value)),
        color_info: color_code.map(|code| ColorInfo {
            original: value.to_owned(),
            translated: Some(value.to_owned()),
            code: Some(code),
        }),
    }
}

/// Where an item's image is: an absolute URL as is (a merchant's catalog
/// may point at its own CDN), a bare file name under this server's `/products/`.
pub fn image_url(image: &str, base_url: &str) -> String {
    if image.contains(':') {
        image.to_owned()
    } else {
        format!("{base_url}/products/{image}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use demo::{BOARD, MUG, NAVY_L, T_SHIRT};

    fn reference(id: &str, options: Value) -> CatalogReference {
        CatalogReference {
            catalog_item_id: id.to_owned(),
            app_id: WIX_STORES_APP_ID.to_owned(),
            options: options.as_object().cloned(),
        }
    }

    #[test]
    fn the_demo_catalog_has_what_the_demo_needs() {
        let catalog = StoresCatalog::demo();
        assert!(catalog.products.len() >= 10);
        for product in &catalog.products {
            assert!(demo_media(&product.image).is_some(), "{}", product.image);
        }
        let stock = |p: &Product| StoresCatalog::product_stock(p);
        assert!(
            catalog.products.iter().any(|p| stock(p) == Some(0)),
            "one out of stock"
        );
        assert!(
            catalog.products.iter().any(|p| p.item_type == "DIGITAL"),
            "one digital"
        );
        assert!(
            catalog.products.iter().any(|p| p.options.len() == 2),
            "Color and Size"
        );
    }

    #[test]
    fn a_variant_is_chosen_by_id_or_by_options() {
        let catalog = Catalogs::demo();
        let by_id = catalog
            .resolve(&reference(T_SHIRT, json!({"variantId": NAVY_L})))
            .unwrap();
        let by_options = catalog
            .resolve(&reference(
                T_SHIRT,
                json!({"options": {"Size": "L", "Color": "Navy"}}),
            ))
            .unwrap();
        assert_eq!(by_id, by_options);
        assert_eq!(by_id.sku, "TS-NAVY-L");
        assert_eq!(by_id.stock, Some(2));
        assert_eq!(by_id.full_price, Decimal::from(30));
        let lines: Vec<_> = by_id
            .description_lines
            .iter()
            .map(|l| l.name.original.as_str())
            .collect();
        assert_eq!(lines, ["Color", "Size"]);
        assert_eq!(
            by_id.description_lines[0]
                .color_info
                .as_ref()
                .unwrap()
                .code
                .as_deref(),
            Some("#1B2A4A")
        );
        assert_eq!(
            by_id.description_lines[1]
                .plain_text
                .as_ref()
                .unwrap()
                .original,
            "L"
        );
    }

    #[test]
    fn products_with_options_need_them() {
        let catalog = Catalogs::demo();
        assert!(matches!(
            catalog.resolve(&reference(T_SHIRT, Value::Null)),
            Err(CatalogError::OptionsRequired { .. })
        ));
        assert!(matches!(
            catalog.resolve(&reference(
                T_SHIRT,
                json!({"options": {"Size": "XL", "Color": "Navy"}})
            )),
            Err(CatalogError::NoSuchVariant { .. })
        ));
    }

    #[test]
    fn a_variant_price_replaces_the_product_price() {
        let small = Catalogs::demo()
            .resolve(&reference(BOARD, json!({"options": {"Size": "Small"}})))
            .unwrap();
        assert_eq!(small.price, Decimal::from(29));
        assert_eq!(small.full_price, Decimal::from(29));
    }

    #[test]
    fn custom_text_fields_become_description_lines() {
        let mug = Catalogs::demo()
            .resolve(&reference(
                MUG,
                json!({"variantId": DEFAULT_VARIANT_ID, "customTextFields": {"Engraving": "Hi"}}),
            ))
            .unwrap();
        assert_eq!(mug.description_lines.len(), 1);
        assert_eq!(
            mug.description_lines[0]
                .plain_text
                .as_ref()
                .unwrap()
                .original,
            "Hi"
        );
        assert_eq!(mug.variant_id, None);
    }

    #[test]
    fn other_apps_are_not_found() {
        let mut other = reference(T_SHIRT, Value::Null);
        other.app_id = "13d21c63-b5ec-5912-8397-c3a5ddb27a97".to_owned();
        assert!(matches!(
            Catalogs::demo().resolve(&other),
            Err(CatalogError::NotFound(_))
        ));
    }
}
