//! Everything the widget says, from message catalogs: English and French.
//!
//! The language is the mount element's `data-locale`, else the cart's
//! `buyerLanguage`, else the page's `<html lang>`, else English. Prices are
//! never formatted here: the API's `formattedAmount` strings are shown as is.
//! Templates take their values as `{0}`, `{1}`, filled by [`fill`].

/// A language the widget speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// The language of a BCP 47 tag (`fr`, `fr-CA`, `en_US`), if the widget has it.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Self::En),
            "fr" => Some(Self::Fr),
            _ => None,
        }
    }

    /// The first of `tags` the widget speaks, else English.
    pub fn choose<'a>(tags: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        tags.into_iter()
            .flatten()
            .find_map(Self::from_tag)
            .unwrap_or(Self::En)
    }

    /// The BCP 47 tag, for `lang` attributes and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
        }
    }

    /// This language's catalog.
    pub fn messages(self) -> &'static Messages {
        match self {
            Self::En => &EN,
            Self::Fr => &FR,
        }
    }
}

/// Fills `{0}`, `{1}`… of a template with `values`; a placeholder without a
/// value stays as it is.
///
/// One pass over the template split at `{`: `str::replace` would link the
/// two-way substring searcher into the wasm.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut parts = template.split('{');
    let mut text = String::from(parts.next().unwrap_or_default());
    for part in parts {
        let value = match part.as_bytes() {
            [digit @ b'0'..=b'9', b'}', ..] => values.get(usize::from(digit - b'0')),
            _ => None,
        };
        match (value, part.get(2..)) {
            (Some(value), Some(rest)) => {
                text.push_str(value);
                text.push_str(rest);
            }
            _ => {
                text.push('{');
                text.push_str(part);
            }
        }
    }
    text
}

/// One language's messages.
#[derive(Debug)]
pub struct Messages {
    pub cart_label: &'static str,
    /// The drawer's cart button, named with the count (`drawer::button_label`).
    pub cart_button_empty: &'static str,
    pub cart_button_one: &'static str,
    /// {0}: units in the cart, more than one.
    pub cart_button_many: &'static str,
    pub close_cart: &'static str,
    pub title: &'static str,
    pub loading: &'static str,
    pub empty_title: &'static str,
    pub empty_hint: &'static str,
    pub load_failed: &'static str,
    pub try_again: &'static str,
    /// {0}: why.
    pub change_not_saved: &'static str,
    /// {0}: why.
    pub line_not_saved: &'static str,
    /// {0}: units available.
    pub clamped: &'static str,
    pub offline: &'static str,
    pub remove: &'static str,
    /// {0}: product name.
    pub remove_item: &'static str,
    /// {0}: product name.
    pub removed: &'static str,
    pub undo: &'static str,
    /// {0}: product name.
    pub quantity_of: &'static str,
    /// {0}: product name.
    pub decrease: &'static str,
    /// {0}: product name.
    pub increase: &'static str,
    pub out_of_stock: &'static str,
    pub no_longer_available: &'static str,
    /// {0}: units left.
    pub only_left: &'static str,
    pub discount_code: &'static str,
    pub apply: &'static str,
    /// {0}: code.
    pub code_applied: &'static str,
    /// {0}: code.
    pub remove_code: &'static str,
    /// {0}: code.
    pub coupon_unknown: &'static str,
    /// {0}: code.
    pub coupon_expired: &'static str,
    /// {0}: code; {1}: minimum subtotal.
    pub coupon_min_subtotal: &'static str,
    /// {0}: code.
    pub coupon_not_active: &'static str,
    /// {0}: code.
    pub coupon_not_for_items: &'static str,
    /// {0}: code.
    pub coupon_not_applicable: &'static str,
    /// {0}: why.
    pub coupon_failed: &'static str,
    pub subtotal: &'static str,
    pub discount: &'static str,
    pub shipping: &'static str,
    pub tax: &'static str,
    pub total: &'static str,
    pub estimate_for: &'static str,
    pub country: &'static str,
    pub choose_country: &'static str,
    pub region: &'static str,
    pub postal_code: &'static str,
    pub update: &'static str,
    pub shipping_method: &'static str,
    pub note_label: &'static str,
    pub note_hint: &'static str,
    /// {0}: characters used; {1}: the limit.
    pub note_counter: &'static str,
    pub note_saving: &'static str,
    pub note_saved: &'static str,
    /// {0}: why.
    pub note_not_saved: &'static str,
    pub checkout: &'static str,
    pub checking_out: &'static str,
    pub checkout_not_set_up: &'static str,
    /// {0}: why.
    pub checkout_failed: &'static str,
}

