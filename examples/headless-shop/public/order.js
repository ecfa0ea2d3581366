// The order page, where the payer lands after paying. The backend marks the order paid only
// when Vitrina's signed webhook says so, which may be a moment after the payer arrives: until
// then the page asks again every second.
import { element, formatAmount } from './format.js';

const POLL_MS = 1000;
const POLL_LIMIT = 180;  // three minutes; after that, a reload asks again

const LABELS = {
  awaiting_payment: ['Awaiting payment', 'Waiting for the payment service to confirm the payment…'],
  paid: ['Paid', 'Thank you! Your tea is being packed.'],
  failed: ['Payment failed', 'The payment did not go through; nothing was charged.'],
  canceled: ['Canceled', 'The payment was canceled; nothing was charged.'],
  expired: ['Expired', 'The payment was not completed in time; nothing was charged.'],
};
const REASONS = {
  card_declined: 'The card was declined.',
  processing_error: 'The bank could not process the card.',
};

const $ = (id) => document.getElementById(id);
const orderId = decodeURIComponent(location.pathname.split('/').pop());

function render(order) {
  const [label, note] = LABELS[order.status] ?? [order.status, ''];
  $('status').textContent = label;
  $('status').dataset.status = order.status;
  const reason = order.status === 'failed' ? REASONS[order.failure_reason] ?? order.failure_reason : '';
  $('status-note').textContent = reason ? `${note} ${reason}` : note;
  $('order-lines').replaceChildren(...order.lines.map((l) => {
    const row = element('tr');
    row.append(element('td', '', l.name), element('td', '', String(l.quantity)),
      element('td', '', formatAmount(l.price * l.quantity)));
    return row;
  }));
  $('order-total').textContent = formatAmount(order.amount);
}

async function poll(attempt) {
  try {
    const res = await fetch(`/api/orders/${encodeURIComponent(orderId)}`, { cache: 'no-store' });
    if (res.status === 404) {
      $('status').textContent = 'Not found';
      return;
    }
    if (res.ok) {
      const order = await res.json();
      render(order);
      if (order.status !== 'awaiting_payment') return;
    }
  } catch {
    // The shop is restarting or the network blinked: the next poll tries again.
  }
  if (attempt + 1 >= POLL_LIMIT) {
    $('status-note').textContent = 'Still waiting for the confirmation. Reload the page to check again.';
    return;
  }
  setTimeout(() => poll(attempt + 1), POLL_MS);
}

$('order-id').textContent = orderId;
poll(0);
