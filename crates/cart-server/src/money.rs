//! Money on the wire: decimal strings without trailing zeros (`"12.5"`),
//! plus a display string for the store's currency and locale (`"$12.50"`,
//! `"12,50 €"`). All arithmetic is `Decimal`; amounts are rounded to cents
//! half away from zero.

use cart_wire::MultiCurrencyPrice;
use rust_decimal::{Decimal, RoundingStrategy};

/// The wire form of an amount in `currency`, displayed for `locale`.
pub fn price(amount: Decimal, currency: &str, locale: &str) -> MultiCurrencyPrice {
    let amount = round(amount);
    let wire = amount.normalize().to_string();
    let formatted = format(amount, currency, locale);
    MultiCurrencyPrice {
        amount: wire.clone(),
        converted_amount: wire,
        formatted_amount: formatted.clone(),
        formatted_converted_amount: formatted,
    }
}

/// The Cart V2 wire form of an amount: `{amount, convertedAmount}`, rounded
/// to cents, no trailing zeros and no display string.
pub fn converted(amount: Decimal) -> cart_wire::v2::Money {
    cart_wire::v2::Money::same(round(amount).normalize().to_string())
}

/// Rounds to two decimal places, half away from zero.
pub fn round(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `$1,234.50` (en), `1.234,50 €` (de), `1 234,50 €` (fr): the digit
/// grouping and decimal mark of the locale's language, the currency's
/// symbol where the language puts it; unknown currencies show their code.
fn format(amount: Decimal, currency: &str, locale: &str) -> String {
    let language = locale
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    let (group, decimal, symbol_after) = match language.as_str() {
        "de" | "es" | "it" | "nl" | "pt" => (".", ",", true),
        "fr" => ("\u{202f}", ",", true),
        _ => (",", ".", false),
    };
    let fixed = format!("{:.2}", amount.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, "00"));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(digit);
    }
    let number = format!("{grouped}{decimal}{fraction}");
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    let symbol = match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        other => return format!("{sign}{number}\u{a0}{other}"),
    };
    if symbol_after {
        format!("{sign}{number}\u{a0}{symbol}")
    } else {
        format!("{sign}{symbol}{number}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn shown(amount: &str, currency: &str, locale: &str) -> String {
        price(dec(amount), currency, locale).formatted_amount
    }

    #[test]
    fn wire_amounts_drop_trailing_zeros_and_display_two_decimals() {
        let p = price(dec("12.50"), "USD", "en-US");
        assert_eq!(p.amount, "12.5");
        assert_eq!(p.formatted_amount, "$12.50");
        assert_eq!(price(dec("25.00"), "USD", "en-US").amount, "25");
        assert_eq!(shown("0", "USD", "en-US"), "$0.00");
    }

    #[test]
    fn formatting_follows_currency_and_locale() {
        assert_eq!(shown("1234567.5", "USD", "en-US"), "$1,234,567.50");
        assert_eq!(shown("999.99", "EUR", "en"), "€999.99");
        assert_eq!(shown("1234.5", "EUR", "de-DE"), "1.234,50\u{a0}€");
        assert_eq!(shown("1234.5", "EUR", "fr-FR"), "1\u{202f}234,50\u{a0}€");
        assert_eq!(shown("1000", "CHF", "en-US"), "1,000.00\u{a0}CHF");
        assert_eq!(shown("12", "GBP", "en-GB"), "£12.00");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round(dec("0.005")), dec("0.01"));
        assert_eq!(round(dec("-0.005")), dec("-0.01"));
        assert_eq!(shown("-5", "USD", "en-US"), "-$5.00");
    }
}
