#!/usr/bin/env node
// A YooKassa API v3 emulator for tests, on 127.0.0.1 port 0 (the port is printed as
// {"emulator":"yookassa","port":N}).
//
//   POST /v3/payments              {amount:{value,currency}, capture, confirmation:{type:"redirect",
//                                   return_url}, description, metadata, receipt}
//   GET  /v3/payments/:id
//   POST /v3/payments/:id/capture  {amount?}       waiting_for_capture -> succeeded
//   POST /v3/payments/:id/cancel   {}              waiting_for_capture -> canceled
//   POST /v3/refunds               {payment_id, amount}
//   GET  /v3/refunds/:id
//   GET  /checkout/:id             the payment page; POST it with card=<number>
//
// Requests need HTTP Basic auth shopId:secretKey. Every POST needs an Idempotence-Key: the same
// key with the same body replays the first answer, with another body it is an error. Errors are
// YooKassa's {"type":"error","id","code","description","parameter"}; a 5xx has the code
// internal_server_error (the result of the request is then unknown, as YooKassa documents).
//
// Notifications ({"type":"notification","event","object"}) are not signed: they go to
// config.notify_url from 127.0.0.1, any 2xx accepts them. Events: payment.waiting_for_capture,
// payment.succeeded, payment.canceled, refund.succeeded.
//
// Test cards: 5555555555554477 pays; 5555555555554444 is declined (canceled, party
// payment_network, reason insufficient_funds). Delivery modes (harness): "wrong_amount" makes the
// payment itself carry 1.00 more than was asked when it is paid (so the re-read disagrees).
// POST /__emulator/notify {"payment": id, "event": "payment.succeeded", "from": "127.0.0.2"}
// sends a notification that claims anything, from any loopback address, changing nothing.
// POST /__emulator/refuse {"path": "/v3/payments", "status": 403, "code": "forbidden", …} makes the
// next request to that path answer that error.
// POST /__emulator/capture/:id captures a held payment as YooKassa's dashboard would.
// POST /__emulator/expire/:id cancels an unpaid payment (expired_on_confirmation).
//
// Usage: node tools/emulators/yookassa.mjs --shop-id 123 --secret-key test_x

import crypto from 'node:crypto';
import http from 'node:http';
import { Emulator, escapeHtml, send } from './lib/harness.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const shopId = arg('--shop-id', '100500');
const secretKey = arg('--secret-key', 'test_emulator');

const em = new Emulator('yookassa');
em.config.notify_url = arg('--notify-url', '');
em.serverError = (res) => send(res, 500, errorBody('internal_server_error', 'Internal server error'));

const payments = new Map();
const refunds = new Map();
const idempotence = new Map();
const refusals = [];  // scripted errors: {method, path, status, code, description, parameter}

function errorBody(code, description, parameter) {
  return { type: 'error', id: crypto.randomUUID(), code, description, ...(parameter ? { parameter } : {}) };
}
const error = (status, code, description, parameter) => ({ status, body: errorBody(code, description, parameter) });

const money = (cents) => (cents / 100).toFixed(2);
function cents(value) {
  if (typeof value !== 'string' || !/^(0|[1-9]\d*)(\.\d{1,2})?$/.test(value)) return null;
  const [whole, frac = ''] = value.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

function authorized(headers) {
  return (headers.authorization || '') === 'Basic ' + Buffer.from(`${shopId}:${secretKey}`).toString('base64');
}

function api(method, pattern, handler) {
  em.route(method, pattern, async (ctx) => {
    if (!authorized(ctx.headers)) return error(401, 'invalid_credentials', 'Login or password is incorrect');
    const refusal = refusals.findIndex((r) => r.method === method && r.path === ctx.url.pathname);
    if (refusal >= 0) {
      const r = refusals.splice(refusal, 1)[0];
      return error(r.status ?? 400, r.code, r.description ?? 'Refused', r.parameter);
    }
    if (method === 'GET') return handler(ctx, {});
    const key = ctx.headers['idempotence-key'];
    if (!key) return error(400, 'invalid_request', 'Idempotence key is missing', 'Idempotence-Key');
    if (key.length > 64) return error(400, 'invalid_request', 'Idempotence key is too long', 'Idempotence-Key');
    const fingerprint = ctx.url.pathname + '\n' + ctx.body;
    const seen = idempotence.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        return error(400, 'invalid_request', 'Idempotence key duplicated with other request body', 'Idempotence-Key');
      }
      return seen.answer;
    }
    let json;
    try {
      json = JSON.parse(ctx.body || '{}');
    } catch {
      return error(400, 'invalid_request', 'Request body is not JSON');
    }
    const answer = await handler(ctx, json);
    idempotence.set(key, { fingerprint, answer });
    return answer;
  });
}

