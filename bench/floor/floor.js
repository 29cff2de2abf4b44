// The floor for "page load → cart visible": fetch the current cart, render
// its lines. Same token (the widget's localStorage entry), same request in
// the same API dialect (`data-cart-api`: Cart V2 unless it says v1, as the
// widget reads it), same markup classes as the widget; no framework, no wasm.
//
// And the floor for "click → paint": a quantity stepper that does what the
// widget's does, by hand: the new quantity shows at once, and changes go out
// as absolute quantities, coalesced over the widget's 300 ms window; the
// server's answer updates the line totals and the subtotal.
const root = document.querySelector("[data-cart-floor]");
const apiBase = root.dataset.apiBase.replace(/\/$/, "");
const key = `cart-widget:tokens:${root.dataset.clientId}@${apiBase}`;
const { accessToken } = JSON.parse(localStorage.getItem(key));
const v2 = !/^v1$/i.test(root.dataset.cartApi?.trim() ?? "");
const cartPath = `${apiBase}/ecom/${v2 ? "v2" : "v1"}/carts/current`;

// The request goes out first; everything below runs while it is in flight.
const answer = fetch(cartPath, { headers: { Authorization: accessToken } });

// Cart V2 sends amounts and a currency, no `formattedAmount`: a V2 page writes
// money with `Intl.NumberFormat`, in the page's language (`data-locale`) or
// else the cart's, as the widget does (src/money.rs). A page's first `Intl`
// object loads the browser's number data (15-30 ms): made now, while the
// request is in flight, as the widget's loader does too.
if (v2) Intl.NumberFormat(root.dataset.locale || undefined, { style: "currency", currency: "USD" });
let format = null;
/** A price as the page shows it: v1's `formattedAmount`, V2's amount formatted. */
const money = (price) => (v2 ? (price?.amount != null && format ? format.format(price.amount) : "") : (price?.formattedAmount ?? ""));

const quantityOf = (item) => (v2 ? item.quantityInfo?.confirmedQuantity : item.quantity) ?? 0;

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function line(item) {
  const named = v2 ? item.name : item.productName;
  const name = named?.translated ?? named?.original ?? "";
  const image = v2 ? item.attributes?.image : item.image;
  const media = el("div", { class: "cw-line-media" });
  if (image?.url) media.append(el("img", { class: "cw-line-image", src: image.url, alt: name, width: "64", height: "64", loading: "lazy" }));
  return el(
    "li",
    { class: "cw-line", "data-testid": "line-item", "data-line-id": item.id },
    media,
    el(
      "div",
      { class: "cw-line-body" },
      el("p", { class: "cw-line-name", "data-testid": "line-name" }, name),
      el("p", { class: "cw-line-unit" }, el("span", { "data-testid": "line-unit-price" }, money(v2 ? item.pricing?.unitPrice : item.price))),
      el(
        "div",
        { class: "cw-line-actions" },
        el(
          "div",
          { class: "cw-stepper", role: "group" },
          el("button", { type: "button", class: "cw-step", "data-testid": "decrease" }, "−"),
          el("input", { type: "text", inputmode: "numeric", class: "cw-quantity", "data-testid": "line-quantity", value: String(quantityOf(item)) }),
          el("button", { type: "button", class: "cw-step", "data-testid": "increase" }, "+"),
        ),
        el("button", { type: "button", class: "cw-remove", "data-testid": "remove" }, "Remove"),
      ),
    ),
    el("p", { class: "cw-line-total", "data-testid": "line-total" }, money(v2 ? item.pricing?.totalPrice : item.lineItemPrice)),
  );
}

// The widget's shadow root (src/shadow.rs): its stylesheet, hidden until it applies.
const shadow = root.attachShadow({ mode: "open" });
const stylesheet = document.querySelector("link[data-cart-stylesheet]").cloneNode();
stylesheet.rel = "stylesheet";
const mount = el("div", { class: "cw-root", hidden: "" });
shadow.append(stylesheet, mount);

const { cart } = await (await answer).json();
if (v2) {
  const currency = cart.businessInfo?.currencyCode || cart.customerInfo?.currencyCode;
  format = Intl.NumberFormat(root.dataset.locale || cart.customerInfo?.languageCode || undefined, { style: "currency", currency });
}
const count = cart.lineItems.reduce((sum, item) => sum + quantityOf(item), 0);
mount.append(
  el(
    "section",
    { class: "cw", "aria-label": "Shopping cart" },
    el("header", { class: "cw-header" }, el("h2", { class: "cw-title" }, "Your cart"), el("span", { class: "cw-count", "data-testid": "cart-count" }, String(count))),
    el("ul", { class: "cw-lines", "data-testid": "line-items" }, ...cart.lineItems.map(line)),
    el("p", { class: "cw-subtotal" }, "Subtotal ", el("span", { "data-testid": "cart-subtotal" }, money(cart.subtotal))),
  ),
);

/** Line id → quantity asked for and not sent yet. */
const waiting = new Map();
let flush;

// On the shadow root: seen from the mount element, a click inside is retargeted to it.
shadow.addEventListener("click", (event) => {
  const button = event.target.closest('[data-testid="increase"], [data-testid="decrease"]');
  if (!button) return;
  const line = button.closest("[data-line-id]");
  const input = line.querySelector('[data-testid="line-quantity"]');
  const quantity = Math.max(1, Number(input.value) + (button.dataset.testid === "increase" ? 1 : -1));
  input.value = String(quantity);
  waiting.set(line.dataset.lineId, quantity);
  clearTimeout(flush);
  flush = setTimeout(send, 300);
});

async function send() {
  const lineItems = [...waiting].map(([id, quantity]) => (v2 ? { lineItemId: id, quantity: { newQuantity: quantity } } : { id, quantity }));
  waiting.clear();
  const response = await fetch(`${cartPath}/${v2 ? "update-line-items" : "update-line-items-quantity"}`, {
    method: "POST",
    headers: { Authorization: accessToken, "Content-Type": "application/json" },
    body: JSON.stringify({ lineItems }),
  });
  const { cart: saved } = await response.json();
  for (const item of saved.lineItems) {
    const total = shadow.querySelector(`[data-line-id="${item.id}"] [data-testid="line-total"]`);
    if (total) total.textContent = money(v2 ? item.pricing?.totalPrice : item.lineItemPrice);
  }
  shadow.querySelector('[data-testid="cart-subtotal"]').textContent = money(saved.subtotal);
}
