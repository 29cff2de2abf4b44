//! Cart state shared by every mounted view, and the actions that change it.
//!
//! `CartState` is the server's cart (`cart`) plus, per feature, the status
//! that feature shows. Each feature is one module, and its signals are one
//! sub-struct beside its actions:
//!
//! - `lines`: add, remove, Undo and where a put-back line shows ([`Lines`]);
//! - `quantities`: the stepper's changes, coalesced and retried over
//!   `pending.rs` ([`QuantitySync`]);
//! - `totals`: the estimate, the shopper's destination and shipping choice ([`Totals`]);
//! - `cart_info`: coupon, buyer note and checkout ([`RequestStatus`], [`NoteStatus`]).
//!
//! This root wires them: the struct, `new`, the derived reads (`phase`,
//! `lang`, `is_busy`), and loading and accepting carts.
//!
//! Loading shows the visitor's stored snapshot at once when there is one
//! (`stale`: totals and checkout wait, as for a pending change); the
//! server's answer replaces it whole, and a failed load takes it away.
//!
//! The state knows nothing of the page around it: it tells the [`Listeners`]
//! given to [`CartState::new`] about failures (`host_page` tells the page)
//! and about changes this tab made (`browser_sync` tells the other tabs).
//! They are plain `fn`s, not `Callback`s: no arena slot, no clone of the
//! error, and the wasm stays the size it was.
//!
//! Why one `Copy` struct of signals passed as a prop, not a `LocalResource`
//! and a `Store` in context (the usual Leptos shape):
//! - several mount roots (`[data-cart-widget]` elements) share one state, and
//!   each root is its own owner: a prop reaches them all, context would not;
//! - a cart is taken only if it is not older than the one shown
//!   (`accept`, `is_older`): answers of changes, reloads and other tabs'
//!   refreshes race, and a resource that refetches when signals change has
//!   no place for that rule;
//! - a `Store` derive generates accessors (more wasm) for nothing these few
//!   signals need; each generic instantiation shows in the size budget
//!   (`docs/wasm-size.md`). Not measured for `Store` itself.

mod cart_info;
mod lines;
mod quantities;
mod totals;

pub use cart_info::{NOTE_LIMIT, NoteStatus, RequestStatus};
pub use lines::{LineMessage, Lines, RemovedLine, place_line};
pub use quantities::{COALESCE_MAX_WAIT, COALESCE_WINDOW, QuantitySync};
pub use totals::Totals;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::CartApi;
use crate::config::WidgetConfig;
use crate::error::ApiError;
use crate::i18n::{Lang, Messages};
use crate::pending::PendingQueue;
use crate::wire::answers::Cart;

/// What the widget is showing, derived from the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The first load has not answered yet.
    Loading,
    /// The first load failed; retry is offered.
    Failed,
    /// Loaded; no line items.
    Empty,
    /// Loaded; at least one line item.
    Filled,
}

/// Who the state tells about what happens, outside it.
#[derive(Clone, Copy)]
pub struct Listeners {
    /// Told about every failed request.
    pub on_error: fn(&ApiError),
    /// Told after every change this tab made (not after reloads), once the
    /// server confirmed it.
    pub on_local_change: fn(),
}

impl Default for Listeners {
    /// Nobody is told anything.
    fn default() -> Self {
        Self {
            on_error: |_| {},
            on_local_change: || {},
        }
    }
}

