//! Widget settings, read from the mount element's data attributes.

/// OAuth client id used when the page does not set `data-client-id`
/// (the reference server accepts any; a real Wix site needs its own).
pub const DEFAULT_CLIENT_ID: &str = "cart-widget";

/// Which Wix current-cart API the widget speaks (`data-cart-api`). Only
/// the API client and `wire/` look at it: the state, the pending queue and
/// the components read one model whichever it is.
///
/// V2 is the default: Wix removes v1 on 2027-02-01, and a page that never
/// set the attribute must not stop working that day. Both dialects pass
/// the same end-to-end suite and the official clients' conformance tests;
/// `data-cart-api="v1"` keeps v1 while a site needs it.
///
/// Each shipped bundle has one dialect built in (the cargo features `v2`,
/// the default, and `v1`), so nobody downloads the other's code: the CDN
/// loader reads the first mount element's `data-cart-api` by this same rule
/// and loads that dialect's bundle (`xtask/dist.mjs`); [`Self::spoken`]
/// is the dialect a build speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ApiDialect {
    /// `/ecom/v1/carts/current…`, removed by Wix on 2027-02-01.
    V1,
    /// Cart V2, `/ecom/v2/carts/current…`.
    #[default]
    V2,
}

impl ApiDialect {
    /// The `data-cart-api` value: `v1` or `v2` (any case, trimmed); no or
    /// an unknown value is the default, V2.
    pub fn parse(value: Option<&str>) -> Self {
        match value
            .map(|value| value.trim().to_ascii_lowercase())
            .as_deref()
        {
            Some("v1") => Self::V1,
            _ => Self::V2,
        }
    }

    /// The dialect spoken when the page asks for this one: the one built
    /// in, whatever the page asks (the loader has already picked the bundle
    /// by the same attribute); only a build with both features (native
    /// tests) speaks the one asked. A constant in a one-dialect build, so the
    /// other dialect's branches in `api.rs` are compiled out.
    pub fn spoken(self) -> Self {
        match (cfg!(feature = "v1"), cfg!(feature = "v2")) {
            (true, true) => self,
            (true, false) => Self::V1,
            (false, _) => Self::V2,
        }
    }
}

#[cfg(not(any(feature = "v1", feature = "v2")))]
compile_error!("the widget needs an API dialect: the `v2` feature (the default), `v1`, or both");

/// How the widget reaches its Current Cart API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetConfig {
    /// Origin (and optional path prefix) of the API, without a trailing slash.
    pub api_base: String,
    /// OAuth client id for visitor tokens.
    pub client_id: String,
    /// Where checkout goes when the API names no page (Wix's does not):
    /// `checkoutId` is added as a query parameter.
    pub checkout_url: Option<String>,
    /// `data-locale`: the language to speak (else the cart's buyerLanguage).
    pub locale: Option<String>,
    /// `data-country`: the destination estimated for until the shopper picks one.
    pub default_country: Option<String>,
    /// The page's `<html lang>`, read once at mount: the last language choice.
    pub page_lang: Option<String>,
    /// `data-cart-api`: the API dialect the page asks for (the one spoken
    /// is `ApiDialect::spoken`: a bundle speaks the one built in).
    pub dialect: ApiDialect,
}

