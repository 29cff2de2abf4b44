//! Quantity rules for the stepper: whole numbers from 1 to what is available.

pub use cart_wire::MAX_QUANTITY;

/// The most a shopper may ask for: the stock when the API tells it, else the API's limit.
pub fn max_quantity(available: Option<u32>) -> u32 {
    available.unwrap_or(MAX_QUANTITY).clamp(1, MAX_QUANTITY)
}

/// What typed text means as a quantity: a whole number clamped to
/// `1..=max`; `None` when it is not a number at all (the input then goes back).
pub fn parse_quantity(text: &str, max: u32) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // All digits: a number too large for u32 is simply "a lot".
    let value = text.parse::<u64>().unwrap_or(u64::MAX);
    Some(value.clamp(1, u64::from(max)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_quantities_are_clamped_to_one_and_the_maximum() {
        assert_eq!(parse_quantity("3", 10), Some(3));
        assert_eq!(parse_quantity(" 7 ", 10), Some(7));
        assert_eq!(parse_quantity("0", 10), Some(1));
        assert_eq!(parse_quantity("42", 10), Some(10));
        assert_eq!(parse_quantity("99999999999999999999", 10), Some(10));
    }

    #[test]
    fn text_that_is_not_a_whole_number_is_refused() {
        for text in ["", "  ", "-2", "2.5", "two", "1e3", "+3"] {
            assert_eq!(parse_quantity(text, 10), None, "{text:?}");
        }
    }

    #[test]
    fn the_maximum_comes_from_availability() {
        assert_eq!(max_quantity(Some(3)), 3);
        assert_eq!(max_quantity(None), MAX_QUANTITY);
        assert_eq!(
            max_quantity(Some(0)),
            1,
            "a sold-out line can still be shown at 1"
        );
    }
}
