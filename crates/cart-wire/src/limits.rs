//! Limits and thresholds both the widget and the server apply, defined once.
//!
//! The server refuses values past these limits with a validation error; the
//! widget keeps the shopper inside them so a request is never refused for it.

/// The largest quantity of one line item.
pub const MAX_QUANTITY: u32 = 100_000;

/// The most line items one cart holds (the API's own limit).
pub const MAX_LINE_ITEMS: usize = 300;

/// The most line items one request may add, change or remove.
pub const MAX_ITEMS_PER_REQUEST: usize = 100;

/// The longest buyer note (and other free `cartInfo` text), in characters.
pub const MAX_BUYER_NOTE_LENGTH: usize = 1000;

/// Stock at or below which a line says "Only N left" (widget) and the
/// estimate carries a `WARNING` violation (server), so both say the same.
pub const LOW_STOCK_THRESHOLD: u32 = 5;

/// The largest `catalogReference.options` one line may carry, as JSON bytes:
/// a variant, choices and custom text fields fit many times over, and a
/// visitor cannot make one cart huge (300 lines × this at most).
pub const MAX_OPTIONS_BYTES: usize = 4_000;

/// The deepest nesting of `catalogReference.options` (Wix's own are 3 deep:
/// `options.options.Size`); well under what any JSON reader refuses.
pub const MAX_OPTIONS_DEPTH: usize = 8;

/// The longest value of one custom text field (Wix Stores' limit is 500).
pub const MAX_CUSTOM_TEXT_LENGTH: usize = 500;

/// The largest price a custom line item may have, in the cart's currency:
/// far above any real price, far below where decimal arithmetic overflows
/// when multiplied by `MAX_QUANTITY` and summed over `MAX_LINE_ITEMS`.
pub const MAX_PRICE: u64 = 1_000_000_000;

/// The largest a cart may be as stored (its content as JSON bytes: lines
/// with their options and custom items, note, address…). Each field has its
/// own bound, but 300 lines of 4 KB options would still make one cart (and
/// every answer about it) well over a megabyte; 300 lines each with a
/// variant, two choices and the longest engraving (2-byte characters) fit.
pub const MAX_CART_BYTES: usize = 512 * 1024;
