//! Cart state shared by every mounted view, and the actions that change it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use std::time::Duration;

use crate::api::{CartApi, local_storage};
use crate::config::WidgetConfig;
use crate::destination::Destination;
use crate::error::ApiError;
use crate::i18n::{Lang, Messages, fill};
use crate::line_map::LineMap;
use crate::pending::{Answer, Batch, Debounce, PendingQueue, Quantities};
use crate::wire::answers::{Cart, Estimate, ShippingOffer};
use crate::wire::json::Json;
use crate::wire::requests;

/// Quantity changes go out together once the shopper pauses this long…
pub const COALESCE_WINDOW: Duration = Duration::from_millis(300);
/// …or at the latest this long after the first of them.
pub const COALESCE_MAX_WAIT: Duration = Duration::from_millis(2000);

/// How long Undo is offered after a removal.
pub const UNDO_TIME: Duration = Duration::from_secs(8);

/// The longest buyer note the API takes, in characters.
pub const NOTE_LIMIT: usize = cart_wire::MAX_BUYER_NOTE_LENGTH;

/// Retries of unsent changes wait this long, doubling up to `RETRY_MAX`
/// (and happen at once when the browser says it is back online).
const RETRY_FIRST: Duration = Duration::from_secs(2);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// Where the shopper's destination is remembered between visits.
const DESTINATION_KEY: &str = "cart-widget:destination";

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

/// A line the shopper removed, kept so Undo can put back the same item and quantity.
#[derive(Clone, Debug, PartialEq)]
pub struct RemovedLine {
    pub name: String,
    /// The line item to add back: `{catalogReference, quantity}`.
    pub item: Json,
    /// Where the line was shown, so Undo puts it back there.
    pub position: usize,
}

/// A message shown on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineMessage {
    /// The server set the quantity lower than asked: this many are available.
    Clamped { available: u32 },
    /// The change failed and the line shows the server's quantity again.
    /// `asked` is the quantity that was asked for: the server may have made
    /// the change after all (a garbled answer), and the reconciling fetch
    /// then shows it, so the message is only shown while the quantities differ.
    NotSaved { reason: String, asked: Option<u32> },
}

/// Name of the DOM event a host page dispatches to add an item.
pub const ADD_EVENT: &str = "cart:add";

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

/// The cart as the server last returned it, plus request status.
#[derive(Clone, Copy)]
pub struct CartState {
    /// Server truth; `None` until the first load answers.
    pub cart: RwSignal<Option<Cart>>,
    /// Why the first load failed, if it did.
    pub load_error: RwSignal<Option<ApiError>>,
    /// Why the last change failed, if it did.
    pub action_error: RwSignal<Option<ApiError>>,
    /// Additions sent and not answered yet.
    pub pending: RwSignal<u32>,
    /// Quantity changes not confirmed by the server yet.
    pub queue: RwSignal<PendingQueue>,
    /// A message per line id (clamped, not saved).
    pub line_messages: RwSignal<LineMap<LineMessage>>,
    /// Lines being removed: hidden at once, back if the removal fails.
    pub hidden: RwSignal<Vec<String>>,
    /// The last removal, while Undo is offered.
    pub undo: RwSignal<Option<RemovedLine>>,
    /// Lines put back by Undo, each shown at its old position (the API adds
    /// lines at the end) for as long as this page lives; in Undo order.
    placed: RwSignal<Vec<(String, usize)>>,
    /// The latest estimate of totals; stale while the cart has moved on.
    pub estimate: RwSignal<Option<Estimate>>,
    /// Why the last coupon could not be applied or removed, in words.
    pub coupon_error: RwSignal<Option<String>>,
    /// A coupon request is on its way.
    pub coupon_pending: RwSignal<bool>,
    /// Why checkout could not start.
    pub checkout_error: RwSignal<Option<String>>,
    /// Checkout is being created.
    pub checking_out: RwSignal<bool>,
    /// Where totals are estimated for.
    pub destination: RwSignal<Destination>,
    /// Where the buyer note stands.
    pub note_status: RwSignal<NoteStatus>,
    /// The server could not be reached: changes wait and are retried.
    pub offline: RwSignal<bool>,
    retry_delay: StoredValue<Duration>,
    /// Tells the site's other tabs that the cart changed.
    tabs: StoredValue<Option<web_sys::BroadcastChannel>, LocalStorage>,
    estimate_seq: StoredValue<u64>,
    config: StoredValue<WidgetConfig>,
    debounce: StoredValue<Debounce>,
    api: StoredValue<CartApi>,
}

