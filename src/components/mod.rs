//! The widget's components, one per file.

mod buyer_note;
mod cart_drawer;
mod cart_widget;
mod checkout_button;
mod connection_notice;
mod coupon_form;
mod destination_picker;
mod empty_cart;
mod line_item_row;
mod line_items;
mod load_failed;
mod loading_skeleton;
mod mount_view;
mod quantity_stepper;
mod shipping_options;
mod totals;
mod undo_removal;

pub use buyer_note::BuyerNote;
pub use cart_drawer::CartDrawer;
pub use cart_widget::CartWidget;
pub use checkout_button::CheckoutButton;
pub use connection_notice::ConnectionNotice;
pub use coupon_form::CouponForm;
pub use destination_picker::DestinationPicker;
pub use empty_cart::EmptyCart;
pub use line_item_row::LineItemRow;
pub use line_items::LineItems;
pub use load_failed::LoadFailed;
pub use loading_skeleton::LoadingSkeleton;
pub use mount_view::MountView;
pub use quantity_stepper::QuantityStepper;
pub use shipping_options::ShippingOptions;
pub use totals::Totals;
pub use undo_removal::UndoRemoval;

/// A number no other call on this page returned.
pub(crate) fn unique_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
