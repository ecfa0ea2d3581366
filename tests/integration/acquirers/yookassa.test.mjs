// The YooKassa connector end to end: the real server, configured for a YooKassa shop at the
// emulator (tools/emulators/yookassa.mjs), driven through every scenario. Notifications are
// accepted only from the allow-list (here 127.0.0.1) and acted on only as the re-read payment
// says; the shop receives exactly one Standard Webhooks message per state change.
// Run by CTest from the repository root: VITRINA_SERVER=… node --test tests/integration/acquirers/yookassa.test.mjs

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pay, startStack } from './support.mjs';

const SHOP = '100500';
const SECRET = 'test_yookassa_secret';
const GOOD = '5555555555554477';
const DECLINED = '5555555555554444';

let emulator, receiver, server, status, mode, stop, settle, typesFor;

before(async () => {
  ({ emulator, receiver, server, status, mode, stop, settle, typesFor } = await startStack('yookassa',
    ['--shop-id', SHOP, '--secret-key', SECRET], (site, base) => ({
      'acquirers.yookassa.base_url': `${base}/v3`,
      'acquirers.yookassa.allowed_ips': '127.0.0.1',
      'acquirers.yookassa.read_timeout_ms': 1500,
      [`acquirers.yookassa.sites.${site}.shop_id`]: SHOP,
      [`acquirers.yookassa.sites.${site}.secret_key`]: SECRET,
      [`acquirers.yookassa.sites.${site}.receipt`]: true,
    })));
  // YooKassa's notification URL is set once in its dashboard, not per payment.
  await emulator.control('/config', { notify_url: `${server.base}/v1/callbacks/yookassa/${server.site.id}` });
});

after(() => stop?.());

