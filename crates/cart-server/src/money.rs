//! Money on the wire: decimal strings without trailing zeros (`"12.5"`),
//! plus a display string (`"$12.50"`). All arithmetic is `Decimal`; amounts
//! are rounded to the currency's minor unit half away from zero.

use cart_wire::MultiCurrencyPrice;
use rust_decimal::{Decimal, RoundingStrategy};

/// The wire form of an amount in `currency`.
pub fn price(amount: Decimal, currency: &str) -> MultiCurrencyPrice {
    let amount = round(amount);
    let wire = amount.normalize().to_string();
    let formatted = format(amount, currency);
    MultiCurrencyPrice {
        amount: wire.clone(),
        converted_amount: wire,
        formatted_amount: formatted.clone(),
        formatted_converted_amount: formatted,
    }
}

/// Rounds to two decimal places, half away from zero.
pub fn round(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `$1,234.50` for USD, `€1,234.50` for EUR, `1,234.50 XYZ` otherwise.
fn format(amount: Decimal, currency: &str) -> String {
    let fixed = format!("{:.2}", amount.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, "00"));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    match currency {
        "USD" => format!("{sign}${grouped}.{fraction}"),
        "EUR" => format!("{sign}€{grouped}.{fraction}"),
        other => format!("{sign}{grouped}.{fraction} {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn wire_amounts_drop_trailing_zeros_and_display_two_decimals() {
        let p = price(dec("12.50"), "USD");
        assert_eq!(p.amount, "12.5");
        assert_eq!(p.formatted_amount, "$12.50");
        assert_eq!(price(dec("25.00"), "USD").amount, "25");
        assert_eq!(price(Decimal::ZERO, "USD").formatted_amount, "$0.00");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(
            price(dec("1234567.5"), "USD").formatted_amount,
            "$1,234,567.50"
        );
        assert_eq!(price(dec("999.99"), "EUR").formatted_amount, "€999.99");
        assert_eq!(price(dec("1000"), "CHF").formatted_amount, "1,000.00 CHF");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round(dec("0.005")), dec("0.01"));
        assert_eq!(round(dec("-0.005")), dec("-0.01"));
        assert_eq!(price(dec("-5"), "USD").formatted_amount, "-$5.00");
    }
}
