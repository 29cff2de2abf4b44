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
