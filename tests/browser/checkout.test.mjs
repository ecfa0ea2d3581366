// Browser test: a purchase in examples/headless-shop, end to end. The shop's backend creates the
// payment through the SDK, the payer pays on Vitrina's sandbox page in headless Chromium, comes
// back to the order page, and the page says "Paid" only once the backend has received and
// verified Vitrina's signed webhook. A declined card fails the order; a forged webhook is
// refused with 401 and changes nothing.
//
// Vitrina's webhooks reach the shop through a relay in this test, which passes them on byte for
// byte but can hold one back: so the test can see the order still unpaid after the payer's
// return, and paid only once the webhook is let through.
//
// Environment (set by tests/browser/CMakeLists.txt): VITRINA_SERVER (the server binary),
// VITRINA_HEADLESS_SHOP (the example's backend binary).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { env, launchChromium } from './support.mjs';

const run = promisify(execFile);

let chromium;
let Webhook;
try {
  ({ chromium } = await import('playwright-core'));
  ({ Webhook } = await import('standardwebhooks'));
} catch {
  throw new Error('playwright-core or standardwebhooks is not installed: run `npm ci` at the repository root');
}

const SERVER = env('VITRINA_SERVER');
const SHOP = env('VITRINA_HEADLESS_SHOP');
const SUCCESS_CARD = '4242 4242 4242 4242';
const DECLINE_CARD = '4000 0000 0000 0002';
const ORDER_PAGE = /^http:\/\/127\.0\.0\.1:\d+\/orders\/ord_[0-9A-Za-z]{24}$/;
const SANDBOX_PAGE = /^http:\/\/127\.0\.0\.1:\d+\/sandbox\/pay\/pay_[0-9A-Za-z]+$/;

let tmp;
let browser;
let shopUrl;
let secretKey;
let webhookSecret;
let relay;
const processes = [];

// Starts a program and resolves with the address from its JSON "listening" log line (both the
// server and the shop log one). Every stderr line is kept in `proc.log`.
function start(name, program, args, extraEnv = {}) {
  const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...extraEnv } });
  const proc = { name, child, log: '' };
  processes.push(proc);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not log "listening" in 15 s\n${proc.log}`)), 15000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited early (code ${code}, signal ${signal})\n${proc.log}`));
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      proc.log += line + '\n';
      let entry;
      try { entry = JSON.parse(line); } catch { return; }
      if (entry.msg === 'listening' && typeof entry.address === 'string') {
        clearTimeout(timer);
        resolve({ ...proc, address: entry.address });
      }
    });
  });
}

function stop({ child }) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}
// Even if the test runner dies, never leave a process behind.
process.on('exit', () => {
  for (const { child } of processes) if (child.exitCode === null) child.kill('SIGKILL');
});

// The relay Vitrina delivers to. Every webhook is recorded in `relay.seen` and passed on to the
// shop unchanged, with the shop's answer returned to Vitrina; while `relay.hold` is set, a
// webhook waits for it to be released first.
async function startRelay() {
  const state = { seen: [], hold: null, target: null };
  state.server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    state.seen.push({ id: req.headers['webhook-id'], body: body.toString() });
    if (state.hold) await state.hold.promise;
    const headers = {};
    for (const name of ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    }
    try {
      const answer = await fetch(state.target + req.url, { method: req.method, headers, body });
      res.writeHead(answer.status).end(await answer.text());
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise((resolve, reject) => {
    state.server.once('error', reject);
    state.server.listen(0, '127.0.0.1', resolve);
  });
  state.port = state.server.address().port;
  return state;
}

function deferred() {
  let release;
  const promise = new Promise((resolve) => { release = resolve; });
  return { promise, release };
}

const shop = () => processes.find((p) => p.name === 'headless-shop');
const logs = () => processes.map((p) => `--- ${p.name} log ---\n${p.log}`).join('');

// The shop's JSON log lines with this msg.
function shopLogEntries(msg) {
  return shop().log.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line);
      return entry.msg === msg ? [entry] : [];
    } catch {
      return [];
    }
  });
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'vitrina-checkout-'));
  const data = path.join(tmp, 'data');
  const cli = { timeout: 20000 };

  const site = JSON.parse((await run(SERVER, ['site', 'create', '--data', data, '--name', 'Headless shop',
    '--origin', 'http://127.0.0.1', '--json'], cli)).stdout);
  secretKey = site.secret_key;
  assert.match(secretKey, /^sk_/);

  relay = await startRelay();
  const endpoint = JSON.parse((await run(SERVER, ['webhook', 'add', '--data', data, '--site', site.id,
    '--url', `http://127.0.0.1:${relay.port}/webhooks/vitrina`, '--json',
    '--set', 'webhooks.allow_private_targets=true'], cli)).stdout);
  webhookSecret = endpoint.secret;
  assert.match(webhookSecret, /^whsec_/);

  const vitrina = await start('vitrina-server', SERVER, ['--listen', '127.0.0.1:0', '--data', data,
    '--set', 'webhooks.allow_private_targets=true']);
  const shopProc = await start('headless-shop', SHOP, ['--listen', '127.0.0.1:0',
    '--vitrina-url', `http://${vitrina.address}`, '--data', path.join(tmp, 'shop')],
  { VITRINA_SECRET_KEY: secretKey, VITRINA_WEBHOOK_SECRET: webhookSecret });
  shopUrl = `http://${shopProc.address}`;
  relay.target = shopUrl;

  browser = await launchChromium(chromium);
});