pub static EN: Messages = Messages {
    cart_label: "Shopping cart",
    cart_button_empty: "Cart, empty",
    cart_button_one: "Cart, 1 item",
    cart_button_many: "Cart, {0} items",
    close_cart: "Close cart",
    title: "Your cart",
    loading: "Loading your cart",
    empty_title: "Your cart is empty",
    empty_hint: "Items you add will appear here.",
    load_failed: "We couldn't load your cart.",
    try_again: "Try again",
    change_not_saved: "Your change could not be saved: {0}",
    line_not_saved: "Your change couldn't be saved ({0}).",
    clamped: "Only {0} available; quantity updated.",
    offline: "You're offline. Your changes are kept and will be saved when the connection is back.",
    remove: "Remove",
    remove_item: "Remove {0}",
    removed: "Removed {0}.",
    undo: "Undo",
    quantity_of: "Quantity of {0}",
    decrease: "Decrease quantity of {0}",
    increase: "Increase quantity of {0}",
    out_of_stock: "Out of stock",
    no_longer_available: "No longer available",
    only_left: "Only {0} left",
    discount_code: "Discount code",
    apply: "Apply",
    code_applied: "Code {0} applied",
    remove_code: "Remove code {0}",
    coupon_unknown: "“{0}” isn't a valid code.",
    coupon_expired: "“{0}” has expired.",
    coupon_min_subtotal: "“{0}” needs a subtotal of at least {1}.",
    coupon_not_active: "“{0}” isn't active yet.",
    coupon_not_for_items: "“{0}” doesn't apply to the items in your cart.",
    coupon_not_applicable: "“{0}” can't be used with this cart.",
    coupon_failed: "The code couldn't be applied ({0}).",
    subtotal: "Subtotal",
    discount: "Discount",
    shipping: "Shipping (estimated)",
    tax: "Tax (estimated)",
    total: "Total",
    estimate_for: "Estimate shipping and tax",
    country: "Country",
    choose_country: "Choose a country",
    region: "State or region",
    postal_code: "Postal code",
    update: "Update",
    shipping_method: "Shipping method",
    note_label: "Note for the seller",
    note_hint: "Gift message, delivery instructions…",
    note_counter: "{0} / {1}",
    note_saving: "Saving…",
    note_saved: "Note saved",
    note_not_saved: "Your note couldn't be saved ({0}). It's still here; it will be sent again when you edit it or leave the field.",
    checkout: "Check out",
    checking_out: "Going to checkout…",
    checkout_not_set_up: "Checkout isn't set up for this store.",
    checkout_failed: "Checkout couldn't start ({0}).",
};

