//! `GET /stores-reader/v1/products/query-platformized?.r=<base64 JSON>`: the
//! visitor products query exactly as `@wix/stores` `products.queryProducts()`
//! sends it (`{query: {filter, paging: {offset, limit}}}`), answered with
//! Wix Stores (v1) product fields. Filters: equality on `slug` or `id`
//! (also `_id`); anything else is refused with a validation error.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value, json};

use super::base_url;
use crate::AppState;
use crate::catalog::{Product, StoresCatalog};
use crate::error::{ApiError, ApiJson};
use crate::money;
use crate::validate::Violations;

/// Page size when the query names none, as the SDK's default.
const DEFAULT_LIMIT: u64 = 50;
/// Largest page.
const MAX_LIMIT: u64 = 100;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/stores-reader/v1/products/query-platformized",
        get(products_query),
    )
}

async fn products_query(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Result<ApiJson<Value>, ApiError> {
    let query = decode_query(params.get(".r").map(String::as_str))?;
    let mut violations = Violations::default();
    let (offset, limit) = paging(&mut violations, &query);
    violations.range(
        "query.paging.limit".to_owned(),
        i64::try_from(limit).unwrap_or(i64::MAX),
        1,
        MAX_LIMIT as i64,
    );
    let filter = query
        .get("filter")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut equals: Vec<(&'static str, String)> = Vec::new();
    for (field, value) in &filter {
        let wanted = value
            .as_str()
            .or_else(|| value.get("$eq").and_then(Value::as_str));
        match (field.as_str(), wanted) {
            ("slug", Some(value)) => equals.push(("slug", value.to_owned())),
            ("id" | "_id", Some(value)) => equals.push(("id", value.to_owned())),
            _ => violations.add(
                format!("query.filter.{field}"),
                "FIELD_NOT_ALLOWED",
                "only equality filters on slug and id are supported".to_owned(),
                None,
            ),
        }
    }
    violations.into_result()?;

    let catalog = state.stores_catalog.as_ref();
    let matching: Vec<&Product> = catalog
        .products
        .iter()
        .filter(|product| {
            equals.iter().all(|(field, value)| match *field {
                "slug" => &product.slug == value,
                _ => &product.id == value,
            })
        })
        .collect();
    let total = matching.len();
    let base = base_url(&state, &headers);
    let page: Vec<Value> = matching
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|product| product_json(product, &catalog.currency, &state.rules.locale, &base))
        .collect();
    Ok(ApiJson(json!({
        "metadata": { "items": page.len(), "offset": offset, "total": total },
        "totalResults": total,
        "products": page,
    })))
}

/// `query.paging`'s offset and limit, their defaults when not given;
/// anything but a non-negative integer (`"10"`, `10.5`, `-1`) is a
/// violation, never silently replaced by the default.
fn paging(violations: &mut Violations, query: &Value) -> (u64, u64) {
    let empty = Map::new();
    let paging = match query.get("paging") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(paging)) => paging,
        Some(_) => {
            let description = "must be an object".to_owned();
            violations.add("query.paging".to_owned(), "FORMAT", description, None);
            &empty
        }
    };
    let mut number = |name: &str, default: u64| match paging.get(name) {
        None | Some(Value::Null) => default,
        Some(value) => value.as_u64().unwrap_or_else(|| {
            let description = "must be a non-negative integer".to_owned();
            violations.add(format!("query.paging.{name}"), "FORMAT", description, None);
            default
        }),
    };
    (number("offset", 0), number("limit", DEFAULT_LIMIT))
}

/// The `.r` parameter: base64 (standard or URL-safe, padded or not) of `{query}`.
fn decode_query(raw: Option<&str>) -> Result<Value, ApiError> {
    let invalid = |description: &str| {
        let mut violations = Violations::default();
        violations.add(".r".to_owned(), "FORMAT", description.to_owned(), None);
        violations
            .into_result()
            .expect_err("one violation recorded")
    };
    let Some(raw) = raw else {
        return Ok(json!({}));
    };
    let normalized: String = raw
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let bytes = STANDARD_NO_PAD
        .decode(normalized)
        .map_err(|_| invalid("must be base64 of {\"query\": …}"))?;
    let request: Value =
        serde_json::from_slice(&bytes).map_err(|_| invalid("must be base64 of JSON"))?;
    Ok(request.get("query").cloned().unwrap_or_else(|| json!({})))
}

