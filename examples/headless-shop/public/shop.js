// The storefront: shows the catalog, keeps the cart in the page, and on "Pay" asks the shop's
// backend to create the order and its payment, then goes to the payment page Vitrina names.
import { element, formatAmount } from './format.js';

const cart = new Map();  // product id → quantity
let products = [];

const $ = (id) => document.getElementById(id);

function renderProducts() {
  const list = $('products');
  list.replaceChildren(...products.map((p) => {
    const card = element('article', 'product');
    const photo = element('div', `photo photo-${p.id}`);
    photo.setAttribute('role', 'img');
    photo.setAttribute('aria-label', p.name);
    const price = element('p', 'price', formatAmount(p.price));
    price.append(' ', element('span', '', `/ ${p.unit}`));
    const add = element('button', 'add', 'Add to cart');
    add.type = 'button';
    add.dataset.productId = p.id;
    add.addEventListener('click', () => change(p.id, +1));
    card.append(photo, element('h2', '', p.name), element('p', 'note', p.note), price, add);
    return card;
  }));
  list.setAttribute('aria-busy', 'false');
}

function change(productId, delta) {
  const quantity = (cart.get(productId) ?? 0) + delta;
  if (quantity <= 0) cart.delete(productId);
  else cart.set(productId, Math.min(quantity, 99));
  renderCart();
}

function renderCart() {
  let total = 0;
  let count = 0;
  const lines = [];
  for (const [id, quantity] of cart) {
    const p = products.find((x) => x.id === id);
    total += p.price * quantity;
    count += quantity;
    const line = element('li', 'cart-line');
    line.dataset.productId = id;
    const minus = element('button', 'qty', '−');
    minus.type = 'button';
    minus.setAttribute('aria-label', `One less ${p.name}`);
    minus.addEventListener('click', () => change(id, -1));
    const plus = element('button', 'qty', '+');
    plus.type = 'button';
    plus.setAttribute('aria-label', `One more ${p.name}`);
    plus.addEventListener('click', () => change(id, +1));
    line.append(element('span', 'cart-name', p.name), minus, element('span', 'cart-qty', String(quantity)), plus,
      element('span', 'cart-sum', formatAmount(p.price * quantity)));
    lines.push(line);
  }
  $('cart-lines').replaceChildren(...lines);
  $('cart-empty').hidden = cart.size > 0;
  $('cart-total').textContent = formatAmount(total);
  $('cart-total').dataset.amount = String(total);
  $('cart-count').textContent = `Cart (${count})`;
  $('pay').disabled = cart.size === 0;
}

function showError(message) {
  $('pay-error').textContent = message;
  $('pay-error').hidden = false;
}

async function pay() {
  const button = $('pay');
  button.disabled = true;
  button.textContent = 'Going to payment…';
  $('pay-error').hidden = true;
  try {
    const items = [...cart].map(([product_id, quantity]) => ({ product_id, quantity }));
    const res = await fetch('/api/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || `the shop answered ${res.status}`);
    // The payer leaves for the payment page; Vitrina sends them back to /orders/{id}.
    location.assign(body.confirmation_url);
  } catch (e) {
    showError(`Could not start the payment: ${e.message}`);
    button.textContent = 'Pay';
    button.disabled = cart.size === 0;
  }
}

async function start() {
  $('pay').addEventListener('click', pay);
  try {
    const res = await fetch('/api/products');
    if (!res.ok) throw new Error(`the shop answered ${res.status}`);
    products = (await res.json()).products;
  } catch (e) {
    showError(`Could not load the teas: ${e.message}`);
    return;
  }
  renderProducts();
  renderCart();
}

start();
