// The T-Bank connector end to end: the real server, configured for a T-Bank terminal at the
// emulator (tools/emulators/tbank.mjs), driven through every scenario. In each the shop receives
// exactly one Standard Webhooks message per state change, and the emulator sees each of its
// notifications answered with exactly "OK" once the server has taken it.
// Run by CTest from the repository root: VITRINA_SERVER=… node --test tests/integration/acquirers/tbank.test.mjs

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pay, startStack } from './support.mjs';

const TERMINAL = 'VitrinaTestTerminal';
const PASSWORD = 'tbank-test-password';
const GOOD = '4300000000000777';
const DECLINED = '4000000000000002';

let emulator, receiver, server, status, mode, stop, settle, typesFor;

before(async () => {
  ({ emulator, receiver, server, status, mode, stop, settle, typesFor } = await startStack('tbank',
    ['--terminal-key', TERMINAL, '--password', PASSWORD], (site, base) => ({
      'acquirers.tbank.base_url': `${base}/v2`,
      'acquirers.tbank.read_timeout_ms': 1500,
      [`acquirers.tbank.sites.${site}.terminal_key`]: TERMINAL,
      [`acquirers.tbank.sites.${site}.password`]: PASSWORD,
    })));
});

after(() => stop?.());

let orders = 0;
async function create(capture = true, key = `key-${++orders}`) {
  return server.api('POST', '/v1/payments', {
    amount: 150000, currency: 'RUB', order_id: `order-${orders}`, description: 'Чай', return_url: 'https://shop.example/back',
    capture, acquirer: 'tbank',
  }, key);
}
async function created(capture = true) {
  const r = await create(capture);
  assert.equal(r.status, 201, r.text + server.log());
  assert.match(r.json.confirmation.url, /\/new\/\d+$/);
  return r.json;
}

test('one-stage success: AUTHORIZED then CONFIRMED, one payment.succeeded, both answered OK', async () => {
  const p = await created(true);
  const init = (await emulator.log()).requests.filter((r) => r.path === '/v2/Init');
  assert.ok(init.length >= 1);
  assert.equal(await pay(p.confirmation.url, GOOD), 303);
  assert.deepEqual(await typesFor(p.id, 1), ['payment.succeeded']);
  assert.equal(await status(p.id), 'succeeded');
  await emulator.idle();
  const log = (await emulator.log()).deliveries.filter((d) => d.key?.startsWith(p.confirmation.url.split('/').pop()));
  assert.ok(log.length >= 2 && log.every((d) => d.status === 200 && d.answer === 'OK'), JSON.stringify(log));
});

test('decline: REJECTED fails the payment once', async () => {
  const p = await created(true);
  assert.equal(await pay(p.confirmation.url, DECLINED), 303);
  assert.deepEqual(await typesFor(p.id, 1), ['payment.failed']);
  const got = (await server.api('GET', `/v1/payments/${p.id}`)).json;
  assert.equal(got.status, 'failed');
  assert.match(got.failure_reason, /1051/);
});

test('two-stage: hold, partial capture through Confirm, partial refund through Cancel', async () => {
  const p = await created(false);
  await pay(p.confirmation.url, GOOD);
  assert.deepEqual(await typesFor(p.id, 1), ['payment.waiting_for_capture']);
  const cap = await server.api('POST', `/v1/payments/${p.id}/capture`, { amount: 100000 }, `cap-${p.id}`);
  assert.equal(cap.status, 200, cap.text);
  assert.equal(cap.json.status, 'succeeded');
  // The CONFIRMED notification that follows is already reflected: no second message.
  assert.deepEqual(await typesFor(p.id, 2), ['payment.waiting_for_capture', 'payment.succeeded']);
  const refund = await server.api('POST', `/v1/payments/${p.id}/refunds`, { amount: 40000 }, `ref-${p.id}`);
  assert.equal(refund.status, 201, refund.text);
  assert.equal(refund.json.status, 'succeeded');
  const types = await typesFor(p.id, 3);
  assert.equal(types.filter((t) => t === 'payment.succeeded').length, 1, types.join());
  const tb = (await emulator.control('/payments', undefined, 'GET')).find((x) => x.orderId === p.id);
  assert.equal(tb.status, 'PARTIAL_REFUNDED');
  assert.equal(tb.amount, 60000);
});

test('two-stage cancel releases the hold (REVERSED) with one payment.canceled', async () => {
  const p = await created(false);
  await pay(p.confirmation.url, GOOD);
  await typesFor(p.id, 1);
  const c = await server.api('POST', `/v1/payments/${p.id}/cancel`, {}, `cancel-${p.id}`);
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(await typesFor(p.id, 2), ['payment.waiting_for_capture', 'payment.canceled']);
});

test('duplicate notifications change the payment once and are all answered OK', async () => {
  await mode('duplicate');
  try {
    const p = await created(true);
    await pay(p.confirmation.url, GOOD);
    assert.deepEqual(await typesFor(p.id, 1), ['payment.succeeded']);
    await emulator.idle();
    const ref = p.confirmation.url.split('/').pop();
    const log = (await emulator.log()).deliveries.filter((d) => d.key?.startsWith(ref));
    assert.equal(log.length, 4, JSON.stringify(log));
    assert.ok(log.every((d) => d.answer === 'OK'));
  } finally {
    await mode('normal');
  }
});

