// The demo storefront's own script: its "Add to cart" buttons ask the cart
// widget to add an item by dispatching the documented `cart:add` event.
const WIX_STORES_APP_ID = "215238eb-22a5-4c36-9e7b-e7c08025e04e";

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-to-cart]");
  if (!button) return;
  button.dispatchEvent(
    new CustomEvent("cart:add", {
      bubbles: true,
      detail: {
        catalogReference: {
          catalogItemId: button.dataset.catalogItemId,
          appId: WIX_STORES_APP_ID,
        },
        quantity: Number(button.dataset.quantity || 1),
      },
    }),
  );
});
