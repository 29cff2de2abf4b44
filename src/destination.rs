//! Where the shopper wants the order estimated for: country, region and
//! postal code, turned into the address `estimate-totals` takes.

use crate::wire::json::Json;
use crate::wire::requests::Address;

/// Countries offered in the picker (ISO 3166-1 alpha-2); their names come
/// from the browser's `Intl.DisplayNames` in the widget's language.
pub const COUNTRIES: &[&str] = &[
    "AR", "AT", "AU", "BE", "BR", "CA", "CH", "CN", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "GR",
    "HK", "IE", "IL", "IN", "IT", "JP", "KR", "MX", "NL", "NO", "NZ", "PL", "PT", "SE", "SG", "US",
    "ZA",
];

/// The longest region or postal code sent (the API's address field limits).
const MAX_FIELD: usize = 50;

/// The destination the shopper picked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Destination {
    /// ISO 3166-1 alpha-2; empty: the store's default destination.
    pub country: String,
    /// As typed: `CA` or `US-CA`.
    pub region: String,
    pub postal_code: String,
}

impl Destination {
    /// A destination in `country` (when it is a plausible code), nothing more.
    pub fn in_country(country: &str) -> Option<Self> {
        let country = country.trim().to_ascii_uppercase();
        (country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic())).then(|| Self {
            country,
            ..Self::default()
        })
    }

    /// The address for `estimate-totals`; `None` when no country is chosen
    /// (the server then uses the store's default destination).
    pub fn to_address(&self) -> Option<Address> {
        if self.country.is_empty() {
            return None;
        }
        let field = |text: &str| {
            let text: String = text.trim().chars().take(MAX_FIELD).collect();
            (!text.is_empty()).then_some(text)
        };
        Some(Address {
            country: Some(self.country.clone()),
            subdivision: field(&self.region).map(|region| self.subdivision_code(&region)),
            postal_code: field(&self.postal_code),
        })
    }

    /// The destination as remembered: `{country, region, postalCode}`.
    pub fn to_json(&self) -> String {
        Json::object([
            ("country", Json::str(&self.country)),
            ("region", Json::str(&self.region)),
            ("postalCode", Json::str(&self.postal_code)),
        ])
        .to_json()
    }

    /// A remembered destination; `None` when the text is not one.
    pub fn from_json(text: &str) -> Option<Self> {
        let json = Json::parse(text).ok().filter(Json::is_object)?;
        Some(Self {
            country: json.get("country").to_string_or_empty(),
            region: json.get("region").to_string_or_empty(),
            postal_code: json.get("postalCode").to_string_or_empty(),
        })
    }

    /// ISO 3166-2 for what was typed: `ca` in the US is `US-CA`; a full code stays.
    fn subdivision_code(&self, region: &str) -> String {
        let region = region.to_ascii_uppercase();
        if region
            .strip_prefix(self.country.as_str())
            .is_some_and(|rest| rest.starts_with('-'))
        {
            region
        } else {
            [self.country.as_str(), "-", &region].concat()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_becomes_an_iso_subdivision_of_the_country() {
        let destination = Destination {
            country: "US".into(),
            region: " ca ".into(),
            postal_code: "94103".into(),
        };
        let address = destination.to_address().unwrap();
        assert_eq!(address.country.as_deref(), Some("US"));
        assert_eq!(address.subdivision.as_deref(), Some("US-CA"));
        assert_eq!(address.postal_code.as_deref(), Some("94103"));
        let full = Destination {
            region: "us-ny".into(),
            ..destination
        };
        assert_eq!(
            full.to_address().unwrap().subdivision.as_deref(),
            Some("US-NY")
        );
    }

    #[test]
    fn no_country_means_the_stores_default() {
        assert_eq!(Destination::default().to_address(), None);
        let address = Destination::in_country("gb").unwrap().to_address().unwrap();
        assert_eq!(address.country.as_deref(), Some("GB"));
        assert_eq!(address.subdivision, None);
        assert_eq!(address.postal_code, None);
    }

    #[test]
    fn only_plausible_country_codes_are_taken() {
        assert_eq!(Destination::in_country(" ca ").unwrap().country, "CA");
        assert_eq!(Destination::in_country("U1"), None);
        assert_eq!(Destination::in_country("USA"), None);
    }

    #[test]
    fn a_remembered_destination_reads_back() {
        let destination = Destination {
            country: "US".into(),
            region: "CA".into(),
            postal_code: "94103".into(),
        };
        assert_eq!(
            Destination::from_json(&destination.to_json()),
            Some(destination)
        );
        assert_eq!(Destination::from_json("[]"), None);
    }

    #[test]
    fn long_fields_are_cut_to_the_api_limit() {
        let destination = Destination {
            country: "US".into(),
            region: String::new(),
            postal_code: "9".repeat(80),
        };
        assert_eq!(
            destination.to_address().unwrap().postal_code.unwrap().len(),
            MAX_FIELD
        );
    }
}
