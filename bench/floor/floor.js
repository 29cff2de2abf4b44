// The floor for "page load → cart visible": fetch the current cart, render
// its lines. Same token (the widget's localStorage entry), same request, same
// markup classes as the widget; no framework, no wasm.
const root = document.querySelector("[data-cart-floor]");
const apiBase = root.dataset.apiBase.replace(/\/$/, "");
const key = `cart-widget:tokens:${root.dataset.clientId}@${apiBase}`;
const { accessToken } = JSON.parse(localStorage.getItem(key));

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function line(item) {
  const name = item.productName?.translated ?? item.productName?.original ?? "";
  const media = el("div", { class: "cw-line-media" });
  if (item.image?.url) media.append(el("img", { class: "cw-line-image", src: item.image.url, alt: name, width: "64", height: "64", loading: "lazy" }));
  return el(
    "li",
    { class: "cw-line", "data-testid": "line-item", "data-line-id": item.id },
    media,
    el(
      "div",
      { class: "cw-line-body" },
      el("p", { class: "cw-line-name", "data-testid": "line-name" }, name),
      el("p", { class: "cw-line-unit" }, el("span", { "data-testid": "line-unit-price" }, item.price.formattedAmount)),
      el(
        "div",
        { class: "cw-line-actions" },
        el(
          "div",
          { class: "cw-stepper", role: "group" },
          el("button", { type: "button", class: "cw-step", "data-testid": "decrease" }, "−"),
          el("input", { type: "text", inputmode: "numeric", class: "cw-quantity", "data-testid": "line-quantity", value: String(item.quantity) }),
          el("button", { type: "button", class: "cw-step", "data-testid": "increase" }, "+"),
        ),
        el("button", { type: "button", class: "cw-remove", "data-testid": "remove" }, "Remove"),
      ),
    ),
    el("p", { class: "cw-line-total", "data-testid": "line-total" }, item.lineItemPrice?.formattedAmount ?? ""),
  );
}

// The widget's shadow root (src/shadow.rs): its stylesheet, hidden until it applies.
const shadow = root.attachShadow({ mode: "open" });
const stylesheet = document.querySelector("link[data-cart-stylesheet]").cloneNode();
stylesheet.rel = "stylesheet";
const mount = el("div", { class: "cw-root", hidden: "" });
shadow.append(stylesheet, mount);

const response = await fetch(`${apiBase}/ecom/v1/carts/current`, { headers: { Authorization: accessToken } });
const { cart } = await response.json();
const count = cart.lineItems.reduce((sum, item) => sum + item.quantity, 0);
mount.append(
  el(
    "section",
    { class: "cw", "aria-label": "Shopping cart" },
    el("header", { class: "cw-header" }, el("h2", { class: "cw-title" }, "Your cart"), el("span", { class: "cw-count", "data-testid": "cart-count" }, String(count))),
    el("ul", { class: "cw-lines", "data-testid": "line-items" }, ...cart.lineItems.map(line)),
    el("p", { class: "cw-subtotal" }, "Subtotal ", el("span", { "data-testid": "cart-subtotal" }, cart.subtotal?.formattedAmount ?? "")),
  ),
);
