// Stripe webhooks signed by npm `stripe` itself (stripe.webhooks.generateTestHeaderString), posted
// to the real server's callback endpoint: the genuine one settles the payment once, a repeat
// changes nothing, and tampered, wrongly keyed or stale ones are refused with nothing changed.
// The server talks to tools/emulators/stripe.mjs for the Checkout Session; the shop's webhooks go
// to a receiver on 127.0.0.1, which must get exactly one payment.succeeded.
// Run by CTest (tests/interop/CMakeLists.txt) from the repository root:
//   VITRINA_SERVER=build/server/vitrina-server node --test tests/interop/stripe_callbacks.test.mjs

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

let Stripe;
try {
  ({ default: Stripe } = await import('stripe'));
} catch (e) {
  throw new Error(`cannot load npm stripe (run \`npm ci\` at the repository root): ${e.message}`);
}

const SERVER = process.env.VITRINA_SERVER;
assert.ok(SERVER && fs.existsSync(SERVER), `VITRINA_SERVER must name the built vitrina-server (got ${SERVER})`);

const API_KEY = 'sk_test_interop_callbacks';
const WEBHOOK_SECRET = 'whsec_' + crypto.randomBytes(24).toString('base64url');
const stripe = new Stripe(API_KEY);
const execFileAsync = promisify(execFile);
const children = [];
let log = '';
let tmp;
let data;
let base;
let siteId;
let siteKey;
let receiver;
const received = [];  // the shop's webhook bodies, parsed

const withLog = (message) => `${message}\n--- log ---\n${log.slice(-4000)}`;

// Starts a child and resolves with the first value `pick` finds in its JSON output lines.
function startChild(command, args, pick) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(withLog(`${path.basename(args[0] ?? command)} did not start`))), 15000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(withLog(`exited early (${code})`))); });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        log += `${line}\n`;
        let entry;
        try { entry = JSON.parse(line); } catch { return; }
        const value = pick(entry);
        if (value !== undefined) { clearTimeout(timer); resolve(value); }
      });
    }
  });
}

