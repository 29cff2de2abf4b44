//! Everything the widget knows about the wire, in one folder: its own JSON
//! reader and writer (`json`), what it reads from answers (`answers`) and
//! every body it sends (`requests`), both in v1; `v2` is the Cart V2
//! dialect's paths, bodies and readers, onto the same read model.
//!
//! The widget does not use `cart-wire`'s serde types: serde and serde_json
//! were a quarter of the wasm (`docs/wasm-size.md`). `conformance` checks,
//! natively, that both sides still agree on every field.

pub mod answers;
pub mod json;
pub mod requests;
pub mod v2;

#[cfg(test)]
mod conformance;
