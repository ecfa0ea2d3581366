// Interop of the server's own outbound webhooks with npm `standardwebhooks` (the Standard Webhooks
// project's JavaScript library): the real vitrina-server, on port 0 with a temporary data
// directory, sends the webhooks of real payments (created through the API, paid on the sandbox
// page) to a Node receiver on 127.0.0.1, and `new Webhook(secret).verify(body, headers)` accepts
// every delivery exactly as it arrived, refuses tampered ones, and after `webhook rotate-secret`
// accepts both the old and the new secret.
// Run by CTest (tests/interop/CMakeLists.txt) from the repository root:
//   VITRINA_SERVER=build/server/vitrina-server node --test tests/interop/server_webhooks.test.mjs

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

let Webhook, WebhookVerificationError;
try {
  ({ Webhook, WebhookVerificationError } = await import('standardwebhooks'));
} catch (e) {
  throw new Error(`cannot load npm standardwebhooks (run \`npm ci\` at the repository root): ${e.message}`);
}

const SERVER = process.env.VITRINA_SERVER;
assert.ok(SERVER && fs.existsSync(SERVER), `VITRINA_SERVER must name the built vitrina-server (got ${SERVER})`);

const execFileAsync = promisify(execFile);
// The receiver is on loopback, and a refused attempt is retried within a fraction of a second.
const SETTINGS = ['--set', 'webhooks.allow_private_targets=true', '--set', 'webhooks.poll_interval_ms=50',
  '--set', 'webhooks.retry_schedule_ms=200,400,800,1600'];
const SUCCESS_CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000000000000002';

let tmp;
let data;
let server;
let serverLog = '';
let base;
let siteKey;
let endpointId;
let secret;
let previousSecret;
let receiver;
const attempts = [];  // every request the receiver got: { status, headers, body }

const withLog = (message) => `${message}\n--- server log ---\n${serverLog.slice(-4000)}`;

async function cli(args) {
  const { stdout } = await execFileAsync(SERVER, ['--data', data, ...SETTINGS, ...args], { timeout: 20000 });
  return stdout;
}

// Starts the server; resolves with its address from the "listening" log line.
function startServer() {
  server = spawn(SERVER, ['--listen', '127.0.0.1:0', '--data', data, ...SETTINGS],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(withLog('server did not log "listening" in 15 s'))), 15000);
    server.on('error', (e) => { clearTimeout(timer); reject(e); });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(withLog(`server exited early (code ${code}, signal ${signal})`)));
    });
    for (const stream of [server.stdout, server.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        serverLog += `${line}\n`;
        let entry;
        try { entry = JSON.parse(line); } catch { return; }
        if (entry.msg === 'listening' && typeof entry.address === 'string') {
          clearTimeout(timer);
          resolve(entry.address);
        }
      });
    }
  });
}

function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.kill('SIGKILL'), 5000);
    server.once('exit', () => { clearTimeout(kill); resolve(); });
    server.kill('SIGTERM');
  });
}
process.on('exit', () => { if (server && server.exitCode === null) server.kill('SIGKILL'); });

// Answers 204, except the very first attempt of the first message, refused with 503 so that a
// retry (same webhook-id, same body, a new timestamp and signature) is verified too.
function startReceiver() {
  receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = attempts.length === 0 ? 503 : 204;
      attempts.push({ status, headers: { ...req.headers }, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(receiver.address().port)));
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrina-server-webhooks-'));
  data = path.join(tmp, 'data');
  const port = await startReceiver();
  const site = JSON.parse(await cli(['site', 'create', '--name', 'Interop', '--origin', 'http://127.0.0.1', '--json']));
  siteKey = site.secret_key;
  assert.match(siteKey, /^sk_/);
  const endpoint = JSON.parse(await cli(['webhook', 'add', '--site', site.id, '--url',
    `http://127.0.0.1:${port}/hook`, '--json']));
  endpointId = endpoint.id;
  secret = endpoint.secret;
  assert.match(secret, /^whsec_/);
  base = `http://${await startServer()}`;
});

after(async () => {
  await stopServer();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve()));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function api(method, route, body) {
  const headers = { Authorization: `Bearer ${siteKey}` };
  if (method === 'POST') {
    headers['Idempotency-Key'] = crypto.randomUUID();
    headers['Content-Type'] = 'application/json';
  }
  const init = { method, headers };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(base + route, init);
  return { status: res.status, json: await res.json() };
}

