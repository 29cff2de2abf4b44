use leptos::prelude::*;

use crate::components::unique_id;
use crate::i18n::fill;
use crate::state::{CartState, NOTE_LIMIT, NoteStatus};

/// Pause in typing after which the note is saved (leaving the field saves at once).
const SAVE_AFTER_MS: u64 = 1000;

/// A note for the seller (gift message, delivery instructions), at most
/// `NOTE_LIMIT` characters with a live counter, saved to the cart. What the
/// shopper types is never overwritten, and stays when saving fails.
#[component]
pub fn BuyerNote(
    /// Shared cart state.
    state: CartState,
) -> impl IntoView {
    let id = unique_id().to_string();
    let (field_id, counter_id) = (
        "cw-note-".to_owned() + &id,
        "cw-note-count-".to_owned() + &id,
    );
    let saved_note = move || {
        state
            .cart
            .with(|cart| cart.as_ref().and_then(|c| c.buyer_note.clone()))
            .unwrap_or_default()
    };
    // What the shopper typed and the cart does not have yet.
    let draft = RwSignal::new(None::<String>);
    let focused = RwSignal::new(false);
    let text = move || draft.get().unwrap_or_else(saved_note);
    let generation = StoredValue::new(0_u64);
    let save = move || {
        if let Some(note) = draft.get_untracked() {
            state.save_note(note.chars().take(NOTE_LIMIT).collect());
        }
    };
    let on_input = move |value: String| {
        draft.set(Some(value));
        let ticket = generation.try_update_value(|g| {
            *g += 1;
            *g
        });
        set_timeout(
            move || {
                if ticket == Some(generation.get_value()) {
                    save();
                }
            },
            std::time::Duration::from_millis(SAVE_AFTER_MS),
        );
    };
    // Once saved and left, the field follows the cart again (other tabs' edits).
    Effect::new(move || {
        let settled = state.note.get() == NoteStatus::Saved
            && !focused.get()
            && draft.with(|d| d.as_deref() == Some(saved_note().as_str()));
        if settled {
            draft.set(None);
        }
    });
    let count = move || {
        fill(
            state.t().note_counter,
            &[&text().chars().count().to_string(), &NOTE_LIMIT.to_string()],
        )
    };
    let status = move || match state.note.get() {
        // Empty text, not `None` (see `ConnectionNotice`).
        NoteStatus::Saving => state.t().note_saving,
        NoteStatus::Saved => state.t().note_saved,
        _ => "",
    };
    let failure = move || match state.note.get() {
        NoteStatus::NotSaved(reason) => Some(fill(state.t().note_not_saved, &[&reason])),
        _ => None,
    };
    view! {
        <div class="cw-note">
            <label class="cw-note-label" for=field_id.clone()>{move || state.t().note_label}</label>
            <textarea
                id=field_id
                class="cw-note-input"
                data-testid="buyer-note"
                rows="3"
                maxlength=NOTE_LIMIT.to_string()
                placeholder=move || state.t().note_hint
                aria-describedby=counter_id.clone()
                prop:value=text
                on:input:target=move |event| on_input(event.target().value())
                on:focus=move |_| focused.set(true)
                on:blur=move |_| {
                    focused.set(false);
                    save();
                }
            ></textarea>
            <p class="cw-note-meta">
                <span id=counter_id data-testid="note-counter">{count}</span>
                " "
                <span role="status" data-testid="note-status">{status}</span>
            </p>
            <p class="cw-error" role="alert" data-testid="note-error">{failure}</p>
        </div>
    }
}
