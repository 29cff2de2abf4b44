//! Totals: the estimate (subtotal, discount, shipping, tax, total) for the
//! shopper's destination, asked for again whenever the cart settles; the
//! destination, remembered in `localStorage`; the chosen shipping option,
//! saved on the cart.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::CartState;
use crate::api::CartUpdate;
use crate::api::local_storage;
use crate::config::WidgetConfig;
use crate::destination::Destination;
use crate::wire::answers::{Estimate, ShippingOffer};

/// Where the shopper's destination is remembered between visits.
const DESTINATION_KEY: &str = "cart-widget:destination";

/// The estimate and where it is for.
#[derive(Clone, Copy)]
pub struct Totals {
    /// The latest estimate of totals; stale while the cart has moved on.
    pub estimate: RwSignal<Option<Estimate>>,
    /// Where totals are estimated for.
    pub destination: RwSignal<Destination>,
    /// Numbers the estimate requests; only the newest one's answer counts.
    seq: StoredValue<u64>,
}

impl Totals {
    pub(super) fn new(config: &WidgetConfig) -> Self {
        Self {
            estimate: RwSignal::new(None),
            destination: RwSignal::new(initial_destination(config)),
            seq: StoredValue::new(0),
        }
    }
}

impl CartState {
    /// Whether the estimate matches the cart as it is (same revision, nothing pending).
    pub fn estimate_is_current(&self) -> bool {
        !self.is_busy()
            && self.totals.estimate.with(|estimate| {
                self.cart.with(|cart| match (estimate, cart) {
                    (Some(estimate), Some(cart)) => estimate.cart_revision == cart.revision,
                    _ => false,
                })
            })
    }

    /// Asks for fresh totals once nothing is pending; only the newest answer counts.
    pub(super) fn refresh_estimate(self) {
        let Totals {
            estimate,
            destination,
            seq,
        } = self.totals;
        if untrack(|| self.is_busy()) {
            return; // the change that is pending refreshes it when it settles
        }
        if self
            .cart
            .with_untracked(|cart| cart.as_ref().is_none_or(|cart| cart.line_items.is_empty()))
        {
            // Nothing to estimate (and a visitor without a cart would get 404).
            estimate.set(None);
            return;
        }
        let this = seq.try_update_value(|seq| {
            *seq += 1;
            *seq
        });
        let api = self.api.get_value();
        let address = destination.with_untracked(Destination::to_address);
        spawn_local(async move {
            let result = api.estimate_totals(address.as_ref()).await;
            if this != Some(seq.get_value()) {
                return;
            }
            match result {
                Ok(mut answer) => {
                    // Asking changed the cart (V2 keeps the destination on it).
                    let changed = answer.changed_cart.take();
                    estimate.set(Some(answer));
                    if let Some(cart) = changed {
                        self.accept(cart);
                    }
                }
                // Totals stay marked as not current; the next change retries.
                Err(error) => leptos::logging::warn!("cart widget: estimate failed: {error}"),
            }
        });
    }

    /// The shopper picked a destination: remembered, and totals estimated for it.
    pub fn set_destination(self, destination: Destination) {
        if let Some(storage) = local_storage() {
            // Best effort: without storage it only lasts for this page.
            let _ = storage.set_item(DESTINATION_KEY, &destination.to_json());
        }
        self.totals.destination.set(destination);
        self.refresh_estimate();
    }

    /// The shopper picked a shipping option: saved on the cart (checkout
    /// uses it), then totals estimated with it.
    pub fn choose_shipping(self, offer: &ShippingOffer) {
        let update = CartUpdate::Shipping {
            code: offer.code.clone(),
            carrier_id: offer.carrier_id.clone(),
        };
        self.update_cart(update, None);
    }
}

/// The destination to estimate for at first: the one the shopper picked
/// last time, else `data-country`, else none (the store's default).
fn initial_destination(config: &WidgetConfig) -> Destination {
    let saved = local_storage()
        .and_then(|storage| storage.get_item(DESTINATION_KEY).ok().flatten())
        .and_then(|json| Destination::from_json(&json));
    saved
        .or_else(|| Destination::in_country(config.default_country.as_deref()?))
        .unwrap_or_default()
}
