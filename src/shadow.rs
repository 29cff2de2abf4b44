//! Style isolation: the widget lives in an open shadow root on each mount
//! element, with its own stylesheet inside it.
//!
//! Merchants' pages carry global CSS (Tailwind's preflight, Bootstrap's
//! reboot, `button { … }`, `html { font-size: 24px }`). The page's selectors
//! cannot reach into a shadow root and the widget's cannot reach out; only
//! inherited properties cross, which `style/widget.css` resets at `:host`,
//! and custom properties, which theme the widget (`--cw-accent` etc. on the
//! mount element). The root is open, so host scripts, test tools and
//! assistive technology can still see into it.
//!
//! Rules:
//! - The stylesheet is the page's `link[data-cart-stylesheet]`: the CDN
//!   loader adds it as a preload, Trunk's `index.html` marks its own link
//!   with `media="not all"`; either way it applies nowhere in the page. Each
//!   shadow root gets a copy of it turned into a stylesheet for all media
//!   (`href` and `integrity` kept). A `<link>` passes a strict CSP's
//!   `style-src` where a `<style>` or a constructed stylesheet would need
//!   `'unsafe-inline'` or go around the policy.
//! - The mount point is `hidden` until that copy applies, because a
//!   stylesheet in a shadow root does not block rendering and the widget
//!   would flash unstyled; a rule of the stylesheet shows it.
//! - Without such a link the widget shows unstyled, with a console warning.
//! - An element that cannot host a shadow root (`<li>`, `<td>`, …) or
//!   already hosts one gets no widget, with a console warning.
//! - On a page that loads the widget through the CDN loader, the loader may
//!   have painted the cart already (`paintSource` in `xtask/dist.mjs`): the
//!   element's `attachShadow` then returns the loader's root, with the
//!   paint and its own copy of the stylesheet in it. The widget mounts
//!   beside the paint, kept out of sight by `.cw-paint ~ .cw-root`, and the
//!   loader removes the paint once the widget shows more than its skeleton.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

/// The page's link to the widget's stylesheet; `xtask/dist.mjs`'s loader and
/// `index.html` write this attribute.
pub const STYLESHEET_SELECTOR: &str = "link[data-cart-stylesheet]";

/// The page's link to the widget's stylesheet, as a template for
/// [`attach`]; `None`, with a console warning, when the page has none.
pub fn stylesheet() -> Option<Element> {
    // Through calls the widget makes anyway (`querySelectorAll`, `item`,
    // `insertBefore`, `setAttribute`): each other DOM call adds an import.
    let link = document()
        .query_selector_all(STYLESHEET_SELECTOR)
        .ok()
        .and_then(|links| links.item(0))
        .map(JsCast::unchecked_into);
    if link.is_none() {
        leptos::logging::warn!("cart widget: no link[data-cart-stylesheet], so no styles");
    }
    link
}

/// Gives `element` an open shadow root holding a copy of `stylesheet` and
/// returns the element in it the widget mounts into; `None` when `element`
/// cannot host a shadow root.
pub fn attach(element: &HtmlElement, stylesheet: Option<&Element>) -> Option<HtmlElement> {
    let Ok(root) = element.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) else {
        leptos::logging::warn!("cart widget: skipped an element that cannot have a shadow root");
        return None;
    };
    let mount: HtmlElement = document().create_element("div").ok()?.unchecked_into();
    mount.set_attribute("class", "cw-root").ok()?;
    if let Some(template) = stylesheet {
        let link: Element = template.clone_node().ok()?.unchecked_into();
        link.set_attribute("rel", "stylesheet").ok()?;
        link.set_attribute("media", "all").ok()?;
        root.insert_before(&link, None).ok()?;
        mount.set_attribute("hidden", "").ok()?;
    }
    root.insert_before(&mount, None).ok()?;
    Some(mount)
}
