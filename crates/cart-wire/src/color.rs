//! Only plain colour values from the API may become CSS: a colour code is
//! put into a style (a swatch), where CSS text (`red;background:url(…)`)
//! would be more than a colour.

/// Whether `code` is `#rgb` or `#rrggbb` (hex digits): the only colour
/// codes the widget paints.
pub fn is_hex_color(code: &str) -> bool {
    code.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether `code` is a plain colour: `#rgb`, `#rrggbb`, or a colour name
/// (ASCII letters only, as CSS's named colours are).
pub fn is_plain_color(code: &str) -> bool {
    let is_name = (1..=32).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphabetic());
    is_hex_color(code) || is_name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_codes_and_names_are_colours() {
        for code in ["#fff", "#1A2b3C", "navy", "RebeccaPurple"] {
            assert!(is_plain_color(code), "{code}");
        }
        assert!(is_hex_color("#abc") && !is_hex_color("navy"));
    }

    #[test]
    fn css_text_is_not_a_colour() {
        for code in [
            "",
            "#ff",
            "#ggg",
            "#ffff",
            "red;background:url(https://evil.test/x)",
            "url(x)",
            "rgb(0,0,0)",
            "var(--x)",
            "red ",
            "expression(alert(1))",
        ] {
            assert!(!is_plain_color(code), "{code:?}");
        }
    }
}