impl CartState {
    pub fn new(config: WidgetConfig) -> Self {
        let api = CartApi::new(config.clone());
        Self {
            cart: RwSignal::new(None),
            load_error: RwSignal::new(None),
            action_error: RwSignal::new(None),
            pending: RwSignal::new(0),
            queue: RwSignal::new(PendingQueue::default()),
            line_messages: RwSignal::new(LineMap::new()),
            hidden: RwSignal::new(Vec::new()),
            undo: RwSignal::new(None),
            placed: RwSignal::new(Vec::new()),
            estimate: RwSignal::new(None),
            coupon_error: RwSignal::new(None),
            coupon_pending: RwSignal::new(false),
            checkout_error: RwSignal::new(None),
            checking_out: RwSignal::new(false),
            destination: RwSignal::new(initial_destination(&config)),
            note_status: RwSignal::new(NoteStatus::Idle),
            offline: RwSignal::new(false),
            retry_delay: StoredValue::new(RETRY_FIRST),
            tabs: StoredValue::new_local(None),
            estimate_seq: StoredValue::new(0),
            config: StoredValue::new(config.clone()),
            debounce: StoredValue::new(Debounce::new(COALESCE_MAX_WAIT.as_secs_f64() * 1000.0)),
            api: StoredValue::new(api),
        }
    }