process.on('exit', () => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); });

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrina-stripe-callbacks-'));
  data = path.join(tmp, 'data');
  receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const emulatorPort = await startChild(process.execPath,
    ['tools/emulators/stripe.mjs', '--api-key', API_KEY, '--webhook-secret', WEBHOOK_SECRET],
    (e) => (e.emulator === 'stripe' ? e.port : undefined));
  const cli = async (args) => (await execFileAsync(SERVER, ['--data', data, '--set', 'webhooks.allow_private_targets=true', ...args], { timeout: 20000 })).stdout;
  const site = JSON.parse(await cli(['site', 'create', '--name', 'Interop', '--origin', 'http://127.0.0.1', '--json']));
  siteId = site.id;
  siteKey = site.secret_key;
  await cli(['webhook', 'add', '--site', siteId, '--url', `http://127.0.0.1:${receiver.address().port}/hook`, '--json']);
  const settings = ['webhooks.allow_private_targets=true', 'webhooks.poll_interval_ms=50',
    `acquirers.stripe.base_url=http://127.0.0.1:${emulatorPort}`,
    `acquirers.stripe.sites.${siteId}.secret_key=${API_KEY}`,
    `acquirers.stripe.sites.${siteId}.webhook_secret=${WEBHOOK_SECRET}`].flatMap((s) => ['--set', s]);
  const address = await startChild(SERVER, ['--listen', '127.0.0.1:0', '--data', data, ...settings],
    (e) => (e.msg === 'listening' ? e.address : undefined));
  base = `http://${address}`;
});

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve()));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function api(method, route, body) {
  const headers = { Authorization: `Bearer ${siteKey}` };
  if (body !== undefined) {
    headers['Idempotency-Key'] = crypto.randomUUID();
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(base + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

async function callback(payload, header) {
  const res = await fetch(`${base}/v1/callbacks/stripe/${siteId}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': header },
    body: payload,
  });
  return { status: res.status, body: await res.text() };
}

// checkout.session.completed for `payment`'s session, as Stripe would send it.
function completedEvent(payment, sessionId, amount = payment.amount) {
  return JSON.stringify({
    id: `evt_${crypto.randomBytes(12).toString('hex')}`, object: 'event', api_version: '2024-06-20',
    created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1,
    request: { id: null, idempotency_key: null }, type: 'checkout.session.completed',
    data: { object: {
      id: sessionId, object: 'checkout.session', mode: 'payment', status: 'complete', payment_status: 'paid',
      amount_total: amount, currency: payment.currency.toLowerCase(), url: null,
      expires_at: Math.floor(Date.now() / 1000) + 3600, payment_intent: 'pi_interop',
      client_reference_id: payment.id,
      metadata: { vitrina_payment_id: payment.id, vitrina_site_id: siteId },
    } },
  });
}

const status = async (id) => (await api('GET', `/v1/payments/${id}`)).json.status;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('webhooks signed by npm stripe are accepted once; tampered, mis-keyed and stale ones change nothing',
  { timeout: 60000 }, async () => {
    const created = await api('POST', '/v1/payments', {
      amount: 150000, currency: 'EUR', order_id: 'order-stripe', description: 'Tea',
      return_url: 'https://shop.example/back', acquirer: 'stripe',
    });
    assert.equal(created.status, 201, withLog(JSON.stringify(created.json)));
    const payment = created.json;
    const sessionId = payment.confirmation?.url?.split('/').pop() ?? '';
    assert.match(sessionId, /^cs_test_/, JSON.stringify(payment));

    const genuine = completedEvent(payment, sessionId);
    const header = stripe.webhooks.generateTestHeaderString({ payload: genuine, secret: WEBHOOK_SECRET });

    // The genuine header over another amount: the signature no longer matches.
    const tampered = genuine.replace('"amount_total":150000', '"amount_total":1');
    assert.notEqual(tampered, genuine);
    assert.equal((await callback(tampered, header)).status, 401);
    // Signed by npm stripe, with another endpoint's secret.
    const otherKey = stripe.webhooks.generateTestHeaderString({ payload: genuine, secret: 'whsec_another_endpoint' });
    assert.equal((await callback(genuine, otherKey)).status, 401);
    // Signed correctly, ten minutes ago: past the 300 s tolerance.
    const stale = stripe.webhooks.generateTestHeaderString({
      payload: genuine, secret: WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 });
    assert.equal((await callback(genuine, stale)).status, 401);
    // Signed correctly, but about another amount than the payment's.
    const otherAmount = completedEvent(payment, sessionId, 149999);
    const otherAmountHeader = stripe.webhooks.generateTestHeaderString({ payload: otherAmount, secret: WEBHOOK_SECRET });
    assert.equal((await callback(otherAmount, otherAmountHeader)).status, 422);
    assert.equal(await status(payment.id), 'pending');

    const accepted = await callback(genuine, header);
    assert.equal(accepted.status, 200, withLog(accepted.body));
    assert.equal(await status(payment.id), 'succeeded');
    // Stripe delivers at least once: the same event again is acknowledged and changes nothing.
    const again = await callback(genuine, stripe.webhooks.generateTestHeaderString({ payload: genuine, secret: WEBHOOK_SECRET }));
    assert.equal(again.status, 200);

    // The server's outbox holds what it will ever send about these callbacks; once nothing in it
    // is pending, the shop has received all of it.
    const deadline = Date.now() + 10000;
    let outbox = [];
    for (;;) {
      outbox = (await api('GET', '/v1/webhook_messages')).json.items;
      const settled = outbox.every((m) => m.deliveries.every((d) => d.status !== 'pending'));
      if ((settled && received.length >= 1) || Date.now() > deadline) break;
      await sleep(20);
    }
    assert.deepEqual(outbox.map((m) => m.type), ['payment.succeeded'], withLog(JSON.stringify(outbox)));
    assert.deepEqual(received.map((e) => e.type), ['payment.succeeded'], withLog(JSON.stringify(received)));
    assert.equal(received[0].data.id, payment.id);
  });