fn number(amount: Decimal) -> Value {
    amount.to_f64().map_or(Value::Null, Value::from)
}

/// A Wix Stores (v1) product.
fn product_json(product: &Product, currency: &str, locale: &str, base: &str) -> Value {
    let regular = product.full_price.unwrap_or(product.price);
    let price_data = |price: Decimal, discounted: Decimal| {
        json!({
            "currency": currency,
            "price": number(price),
            "discountedPrice": number(discounted),
            "formatted": {
                "price": money::price(price, currency, locale).formatted_amount,
                "discountedPrice": money::price(discounted, currency, locale).formatted_amount,
            },
        })
    };
    let stock = StoresCatalog::product_stock(product);
    let any_sold_out = product
        .variants
        .iter()
        .any(|variant| variant.stock == Some(0));
    let inventory_status = match stock {
        Some(0) => "OUT_OF_STOCK",
        _ if any_sold_out => "PARTIALLY_OUT_OF_STOCK",
        _ => "IN_STOCK",
    };
    let image = json!({ "url": crate::catalog::image_url(&product.image, base), "width": 120, "height": 120 });
    let options: Vec<Value> = product
        .options
        .iter()
        .map(|option| {
            let is_color = option.choices.iter().any(|choice| choice.code.is_some());
            json!({
                "optionType": if is_color { "color" } else { "drop_down" },
                "name": option.name,
                "choices": option.choices.iter().map(|choice| {
                    let in_stock = product.variants.iter().any(|variant| {
                        variant.choices.get(&option.name) == Some(&choice.value) && variant.stock != Some(0)
                    });
                    json!({
                        "value": choice.code.clone().unwrap_or_else(|| choice.value.clone()),
                        "description": choice.value,
                        "inStock": in_stock,
                        "visible": true,
                    })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let variants: Vec<Value> = product
        .variants
        .iter()
        .map(|variant| {
            let price = variant.price.unwrap_or(product.price);
            let full = variant.price.unwrap_or(regular);
            json!({
                "id": variant.id,
                "choices": variant.choices,
                "variant": { "priceData": price_data(full, price), "sku": variant.sku, "weight": product.weight, "visible": true },
                "stock": { "trackQuantity": variant.stock.is_some(), "quantity": variant.stock, "inStock": variant.stock != Some(0) },
            })
        })
        .collect();
    let mut fields = Map::new();
    fields.insert("id".into(), product.id.clone().into());
    fields.insert("name".into(), product.name.clone().into());
    fields.insert("slug".into(), product.slug.clone().into());
    fields.insert("visible".into(), true.into());
    fields.insert(
        "productType".into(),
        product.item_type.to_ascii_lowercase().into(),
    );
    fields.insert("description".into(), product.description.clone().into());
    fields.insert("sku".into(), product.sku.clone().into());
    fields.insert(
        "weight".into(),
        product.weight.map_or(Value::Null, Value::from),
    );
    fields.insert(
        "stock".into(),
        json!({ "trackInventory": stock.is_some(), "quantity": stock, "inStock": stock != Some(0), "inventoryStatus": inventory_status }),
    );
    fields.insert("price".into(), price_data(regular, product.price));
    fields.insert("priceData".into(), price_data(regular, product.price));
    fields.insert(
        "discount".into(),
        if regular > product.price {
            json!({ "type": "AMOUNT", "value": number(regular - product.price) })
        } else {
            json!({ "type": "NONE", "value": 0 })
        },
    );
    fields.insert(
        "media".into(),
        json!({ "mainMedia": { "id": product.image, "mediaType": "image", "image": image }, "items": [{ "id": product.image, "mediaType": "image", "image": image }] }),
    );
    fields.insert("productOptions".into(), options.into());
    fields.insert(
        "manageVariants".into(),
        (!product.variants.is_empty()).into(),
    );
    fields.insert("variants".into(), variants.into());
    Value::Object(fields)
}