async function createPayment(orderId, capture) {
  const metadata = { cart: `cart-${orderId}`, note: 'чай & "кофе"' };
  const r = await api('POST', '/v1/payments', {
    amount: 150000, currency: 'RUB', order_id: orderId, description: 'Tea',
    return_url: 'https://shop.example/back', metadata, capture,
  });
  assert.equal(r.status, 201, withLog(JSON.stringify(r.json)));
  return r.json;
}

async function pay(payment, card) {
  const res = await fetch(`${base}/sandbox/pay/${payment.id}`, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card_number: card }).toString(),
  });
  assert.equal(res.status, 303, withLog(await res.text()));
  assert.equal(res.headers.get('location'), payment.return_url);
}

const accepted = () => attempts.filter((a) => a.status === 204);
// The HMAC entries of a delivery's webhook-signature (other versions, such as v1a, may follow).
const v1Entries = (a) => a.headers['webhook-signature'].split(' ').filter((e) => e.startsWith('v1,'));

function verifies(key, body, headers) {
  try {
    new Webhook(key).verify(body, headers);
    return true;
  } catch (e) {
    assert.ok(e instanceof WebhookVerificationError, `unexpected ${e}`);
    return false;
  }
}

// Resolves with the accepted delivery of `type` about the object `id` (a payment, or a refund's
// payment), waiting for it up to 10 s.
async function delivery(type, id) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const found = accepted().find((a) => {
      const event = JSON.parse(a.body);
      return event.type === type && (event.data.id === id || event.data.payment_id === id);
    });
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(withLog(`no ${type} for ${id}; got ${accepted().map((a) => a.body).join('\n')}`));
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const expected = new Map();  // webhook-id -> the payment it is about