let orders = 0;
function body(capture) {
  return {
    amount: 150000, currency: 'RUB', order_id: `order-${++orders}`, description: 'Чай', capture,
    return_url: 'https://shop.example/back', acquirer: 'yookassa',
    customer: { email: 'payer@example.com' },
    items: [{ name: 'Чай', quantity: 2, amount: 50000 }, { name: 'Кружка', quantity: 1, amount: 50000 }],
  };
}
const create = (capture = true, key = `key-${orders + 1}`) => server.api('POST', '/v1/payments', body(capture), key);
async function created(capture = true) {
  const r = await create(capture);
  assert.equal(r.status, 201, r.text + server.log());
  assert.match(r.json.confirmation.url, /\/checkout\//);
  return r.json;
}
const ykId = (p) => p.confirmation.url.split('/').pop();
const ykPayments = () => emulator.control('/payments', undefined, 'GET');
const posts = async (p) => (await emulator.log()).requests.filter((r) => r.method === 'POST' && r.path === p);

test('success: the payment at YooKassa carries the amount, the receipt and our id; one payment.succeeded', async () => {
  const p = await created(true);
  const yk = (await ykPayments()).find((x) => x.id === ykId(p));
  assert.equal(yk.amount.value, '1500.00');
  assert.equal(yk.metadata.vitrina_payment_id, p.id);
  assert.equal(yk.capture, true);
  assert.equal(await pay(p.confirmation.url, GOOD), 303);
  assert.deepEqual(await typesFor(p.id, 1), ['payment.succeeded']);
  assert.equal(await status(p.id), 'succeeded');
  // Each notification was confirmed by reading the payment back.
  assert.ok((await emulator.log()).requests.some((r) => r.method === 'GET' && r.path === `/v3/payments/${ykId(p)}`));
});

test('decline: canceled by the payment network fails the payment with its reason', async () => {
  const p = await created(true);
  await pay(p.confirmation.url, DECLINED);
  assert.deepEqual(await typesFor(p.id, 1), ['payment.failed']);
  assert.equal((await server.api('GET', `/v1/payments/${p.id}`)).json.failure_reason, 'insufficient_funds');
});

test('two-stage: capture false, partial capture, refund via /v3/refunds', async () => {
  const p = await created(false);
  assert.equal((await ykPayments()).find((x) => x.id === ykId(p)).capture, false);
  await pay(p.confirmation.url, GOOD);
  assert.deepEqual(await typesFor(p.id, 1), ['payment.waiting_for_capture']);
  const cap = await server.api('POST', `/v1/payments/${p.id}/capture`, { amount: 100000 }, `cap-${p.id}`);
  assert.equal(cap.status, 200, cap.text);
  assert.deepEqual(await typesFor(p.id, 2), ['payment.waiting_for_capture', 'payment.succeeded']);
  const refund = await server.api('POST', `/v1/payments/${p.id}/refunds`, { amount: 30000 }, `ref-${p.id}`);
  assert.equal(refund.status, 201, refund.text);
  assert.equal(refund.json.status, 'succeeded');
  const yk = (await ykPayments()).find((x) => x.id === ykId(p));
  assert.equal(yk.amount.value, '1000.00');
  assert.equal(yk.refunded_amount.value, '300.00');
  // Every POST carried an Idempotence-Key.
  const all = (await emulator.log()).requests.filter((r) => r.method === 'POST');
  assert.ok(all.every((r) => r.idempotency_key), JSON.stringify(all));
});

test('two-stage cancel', async () => {
  const p = await created(false);
  await pay(p.confirmation.url, GOOD);
  await typesFor(p.id, 1);
  const c = await server.api('POST', `/v1/payments/${p.id}/cancel`, {}, `cancel-${p.id}`);
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(await typesFor(p.id, 2), ['payment.waiting_for_capture', 'payment.canceled']);
});

test('duplicate notifications change the payment once', async () => {
  await mode('duplicate');
  try {
    const p = await created(true);
    await pay(p.confirmation.url, GOOD);
    assert.deepEqual(await typesFor(p.id, 1), ['payment.succeeded']);
    await emulator.idle();
    const log = (await emulator.log()).deliveries.filter((d) => d.key === `payment.succeeded:${ykId(p)}`);
    assert.equal(log.length, 2);
    assert.ok(log.every((d) => d.status === 200));
  } finally {
    await mode('normal');
  }
});

test('out of order: a late waiting_for_capture after a dashboard capture changes nothing', async () => {
  await mode('reverse');
  let p;
  try {
    p = await created(false);
    await pay(p.confirmation.url, GOOD);
    // Captured in YooKassa's dashboard, not through us.
    await emulator.control(`/capture/${ykId(p)}`);
  } finally {
    await mode('normal');
  }
  await emulator.control('/flush');
  // Newest first: payment.succeeded, then payment.waiting_for_capture; both re-read "succeeded".
  const log = (await emulator.log()).deliveries.filter((d) => d.key?.endsWith(ykId(p)));
  assert.deepEqual(log.map((d) => d.kind), ['payment.succeeded', 'payment.waiting_for_capture']);
  assert.deepEqual(await typesFor(p.id, 1), ['payment.succeeded']);
  assert.equal(await status(p.id), 'succeeded');
});

test('a notification from an address off the allow-list is refused and changes nothing', async () => {
  await mode('reverse');  // hold the real notification
  let p;
  try {
    p = await created(true);
    await pay(p.confirmation.url, GOOD);
  } finally {
    await mode('normal');
  }
  const reads = async () => (await emulator.log()).requests.filter((r) => r.method === 'GET' && r.path.endsWith(ykId(p))).length;
  const readsBefore = await reads();
  const claim = await emulator.control('/notify', { payment: ykId(p), event: 'payment.succeeded', from: '127.0.0.2' });
  assert.equal(claim.status, 401, JSON.stringify(claim));
  assert.equal(await reads(), readsBefore, 'refused before anything is read back');
  await settle();
  assert.equal(await status(p.id), 'pending');
  assert.equal(receiver.messages.filter((m) => m.data?.id === p.id).length, 0);
  await emulator.control('/flush');
  assert.deepEqual(await typesFor(p.id, 1), ['payment.succeeded']);
});

test('a notification that lies is not believed: the re-read payment decides', async () => {
  const p = await created(true);
  const claim = await emulator.control('/notify', { payment: ykId(p), event: 'payment.succeeded', status: 'succeeded' });
  assert.equal(claim.status, 200, JSON.stringify(claim));  // acknowledged: the read said "pending"
  await settle();
  assert.equal(await status(p.id), 'pending');
  assert.equal(receiver.messages.filter((m) => m.data?.id === p.id).length, 0);
});

test('a payment that YooKassa holds for another amount is refused and left pending', async () => {
  await mode('wrong_amount');
  let p;
  try {
    p = await created(true);
    await pay(p.confirmation.url, GOOD);
    await emulator.idle();
  } finally {
    await mode('normal');
  }
  const log = (await emulator.log()).deliveries.filter((d) => d.key === `payment.succeeded:${ykId(p)}`);
  assert.ok(log.length >= 1 && log.every((d) => d.status === 422), JSON.stringify(log));
  assert.equal(await status(p.id), 'pending');
  assert.equal(receiver.messages.filter((m) => m.data?.id === p.id).length, 0);
});

test('a lost notification: the reconciliation worker re-reads the payment and applies it once', async () => {
  await mode('reverse');  // the notification is held as if lost on the way
  let p;
  try {
    p = await created(true);
    await pay(p.confirmation.url, GOOD);
  } finally {
    await mode('normal');
  }
  assert.equal(await status(p.id), 'pending');
  assert.deepEqual(await typesFor(p.id, 1, 10000), ['payment.succeeded']);
  // The notification arriving late changes nothing more.
  await emulator.control('/flush');
  assert.deepEqual(await typesFor(p.id, 1), ['payment.succeeded']);
});

test('slow answers within the time limit still create the payment', async () => {
  await emulator.control('/faults', { path: '/v3/payments', method: 'POST', kind: 'slow', delay_ms: 600 });
  const r = await create(true);
  assert.equal(r.status, 201, r.text);
});

test('a 5xx on create is retried with the same Idempotence-Key: one payment at YooKassa', async () => {
  const before = (await ykPayments()).length;
  await emulator.control('/faults', { path: '/v3/payments', method: 'POST', kind: '5xx', count: 1 });
  const r = await create(true);
  assert.equal(r.status, 201, r.text);
  const tries = (await posts('/v3/payments')).slice(-2);
  assert.equal(tries[0].fault, '5xx');
  assert.equal(tries[0].idempotency_key, tries[1].idempotency_key);
  assert.equal((await ykPayments()).length, before + 1);
});

test('a timeout on create is retried with the same key, and YooKassa answers with the first payment', async () => {
  const before = (await ykPayments()).length;
  await emulator.control('/faults', { path: '/v3/payments', method: 'POST', kind: 'timeout', delay_ms: 2500, count: 1 });
  const r = await create(true);
  assert.equal(r.status, 201, r.text);
  assert.equal((await ykPayments()).length, before + 1, 'the timed-out request created it; the retry replayed it');
  assert.equal(ykId(r.json), (await ykPayments()).at(-1).id);
});

test('5xx on every try: problem+json with YooKassa\'s code, and the shop\'s retry is safe', async () => {
  const before = (await ykPayments()).length;
  await emulator.control('/faults', { path: '/v3/payments', method: 'POST', kind: '5xx', count: 3 });
  const r = await create(true, 'key-down');
  assert.equal(r.status, 502, r.text);
  assert.match(r.type, /application\/problem\+json/);
  assert.equal(r.json.acquirer, 'yookassa');
  assert.equal(r.json.acquirer_code, 'internal_server_error');
  const again = await create(true, 'key-down');
  assert.equal(again.status, 201, again.text);
  assert.equal((await ykPayments()).length, before + 1);
});

test('YooKassa\'s refusal reaches the shop with its code, and nothing is stored', async () => {
  await emulator.control('/refuse', { path: '/v3/payments', status: 403, code: 'forbidden',
    description: 'Shop is not allowed to accept payments in this currency', parameter: 'amount.currency' });
  const r = await create(true, 'key-refused');
  assert.equal(r.status, 422, r.text);
  assert.match(r.type, /application\/problem\+json/);
  assert.equal(r.json.acquirer_code, 'forbidden');
  assert.match(r.json.detail, /currency/);
  const again = await create(true, 'key-refused');
  assert.equal(again.status, 201, again.text);
});

test('a receipt that does not add up is refused before YooKassa is asked', async () => {
  const before = (await posts('/v3/payments')).length;
  const b = body(true);
  b.items[0].quantity = 1;
  const r = await server.api('POST', '/v1/payments', b, 'key-receipt');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.field, 'items');
  assert.equal((await posts('/v3/payments')).length, before);
});

test('an unpaid payment that lapses at YooKassa ends expired', async () => {
  const p = await created(true);
  await emulator.control(`/expire/${ykId(p)}`);
  assert.deepEqual(await typesFor(p.id, 1), ['payment.expired']);
});

test('every message the shop got verified, none twice', async () => {
  assert.deepEqual(receiver.refused, []);
  const ids = receiver.messages.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length);
});
