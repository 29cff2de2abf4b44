//! The cart's lines: adding an item, removing a line (hidden at once, Undo
//! offered once the server agrees), putting it back where it was, and the
//! message a line shows when a change to it was clamped or not saved.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::CartState;
use crate::line_map::LineMap;
use crate::wire::json::Json;
use crate::wire::requests;

/// How long Undo is offered after a removal.
pub const UNDO_TIME: Duration = Duration::from_secs(8);

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

/// What the lines show beyond the server's cart.
#[derive(Clone, Copy)]
pub struct Lines {
    /// A message per line id (clamped, not saved).
    pub messages: RwSignal<LineMap<LineMessage>>,
    /// Lines being removed: hidden at once, back if the removal fails.
    pub hidden: RwSignal<Vec<String>>,
    /// The last removal, while Undo is offered.
    pub undo: RwSignal<Option<RemovedLine>>,
    /// How many of `add`'s additions the server confirmed (Undo's put-backs
    /// are not counted): a drawer opens each time it grows.
    pub added: RwSignal<u32>,
    /// Lines put back by Undo, each shown at its old position (the API adds
    /// lines at the end) for as long as this page lives; in Undo order.
    placed: RwSignal<Vec<(String, usize)>>,
    /// Additions not yet answered, in the order they were asked for; the
    /// first is the one in flight. They go one at a time: the API appends
    /// each new line at the end, and two requests in flight at once may
    /// reach the server either way round, listing the second item first.
    adds: StoredValue<Vec<(Json, Option<usize>)>>,
}

impl Lines {
    pub(super) fn new() -> Self {
        Self {
            messages: RwSignal::new(LineMap::new()),
            hidden: RwSignal::new(Vec::new()),
            undo: RwSignal::new(None),
            added: RwSignal::new(0),
            placed: RwSignal::new(Vec::new()),
            adds: StoredValue::new(Vec::new()),
        }
    }
}

impl CartState {
    /// Ids of the lines to show: the server's, less those being removed.
    pub fn visible_line_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.lines.hidden.with(|hidden| {
            self.cart.with(|cart| {
                cart.iter()
                    .flat_map(|cart| cart.line_items.iter().filter_map(|line| line.id.clone()))
                    .filter(|id| !hidden.contains(id))
                    .collect()
            })
        });
        self.lines.placed.with(|placed| {
            for line in placed {
                place_line(&mut ids, line);
            }
        });
        ids
    }

    fn visible_line_ids_untracked(&self) -> Vec<String> {
        untrack(|| self.visible_line_ids())
    }

    /// Adds an item (`{catalogReference, quantity}`); the cart shows the server's answer.
    pub fn add(self, item: Json) {
        self.add_at(item, None);
    }

    /// Adds an item; with a position, the line it becomes is shown there.
    /// It is sent when the additions asked for before it are answered.
    fn add_at(self, item: Json, position: Option<usize>) {
        self.action_error.set(None);
        self.pending.update(|n| *n += 1);
        let first = self.lines.adds.try_update_value(|adds| {
            adds.push((item, position));
            adds.len() == 1
        });
        if first == Some(true) {
            self.send_first_add();
        }
    }

    /// Sends the first waiting addition, then the next when it is answered.
    fn send_first_add(self) {
        let Some((item, position)) = self.lines.adds.with_value(|adds| adds.first().cloned())
        else {
            return;
        };
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
                            self.lines
                                .placed
                                .update(|placed| placed.push((id, position)));
                        }
                    }
                    self.accept_change(cart);
                    if position.is_none() {
                        self.lines.added.update(|added| *added += 1);
                    }
                }
                Err(error) => {
                    self.report(&error);
                    self.action_error.set(Some(error));
                }
            }
            let more = self.lines.adds.try_update_value(|adds| {
                if !adds.is_empty() {
                    adds.remove(0);
                }
                !adds.is_empty()
            });
            if more == Some(true) {
                self.send_first_add();
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
        self.quantities.queue.update(|queue| queue.forget(&id));
        self.lines.hidden.update(|hidden| hidden.push(id.clone()));
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
            self.lines
                .hidden
                .update(|hidden| hidden.retain(|hidden| *hidden != id));
            match result {
                Ok(cart) => {
                    self.accept_change(cart);
                    self.offer_undo(removed);
                }
                Err(error) => {
                    self.report(&error);
                    self.lines.messages.update(|messages| {
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

    /// Offers Undo of `removed` for `UNDO_TIME`.
    fn offer_undo(self, removed: RemovedLine) {
        let undo = self.lines.undo;
        undo.set(Some(removed.clone()));
        set_timeout(
            move || {
                // Only this removal's offer expires, not a later one's.
                if undo.with_untracked(|undo| undo.as_ref() == Some(&removed)) {
                    undo.set(None);
                }
            },
            UNDO_TIME,
        );
    }

    /// Puts back the last removed line, same item and quantity.
    pub fn undo_remove(self) {
        if let Some(removed) = self.lines.undo.try_update(Option::take).flatten() {
            self.add_at(removed.item, Some(removed.position));
        }
    }
}

/// Shows the line `placed.0` (when it is shown at all) at position
/// `placed.1`, or last when the list is shorter.
pub fn place_line(ids: &mut Vec<String>, (id, position): &(String, usize)) {
    if let Some(at) = ids.iter().position(|shown| shown == id) {
        let id = ids.remove(at);
        ids.insert((*position).min(ids.len()), id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
