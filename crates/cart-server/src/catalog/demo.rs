//! The demo store's catalog: the ids tests and examples refer to, and the
//! product images served at `/products/{name}`. The products themselves are
//! `catalog/demo.json`.

/// Stoneware Mug: $12.50, 25 in stock.
pub const MUG: &str = "1a7f2c9e-4b3d-4e21-9c55-0d6b8e2f1a01";
/// Organic Cotton T-Shirt: $25 (was $30), Color × Size variants.
pub const T_SHIRT: &str = "2b8e3dae-5c4e-4f32-8d66-1e7c9f3a2b02";
/// The T-shirt's Navy / M variant: 40 in stock.
pub const NAVY_M: &str = "a1000000-0000-4000-8000-000000000002";
/// The T-shirt's Navy / L variant: 2 in stock.
pub const NAVY_L: &str = "a1000000-0000-4000-8000-000000000003";
/// Canvas Tote Bag: $18, 3 in stock.
pub const TOTE: &str = "3c9f4ebf-6d5f-4a43-9e77-2f8daa4b3c03";
/// Seasonal Recipes (e-book): $12, digital, stock not tracked.
pub const E_BOOK: &str = "4da05fc0-7e60-4b54-af88-3a9ebb5c4d04";
/// Ceramic Bud Vase: $48, out of stock.
pub const VASE: &str = "6fc271e2-9082-4d76-81aa-5cb0dd7e6f06";
/// Wool Throw: $89, Color variants (Oat, Moss: 5 each).
pub const THROW: &str = "81e49304-b2a4-4f98-a3cc-7ed2ff908108";
/// Oak Cutting Board: $39, Size variants (Small $29).
pub const BOARD: &str = "92f5a415-c3b5-4aa9-b4dd-8fe300a19209";

/// Images of the demo catalog, served at `/products/{name}`.
const DEMO_MEDIA: &[(&str, &[u8])] = &[
    (
        "mug.svg",
        include_bytes!("../../../../public/products/mug.svg"),
    ),
    (
        "t-shirt.svg",
        include_bytes!("../../../../public/products/t-shirt.svg"),
    ),
    (
        "tote-bag.svg",
        include_bytes!("../../../../public/products/tote-bag.svg"),
    ),
    (
        "e-book.svg",
        include_bytes!("../../../../public/products/e-book.svg"),
    ),
    (
        "apron.svg",
        include_bytes!("../../../../public/products/apron.svg"),
    ),
    (
        "vase.svg",
        include_bytes!("../../../../public/products/vase.svg"),
    ),
    (
        "candle.svg",
        include_bytes!("../../../../public/products/candle.svg"),
    ),
    (
        "throw.svg",
        include_bytes!("../../../../public/products/throw.svg"),
    ),
    (
        "board.svg",
        include_bytes!("../../../../public/products/board.svg"),
    ),
    (
        "cups.svg",
        include_bytes!("../../../../public/products/cups.svg"),
    ),
    (
        "bowl.svg",
        include_bytes!("../../../../public/products/bowl.svg"),
    ),
];

/// The bytes of a demo image by file name.
pub fn media(name: &str) -> Option<&'static [u8]> {
    DEMO_MEDIA
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, bytes)| *bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::StoresCatalog;

    #[test]
    fn the_named_demo_products_are_in_the_demo_catalog() {
        let catalog = StoresCatalog::demo();
        for id in [MUG, T_SHIRT, TOTE, E_BOOK, VASE, THROW, BOARD] {
            assert!(catalog.products.iter().any(|p| p.id == id), "{id}");
        }
        let t_shirt = catalog.products.iter().find(|p| p.id == T_SHIRT).unwrap();
        for variant in [NAVY_M, NAVY_L] {
            assert!(
                t_shirt.variants.iter().any(|v| v.id == variant),
                "{variant}"
            );
        }
    }
}
