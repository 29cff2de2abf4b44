// The demo storefront's own script. It lists the products through the same
// query Wix's `@wix/stores` SDK sends (`queryProducts()`), and its "Add to
// cart" buttons ask the cart widget to add an item by dispatching the
// documented `cart:add` event. All text is set with textContent.
const WIX_STORES_APP_ID = "215238eb-22a5-4c36-9e7b-e7c08025e04e";
const LOW_STOCK = 3;

const widget = document.querySelector("[data-cart-widget]");
const apiBase = (widget?.dataset.apiBase || location.origin).replace(/\/$/, "");

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

async function queryProducts() {
  const query = btoa(JSON.stringify({ query: { filter: {}, paging: { offset: 0, limit: 50 } } }));
  const response = await fetch(`${apiBase}/stores-reader/v1/products/query-platformized?.r=${encodeURIComponent(query)}`);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()).products;
}

function priceLine(product) {
  const { price, discountedPrice, formatted } = product.priceData;
  const line = el("p", { class: "store-price" });
  if (discountedPrice < price) line.append(el("s", {}, formatted.price), " ");
  line.append(formatted.discountedPrice);
  return line;
}

function card(product) {
  const image = product.media?.mainMedia?.image?.url;
  const item = el("li", { class: "store-card", "data-product": product.slug });
  if (image && /^https?:\/\//i.test(image)) item.append(el("img", { src: image, alt: "", width: "240", height: "240" }));
  item.append(el("h2", {}, product.name), priceLine(product));

  const selects = product.productOptions.map((option) => {
    const select = el("select", { "data-option": option.name });
    for (const choice of option.choices) {
      const label = choice.inStock ? choice.description : `${choice.description} (sold out)`;
      select.append(el("option", { value: choice.description }, label));
    }
    item.append(el("label", { class: "store-option" }, `${option.name} `, select));
    return select;
  });

  const { quantity, inStock, trackInventory } = product.stock;
  if (!inStock) item.append(el("p", { class: "store-stock" }, "Out of stock"));
  else if (trackInventory && quantity <= LOW_STOCK) item.append(el("p", { class: "store-stock" }, `Only ${quantity} left`));

  const button = el("button", { type: "button", class: "store-add", "aria-label": `Add to cart: ${product.name}` }, "Add to cart");
  button.disabled = !inStock;
  button.addEventListener("click", () => {
    const catalogReference = { catalogItemId: product.id, appId: WIX_STORES_APP_ID };
    if (selects.length) {
      catalogReference.options = { options: Object.fromEntries(selects.map((s) => [s.dataset.option, s.value])) };
    }
    button.dispatchEvent(new CustomEvent("cart:add", { bubbles: true, detail: { catalogReference, quantity: 1 } }));
  });
  item.append(button);
  return item;
}

const grid = document.querySelector("[data-products]");
const status = document.querySelector("[data-products-status]");
queryProducts()
  .then((products) => {
    grid.append(...products.map(card));
    status.textContent = "";
  })
  .catch((error) => {
    status.textContent = `Products could not be loaded (${error.message}).`;
  })
  .finally(() => grid.removeAttribute("aria-busy"));
