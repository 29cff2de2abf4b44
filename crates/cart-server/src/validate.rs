//! What a valid request is, written once: the field rules and limits of
//! every endpoint. Checks record into `Violations` with the request's field
//! paths, so one 400 answer (`ApiError::Validation`) lists every problem.
//!
//! - `Violations` and its checks for single values (`range`, `length`, `guid`…)
//!   and for the API's shared shapes (line item, custom line item, address…);
//! - `requests`: one function per request body (`add_to_cart`,
//!   `update_quantities`…), called first by each use case in `carts.rs`.
//!
//! Rules that need the stored cart or the catalog (stock, "that line is not
//! in the cart") are business rules and stay in `carts.rs`.

mod requests;

pub use requests::*;

use cart_wire::{
    Address, CustomLineItemInput, FieldViolation, LineItemInput, MAX_CUSTOM_TEXT_LENGTH,
    MAX_OPTIONS_BYTES, MAX_OPTIONS_DEPTH, MAX_PRICE, MAX_QUANTITY, SelectedShippingOption,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::error::ApiError;

/// Whether `s` is written as money is: digits, maybe a sign and a fraction.
fn is_plain_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    [whole, fraction]
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// How deep a JSON value nests (a scalar is 0, `{}` or `[]` is 1).
fn depth(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Whether `s` is a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hex digits).
pub fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Whether `s` is an absolute http(s) URL, exactly (no surrounding spaces):
/// the same rule the widget applies before it links or shows a URL.
pub fn is_http_url(s: &str) -> bool {
    cart_wire::safe_http_url(s) == Some(s)
}

/// Whether `s` is empty or a path on the same site (`/product-page/mug`):
/// one leading `/` (`//evil.test` is another site), no spaces or controls.
fn is_relative_path(s: &str) -> bool {
    s.is_empty()
        || (s.starts_with('/')
            && !s.starts_with("//")
            && !s.contains('\\')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control()))
}

/// Collects field violations so one response reports all of them.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldViolation>);

impl Violations {
    pub fn add(&mut self, field: String, rule: &str, description: String, data: Option<Value>) {
        self.0.push(FieldViolation {
            field,
            description,
            violated_rule: rule.to_owned(),
            rule_name: Some(rule.to_owned()),
            data,
        });
    }

    pub fn required(&mut self, field: String) {
        self.add(field, "REQUIRED_FIELD", "is required".to_owned(), None);
    }

    /// Checks `min <= value <= max`, recording a `MIN` or `MAX` violation.
    pub fn range(&mut self, field: String, value: i64, min: i64, max: i64) {
        if value < min {
            let description = format!("must be greater than or equal to {min}");
            self.add(field, "MIN", description, Some(json!({ "threshold": min })));
        } else if value > max {
            let description = format!("must be less than or equal to {max}");
            self.add(field, "MAX", description, Some(json!({ "threshold": max })));
        }
    }

    /// Checks a string's length in characters, recording `MIN_LENGTH` / `MAX_LENGTH`.
    pub fn length(&mut self, field: String, value: &str, min: usize, max: usize) {
        let len = value.chars().count();
        if len < min {
            let description = format!("must be at least {min} characters long");
            self.add(
                field,
                "MIN_LENGTH",
                description,
                Some(json!({ "threshold": min })),
            );
        } else if len > max {
            let description = format!("must be at most {max} characters long");
            self.add(
                field,
                "MAX_LENGTH",
                description,
                Some(json!({ "threshold": max })),
            );
        }
    }

    /// Checks a list's size, recording `MIN_SIZE` / `MAX_SIZE`.
    pub fn size(&mut self, field: String, len: usize, min: usize, max: usize) {
        if len < min {
            let description = format!("must contain at least {min} items");
            self.add(
                field,
                "MIN_SIZE",
                description,
                Some(json!({ "threshold": min })),
            );
        } else if len > max {
            let description = format!("must contain at most {max} items");
            self.add(
                field,
                "MAX_SIZE",
                description,
                Some(json!({ "threshold": max })),
            );
        }
    }

    /// `Ok(())` when nothing was recorded, else the 400 error carrying them all.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// Checks of the API's shared shapes.
impl Violations {
    pub fn guid(&mut self, field: String, value: &str) {
        if !is_guid(value) {
            self.add(field, "FORMAT", "must be a valid GUID".to_owned(), None);
        }
    }