/// The cart as the server last returned it, plus request status.
#[derive(Clone, Copy)]
pub struct CartState {
    /// Server truth; `None` until the first load answers.
    pub cart: RwSignal<Option<Cart>>,
    /// Why the first load failed, if it did.
    pub load_error: RwSignal<Option<ApiError>>,
    /// `cart` is the visitor's stored snapshot (`snapshot.rs`), not yet
    /// confirmed by the server.
    pub stale: RwSignal<bool>,
    /// Why the last change failed, if it did.
    pub action_error: RwSignal<Option<ApiError>>,
    /// Additions and cart updates sent and not answered yet.
    pub pending: RwSignal<u32>,
    /// Lines being removed, the Undo offer, messages per line.
    pub lines: Lines,
    /// Quantity changes not confirmed yet, and whether the server is reachable.
    pub quantities: QuantitySync,
    /// The estimate of totals and where it is for.
    pub totals: Totals,
    /// Applying or removing a coupon.
    pub coupon: RequestStatus,
    /// Creating the checkout.
    pub checkout: RequestStatus,
    /// Where the buyer note stands.
    pub note: RwSignal<NoteStatus>,
    config: StoredValue<WidgetConfig>,
    api: StoredValue<CartApi>,
    listeners: Listeners,
}

impl CartState {
    /// The state for `config`, telling `listeners` what happens.
    pub fn new(config: WidgetConfig, listeners: Listeners) -> Self {
        Self {
            cart: RwSignal::new(None),
            load_error: RwSignal::new(None),
            stale: RwSignal::new(false),
            action_error: RwSignal::new(None),
            pending: RwSignal::new(0),
            lines: Lines::new(),
            quantities: QuantitySync::new(),
            totals: Totals::new(&config),
            coupon: RequestStatus::new(),
            checkout: RequestStatus::new(),
            note: RwSignal::new(NoteStatus::Idle),
            api: StoredValue::new(CartApi::new(config.clone())),
            config: StoredValue::new(config),
            listeners,
        }
    }

    /// The widget's configuration.
    pub fn config(&self) -> WidgetConfig {
        self.config.get_value()
    }

    /// The phase to render.
    pub fn phase(&self) -> Phase {
        let empty = self.visible_line_ids().is_empty();
        match (self.cart.read().as_ref(), self.load_error.read().is_some()) {
            (Some(_), _) if empty => Phase::Empty,
            (Some(_), _) => Phase::Filled,
            (None, true) => Phase::Failed,
            (None, false) => Phase::Loading,
        }
    }

    /// The language the widget speaks: `data-locale`, else the cart's
    /// buyerLanguage, else the page's, else English.
    pub fn lang(&self) -> Lang {
        self.config.with_value(|config| {
            self.cart.with(|cart| {
                Lang::choose([
                    config.locale.as_deref(),
                    cart.as_ref()
                        .and_then(|cart| cart.buyer_language.as_deref()),
                    config.page_lang.as_deref(),
                ])
            })
        })
    }

