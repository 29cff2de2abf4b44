use cart_wire::LineItem;
use leptos::prelude::*;

use crate::safe_url::safe_http_url;

/// One line of the cart: image, name, quantity and line total.
#[component]
pub fn LineItemRow(
    /// The line item as the server returned it. All of its text is rendered
    /// as text, and its image only when the URL is http(s).
    item: LineItem,
) -> impl IntoView {
    let name = item.display_name().to_owned();
    let image = item.image.as_ref().and_then(|image| {
        let url = safe_http_url(&image.url)?.to_owned();
        let alt = image.alt_text.clone().unwrap_or_else(|| name.clone());
        Some(view! {
            <img class="cw-line-image" src=url alt=alt width="64" height="64" loading="lazy" />
        })
    });
    view! {
        <li class="cw-line" data-testid="line-item">
            <div class="cw-line-media">{image}</div>
            <div class="cw-line-body">
                <p class="cw-line-name" data-testid="line-name">
                    {name.clone()}
                </p>
                <p class="cw-line-quantity">
                    "Qty: " <span data-testid="line-quantity">{item.quantity}</span>
                </p>
            </div>
            <p class="cw-line-total" data-testid="line-total">
                {item.line_item_price.formatted_amount.clone()}
            </p>
        </li>
    }
}