after(async () => {
  relay?.hold?.release();
  await browser?.close().catch(() => {});
  await Promise.all(processes.map(stop));
  relay?.server.closeAllConnections();
  await new Promise((resolve) => (relay ? relay.server.close(resolve) : resolve()));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// Opens the storefront in a fresh context, recording what the shop's pages complain about
// (CSP violations, script errors, failed requests). The sandbox page is Vitrina's, not the shop's.
async function openShop() {
  const context = await browser.newContext({ viewport: { width: 1180, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const complaints = [];
  const onShop = () => page.url().startsWith(shopUrl);
  page.on('console', (m) => {
    if (onShop() && (m.type() === 'error' || m.type() === 'warning')) complaints.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => complaints.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(shopUrl)) complaints.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.url().startsWith(shopUrl) && r.status() >= 400) complaints.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(shopUrl + '/', { waitUntil: 'load', timeout: 15000 });
  await page.locator('#products button.add').first().waitFor({ state: 'visible' });
  return { context, page, complaints };
}

// Adds products to the cart (one click each), pays, and lands on the sandbox page.
async function checkout(page, productIds) {
  for (const id of productIds) await page.locator(`#products button[data-product-id="${id}"]`).click();
  await Promise.all([page.waitForURL(SANDBOX_PAGE), page.locator('#pay').click()]);
}

// Enters a card on the sandbox page and follows the redirect back to the shop's order page.
async function payWith(page, card) {
  await page.locator('#card_number').fill(card);
  await Promise.all([page.waitForURL(ORDER_PAGE), page.locator('form button[type=submit]').click()]);
  return page.url().split('/').pop();
}

async function waitForStatus(page, status) {
  await page.waitForFunction((s) => document.getElementById('status')?.dataset.status === s, status,
    { timeout: 20000 }).catch((e) => { throw new Error(`${e.message}\n${logs()}`); });
}

async function waitFor(predicate, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function getOrder(id) {
  const res = await fetch(`${shopUrl}/api/orders/${id}`);
  assert.equal(res.status, 200);
  return res.json();
}

test('a success card pays the order, and the page says Paid once the webhook is verified', { timeout: 60000 },
  async () => {
    const { context, page, complaints } = await openShop();
    try {
      assert.equal(await page.locator('#products .product').count(), 4, 'four teas on the shelf');
      assert.ok(await page.locator('#pay').isDisabled(), 'nothing to pay for with an empty cart');

      await page.locator('#products button[data-product-id="georgian-black"]').click();
      await page.locator('#products button[data-product-id="assam"]').click();
      await page.locator('#cart-lines li[data-product-id="assam"] button[aria-label^="One more"]').click();
      assert.equal(await page.locator('#cart-count').textContent(), 'Cart (3)');
      assert.equal(await page.locator('#cart-total').getAttribute('data-amount'), String(89000 + 2 * 76000));

      await Promise.all([page.waitForURL(SANDBOX_PAGE), page.locator('#pay').click()]);
      assert.match(await page.locator('#amount').textContent(), /2\D?410/, 'the sandbox asks for 2 410 ₽');

      // Back on the order page with the webhook held: the payer's return alone pays nothing.
      relay.hold = deferred();
      const seenBefore = relay.seen.length;
      const orderId = await payWith(page, SUCCESS_CARD);
      await page.waitForFunction(() => document.getElementById('status')?.dataset.status !== '');
      await waitFor(() => relay.seen.slice(seenBefore).some((m) => m.body.includes(orderId)),
        'Vitrina sends the payment.succeeded webhook');
      assert.equal(await page.locator('#status').getAttribute('data-status'), 'awaiting_payment');
      assert.equal(await page.locator('#status').textContent(), 'Awaiting payment');
      assert.equal((await getOrder(orderId)).status, 'awaiting_payment');

      relay.hold.release();
      relay.hold = null;
      await waitForStatus(page, 'paid');
      assert.equal(await page.locator('#status').textContent(), 'Paid');
      assert.equal(await page.locator('#order-id').textContent(), orderId);
      assert.equal(await page.locator('#order-lines tr').count(), 2);

      const order = await getOrder(orderId);
      assert.equal(order.status, 'paid');
      assert.equal(order.amount, 241000);
      const verified = shopLogEntries('webhook verified').filter((e) => e.order_id === orderId);
      assert.deepEqual(verified.map((e) => [e.type, e.outcome, e.payment_id]),
        [['payment.succeeded', 'applied', order.payment_id]], 'one verified payment.succeeded made it paid');

      assert.deepEqual(complaints, [], 'no console errors, CSP violations or failed requests on the shop');
      for (const secret of [secretKey, webhookSecret, '4242424242424242', SUCCESS_CARD]) {
        assert.ok(!logs().includes(secret), 'no secret or card number in any log');
      }
      if (process.env.VITRINA_SCREENSHOT) await page.screenshot({ path: process.env.VITRINA_SCREENSHOT });
    } finally {
      await context.close();
    }
  });

test('a declined card fails the order', { timeout: 60000 }, async () => {
  const { context, page, complaints } = await openShop();
  try {
    await checkout(page, ['ivan-chai']);
    const orderId = await payWith(page, DECLINE_CARD);
    await waitForStatus(page, 'failed');
    assert.equal(await page.locator('#status').textContent(), 'Payment failed');
    assert.match(await page.locator('#status-note').textContent(), /declined/);
    const order = await getOrder(orderId);
    assert.equal(order.status, 'failed');
    assert.equal(order.failure_reason, 'card_declined');
    assert.deepEqual(complaints, []);
  } finally {
    await context.close();
  }
});

test('a forged webhook gets 401 and does not mark the order paid', { timeout: 30000 }, async () => {
  const created = await fetch(`${shopUrl}/api/orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ items: [{ product_id: 'yunnan-green', quantity: 1 }] }),
  });
  assert.equal(created.status, 201);
  const { order_id: orderId } = await created.json();
  const order = await getOrder(orderId);
  assert.equal(order.status, 'awaiting_payment');

  const body = JSON.stringify({
    type: 'payment.succeeded',
    timestamp: new Date().toISOString(),
    data: { id: order.payment_id, status: 'succeeded', amount: order.amount, currency: 'RUB', order_id: orderId },
  });
  const post = (headers, payload = body) => fetch(`${shopUrl}/webhooks/vitrina`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: payload,
  });
  const signed = (secret, id, when = new Date(), payload = body) => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(when.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, when, payload),
  });
  const otherSecret = `whsec_${randomBytes(32).toString('base64')}`;

  const forged = [
    ['signed with another secret', signed(otherSecret, 'msg_forged1')],
    ['unsigned', {}],
    ['signed, then the body changed', signed(webhookSecret, 'msg_forged2', new Date(), body.replace('}}', ',"x":1}}'))],
    ['signed an hour ago', signed(webhookSecret, 'msg_forged3', new Date(Date.now() - 3600 * 1000))],
  ];
  for (const [what, headers] of forged) {
    const res = await post(headers);
    assert.equal(res.status, 401, `${what}: 401`);
    assert.equal((await getOrder(orderId)).status, 'awaiting_payment', `${what}: the order is not paid`);
  }
  assert.equal(shopLogEntries('webhook refused').length >= forged.length, true, 'each refusal is logged');

  // Genuinely signed, but about less money than the order costs: acknowledged, not applied.
  const cheaper = body.replace(`"amount":${order.amount}`, '"amount":100');
  assert.equal((await post(signed(webhookSecret, 'msg_cheaper1', new Date(), cheaper), cheaper)).status, 204);
  assert.equal((await getOrder(orderId)).status, 'awaiting_payment', 'a payment of another amount pays nothing');
  assert.deepEqual(shopLogEntries('webhook verified').filter((e) => e.webhook_id === 'msg_cheaper1')
    .map((e) => e.outcome), ['mismatch']);

  // The same message signed with the endpoint's secret is accepted, once: the 401s above were
  // about the signatures, not the message.
  const genuine = signed(webhookSecret, 'msg_genuine1');
  assert.equal((await post(genuine)).status, 204);
  assert.equal((await getOrder(orderId)).status, 'paid');
  assert.equal((await post(genuine)).status, 204, 'a redelivery is acknowledged');
  const outcomes = shopLogEntries('webhook verified').filter((e) => e.webhook_id === 'msg_genuine1')
    .map((e) => e.outcome);
  assert.deepEqual(outcomes, ['applied', 'duplicate'], 'and applied only once');
});