    /// A catalog line item: `catalogReference` and `quantity` 1..100000 required.
    pub fn line_item(&mut self, field: &str, item: &LineItemInput) {
        let at = |name: &str| format!("{field}.{name}");
        match item.quantity {
            None => self.required(at("quantity")),
            Some(quantity) => self.range(at("quantity"), quantity, 1, i64::from(MAX_QUANTITY)),
        }
        match &item.catalog_reference {
            None => self.required(at("catalogReference")),
            Some(reference) => {
                self.length(
                    at("catalogReference.catalogItemId"),
                    &reference.catalog_item_id,
                    1,
                    36,
                );
                self.length(at("catalogReference.appId"), &reference.app_id, 1, 36);
                if let Some(options) = &reference.options {
                    self.options(&at("catalogReference.options"), options);
                }
            }
        }
    }

    /// `catalogReference.options`: stored with the line as sent, so its size,
    /// depth and custom text are bounded (no visitor can grow a cart without
    /// limit, and every stored cart can be read back).
    fn options(&mut self, field: &str, options: &serde_json::Map<String, Value>) {
        // Measured in place: the options may be as large as the body limit.
        let nesting = 1 + options.values().map(depth).max().unwrap_or(0);
        if nesting > MAX_OPTIONS_DEPTH {
            let description = format!("must not be nested more than {MAX_OPTIONS_DEPTH} deep");
            let data = json!({"max": MAX_OPTIONS_DEPTH});
            self.add(field.to_owned(), "MAX_DEPTH", description, Some(data));
        }
        let bytes = serde_json::to_string(options).map_or(usize::MAX, |json| json.len());
        if bytes > MAX_OPTIONS_BYTES {
            let description = format!("must be at most {MAX_OPTIONS_BYTES} bytes as JSON");
            let data = json!({"max": MAX_OPTIONS_BYTES});
            self.add(field.to_owned(), "MAX_SIZE", description, Some(data));
        }
        if let Some(Value::Object(fields)) = options.get("customTextFields") {
            for (name, text) in fields {
                let text = text.as_str().unwrap_or_default();
                let at = format!("{field}.customTextFields.{name}");
                self.length(at, text, 0, MAX_CUSTOM_TEXT_LENGTH);
            }
        }
    }

    /// A custom line item: quantity, price, name and item type required.
    pub fn custom_line_item(&mut self, field: &str, item: &CustomLineItemInput) {
        let at = |name: &str| format!("{field}.{name}");
        match item.quantity {
            None => self.required(at("quantity")),
            Some(quantity) => self.range(at("quantity"), quantity, 1, i64::from(MAX_QUANTITY)),
        }
        for (name, value, required) in [
            ("price", &item.price, true),
            ("fullPrice", &item.full_price, false),
        ] {
            // Plain decimals only: `1e5` parses, but no API writes money so.
            let parse = |text: &str| match is_plain_decimal(text) {
                true => text.parse::<Decimal>(),
                false => Err(rust_decimal::Error::ConversionTo(text.to_owned())),
            };
            match value.as_deref().map(parse) {
                None if required => self.required(at(name)),
                None => {}
                Some(Ok(amount)) if amount.is_sign_negative() => {
                    let description = "must be at least 0".to_owned();
                    self.add(
                        at(name),
                        "DECIMAL_GTE",
                        description,
                        Some(json!({"threshold": "0"})),
                    );
                }
                Some(Ok(amount)) if amount > Decimal::from(MAX_PRICE) => {
                    let description = format!("must be at most {MAX_PRICE}");
                    let data = json!({"threshold": MAX_PRICE.to_string()});
                    self.add(at(name), "DECIMAL_LTE", description, Some(data));
                }
                Some(Ok(_)) => {}
                Some(Err(_)) => self.add(
                    at(name),
                    "FORMAT",
                    "must be a decimal number".to_owned(),
                    None,
                ),
            }
        }
        match &item.product_name {
            None => self.required(at("productName")),
            Some(name) => self.length(at("productName.original"), &name.original, 1, 200),
        }
        if item
            .item_type
            .as_ref()
            .is_none_or(|t| t.preset.is_none() && t.custom.is_none())
        {
            self.required(at("itemType"));
        }
        self.size(at("descriptionLines"), item.description_lines.len(), 0, 10);
        for (i, line) in item.description_lines.iter().enumerate() {
            self.length(
                format!("{field}.descriptionLines[{i}].name.original"),
                &line.name.original,
                1,
                100,
            );
            // A colour code becomes a swatch's CSS: a colour, never CSS text.
            if let Some(code) = line.color_info.as_ref().and_then(|c| c.code.as_deref())
                && !cart_wire::is_plain_color(code)
            {
                let description = "must be #rgb, #rrggbb or a colour name".to_owned();
                let at = format!("{field}.descriptionLines[{i}].colorInfo.code");
                self.add(at, "FORMAT", description, None);
            }
        }
        if let Some(media) = &item.media {
            self.http_url(at("media.url"), &media.url);
        }
        if let Some(page) = &item.url {
            if let Some(url) = &page.url {
                self.http_url(at("url.url"), url);
            }
            if !is_relative_path(&page.relative_path) {
                let description = "must be a path on this site, starting with one /".to_owned();
                self.add(at("url.relativePath"), "FORMAT", description, None);
            }
        }
    }

