//! Drawer mode's rules, in plain Rust: how one mount element shows the cart
//! (its `data-mode`, `data-side` and `data-open-on-add`) and what the cart
//! button is called.
//!
//! - Each mount element is read on its own, so one page may mix modes: a
//!   header button (`data-mode="drawer"`) and an inline cart beside it,
//!   both showing the one shared cart.
//! - Anything but `drawer` is inline, the default: a typo leaves the cart
//!   where the merchant put it rather than hiding it behind a button.
//! - The panel slides in from the right unless `data-side="left"`.
//! - A drawer opens by itself after the page's `cart:add` succeeds, unless
//!   `data-open-on-add="false"`.
//! - The button's accessible name says the count in words ("Cart, 3
//!   items"): its visible badge is only a number.
//!
//! The DOM side (`<dialog>`, focus, scroll) is `components/cart_drawer.rs`.

use crate::i18n::{Messages, fill};

/// How one mount element shows the cart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The cart itself, where the element is.
    Inline,
    /// A cart button that opens the cart in a side panel.
    Drawer(Drawer),
}

/// A drawer's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Drawer {
    /// The edge the panel slides in from.
    pub side: Side,
    /// Whether the panel opens after the page's `cart:add` succeeds.
    pub open_on_add: bool,
}

/// The edge of the window a drawer's panel is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Right,
    Left,
}

impl Mode {
    /// The mode of the raw `data-mode`, `data-side` and `data-open-on-add`
    /// values (any case, trimmed).
    pub fn parse(mode: Option<&str>, side: Option<&str>, open_on_add: Option<&str>) -> Self {
        let is = |value: Option<&str>, word: &str| {
            value.is_some_and(|value| value.trim().eq_ignore_ascii_case(word))
        };
        if !is(mode, "drawer") {
            return Self::Inline;
        }
        Self::Drawer(Drawer {
            side: if is(side, "left") {
                Side::Left
            } else {
                Side::Right
            },
            open_on_add: !is(open_on_add, "false"),
        })
    }

    /// The mode a mount element asks for.
    pub fn of(element: &web_sys::Element) -> Self {
        let attribute = |name: &str| element.get_attribute(name);
        Self::parse(
            attribute("data-mode").as_deref(),
            attribute("data-side").as_deref(),
            attribute("data-open-on-add").as_deref(),
        )
    }
}

/// The cart button's accessible name for `count` units: "Cart, empty",
/// "Cart, 1 item", "Cart, 3 items".
pub fn button_label(t: &Messages, count: u64) -> String {
    match count {
        0 => t.cart_button_empty.to_owned(),
        1 => t.cart_button_one.to_owned(),
        count => fill(t.cart_button_many, &[&count.to_string()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, FR};

    const RIGHT_OPENING: Mode = Mode::Drawer(Drawer {
        side: Side::Right,
        open_on_add: true,
    });

    #[test]
    fn a_mount_element_is_inline_unless_it_asks_for_a_drawer() {
        assert_eq!(Mode::parse(None, None, None), Mode::Inline);
        assert_eq!(Mode::parse(Some("inline"), None, None), Mode::Inline);
        assert_eq!(Mode::parse(Some("drawers"), None, None), Mode::Inline);
        assert_eq!(
            Mode::parse(None, Some("left"), Some("false")),
            Mode::Inline,
            "a drawer's settings alone make no drawer"
        );
        assert_eq!(Mode::parse(Some(" Drawer "), None, None), RIGHT_OPENING);
    }

    #[test]
    fn a_drawer_slides_in_from_the_right_unless_it_says_left() {
        assert_eq!(
            Mode::parse(Some("drawer"), Some("right"), None),
            RIGHT_OPENING
        );
        assert_eq!(
            Mode::parse(Some("drawer"), Some("middle"), None),
            RIGHT_OPENING
        );
        assert_eq!(
            Mode::parse(Some("drawer"), Some(" LEFT"), None),
            Mode::Drawer(Drawer {
                side: Side::Left,
                open_on_add: true
            })
        );
    }

    #[test]
    fn a_drawer_opens_on_add_unless_told_false() {
        assert_eq!(
            Mode::parse(Some("drawer"), None, Some("true")),
            RIGHT_OPENING
        );
        assert_eq!(Mode::parse(Some("drawer"), None, Some("no")), RIGHT_OPENING);
        assert_eq!(
            Mode::parse(Some("drawer"), None, Some("False")),
            Mode::Drawer(Drawer {
                side: Side::Right,
                open_on_add: false
            })
        );
    }

    #[test]
    fn the_cart_button_names_the_count_in_words() {
        assert_eq!(button_label(&EN, 0), "Cart, empty");
        assert_eq!(button_label(&EN, 1), "Cart, 1 item");
        assert_eq!(button_label(&EN, 3), "Cart, 3 items");
        assert_eq!(button_label(&FR, 0), "Panier, vide");
        assert_eq!(button_label(&FR, 1), "Panier, 1 article");
        assert_eq!(button_label(&FR, 12), "Panier, 12 articles");
    }
}