impl WidgetConfig {
    /// Builds the config from raw attribute values; `page_origin` is the
    /// default API base (same origin as the page).
    pub fn from_attributes(
        api_base: Option<String>,
        client_id: Option<String>,
        page_origin: &str,
    ) -> Self {
        let api_base = api_base
            .map(|base| base.trim().trim_end_matches('/').to_owned())
            .filter(|base| !base.is_empty())
            .unwrap_or_else(|| page_origin.to_owned());
        let client_id = client_id
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_owned());
        Self {
            api_base,
            client_id,
            checkout_url: None,
            locale: None,
            default_country: None,
            page_lang: None,
            dialect: ApiDialect::default(),
        }
    }

    /// Reads the `data-*` attributes of the mount element.
    pub fn from_element(element: &web_sys::HtmlElement) -> Self {
        let origin = leptos::prelude::window()
            .location()
            .origin()
            .unwrap_or_default();
        let attribute = |name: &str| {
            element
                .get_attribute(name)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        Self {
            checkout_url: attribute("data-checkout-url"),
            locale: attribute("data-locale"),
            default_country: attribute("data-country").map(|c| c.to_ascii_uppercase()),
            dialect: ApiDialect::parse(attribute("data-cart-api").as_deref()),
            page_lang: leptos::prelude::document()
                .document_element()
                .and_then(|html| html.get_attribute("lang")),
            ..Self::from_attributes(
                element.get_attribute("data-api-base"),
                element.get_attribute("data-client-id"),
                &origin,
            )
        }
    }

    /// The page to send the shopper to for a checkout: the API's, else the
    /// configured fallback with `checkoutId` added. Only http(s) URLs.
    pub fn checkout_page(&self, from_api: Option<&str>, checkout_id: &str) -> Option<String> {
        if let Some(url) = from_api.and_then(cart_wire::safe_http_url) {
            return Some(url.to_owned());
        }
        let fallback = cart_wire::safe_http_url(self.checkout_url.as_deref()?)?;
        let separator = if fallback.contains('?') { "&" } else { "?" };
        Some([fallback, separator, "checkoutId=", checkout_id].concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_the_page_origin_and_demo_client() {
        let config = WidgetConfig::from_attributes(None, Some("  ".into()), "http://shop.test");
        assert_eq!(config.api_base, "http://shop.test");
        assert_eq!(config.client_id, DEFAULT_CLIENT_ID);
    }

    #[test]
    fn checkout_goes_to_the_apis_page_else_the_fallback() {
        let mut config = WidgetConfig::from_attributes(None, None, "http://shop.test");
        assert_eq!(
            config
                .checkout_page(Some("https://api.test/checkout/1"), "1")
                .as_deref(),
            Some("https://api.test/checkout/1")
        );
        assert_eq!(config.checkout_page(None, "1"), None);
        config.checkout_url = Some("https://shop.test/pay?lang=en".into());
        assert_eq!(
            config.checkout_page(None, "c1").as_deref(),
            Some("https://shop.test/pay?lang=en&checkoutId=c1")
        );
        assert_eq!(
            config
                .checkout_page(Some("javascript:alert(1)"), "c1")
                .as_deref(),
            Some("https://shop.test/pay?lang=en&checkoutId=c1")
        );
        config.checkout_url = Some("javascript:alert(1)".into());
        assert_eq!(config.checkout_page(None, "c1"), None);
    }

    #[test]
    fn the_cart_api_attribute_chooses_the_dialect_and_defaults_to_v2() {
        assert_eq!(ApiDialect::parse(None), ApiDialect::V2);
        assert_eq!(ApiDialect::parse(Some("v1")), ApiDialect::V1);
        assert_eq!(ApiDialect::parse(Some(" V1 ")), ApiDialect::V1);
        assert_eq!(ApiDialect::parse(Some("v2")), ApiDialect::V2);
        assert_eq!(ApiDialect::parse(Some("v3")), ApiDialect::V2);
        assert_eq!(ApiDialect::parse(Some("")), ApiDialect::V2);
        let config = WidgetConfig::from_attributes(None, None, "http://shop.test");
        assert_eq!(config.dialect, ApiDialect::V2);
    }

    #[cfg(all(feature = "v1", feature = "v2"))]
    #[test]
    fn a_build_with_both_dialects_speaks_the_one_asked() {
        assert_eq!(ApiDialect::V1.spoken(), ApiDialect::V1);
        assert_eq!(ApiDialect::V2.spoken(), ApiDialect::V2);
    }

    #[cfg(not(feature = "v1"))]
    #[test]
    fn the_v2_bundle_speaks_v2_whatever_the_page_asks() {
        assert_eq!(ApiDialect::V1.spoken(), ApiDialect::V2);
        assert_eq!(ApiDialect::V2.spoken(), ApiDialect::V2);
    }

    #[cfg(not(feature = "v2"))]
    #[test]
    fn the_v1_bundle_speaks_v1_whatever_the_page_asks() {
        assert_eq!(ApiDialect::V1.spoken(), ApiDialect::V1);
        assert_eq!(ApiDialect::V2.spoken(), ApiDialect::V1);
    }

    #[test]
    fn trims_the_trailing_slash_of_the_api_base() {
        let config = WidgetConfig::from_attributes(
            Some("https://api.example.com/".into()),
            Some("abc".into()),
            "http://shop.test",
        );
        assert_eq!(config.api_base, "https://api.example.com");
        assert_eq!(config.client_id, "abc");
    }
}