function view(p) {
  return {
    id: p.id, status: p.status, paid: p.status === 'succeeded' || p.status === 'waiting_for_capture',
    amount: { value: money(p.amount), currency: p.currency },
    ...(p.status === 'succeeded' ? { income_amount: { value: money(p.amount), currency: p.currency } } : {}),
    confirmation: { type: 'redirect', confirmation_url: `http://127.0.0.1:${em.port}/checkout/${p.id}`,
      return_url: p.returnUrl },
    capture: p.capture, created_at: p.createdAt, description: p.description, metadata: p.metadata,
    recipient: { account_id: shopId, gateway_id: '1' }, refundable: p.status === 'succeeded', test: true,
    ...(p.refunded ? { refunded_amount: { value: money(p.refunded), currency: p.currency } } : {}),
    ...(p.cancellation ? { cancellation_details: p.cancellation } : {}),
  };
}

function notify(event, object) {
  const body = JSON.stringify({ type: 'notification', event, object });
  em.deliver({
    kind: event,
    key: `${event}:${object.id}`,
    build: () => ({ url: em.config.notify_url, headers: { 'Content-Type': 'application/json' }, body }),
    accepted: (status) => status >= 200 && status < 300,
  });
}

api('POST', '/v3/payments', (ctx, json) => {
  const amount = cents(json.amount?.value);
  if (amount === null || amount <= 0) return error(400, 'invalid_request', 'Invalid amount value', 'amount.value');
  if (!['RUB', 'USD', 'EUR'].includes(json.amount?.currency)) {
    return error(400, 'invalid_request', 'Invalid currency', 'amount.currency');
  }
  if (json.confirmation?.type !== 'redirect' || !json.confirmation.return_url) {
    return error(400, 'invalid_request', 'Confirmation return_url is required', 'confirmation.return_url');
  }
  if (json.description && [...json.description].length > 128) {
    return error(400, 'invalid_request', 'Description is too long', 'description');
  }
  if (json.receipt) {
    const items = json.receipt.items || [];
    if (!json.receipt.customer?.email && !json.receipt.customer?.phone) {
      return error(400, 'invalid_request', 'Receipt customer contact is required', 'receipt.customer');
    }
    const total = items.reduce((s, i) => s + cents(i.amount?.value) * Number(i.quantity), 0);
    if (total !== amount) return error(400, 'invalid_request', 'Receipt items total differs from amount', 'receipt');
  }
  const p = {
    id: crypto.randomUUID(), status: 'pending', amount,
    currency: json.amount.currency, capture: json.capture !== false, returnUrl: json.confirmation.return_url,
    description: json.description || '', metadata: json.metadata || {}, createdAt: new Date().toISOString(),
    refunded: 0, receipt: json.receipt || null,
  };
  payments.set(p.id, p);
  return { status: 200, body: view(p) };
});

api('GET', '/v3/payments/:id', (ctx) => {
  const p = payments.get(ctx.params.id);
  if (!p) return error(404, 'not_found', 'Payment not found', 'payment_id');
  return { status: 200, body: view(p) };
});

api('POST', '/v3/payments/:id/capture', (ctx, json) => {
  const p = payments.get(ctx.params.id);
  if (!p) return error(404, 'not_found', 'Payment not found', 'payment_id');
  if (p.status !== 'waiting_for_capture') {
    return error(400, 'invalid_request', `Payment is in ${p.status} status`, 'payment_id');
  }
  const amount = json.amount ? cents(json.amount.value) : p.amount;
  if (amount === null || amount <= 0 || amount > p.amount) {
    return error(400, 'invalid_request', 'Invalid capture amount', 'amount.value');
  }
  p.amount = amount;
  p.status = 'succeeded';
  notify('payment.succeeded', view(p));
  return { status: 200, body: view(p) };
});

api('POST', '/v3/payments/:id/cancel', (ctx) => {
  const p = payments.get(ctx.params.id);
  if (!p) return error(404, 'not_found', 'Payment not found', 'payment_id');
  if (p.status !== 'waiting_for_capture') {
    return error(400, 'invalid_request', `Payment is in ${p.status} status`, 'payment_id');
  }
  p.status = 'canceled';
  p.cancellation = { party: 'merchant', reason: 'canceled_by_merchant' };
  notify('payment.canceled', view(p));
  return { status: 200, body: view(p) };
});

