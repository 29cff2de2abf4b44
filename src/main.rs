fn main() {
    console_error_panic_hook::set_once();
    cart_widget::mount_all();
}