test('out of order: CONFIRMED before AUTHORIZED still ends succeeded, once', async () => {
  await mode('reverse');
  let p;
  try {
    p = await created(true);
    await pay(p.confirmation.url, GOOD);
  } finally {
    await mode('normal');
  }
  await emulator.control('/flush');
  assert.deepEqual(await typesFor(p.id, 1), ['payment.succeeded']);
  const ref = p.confirmation.url.split('/').pop();
  const log = (await emulator.log()).deliveries.filter((d) => d.key?.startsWith(ref));
  assert.deepEqual(log.map((d) => d.kind), ['CONFIRMED', 'AUTHORIZED']);
  assert.ok(log.every((d) => d.answer === 'OK'));
});

test('a forged Token changes nothing; reconciliation later reads the real state', async () => {
  await mode('forged');
  let p;
  try {
    p = await created(true);
    await pay(p.confirmation.url, GOOD);
    await emulator.idle();
  } finally {
    await mode('normal');
  }
  const ref = p.confirmation.url.split('/').pop();
  const log = (await emulator.log()).deliveries.filter((d) => d.key?.startsWith(ref));
  assert.ok(log.length >= 2 && log.every((d) => d.status === 403 && d.answer !== 'OK'), JSON.stringify(log));
  assert.equal(await status(p.id), 'pending');
  assert.equal(receiver.messages.filter((m) => m.data?.id === p.id).length, 0);
  // GetState says CONFIRMED: the reconciliation worker applies it, with one message.
  assert.deepEqual(await typesFor(p.id, 1, 10000), ['payment.succeeded']);
  assert.ok((await emulator.log()).requests.some((r) => r.path === '/v2/GetState'));
});

test('a notification with another amount is refused and changes nothing', async () => {
  await mode('wrong_amount');
  let p;
  try {
    p = await created(false);
    await pay(p.confirmation.url, GOOD);
    await emulator.idle();
  } finally {
    await mode('normal');
  }
  const ref = p.confirmation.url.split('/').pop();
  const log = (await emulator.log()).deliveries.filter((d) => d.key?.startsWith(ref));
  assert.ok(log.length >= 1 && log.every((d) => d.status === 422 && d.answer !== 'OK'), JSON.stringify(log));
  await settle();
  assert.equal(await status(p.id), 'pending');
  assert.equal(receiver.messages.filter((m) => m.data?.id === p.id).length, 0);
});

test('slow answers within the time limit still create the payment', async () => {
  await emulator.control('/faults', { path: '/v2/Init', kind: 'slow', delay_ms: 600 });
  const r = await create(true);
  assert.equal(r.status, 201, r.text);
});

test('a 5xx on Init reaches the shop as problem+json with T-Bank\'s code; Init is not repeated', async () => {
  const before = (await emulator.log()).requests.filter((r) => r.path === '/v2/Init').length;
  await emulator.control('/faults', { path: '/v2/Init', kind: '5xx' });
  const r = await create(true, 'key-5xx');
  assert.equal(r.status, 502, r.text);
  assert.match(r.type, /application\/problem\+json/);
  assert.equal(r.json.acquirer, 'tbank');
  assert.equal(r.json.acquirer_code, '9999');
  assert.equal((await emulator.log()).requests.filter((r) => r.path === '/v2/Init').length, before + 1);
  // The key stays free: the shop's retry creates the payment.
  const again = await create(true, 'key-5xx');
  assert.equal(again.status, 201, again.text);
});

test('a timeout on Init is "unavailable", sent once (Init is not idempotent at T-Bank)', async () => {
  const before = (await emulator.log()).requests.filter((r) => r.path === '/v2/Init').length;
  await emulator.control('/faults', { path: '/v2/Init', kind: 'timeout', delay_ms: 3000 });
  const r = await create(true);
  assert.equal(r.status, 502, r.text);
  assert.equal(r.json.type, 'urn:vitrina:problem:acquirer-unavailable');
  assert.equal((await emulator.log()).requests.filter((r) => r.path === '/v2/Init').length, before + 1);
  // The payment T-Bank registered meanwhile was looked up and canceled: nobody can pay it.
  const orphan = (await emulator.control('/payments', undefined, 'GET')).at(-1);
  assert.equal(orphan.status, 'CANCELED');
  assert.ok((await emulator.log()).requests.some((r) => r.path === '/v2/CheckOrder'));
});

test('T-Bank\'s refusal reaches the shop with its ErrorCode', async () => {
  await emulator.control('/refuse', { method: 'Init', code: '1001', message: 'Платёж отклонён банком' });
  const r = await create(true);
  assert.equal(r.status, 422, r.text);
  assert.match(r.type, /application\/problem\+json/);
  assert.equal(r.json.acquirer_code, '1001');
  assert.match(r.json.detail, /отклонён/);
});

test('a payment page that expires ends the payment expired', async () => {
  const p = await created(true);
  const ref = p.confirmation.url.split('/').pop();
  await emulator.control(`/expire/${ref}`);
  assert.deepEqual(await typesFor(p.id, 1), ['payment.expired']);
});

test('every message the shop got verified, none twice', async () => {
  assert.deepEqual(receiver.refused, []);
  const ids = receiver.messages.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length);
});