api('POST', '/v3/refunds', (ctx, json) => {
  const p = payments.get(json.payment_id);
  if (!p) return error(404, 'not_found', 'Payment not found', 'payment_id');
  if (p.status !== 'succeeded') return error(400, 'invalid_request', 'Payment is not succeeded', 'payment_id');
  const amount = cents(json.amount?.value);
  if (amount === null || amount <= 0 || amount > p.amount - p.refunded) {
    return error(400, 'invalid_request', 'Invalid refund amount', 'amount.value');
  }
  p.refunded += amount;
  const r = { id: crypto.randomUUID(), payment_id: p.id, status: 'succeeded', created_at: new Date().toISOString(),
    amount: { value: money(amount), currency: p.currency } };
  refunds.set(r.id, r);
  notify('refund.succeeded', r);
  return { status: 200, body: r };
});

api('GET', '/v3/refunds/:id', (ctx) => {
  const r = refunds.get(ctx.params.id);
  if (!r) return error(404, 'not_found', 'Refund not found', 'refund_id');
  return { status: 200, body: r };
});

// The payer's side.

em.route('GET', '/checkout/:id', (ctx) => {
  const p = payments.get(ctx.params.id);
  if (!p) return send(ctx.res, 404, 'No such payment', 'text/plain');
  const html = `<!doctype html><meta charset="utf-8"><title>YooKassa emulator</title>
<h1>${escapeHtml(p.description)}: ${escapeHtml(money(p.amount))} ${escapeHtml(p.currency)}</h1>
<p>Status: ${escapeHtml(p.status)}</p>
<form method="post"><label>Card <input name="card" value="5555555555554477"></label><button>Pay</button></form>`;
  send(ctx.res, 200, html, 'text/html; charset=utf-8');
}, { api: false });

em.route('POST', '/checkout/:id', (ctx) => {
  const p = payments.get(ctx.params.id);
  if (!p) return send(ctx.res, 404, 'No such payment', 'text/plain');
  if (p.status !== 'pending') return send(ctx.res, 410, `The payment is ${p.status}`, 'text/plain');
  const card = (new URLSearchParams(ctx.body).get('card') || '').replace(/\s/g, '');
  if (card === '5555555555554444') {
    p.status = 'canceled';
    p.cancellation = { party: 'payment_network', reason: 'insufficient_funds' };
    notify('payment.canceled', view(p));
  } else if (card === '5555555555554477') {
    if (em.mode === 'wrong_amount') p.amount += 100;
    p.status = p.capture ? 'succeeded' : 'waiting_for_capture';
    notify(p.capture ? 'payment.succeeded' : 'payment.waiting_for_capture', view(p));
  } else {
    return send(ctx.res, 422, 'Use a test card.', 'text/plain');
  }
  ctx.res.writeHead(303, { Location: p.returnUrl });
  ctx.res.end();
}, { api: false });

// A notification that claims `event` about a payment, sent from `from` (a loopback address),
// leaving the payment as it is.
function claim(url, from, body) {
  return new Promise((resolve) => {
    const target = new URL(url);
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      localAddress: from, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
    (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, answer: text.slice(0, 200) }));
    });
    req.on('error', (e) => resolve({ status: 0, answer: String(e.message) }));
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

em.onControl = async (method, path, json) => {
  if (method === 'POST' && path === '/refuse') {
    refusals.push({ method: json.method ?? 'POST', ...json });
    return { status: 200, body: { ok: true } };
  }
  if (method === 'POST' && path === '/notify') {
    const p = payments.get(json.payment);
    if (!p) return { status: 404, body: { error: 'no such payment' } };
    const object = { ...view(p), ...(json.status ? { status: json.status } : {}) };
    const body = JSON.stringify({ type: 'notification', event: json.event || 'payment.succeeded', object });
    const result = await claim(em.config.notify_url, json.from || '127.0.0.1', body);
    em.deliveries.push({ kind: 'claim', key: p.id, mode: 'claim', attempt: 1, ...result });
    return { status: 200, body: result };
  }
  const capture = path.match(/^\/capture\/([^/]+)$/);
  if (method === 'POST' && capture) {
    const p = payments.get(capture[1]);
    if (!p || p.status !== 'waiting_for_capture') return { status: 409, body: { error: 'nothing held' } };
    p.status = 'succeeded';
    notify('payment.succeeded', view(p));
    return { status: 200, body: view(p) };
  }
  const expire = path.match(/^\/expire\/([^/]+)$/);
  if (method === 'POST' && expire) {
    const p = payments.get(expire[1]);
    if (!p) return { status: 404, body: { error: 'no such payment' } };
    if (p.status === 'pending') {
      p.status = 'canceled';
      p.cancellation = { party: 'yoo_money', reason: 'expired_on_confirmation' };
      notify('payment.canceled', view(p));
    }
    return { status: 200, body: view(p) };
  }
  if (method === 'GET' && path === '/payments') return { status: 200, body: [...payments.values()].map(view) };
  return null;
};

await new Promise((resolve) => {
  const server = em.listen();
  server.on('listening', () => {
    em.port = server.address().port;
    resolve();
  });
});