    /// A URL the answer will carry as a link or image: absolute http(s) only.
    fn http_url(&mut self, field: String, url: &str) {
        if !is_http_url(url) {
            let description = "must be an absolute http(s) URL".to_owned();
            self.add(field, "FORMAT", description, None);
        }
    }

    /// Reads and checks `customLineItems` (raw JSON, so a malformed one is
    /// a violation of its own, not an unreadable body); returns those read.
    pub fn custom_line_items(&mut self, raw: &[Value]) -> Vec<CustomLineItemInput> {
        raw.iter()
            .enumerate()
            .filter_map(|(i, value)| {
                match serde_json::from_value::<CustomLineItemInput>(value.clone()) {
                    Ok(item) => {
                        self.custom_line_item(&format!("customLineItems[{i}]"), &item);
                        Some(item)
                    }
                    Err(error) => {
                        self.add(
                            format!("customLineItems[{i}]"),
                            "FORMAT",
                            error.to_string(),
                            None,
                        );
                        None
                    }
                }
            })
            .collect()
    }

    pub fn shipping_option(&mut self, field: &str, option: &SelectedShippingOption) {
        self.length(format!("{field}.code"), &option.code, 1, 100);
        if let Some(carrier) = &option.carrier_id {
            self.guid(format!("{field}.carrierId"), carrier);
        }
    }

    pub fn address(&mut self, field: &str, address: &Address) {
        if let Some(country) = &address.country
            && !(country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()))
        {
            let description = "must be an ISO 3166-1 alpha-2 country code".to_owned();
            self.add(format!("{field}.country"), "FORMAT", description, None);
        }
        let limits = [
            ("subdivision", &address.subdivision, 50),
            ("city", &address.city, 100),
            ("postalCode", &address.postal_code, 50),
            ("addressLine", &address.address_line, 150),
            ("addressLine2", &address.address_line2, 100),
        ];
        for (name, value, max) in limits {
            if let Some(value) = value {
                self.length(format!("{field}.{name}"), value, 0, max);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids() {
        assert!(is_guid("00000000-0000-0000-0000-000000000001"));
        assert!(is_guid("c8a08776-C095-4dec-8553-8f9698d86adc"));
        assert!(!is_guid("00000000-0000-0000-0000-00000000000"));
        assert!(!is_guid("00000000x0000-0000-0000-000000000001"));
        assert!(!is_guid("g0000000-0000-0000-0000-000000000001"));
    }

    #[test]
    fn money_is_a_plain_decimal() {
        for good in ["0", "12", "12.50", "-3.1"] {
            assert!(is_plain_decimal(good), "{good}");
        }
        for bad in ["1e5", "", ".5", "5.", "1.2.3", "+1", " 1", "NaN", "1_000"] {
            assert!(!is_plain_decimal(bad), "{bad}");
        }
    }

    #[test]
    fn a_full_cart_of_ordinary_lines_fits_the_stored_size() {
        use crate::cart::{CartContent, StoredLine};
        let guid = "c8a08776-c095-4dec-8553-8f9698d86adc";
        let options = json!({"variantId": guid,
                             "options": {"Color": "Navy", "Size": "M"},
                             "customTextFields": {"Engraving": "é".repeat(MAX_CUSTOM_TEXT_LENGTH)}});
        let line = StoredLine {
            id: guid.to_owned(),
            catalog_reference: cart_wire::CatalogReference {
                catalog_item_id: guid.to_owned(),
                app_id: cart_wire::WIX_STORES_APP_ID.to_owned(),
                options: options.as_object().cloned(),
            },
            quantity: 1,
            variant_id: Some(guid.to_owned()),
            custom: None,
        };
        let mut content = CartContent {
            lines: vec![line; cart_wire::MAX_LINE_ITEMS],
            buyer_note: Some("n".repeat(cart_wire::MAX_BUYER_NOTE_LENGTH)),
            ..CartContent::default()
        };
        assert!(cart_size(&content).is_ok());
        content.lines.push(content.lines[0].clone());
        assert!(cart_size(&content).is_err(), "one line too many");
    }

    #[test]
    fn relative_paths_stay_on_the_site() {
        for good in ["", "/", "/product-page/mug", "/a?b=c#d"] {
            assert!(is_relative_path(good), "{good}");
        }
        for bad in [
            "//evil.test/x",
            "/\\evil.test",
            "javascript:alert(1)",
            "page",
            "/a b",
        ] {
            assert!(!is_relative_path(bad), "{bad}");
        }
    }

    #[test]
    fn http_urls() {
        assert!(is_http_url("https://shop.example.com/checkout"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("/checkout"));
    }
}