test('every payment webhook the server sends passes standardwebhooks verify', { timeout: 60000 }, async () => {
  const paid = await createPayment('order-paid', true);
  await pay(paid, SUCCESS_CARD);
  const held = await createPayment('order-held', false);
  await pay(held, SUCCESS_CARD);
  const captured = await api('POST', `/v1/payments/${held.id}/capture`);
  assert.equal(captured.status, 200, JSON.stringify(captured.json));
  const declined = await createPayment('order-declined', true);
  await pay(declined, DECLINED_CARD);
  const canceled = await createPayment('order-canceled', true);
  assert.equal((await api('POST', `/v1/payments/${canceled.id}/cancel`)).status, 200);
  const refund = await api('POST', `/v1/payments/${paid.id}/refunds`, { amount: 50000 });
  assert.equal(refund.status, 201, JSON.stringify(refund.json));

  const cases = [
    ['payment.succeeded', paid],
    ['payment.waiting_for_capture', held],
    ['payment.succeeded', held],
    ['payment.failed', declined],
    ['payment.canceled', canceled],
    ['refund.succeeded', paid],
  ];
  for (const [type, payment] of cases) {
    const got = await delivery(type, payment.id);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.match(got.headers['webhook-id'], /^msg_[0-9A-Za-z]+$/);
    const v1 = v1Entries(got);
    assert.equal(v1.length, 1, `one secret, one v1 signature: ${got.headers['webhook-signature']}`);
    assert.match(v1[0], /^v1,[A-Za-z0-9+/]{43}=$/);
    const event = new Webhook(secret).verify(got.body, got.headers);
    assert.equal(event.type, type);
    assert.match(event.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(event.data.order_id, payment.order_id);
    assert.deepEqual(event.data.metadata, payment.metadata);
    if (type.startsWith('payment.')) {
      assert.equal(event.data.id, payment.id);
      assert.equal(`payment.${event.data.status}`, type);
    } else {
      assert.equal(event.data.id, refund.json.id);
      assert.equal(event.data.payment_id, payment.id);
      assert.equal(event.data.amount, 50000);
    }
    if (type === 'payment.failed') assert.equal(event.data.failure_reason, 'card_declined');
    expected.set(got.headers['webhook-id'], `${type} ${payment.id}`);
  }
  assert.equal(expected.size, cases.length, 'every event has its own webhook-id');

  // The refused first attempt came again: the same id and body, signed anew, and both verify.
  const [first] = attempts;
  assert.equal(first.status, 503);
  const retries = accepted().filter((a) => a.headers['webhook-id'] === first.headers['webhook-id']);
  assert.ok(retries.length >= 1, 'the refused message was retried');
  for (const retry of retries) {
    assert.equal(retry.body, first.body);
    assert.ok(Number(retry.headers['webhook-timestamp']) >= Number(first.headers['webhook-timestamp']));
    assert.ok(verifies(secret, retry.body, retry.headers));
  }
  assert.ok(verifies(secret, first.body, first.headers));
  // Nothing else was sent, and a message sent twice is byte for byte the same.
  const bodies = new Map();
  for (const a of accepted()) {
    const id = a.headers['webhook-id'];
    assert.ok(expected.has(id), `unexpected ${a.body}`);
    assert.ok(verifies(secret, a.body, a.headers));
    assert.equal(bodies.get(id) ?? a.body, a.body, `two bodies under ${id}`);
    bodies.set(id, a.body);
  }
});

test('tampered deliveries fail standardwebhooks verify', async () => {
  const got = accepted().find((a) => JSON.parse(a.body).type === 'payment.succeeded');
  assert.ok(got, 'a payment.succeeded delivery from the first test');
  assert.ok(verifies(secret, got.body, got.headers), 'the original (control)');
  const event = JSON.parse(got.body);
  const other = `whsec_${crypto.randomBytes(32).toString('base64')}`;
  const ts = Number(got.headers['webhook-timestamp']);
  const forged = new Webhook(other).sign(got.headers['webhook-id'], new Date(ts * 1000), got.body);
  const cases = [
    ['another order id in the body', got.body.replace(event.data.order_id, 'order-evil'), got.headers],
    ['another amount in the body', got.body.replace(`"amount":${event.data.amount}`, '"amount":1'), got.headers],
    ['a trailing newline', `${got.body}\n`, got.headers],
    ['the body re-serialized', JSON.stringify(event, null, 1), got.headers],
    ['another webhook-id', got.body, { ...got.headers, 'webhook-id': `${got.headers['webhook-id']}x` }],
    ['another timestamp', got.body, { ...got.headers, 'webhook-timestamp': String(ts + 1) }],
    ['a signature from another secret', got.body, { ...got.headers, 'webhook-signature': forged }],
    ['no signature', got.body, { ...got.headers, 'webhook-signature': undefined }],
  ];
  for (const [what, body, headers] of cases) {
    assert.throws(() => new Webhook(secret).verify(body, headers), WebhookVerificationError, what);
  }
  assert.throws(() => new Webhook(other).verify(got.body, got.headers), WebhookVerificationError, 'the wrong secret');
});

test('after rotate-secret each message carries two signatures: old and new secret both verify', async () => {
  const out = await cli(['webhook', 'rotate-secret', endpointId]);
  previousSecret = secret;
  [secret] = out.match(/whsec_[A-Za-z0-9+/=]+/) ?? [];
  assert.ok(secret && secret !== previousSecret, `a new secret in: ${out.replace(/whsec_\S+/g, 'whsec_…')}`);

  const payment = await createPayment('order-rotated', true);
  await pay(payment, SUCCESS_CARD);
  const got = await delivery('payment.succeeded', payment.id);
  const entries = v1Entries(got);
  assert.equal(entries.length, 2, got.headers['webhook-signature']);
  const event = new Webhook(secret).verify(got.body, got.headers);
  assert.equal(event.data.id, payment.id);
  assert.deepEqual(new Webhook(previousSecret).verify(got.body, got.headers), event);
  // Each secret makes exactly one of the two entries.
  for (const key of [secret, previousSecret]) {
    const matching = entries.filter((e) => verifies(key, got.body, { ...got.headers, 'webhook-signature': e }));
    assert.equal(matching.length, 1);
  }
  const stranger = `whsec_${crypto.randomBytes(32).toString('base64')}`;
  assert.throws(() => new Webhook(stranger).verify(got.body, got.headers), WebhookVerificationError);
  const tampered = got.body.replace('order-rotated', 'order-rotatee');
  assert.throws(() => new Webhook(secret).verify(tampered, got.headers), WebhookVerificationError);
  assert.throws(() => new Webhook(previousSecret).verify(tampered, got.headers), WebhookVerificationError);
});
