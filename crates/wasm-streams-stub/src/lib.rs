//! Stands in for [wasm-streams](https://crates.io/crates/wasm-streams) 0.5
//! in this workspace (`[patch.crates-io]` in the root `Cargo.toml`).
//!
//! Leptos 0.8 always links `server_fn`'s browser client, which uses
//! wasm-streams to stream server functions' bodies. wasm-streams exports
//! three classes to JS (`IntoUnderlyingSource`, `IntoUnderlyingSink`,
//! `IntoUnderlyingByteSource`), and an export keeps its code in the wasm
//! whether or not anything calls it: cutting the exports after the build
//! (`xtask/dist.mjs`) still left their async code behind the function table,
//! 3.9 KB of the widget's brotli (`docs/wasm-size.md`). The widget calls no
//! server function, so it needs none of it.
//!
//! This crate has only the items server_fn names. The two that would bridge
//! a stream panic: nothing in the widget reaches them, and the link-time
//! optimiser removes them with the server function client that names them.
//! Drop this crate when Leptos lets a client-side app leave server_fn out.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use wasm_bindgen::JsValue;

const NO_SERVER_FUNCTIONS: &str =
    "wasm-streams is a stand-in here: the cart widget streams no server function";

/// A web `ReadableStream`, as `wasm_streams::ReadableStream` wraps one.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    /// Wraps a web stream.
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// The web stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// Would make a web stream of a Rust stream; panics here.
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        drop(stream);
        unimplemented!("{NO_SERVER_FUNCTIONS}")
    }

    /// Would read the web stream as a Rust stream; panics here.
    pub fn into_stream(self) -> IntoStream {
        unimplemented!("{NO_SERVER_FUNCTIONS}")
    }
}

/// What `into_stream` would return; no value of it can exist.
pub enum IntoStream {}

impl Stream for IntoStream {
    type Item = Result<JsValue, JsValue>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match *self.get_mut() {}
    }
}