    /// Ids of the lines to show: the server's, less those being removed.
    pub fn visible_line_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.hidden.with(|hidden| {
            self.cart.with(|cart| {
                cart.iter()
                    .flat_map(|cart| cart.line_items.iter().filter_map(|line| line.id.clone()))
                    .filter(|id| !hidden.contains(id))
                    .collect()
            })
        });
        self.placed.with(|placed| {
            for line in placed {
                place_line(&mut ids, line);
            }
        });
        ids
    }

    fn visible_line_ids_untracked(&self) -> Vec<String> {
        untrack(|| self.visible_line_ids())
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

    /// Loads the visitor's cart (no cart yet is an empty cart).
    pub fn load(self) {
        self.load_error.set(None);
        self.fetch_cart(Some(self.load_error));
    }

    /// Fetches the cart again, quietly (another tab changed it, or the page
    /// came back from the back/forward cache).
    pub fn refresh(self) {
        self.fetch_cart(None);
    }

    /// Fetches the cart and shows it; a failure goes to `error_slot` (and
    /// the page), or only to the console when there is none.
    fn fetch_cart(self, error_slot: Option<RwSignal<Option<ApiError>>>) {
        let api = self.api.get_value();
        spawn_local(async move {
            match api.current_cart().await {
                Ok(cart) => self.accept(cart.unwrap_or_default()),
                Err(error) => match error_slot {
                    Some(slot) => {
                        self.report(&error);
                        slot.set(Some(error));
                    }
                    None => leptos::logging::warn!("cart widget: refresh failed: {error}"),
                },
            }
        });
    }

    /// Adds an item; the cart shows the server's answer.
    pub fn add(self, item: Json) {
        self.add_at(item, None);
    }

    /// Adds an item; with a position, the line it becomes is shown there.
    fn add_at(self, item: Json, position: Option<usize>) {
        self.action_error.set(None);
        self.pending.update(|n| *n += 1);
        let placing = position.map(|position| (item.get("catalogReference").clone(), position));
        let api = self.api.get_value();
        spawn_local(async move {
            let result = api.add_to_cart(item).await;
            self.pending.update(|n| *n -= 1);
            match result {
                Ok(cart) => {
                    if let Some((reference, position)) = placing {
                        // A new line, not one the item was merged into.
                        let shown = self.visible_line_ids_untracked();
                        let added = cart
                            .line_items
                            .iter()
                            .find(|line| line.catalog_reference == reference)
                            .and_then(|line| line.id.clone())
                            .filter(|id| !shown.contains(id));
                        if let Some(id) = added {
                            self.placed.update(|placed| placed.push((id, position)));
                        }
                    }
                    self.accept_change(cart);
                }
                Err(error) => {
                    self.report(&error);
                    self.action_error.set(Some(error));
                }
            }
        });
    }

    /// Whether anything the shopper did is not confirmed yet: totals are
    /// then shown as pending and checkout waits.
    pub fn is_busy(&self) -> bool {
        self.pending.get() > 0
            || self.coupon_pending.get()
            || self.queue.with(PendingQueue::is_busy)
            || !self.hidden.with(Vec::is_empty)
    }

    /// Whether the estimate matches the cart as it is (same revision, nothing pending).
    pub fn estimate_is_current(&self) -> bool {
        !self.is_busy()
            && self.estimate.with(|estimate| {
                self.cart.with(|cart| match (estimate, cart) {
                    (Some(estimate), Some(cart)) => estimate.cart_revision == cart.revision,
                    _ => false,
                })
            })
    }

    /// Asks for fresh totals once nothing is pending; only the newest answer counts.
    fn refresh_estimate(self) {
        if untrack(|| self.is_busy()) {
            return; // the change that is pending refreshes it when it settles
        }
        if self
            .cart
            .with_untracked(|cart| cart.as_ref().is_none_or(|cart| cart.line_items.is_empty()))
        {
            // Nothing to estimate (and a visitor without a cart would get 404).
            self.estimate.set(None);
            return;
        }
        let seq = self.estimate_seq.try_update_value(|seq| {
            *seq += 1;
            *seq
        });
        let api = self.api.get_value();
        let address = self.destination.with_untracked(Destination::to_address);
        spawn_local(async move {
            let result = api.estimate_totals(address.as_ref()).await;
            if seq != Some(self.estimate_seq.get_value()) {
                return;
            }
            match result {
                Ok(estimate) => self.estimate.set(Some(estimate)),
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
        self.destination.set(destination);
        self.refresh_estimate();
    }

    /// The shopper picked a shipping option: saved on the cart (checkout
    /// uses it), then totals estimated with it.
    pub fn choose_shipping(self, offer: &ShippingOffer) {
        let body = requests::selected_shipping(&offer.code, offer.carrier_id.as_deref());
        self.update_cart(body, None);
    }

    /// Saves the buyer note, unless it is what the cart has already.
    pub fn save_note(self, note: String) {
        let unchanged = self.cart.with_untracked(|cart| {
            cart.as_ref()
                .is_some_and(|cart| cart.buyer_note.as_deref().unwrap_or_default() == note)
        });
        if unchanged && self.note_status.get_untracked() != NoteStatus::Saving {
            return;
        }
        self.note_status.set(NoteStatus::Saving);
        self.update_cart(requests::buyer_note(&note), Some(self.note_status));
    }

    /// PATCHes the cart with `body` (from `wire::requests`); how it went goes to `status` when
    /// given, else to the widget's error line.
    fn update_cart(self, body: Json, status: Option<RwSignal<NoteStatus>>) {
        self.pending.update(|n| *n += 1);
        let api = self.api.get_value();
        spawn_local(async move {
            let result = api.update_cart(body).await;
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
        self.coupon_mutation(
            String::new(),
            |api| async move { api.remove_coupon().await },
        );
    }

    fn coupon_mutation<F, Fut>(self, code: String, request: F)
    where
        F: FnOnce(CartApi) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<Cart, ApiError>> + 'static,
    {
        self.coupon_error.set(None);
        self.coupon_pending.set(true);
        let api = self.api.get_value();
        spawn_local(async move {
            let result = request(api).await;
            self.coupon_pending.set(false);
            match result {
                Ok(cart) => self.accept_change(cart),
                Err(error) => {
                    self.report(&error);
                    self.coupon_error.set(Some(crate::messages::coupon_error(
                        self.t(),
                        &error,
                        &code,
                    )));
                }
            }
        });
    }

    /// Creates the checkout and sends the shopper to it. Waits for nothing:
    /// the button is disabled while changes are pending.
    pub fn checkout(self) {
        if untrack(|| self.is_busy()) || self.checking_out.get_untracked() {
            return;
        }
        self.checkout_error.set(None);
        self.checking_out.set(true);
        let api = self.api.get_value();
        spawn_local(async move {
            let result = api.create_checkout().await;
            match result {
                Ok(checkout) => {
                    let page = self.config.with_value(|config| {
                        config
                            .checkout_page(checkout.checkout_url.as_deref(), &checkout.checkout_id)
                    });
                    match page {
                        Some(url) => {
                            let _ = window().location().assign(&url);
                        }
                        None => self
                            .checkout_error
                            .set(Some(self.t().checkout_not_set_up.to_owned())),
                    }
                }
                Err(error) => {
                    self.report(&error);
                    self.checkout_error
                        .set(Some(fill(self.t().checkout_failed, &[&error.to_string()])));
                }
            }
            self.checking_out.set(false);
        });
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

    /// Tells the host page (`cart:error`) about a failed request.
    fn report(&self, error: &ApiError) {
        use crate::page_events::{ERROR_EVENT, ErrorDetail, dispatch};
        dispatch(ERROR_EVENT, &ErrorDetail::of(error).to_json());
    }

    /// The quantity to show for a line: the shopper's newest ask, else the server's.
    pub fn shown_quantity(&self, line_id: &str, server: u32) -> u32 {
        self.queue.with(|queue| queue.shown(line_id, server))
    }

    /// The shopper wants `quantity` of a line: shown at once, sent together
    /// with the other changes once the shopper pauses.
    pub fn set_quantity(self, line_id: &str, quantity: u32) {
        self.line_messages.update(|messages| {
            messages.remove(line_id);
        });
        self.queue.update(|queue| queue.set(line_id, quantity));
        let ticket = self
            .debounce
            .try_update_value(|d| d.touch(js_sys::Date::now()))
            .unwrap_or_default();
        set_timeout(
            move || {
                let due = self
                    .debounce
                    .try_update_value(|d| d.due(ticket, js_sys::Date::now()));
                if due == Some(true)
                    && let Some(batch) = self.queue.try_update(PendingQueue::flush).flatten()
                {
                    self.send_batch(batch);
                }
            },
            COALESCE_WINDOW,
        );
    }

    /// Sends the changes waiting (after a failed attempt to reach the server).
    fn flush_now(self) {
        if let Some(batch) = self.queue.try_update(PendingQueue::flush).flatten() {
            self.send_batch(batch);
        }
    }

    /// Tries the waiting changes again after a growing pause.
    fn retry_later(self) {
        let delay = self.retry_delay.get_value();
        self.retry_delay.set_value((delay * 2).min(RETRY_MAX));
        set_timeout(move || self.flush_now(), delay);
    }

    fn send_batch(self, batch: Batch) {
        let api = self.api.get_value();
        spawn_local(async move {
            let lines: Vec<(String, u32)> =
                batch.lines.iter().map(|(id, q)| (id.clone(), *q)).collect();
            let result = api.update_quantities(&lines).await;
            let server: Quantities = match &result {
                Ok(cart) => cart
                    .line_items
                    .iter()
                    .filter_map(|line| Some((line.id.clone()?, line.quantity)))
                    .collect(),
                Err(_) => Quantities::new(),
            };
            let answer = match &result {
                Ok(_) => Answer::Saved(&server),
                Err(error) if error.is_unreachable() => Answer::Unreachable,
                Err(_) => Answer::Refused,
            };
            let settled = self
                .queue
                .try_update(|queue| queue.settle(batch.seq, answer))
                .unwrap_or_default();
            if let Err(error) = &result {
                self.report(error);
            }
            self.offline.set(settled.retry);
            if settled.retry {
                self.retry_later();
            } else {
                self.retry_delay.set_value(RETRY_FIRST);
            }
            let failure = result.as_ref().err().map(ToString::to_string);
            if let Ok(cart) = result {
                self.accept_change(cart);
            }
            self.line_messages.update(|messages| {
                for line in &settled.rolled_back {
                    let reason = failure.clone().unwrap_or_default();
                    let asked = batch.lines.get(line).copied();
                    messages.insert(line.clone(), LineMessage::NotSaved { reason, asked });
                }
                for (line, _, available) in &settled.clamped {
                    messages.insert(
                        line.clone(),
                        LineMessage::Clamped {
                            available: *available,
                        },
                    );
                }
            });
            if let Some(next) = settled.next {
                self.send_batch(next);
            }
            if settled.reconcile {
                self.reconcile();
            }
        });
    }

    /// Removes a line: hidden at once, Undo offered once the server agrees;
    /// if it does not, the line comes back with a message.
    pub fn remove_line(self, line_id: &str) {
        let Some(line) = self.cart.with_untracked(|cart| {
            cart.as_ref()?
                .line_items
                .iter()
                .find(|line| line.id.as_deref() == Some(line_id))
                .cloned()
        }) else {
            return;
        };
        let id = line_id.to_owned();
        let position = self
            .visible_line_ids_untracked()
            .iter()
            .position(|shown| *shown == id)
            .unwrap_or(usize::MAX);
        self.queue.update(|queue| queue.forget(&id));
        self.hidden.update(|hidden| hidden.push(id.clone()));
        let removed = RemovedLine {
            name: line.name.clone(),
            item: requests::line_item(
                line.catalog_reference.clone(),
                self.shown_quantity(&id, line.quantity),
            ),
            position,
        };
        let api = self.api.get_value();
        spawn_local(async move {
            let result = api.remove_line_items(std::slice::from_ref(&id)).await;
            // Settled either way; unhidden first so the new totals are asked for.
            self.hidden
                .update(|hidden| hidden.retain(|hidden| *hidden != id));
            match result {
                Ok(cart) => {
                    self.accept_change(cart);
                    self.undo.set(Some(removed.clone()));
                    set_timeout(
                        move || {
                            // Only this removal's offer expires, not a later one's.
                            if self
                                .undo
                                .with_untracked(|undo| undo.as_ref() == Some(&removed))
                            {
                                self.undo.set(None);
                            }
                        },
                        UNDO_TIME,
                    );
                }
                Err(error) => {
                    self.report(&error);
                    self.line_messages.update(|messages| {
                        messages.insert(
                            id.clone(),
                            LineMessage::NotSaved {
                                reason: error.to_string(),
                                asked: None,
                            },
                        );
                    });
                }
            }
        });
    }

    /// Puts back the last removed line, same item and quantity.
    pub fn undo_remove(self) {
        if let Some(removed) = self.undo.try_update(Option::take).flatten() {
            self.add_at(removed.item, Some(removed.position));
        }
    }

    /// Fetches the cart once so what is shown is what the server has.
    fn reconcile(self) {
        self.fetch_cart(Some(self.action_error));
    }

    /// Takes a cart a change of this tab produced, and tells the other tabs.
    fn accept_change(self, cart: Cart) {
        self.accept(cart);
        self.tabs.with_value(|tabs| {
            if let Some(tabs) = tabs {
                let _ = tabs.post_message(&wasm_bindgen::JsValue::from_str("changed"));
            }
        });
    }

    /// Takes a cart from the server unless it is older than the one shown
    /// (a slow load answering after a faster add).
    fn accept(self, incoming: Cart) {
        let newer = self.cart.with_untracked(|shown| {
            shown
                .as_ref()
                .is_none_or(|shown| !is_older(&incoming, shown))
        });
        if newer {
            self.load_error.set(None);
            self.cart.set(Some(incoming));
            self.refresh_estimate();
        }
    }

    /// Keeps this tab in step with the rest of the browser: other tabs'
    /// changes (BroadcastChannel), the back/forward cache, and the
    /// connection coming back.
    pub fn stay_in_sync(self) {
        let name = self
            .config
            .with_value(|config| format!("cart-widget:{}@{}", config.client_id, config.api_base));
        if let Ok(channel) = web_sys::BroadcastChannel::new(&name) {
            let on_message =
                wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || self.refresh());
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            // Lives as long as the page, like the channel.
            on_message.forget();
            self.tabs.set_value(Some(channel));
        }
        let _ = window_event_listener_untyped("pageshow", move |event| {
            let restored = event
                .dyn_ref::<web_sys::PageTransitionEvent>()
                .is_some_and(web_sys::PageTransitionEvent::persisted);
            if restored {
                self.refresh();
            }
        });
        let _ = window_event_listener_untyped("online", move |_| {
            self.retry_delay.set_value(RETRY_FIRST);
            self.flush_now();
        });
    }

    /// Listens for `cart:add` events from the host page for the page's lifetime.
    pub fn listen_for_page_events(self) {
        // The listener lives as long as the page; its handle is not kept.
        let _ = window_event_listener_untyped(ADD_EVENT, move |event| {
            let detail = event
                .dyn_ref::<web_sys::CustomEvent>()
                .map(|event| event.detail())
                .and_then(|detail| js_sys::JSON::stringify(&detail).ok())
                .and_then(|json| json.as_string())
                .unwrap_or_default();
            match parse_add_detail(&detail) {
                Ok(item) => self.add(item),
                Err(reason) => {
                    leptos::logging::warn!("cart widget: ignored {ADD_EVENT} event: {reason}")
                }
            }
        });
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

/// Shows the line `placed.0` (when it is shown at all) at position
/// `placed.1`, or last when the list is shorter.
pub fn place_line(ids: &mut Vec<String>, (id, position): &(String, usize)) {
    if let Some(at) = ids.iter().position(|shown| shown == id) {
        let id = ids.remove(at);
        ids.insert((*position).min(ids.len()), id);
    }
}

/// Whether `incoming` is an older revision of the cart than `shown`.
/// Carts without a revision, or different carts, are never "older".
pub fn is_older(incoming: &Cart, shown: &Cart) -> bool {
    let revision = |cart: &Cart| cart.revision.as_deref().and_then(|r| r.parse::<i64>().ok());
    incoming.id == shown.id
        && matches!((revision(incoming), revision(shown)), (Some(a), Some(b)) if a < b)
}

/// Reads a `cart:add` detail (as JSON) into the line item to add:
/// `{catalogReference: {catalogItemId, appId, options?}, quantity?}`, one
/// unit when no quantity is given.
pub fn parse_add_detail(json: &str) -> Result<Json, String> {
    const SHAPE: &str = "detail must be {catalogReference: {catalogItemId, appId}, quantity?}";
    let detail = Json::parse(json).map_err(|error| format!("{SHAPE}: {error}"))?;
    let reference = detail.get("catalogReference");
    if reference.get("catalogItemId").as_str().is_none()
        || reference.get("appId").as_str().is_none()
    {
        return Err(SHAPE.to_owned());
    }
    let quantity = match detail.get("quantity") {
        Json::Null => 1,
        quantity => quantity
            .as_u32()
            .filter(|quantity| *quantity > 0)
            .ok_or_else(|| format!("{SHAPE}: quantity must be a whole number above 0"))?,
    };
    Ok(requests::line_item(reference.clone(), quantity))
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
    fn without_revisions_or_across_carts_nothing_is_older() {
        assert!(!is_older(&cart("a", None), &cart("a", Some("3"))));
        assert!(!is_older(&cart("b", Some("1")), &cart("a", Some("3"))));
    }

    #[test]
    fn a_line_put_back_shows_where_it_was() {
        let ids = |list: &[&str]| list.iter().map(|id| (*id).to_owned()).collect::<Vec<_>>();
        let mut shown = ids(&["b", "c", "a"]);
        place_line(&mut shown, &("a".into(), 0));
        assert_eq!(shown, ids(&["a", "b", "c"]));
        place_line(&mut shown, &("a".into(), 9));
        assert_eq!(shown, ids(&["b", "c", "a"]), "past the end: last");
        place_line(&mut shown, &("gone".into(), 0));
        assert_eq!(
            shown,
            ids(&["b", "c", "a"]),
            "a line no longer shown: nothing moves"
        );
    }

    #[test]
    fn add_details_default_to_one_unit() {
        let item =
            parse_add_detail(r#"{"catalogReference":{"catalogItemId":"x","appId":"y"}}"#).unwrap();
        assert_eq!(
            item.to_json(),
            r#"{"catalogReference":{"catalogItemId":"x","appId":"y"},"quantity":1}"#
        );
        let item = parse_add_detail(
            r#"{"catalogReference":{"catalogItemId":"x","appId":"y","options":{"a":[1]}},"quantity":3}"#,
        )
        .unwrap();
        assert_eq!(
            item.to_json(),
            r#"{"catalogReference":{"catalogItemId":"x","appId":"y","options":{"a":[1]}},"quantity":3}"#
        );
    }

    #[test]
    fn add_details_without_a_reference_are_refused() {
        assert!(parse_add_detail(r#"{"quantity":3}"#).is_err());
        assert!(parse_add_detail(r#"{"catalogReference":{"catalogItemId":"x"}}"#).is_err());
        assert!(
            parse_add_detail(
                r#"{"catalogReference":{"catalogItemId":"x","appId":"y"},"quantity":0}"#
            )
            .is_err()
        );
        assert!(parse_add_detail("null").is_err());
    }
}
