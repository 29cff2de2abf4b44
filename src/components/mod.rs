//! The widget's components, one per file.

mod cart_widget;
mod empty_cart;
mod line_item_row;

pub use cart_widget::CartWidget;
pub use empty_cart::EmptyCart;
pub use line_item_row::LineItemRow;
