//! The demo catalog: products kept as a data file in the repository, with
//! their images, under the Wix Stores `appId`.

use cart_wire::{CatalogReference, WIX_STORES_APP_ID};
use rust_decimal::Decimal;
use serde::Deserialize;

/// A set of products in one currency.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub currency: String,
    pub products: Vec<Product>,
}

/// One product as the catalog file describes it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: String,
    pub name: String,
    pub slug: String,
    /// What the shopper pays per unit.
    pub price: Decimal,
    /// Price before the catalog's own sale, when on sale (shown struck through).
    pub full_price: Option<Decimal>,
    /// File name of the image under `public/products/`.
    pub image: String,
    pub sku: String,
    /// Kilograms; absent for items that do not ship.
    pub weight: Option<f64>,
    /// Units in stock; absent when stock is not tracked.
    pub stock: Option<u32>,
    /// `PHYSICAL` or `DIGITAL`.
    pub item_type: String,
}

impl Product {
    pub fn is_shippable(&self) -> bool {
        self.item_type == "PHYSICAL"
    }
}

impl Catalog {
    /// The demo catalog compiled into the server.
    pub fn demo() -> Self {
        serde_json::from_str(include_str!("../catalog/demo.json"))
            .expect("catalog/demo.json is a valid catalog")
    }

    /// The product a catalog reference points at, if this catalog has it.
    pub fn find(&self, reference: &CatalogReference) -> Option<&Product> {
        if reference.app_id != WIX_STORES_APP_ID {
            return None;
        }
        self.products
            .iter()
            .find(|product| product.id == reference.catalog_item_id)
    }
}

/// Images of the demo catalog, served at `/products/{name}`.
const DEMO_MEDIA: &[(&str, &[u8])] = &[
    (
        "mug.svg",
        include_bytes!("../../../public/products/mug.svg"),
    ),
    (
        "t-shirt.svg",
        include_bytes!("../../../public/products/t-shirt.svg"),
    ),
    (
        "tote-bag.svg",
        include_bytes!("../../../public/products/tote-bag.svg"),
    ),
    (
        "e-book.svg",
        include_bytes!("../../../public/products/e-book.svg"),
    ),
];

/// The bytes of a demo image by file name.
pub fn demo_media(name: &str) -> Option<&'static [u8]> {
    DEMO_MEDIA
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, bytes)| *bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_product_has_its_image() {
        for product in Catalog::demo().products {
            assert!(demo_media(&product.image).is_some(), "{}", product.image);
        }
    }

    #[test]
    fn references_to_another_app_are_not_found() {
        let catalog = Catalog::demo();
        let mut reference = CatalogReference {
            catalog_item_id: catalog.products[0].id.clone(),
            app_id: WIX_STORES_APP_ID.to_owned(),
            options: None,
        };
        assert!(catalog.find(&reference).is_some());
        reference.app_id = "13d21c63-b5ec-5912-8397-c3a5ddb27a97".to_owned();
        assert!(catalog.find(&reference).is_none());
    }
}
