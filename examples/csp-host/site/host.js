// The merchant page's own script (external: the page's CSP allows no inline
// script). Its buttons ask the widget to add an item with the documented
// `cart:add` event.
const WIX_STORES_APP_ID = "215238eb-22a5-4c36-9e7b-e7c08025e04e";

for (const button of document.querySelectorAll("[data-add-item]")) {
  button.addEventListener("click", () => {
    const catalogReference = { catalogItemId: button.dataset.addItem, appId: WIX_STORES_APP_ID };
    if (button.dataset.options) catalogReference.options = { options: JSON.parse(button.dataset.options) };
    button.dispatchEvent(new CustomEvent("cart:add", { bubbles: true, detail: { catalogReference, quantity: 1 } }));
  });
}