    /// The messages in the widget's language.
    pub fn t(&self) -> &'static Messages {
        self.lang().messages()
    }

    /// Whether anything the shopper did is not confirmed yet: totals are
    /// then shown as pending and checkout waits.
    pub fn is_busy(&self) -> bool {
        self.pending.get() > 0
            || self.stale.get()
            || self.coupon.pending.get()
            || self.quantities.queue.with(PendingQueue::is_busy)
            || !self.lines.hidden.with(Vec::is_empty)
    }

    /// Units in the cart as the shopper sees it (pending changes included).
    pub fn shown_item_count(&self) -> u64 {
        self.cart.with(|cart| {
            cart.iter()
                .flat_map(|cart| &cart.line_items)
                .map(|line| {
                    u64::from(
                        self.shown_quantity(line.id.as_deref().unwrap_or_default(), line.quantity),
                    )
                })
                .sum()
        })
    }

    /// Loads the visitor's cart (no cart yet is an empty cart), showing
    /// their stored snapshot meanwhile when nothing is shown yet.
    pub fn load(self) {
        self.load_error.set(None);
        if self.cart.with_untracked(Option::is_none)
            && let Some(snapshot) = self.api.with_value(CartApi::remembered_cart)
        {
            self.stale.set(true);
            self.cart.set(Some(snapshot));
        }
        self.fetch_cart(Some(self.load_error));
    }

    /// Fetches the cart again, quietly (another tab changed it, or the page
    /// came back from the back/forward cache).
    pub fn refresh(self) {
        self.fetch_cart(None);
    }

    /// Fetches the cart once so what is shown is what the server has.
    fn reconcile(self) {
        self.fetch_cart(Some(self.action_error));
    }

    /// Fetches the cart and shows it; a failure goes to `error_slot` (and
    /// the listeners), or only to the console when there is none.
    fn fetch_cart(self, error_slot: Option<RwSignal<Option<ApiError>>>) {
        let api = self.api.get_value();
        spawn_local(async move {
            match api.current_cart().await {
                Ok(cart) => self.accept(cart.unwrap_or_default()),
                Err(error) => match error_slot {
                    Some(slot) => {
                        if self.stale.get_untracked() {
                            // Unconfirmed, it would stand for the cart with
                            // no way to retry: the failure shows instead.
                            self.stale.set(false);
                            self.cart.set(None);
                        }
                        self.report(&error);
                        slot.set(Some(error));
                    }
                    None => leptos::logging::warn!("cart widget: refresh failed: {error}"),
                },
            }
        });
    }

    /// Tells the listeners about a failed request.
    fn report(&self, error: &ApiError) {
        (self.listeners.on_error)(error);
    }

    /// Takes a cart a change of this tab produced, and tells the listeners.
    fn accept_change(self, cart: Cart) {
        self.accept(cart);
        (self.listeners.on_local_change)();
    }

    /// Takes a cart from the server unless it is older than the one shown
    /// (a slow load answering after a faster add); a snapshot shown is
    /// always replaced.
    fn accept(self, incoming: Cart) {
        let stale = self.stale.get_untracked();
        let newer = self
            .cart
            .with_untracked(|shown| replaces(&incoming, shown.as_ref(), stale));
        if newer {
            self.stale.set(false);
            self.load_error.set(None);
            self.cart.set(Some(incoming));
            self.refresh_estimate();
        }
    }
}

/// Whether a cart from the server replaces the one shown: always when what
/// is shown is the stored snapshot (`stale`: whatever its revision, it is
/// not the server's word), else unless it is older.
pub fn replaces(incoming: &Cart, shown: Option<&Cart>, stale: bool) -> bool {
    stale || shown.is_none_or(|shown| !is_older(incoming, shown))
}

/// Whether `incoming` is an older revision of the cart than `shown`.
/// Carts without a revision, or different carts, are never "older".
pub fn is_older(incoming: &Cart, shown: &Cart) -> bool {
    let revision = |cart: &Cart| cart.revision.as_deref().and_then(|r| r.parse::<i64>().ok());
    incoming.id == shown.id
        && matches!((revision(incoming), revision(shown)), (Some(a), Some(b)) if a < b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cart(id: &str, revision: Option<&str>) -> Cart {
        Cart {
            id: Some(id.into()),
            revision: revision.map(Into::into),
            ..Cart::default()
        }
    }

    #[test]
    fn an_older_revision_of_the_same_cart_is_older() {
        assert!(is_older(&cart("a", Some("2")), &cart("a", Some("3"))));
        assert!(!is_older(&cart("a", Some("3")), &cart("a", Some("3"))));
        assert!(!is_older(&cart("a", Some("4")), &cart("a", Some("3"))));
    }

    #[test]
    fn the_servers_answer_always_replaces_a_stored_snapshot() {
        let snapshot = cart("a", Some("9"));
        assert!(replaces(&cart("a", Some("3")), Some(&snapshot), true));
        assert!(!replaces(&cart("a", Some("3")), Some(&snapshot), false));
        assert!(replaces(&Cart::default(), Some(&snapshot), true));
        assert!(replaces(&cart("a", Some("3")), None, false));
    }

    #[test]
    fn without_revisions_or_across_carts_nothing_is_older() {
        assert!(!is_older(&cart("a", None), &cart("a", Some("3"))));
        assert!(!is_older(&cart("b", Some("1")), &cart("a", Some("3"))));
    }
}
