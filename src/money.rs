//! Money the widget must format itself: Cart V2 answers carry amounts
//! (decimal strings) and a currency code, but no `formattedAmount`.
//!
//! In the browser the text comes from `Intl.NumberFormat` in the widget's
//! language; natively (tests) from a plain fallback, `"22.50 USD"`. Amounts
//! are added as integers of thousandths (the API's `maxScale` is 3 and its
//! largest amount 999999999), never as floats.

/// `amount` in `currency`, written for `locale` (`None`: the browser's).
/// Without a usable currency code, the amount as it is.
pub fn format(amount: &str, currency: Option<&str>, locale: Option<&str>) -> String {
    if amount.is_empty() {
        return String::new();
    }
    let Some(currency) = currency
        .filter(|code| code.len() == 3 && code.bytes().all(|byte| byte.is_ascii_alphabetic()))
    else {
        return amount.to_owned();
    };
    formatted(amount, currency, locale).unwrap_or_else(|| fallback(amount, currency))
}

/// `"22.5"` and `USD` → `"22.50 USD"`: at least two decimals, as given beyond.
fn fallback(amount: &str, currency: &str) -> String {
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    format!("{whole}.{fraction:0<2} {currency}")
}

#[cfg(target_arch = "wasm32")]
fn formatted(amount: &str, currency: &str, locale: Option<&str>) -> Option<String> {
    use wasm_bindgen::JsValue;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"style".into(), &"currency".into()).ok()?;
    js_sys::Reflect::set(&options, &"currency".into(), &currency.into()).ok()?;
    let locales = locale.map_or(JsValue::UNDEFINED, JsValue::from);
    // A bad language tag or currency throws a RangeError: caught, then the fallback.
    let format = intl::NumberFormat::new(&locales, &options).ok()?;
    // The decimal string itself: `Intl` reads it, and no float parser is
    // linked into the wasm for it.
    Some(format.format(amount))
}

#[cfg(not(target_arch = "wasm32"))]
fn formatted(_amount: &str, _currency: &str, _locale: Option<&str>) -> Option<String> {
    None
}

#[cfg(target_arch = "wasm32")]
mod intl {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// `Intl.NumberFormat`, with a constructor that reports a throw
        /// (js-sys's does not catch it).
        #[wasm_bindgen(js_namespace = Intl)]
        pub type NumberFormat;

        #[wasm_bindgen(constructor, js_namespace = Intl, catch)]
        pub fn new(locales: &JsValue, options: &js_sys::Object) -> Result<NumberFormat, JsValue>;

        #[wasm_bindgen(method, js_class = "Intl.NumberFormat")]
        pub fn format(this: &NumberFormat, value: &str) -> String;
    }
}

/// A non-negative decimal string as thousandths; `None` when it is not one
/// or has more than three decimals.
pub fn thousandths(amount: &str) -> Option<i64> {
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    let digits = |text: &str| text.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 12
        || fraction.len() > 3
        || !digits(whole)
        || !digits(fraction)
    {
        return None;
    }
    let fraction = format!("{fraction:0<3}");
    Some(whole.parse::<i64>().ok()? * 1000 + fraction.parse::<i64>().ok()?)
}

/// Thousandths back to a decimal string, without trailing zeros (`69500` → `"69.5"`).
pub fn from_thousandths(value: i64) -> String {
    let (whole, fraction) = (value / 1000, value % 1000);
    if fraction == 0 {
        whole.to_string()
    } else {
        let fraction = format!("{fraction:03}");
        format!("{whole}.{}", fraction.trim_end_matches('0'))
    }
}

/// The sum of decimal strings; amounts that are not decimals count as 0.
pub fn sum<'a>(amounts: impl IntoIterator<Item = &'a str>) -> String {
    from_thousandths(amounts.into_iter().filter_map(thousandths).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_natively_with_the_plain_fallback() {
        assert_eq!(format("22.5", Some("USD"), Some("en")), "22.50 USD");
        assert_eq!(format("45", Some("EUR"), None), "45.00 EUR");
        assert_eq!(format("0.125", Some("USD"), None), "0.125 USD");
        assert_eq!(format("7", None, None), "7");
        assert_eq!(format("7", Some("dollars"), None), "7");
        assert_eq!(format("", Some("USD"), None), "");
    }

    #[test]
    fn adds_decimal_strings_as_thousandths() {
        assert_eq!(thousandths("69.5"), Some(69_500));
        assert_eq!(thousandths("0.125"), Some(125));
        assert_eq!(thousandths("999999999"), Some(999_999_999_000));
        assert_eq!(thousandths("1.2345"), None);
        assert_eq!(thousandths("-1"), None);
        assert_eq!(thousandths(""), None);
        assert_eq!(from_thousandths(74_500), "74.5");
        assert_eq!(from_thousandths(5_000), "5");
        assert_eq!(from_thousandths(10), "0.01");
        assert_eq!(sum(["69.5", "5", "x"]), "74.5");
        assert_eq!(sum([]), "0");
    }
}
