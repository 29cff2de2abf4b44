use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    // A panic shows in the merchant's console as Rust words it ("panicked at
    // src/…: …"), and the console adds where it was called from. Smaller
    // than console_error_panic_hook, which also builds a JS `Error` to
    // print its stack (docs/wasm-size.md).
    std::panic::set_hook(Box::new(|info| console_error(&info.to_string())));
    cart_widget::mount_all();
}

#[wasm_bindgen]
extern "C" {
    /// `console.error`.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}
