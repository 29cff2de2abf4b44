//! Only http(s) URLs from the API may become links or images.

/// Returns the URL when it is an absolute `http:` or `https:` URL with no
/// whitespace or control characters, else `None`. Anything else
/// (`javascript:`, `data:`, relative or protocol-relative URLs) is refused.
pub fn safe_http_url(raw: &str) -> Option<&str> {
    let url = raw.trim();
    // What follows the scheme's `//`, for an http(s) URL.
    let rest = ["http://", "https://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|prefix| prefix.eq_ignore_ascii_case(scheme))
            .and_then(|_| url.get(scheme.len()..))
    });
    // A host: something before any further `//`. (Prefix tests only: a
    // substring search would link the two-way string searcher into the wasm.)
    let host_present = rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with("//"));
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (host_present && clean).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::safe_http_url;

    #[test]
    fn accepts_http_and_https() {
        assert_eq!(
            safe_http_url("https://a.test/x.png"),
            Some("https://a.test/x.png")
        );
        assert_eq!(
            safe_http_url(" HTTP://a.test/x.png "),
            Some("HTTP://a.test/x.png")
        );
    }

    #[test]
    fn refuses_every_other_scheme_and_shape() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "//evil.test/x.png",
            "/products/x.png",
            "https://",
            "https:////a.test/x.png",
            "https://a.test/x y.png",
            "https://a.test/\u{0}x.png",
            "",
        ] {
            assert_eq!(safe_http_url(url), None, "{url:?}");
        }
    }
}