pub static FR: Messages = Messages {
    cart_label: "Panier",
    cart_button_empty: "Panier, vide",
    cart_button_one: "Panier, 1 article",
    cart_button_many: "Panier, {0} articles",
    close_cart: "Fermer le panier",
    title: "Votre panier",
    loading: "Chargement de votre panier",
    empty_title: "Votre panier est vide",
    empty_hint: "Les articles ajoutés apparaîtront ici.",
    load_failed: "Impossible de charger votre panier.",
    try_again: "Réessayer",
    change_not_saved: "Votre modification n'a pas pu être enregistrée : {0}",
    line_not_saved: "Votre modification n'a pas pu être enregistrée ({0}).",
    clamped: "Seulement {0} disponible(s) ; quantité mise à jour.",
    offline: "Vous êtes hors ligne. Vos modifications sont conservées et seront enregistrées au retour de la connexion.",
    remove: "Retirer",
    remove_item: "Retirer {0}",
    removed: "{0} retiré du panier.",
    undo: "Annuler",
    quantity_of: "Quantité de {0}",
    decrease: "Diminuer la quantité de {0}",
    increase: "Augmenter la quantité de {0}",
    out_of_stock: "En rupture de stock",
    no_longer_available: "N'est plus disponible",
    only_left: "Plus que {0} en stock",
    discount_code: "Code promo",
    apply: "Appliquer",
    code_applied: "Code {0} appliqué",
    remove_code: "Retirer le code {0}",
    coupon_unknown: "« {0} » n'est pas un code valide.",
    coupon_expired: "« {0} » a expiré.",
    coupon_min_subtotal: "« {0} » nécessite un sous-total d'au moins {1}.",
    coupon_not_active: "« {0} » n'est pas encore actif.",
    coupon_not_for_items: "« {0} » ne s'applique pas aux articles de votre panier.",
    coupon_not_applicable: "« {0} » ne peut pas être utilisé avec ce panier.",
    coupon_failed: "Le code n'a pas pu être appliqué ({0}).",
    subtotal: "Sous-total",
    discount: "Remise",
    shipping: "Livraison (estimée)",
    tax: "Taxes (estimées)",
    total: "Total",
    estimate_for: "Estimer la livraison et les taxes",
    country: "Pays",
    choose_country: "Choisissez un pays",
    region: "État ou région",
    postal_code: "Code postal",
    update: "Mettre à jour",
    shipping_method: "Mode de livraison",
    note_label: "Note pour le vendeur",
    note_hint: "Message cadeau, instructions de livraison…",
    note_counter: "{0} / {1}",
    note_saving: "Enregistrement…",
    note_saved: "Note enregistrée",
    note_not_saved: "Votre note n'a pas pu être enregistrée ({0}). Elle est conservée ; elle sera renvoyée quand vous la modifierez ou quitterez le champ.",
    checkout: "Commander",
    checking_out: "Redirection vers le paiement…",
    checkout_not_set_up: "Le paiement n'est pas configuré pour cette boutique.",
    checkout_failed: "Le paiement n'a pas pu démarrer ({0}).",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_first_language_it_speaks() {
        assert_eq!(Lang::choose([None, Some("fr-CA")]), Lang::Fr);
        assert_eq!(Lang::choose([Some("de"), Some("fr"), Some("en")]), Lang::Fr);
        assert_eq!(Lang::choose([Some("EN_us")]), Lang::En);
        assert_eq!(Lang::choose([Some("ja"), None]), Lang::En);
    }

    #[test]
    fn fills_templates() {
        assert_eq!(
            fill(EN.coupon_min_subtotal, &["BIG50", "$200.00"]),
            "“BIG50” needs a subtotal of at least $200.00."
        );
        assert_eq!(fill(FR.only_left, &["3"]), "Plus que 3 en stock");
    }

    #[test]
    fn fill_keeps_what_is_not_a_filled_placeholder() {
        assert_eq!(fill("{1} then {0}", &["a", "b"]), "b then a");
        assert_eq!(fill("{0}{0}", &["x"]), "xx");
        assert_eq!(fill("{2} {x} { {", &["a"]), "{2} {x} { {");
        assert_eq!(fill("end {", &[]), "end {");
        assert_eq!(fill("{0}", &["{1}", "no"]), "{1}");
        assert_eq!(fill("é{0}ü", &["ß"]), "éßü");
    }

    #[test]
    fn every_template_of_every_language_has_the_same_placeholders() {
        // Debug output lists the fields in order, each value ending in `", `
        // (the catalogs use typographic quotes only): compare field by field.
        let placeholders = |m: &Messages| {
            let text = format!("{m:?}");
            text.split("\", ")
                .map(|field| {
                    (0..3)
                        .filter(|i| field.contains(&format!("{{{i}}}")))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(placeholders(&EN), placeholders(&FR));
    }
}
