//! What the shopper sets on the cart besides its lines: the coupon, the
//! buyer note (and, for `totals`, the shipping option: one `PATCH` helper),
//! and creating the checkout. Each keeps its own request status.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::CartState;
use crate::api::{CartApi, CartUpdate};
use crate::error::ApiError;
use crate::i18n::fill;
use crate::wire::answers::Cart;

/// The longest buyer note the API takes, in characters.
pub const NOTE_LIMIT: usize = cart_wire::MAX_BUYER_NOTE_LENGTH;

/// Where the buyer note stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum NoteStatus {
    /// Nothing sent since the page loaded.
    #[default]
    Idle,
    Saving,
    Saved,
    /// Not saved, in words; the text stays in the field.
    NotSaved(String),
}

/// One kind of request the shopper starts with a button: whether it is on
/// its way, and why the last one failed, in words.
#[derive(Clone, Copy)]
pub struct RequestStatus {
    /// A request is on its way.
    pub pending: RwSignal<bool>,
    /// Why the last request failed, in words.
    pub error: RwSignal<Option<String>>,
}

impl RequestStatus {
    pub(super) fn new() -> Self {
        Self {
            pending: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// A request starts: the last one's error is gone.
    fn start(self) {
        self.error.set(None);
        self.pending.set(true);
    }
}

impl CartState {
    /// Saves the buyer note, unless it is what the cart has already.
    pub fn save_note(self, note: String) {
        let unchanged = self.cart.with_untracked(|cart| {
            cart.as_ref()
                .is_some_and(|cart| cart.buyer_note.as_deref().unwrap_or_default() == note)
        });
        if unchanged && self.note.get_untracked() != NoteStatus::Saving {
            return;
        }
        self.note.set(NoteStatus::Saving);
        self.update_cart(CartUpdate::Note(note), Some(self.note));
    }

    /// Changes the cart's own fields; how it went goes to `status` when
    /// given, else to the widget's error line.
    pub(super) fn update_cart(self, update: CartUpdate, status: Option<RwSignal<NoteStatus>>) {
        self.pending.update(|n| *n += 1);
        let api = self.api.get_value();
        spawn_local(async move {
            let result = api.update_cart(update).await;
            self.pending.update(|n| *n -= 1);
            match (result, status) {
                (Ok(cart), status) => {
                    self.accept_change(cart);
                    if let Some(status) = status {
                        status.set(NoteStatus::Saved);
                    }
                }
                (Err(error), Some(status)) => {
                    self.report(&error);
                    status.set(NoteStatus::NotSaved(error.to_string()));
                }
                (Err(error), None) => {
                    self.report(&error);
                    self.action_error.set(Some(error));
                }
            }
        });
    }

    /// Applies a coupon code; a refusal is explained in words.
    pub fn apply_coupon(self, code: String) {
        self.coupon_mutation(code.clone(), move |api| async move {
            api.apply_coupon(&code).await
        });
    }

    /// Removes the applied coupon.
    pub fn remove_coupon(self) {
        let id = self
            .cart
            .with_untracked(|cart| cart.as_ref()?.coupon_id.clone());
        self.coupon_mutation(String::new(), |api| async move {
            api.remove_coupon(id.as_deref()).await
        });
    }

    fn coupon_mutation<F, Fut>(self, code: String, request: F)
    where
        F: FnOnce(CartApi) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<Cart, ApiError>> + 'static,
    {
        let coupon = self.coupon;
        coupon.start();
        let api = self.api.get_value();
        spawn_local(async move {
            let result = request(api).await;
            coupon.pending.set(false);
            match result {
                Ok(cart) => self.accept_change(cart),
                Err(error) => {
                    self.report(&error);
                    coupon
                        .error
                        .set(Some(crate::messages::coupon_error(self.t(), &error, &code)));
                }
            }
        });
    }

    /// Creates the checkout and sends the shopper to it. Waits for nothing:
    /// the button is disabled while changes are pending.
    pub fn checkout(self) {
        let checkout = self.checkout;
        if untrack(|| self.is_busy()) || checkout.pending.get_untracked() {
            return;
        }
        checkout.start();
        let api = self.api.get_value();
        let cart = self.cart.get_untracked();
        spawn_local(async move {
            let result = api.create_checkout(cart.as_ref()).await;
            match result {
                Ok(created) => {
                    let page = self.config.with_value(|config| {
                        config.checkout_page(created.checkout_url.as_deref(), &created.checkout_id)
                    });
                    match page {
                        Some(url) => {
                            let _ = window().location().assign(&url);
                        }
                        None => checkout
                            .error
                            .set(Some(self.t().checkout_not_set_up.to_owned())),
                    }
                }
                Err(error) => {
                    self.report(&error);
                    checkout
                        .error
                        .set(Some(fill(self.t().checkout_failed, &[&error.to_string()])));
                }
            }
            checkout.pending.set(false);
        });
    }
}
