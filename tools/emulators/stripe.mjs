#!/usr/bin/env node
// A Stripe emulator for tests: the slice of the API a Checkout integration uses, on 127.0.0.1
// port 0 (the port is printed as {"emulator":"stripe","port":N}).
//
//   POST /v1/checkout/sessions            form-encoded, nested keys (line_items[0][price_data][…])
//   GET  /v1/checkout/sessions/:id        expand[]=payment_intent
//   POST /v1/checkout/sessions/:id/expire
//   GET  /v1/payment_intents/:id
//   POST /v1/payment_intents/:id/capture  amount_to_capture
//   POST /v1/payment_intents/:id/cancel
//   POST /v1/refunds                      payment_intent, amount
//   GET  /pay/:session                    the hosted page; POST it with card=<number>
//
// Requests need "Authorization: Bearer <api key>" (or Basic with the key as user). POSTs honour
// Idempotency-Key: the same key and parameters replay the first answer (Idempotent-Replayed:
// true), other parameters are an idempotency_error. Errors are Stripe's {"error": {type, code,
// message, param}}.
//
// Webhooks go to config.webhook_url, signed with config.webhook_secret in Stripe-Signature
// (t=…,v1=hex HMAC-SHA256 of "t.body" keyed with the whole whsec_ string): checkout.session.
// completed, .expired, .async_payment_succeeded, .async_payment_failed, charge.refunded. A
// non-2xx answer is retried (Stripe retries for days; the emulator a few times, quickly).
//
// Test cards on the hosted page: 4242424242424242 succeeds; 4000000000000002 is declined (the
// page says so and stays open, as Stripe's does); 4000000000000077 pays asynchronously and
// settles on POST /__emulator/settle/:session {"outcome":"succeeded"|"failed"}.
// POST /__emulator/expire/:session lets the session's expires_at pass now.
//
// Usage: node tools/emulators/stripe.mjs --api-key sk_test_x

import crypto from 'node:crypto';
import { Emulator, escapeHtml, randomId, send } from './lib/harness.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const apiKey = arg('--api-key', 'sk_test_emulator');

const em = new Emulator('stripe');
em.config.webhook_url = arg('--webhook-url', '');
em.config.webhook_secret = arg('--webhook-secret', 'whsec_emulator');
em.serverError = (res) =>
  send(res, 500, { error: { type: 'api_error', message: 'An unknown error occurred' } });

const sessions = new Map();
const intents = new Map();
const charges = new Map();
const refunds = new Map();
const idempotency = new Map();
let port = 0;

const now = () => Math.floor(Date.now() / 1000);
// Stripe's documented minimum charge amounts (minor units) for some settlement currencies.
const MINIMUM_AMOUNT = { usd: 50, eur: 50, gbp: 30, cad: 50, aud: 50, chf: 50, jpy: 50 };
const error = (status, type, message, param, code) => ({
  status,
  body: { error: { type, message, ...(param ? { param } : {}), ...(code ? { code } : {}) } },
});

// Form bodies with bracket nesting: a[b][0][c]=1 -> {a: {b: {0: {c: "1"}}}}.
function parseForm(text) {
  const out = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) node[p] = value;
      else node = node[p] ??= {};
    });
  }
  return out;
}

function authorized(headers) {
  const auth = headers.authorization || '';
  if (auth === `Bearer ${apiKey}`) return true;
  if (auth.startsWith('Basic ')) {
    return Buffer.from(auth.slice(6), 'base64').toString().split(':')[0] === apiKey;
  }
  return false;
}

// Wraps a POST handler with authentication and Idempotency-Key replay.
function post(pattern, handler) {
  em.route('POST', pattern, async (ctx) => {
    if (!authorized(ctx.headers)) return error(401, 'invalid_request_error', 'Invalid API Key provided');
    const key = ctx.headers['idempotency-key'];
    const fingerprint = ctx.url.pathname + '\n' + ctx.body;
    if (key) {
      const seen = idempotency.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return error(400, 'idempotency_error',
            'Keys for idempotent requests can only be used with the same parameters they were first used with.');
        }
        ctx.res.setHeader('Idempotent-Replayed', 'true');
        return seen.answer;
      }
    }
    const answer = await handler(ctx, parseForm(ctx.body));
    // Stripe keeps the answer of every request that reached its API, errors included, but not
    // of 5xx answers (those may be retried).
    if (key && answer.status < 500) idempotency.set(key, { fingerprint, answer });
    return answer;
  });
}

function get(pattern, handler) {
  em.route('GET', pattern, async (ctx) => {
    if (!authorized(ctx.headers)) return error(401, 'invalid_request_error', 'Invalid API Key provided');
    return handler(ctx);
  });
}

function sessionView(s, expand = false) {
  const view = { ...s };
  delete view.line_items;
  if (expand && s.payment_intent) view.payment_intent = intents.get(s.payment_intent);
  return view;
}

function event(type, object) {
  return { id: randomId('evt_'), object: 'event', api_version: '2024-06-20', created: now(), livemode: false,
    pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } };
}

function signature(secret, t, body) {
  return `t=${t},v1=` + crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

function webhook(type, object) {
  const e = event(type, structuredClone(object));
  em.deliver({
    kind: type,
    key: e.id,
    build(mode) {
      const copy = structuredClone(e);
      if (mode === 'wrong_amount') {
        if (copy.data.object.amount_total) copy.data.object.amount_total += 100;
        if (copy.data.object.amount_refunded) copy.data.object.amount_refunded += 100;
      }
      const body = JSON.stringify(copy);
      const secret = mode === 'forged' ? 'whsec_forged' : em.config.webhook_secret;
      return {
        url: em.config.webhook_url,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': signature(secret, now(), body),
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body,
      };
    },
    accepted: (status) => status >= 200 && status < 300,
  });
}

post('/v1/checkout/sessions', (ctx, f) => {
  if (f.mode !== 'payment') return error(400, 'invalid_request_error', 'mode must be payment', 'mode');
  const item = f.line_items?.[0];
  const price = item?.price_data;
  if (!price?.currency || !/^[a-z]{3}$/.test(price.currency)) {
    return error(400, 'invalid_request_error', 'Missing required param: line_items[0][price_data][currency].',
      'line_items[0][price_data][currency]');
  }
  const unit = Number(price.unit_amount);
  const quantity = Number(item.quantity ?? 1);
  if (!Number.isSafeInteger(unit) || unit < 1) {
    return error(400, 'invalid_request_error', 'Invalid integer', 'line_items[0][price_data][unit_amount]');
  }
  const minimum = MINIMUM_AMOUNT[price.currency];
  if (minimum && unit * quantity < minimum) {
    return error(400, 'invalid_request_error',
      `The Checkout Session's total amount due must add up to at least ${minimum} ${price.currency} in minor units.`,
      undefined, 'amount_too_small');
  }
  if (!price.product_data?.name) {
    return error(400, 'invalid_request_error', 'Missing required param', 'line_items[0][price_data][product_data][name]');
  }
  if (!f.success_url) return error(400, 'invalid_request_error', 'Missing required param: success_url.', 'success_url');
  const expiresAt = f.expires_at ? Number(f.expires_at) : now() + 86400;
  if (!(expiresAt >= now() + 1800 && expiresAt <= now() + 86400)) {
    return error(400, 'invalid_request_error',
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
  }
  const capture = f.payment_intent_data?.capture_method === 'manual' ? 'manual' : 'automatic';
  const id = randomId('cs_test_', 24);
  const s = {
    id, object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid',
    amount_total: unit * quantity, amount_subtotal: unit * quantity, currency: price.currency,
    client_reference_id: f.client_reference_id ?? null, customer_email: f.customer_email ?? null,
    metadata: f.metadata ?? {}, success_url: f.success_url, cancel_url: f.cancel_url ?? null,
    expires_at: expiresAt, created: now(), livemode: false, payment_intent: null,
    url: `http://127.0.0.1:${port}/pay/${id}`,
    capture_method: capture, payment_intent_data: f.payment_intent_data ?? {},
  };
  sessions.set(id, s);
  const view = sessionView(s);
  delete view.capture_method;
  delete view.payment_intent_data;
  return { status: 200, body: view };
});

const publicSession = (s, expand) => {
  const v = sessionView(s, expand);
  delete v.capture_method;
  delete v.payment_intent_data;
  return v;
};

get('/v1/checkout/sessions/:id', (ctx) => {
  const s = sessions.get(ctx.params.id);
  if (!s) return error(404, 'invalid_request_error', `No such checkout.session: '${ctx.params.id}'`, 'id', 'resource_missing');
  const expand = ctx.url.searchParams.getAll('expand[]').includes('payment_intent');
  return { status: 200, body: publicSession(s, expand) };
});

function expireSession(s) {
  s.status = 'expired';
  s.url = null;
  webhook('checkout.session.expired', publicSession(s));
}

post('/v1/checkout/sessions/:id/expire', (ctx) => {
  const s = sessions.get(ctx.params.id);
  if (!s) return error(404, 'invalid_request_error', 'No such checkout.session', 'id', 'resource_missing');
  if (s.status !== 'open') {
    return error(400, 'invalid_request_error', `Only Checkout Sessions with a status of open can be expired.`);
  }
  expireSession(s);
  return { status: 200, body: publicSession(s) };
});

get('/v1/payment_intents/:id', (ctx) => {
  const pi = intents.get(ctx.params.id);
  if (!pi) return error(404, 'invalid_request_error', 'No such payment_intent', 'id', 'resource_missing');
  return { status: 200, body: pi };
});

post('/v1/payment_intents/:id/capture', (ctx, f) => {
  const pi = intents.get(ctx.params.id);
  if (!pi) return error(404, 'invalid_request_error', 'No such payment_intent', 'id', 'resource_missing');
  if (pi.status !== 'requires_capture') {
    return error(400, 'invalid_request_error',
      `This PaymentIntent could not be captured because it has a status of ${pi.status}.`, undefined,
      'payment_intent_unexpected_state');
  }
  const amount = f.amount_to_capture !== undefined ? Number(f.amount_to_capture) : pi.amount_capturable;
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > pi.amount_capturable) {
    return error(400, 'invalid_request_error', 'Invalid amount_to_capture', 'amount_to_capture');
  }
  pi.status = 'succeeded';
  pi.amount_received = amount;
  pi.amount_capturable = 0;
  const ch = charges.get(pi.latest_charge);
  ch.captured = true;
  ch.amount_captured = amount;
  const s = sessions.get(pi.session);
  s.payment_status = 'paid';
  return { status: 200, body: pi };
});

post('/v1/payment_intents/:id/cancel', (ctx) => {
  const pi = intents.get(ctx.params.id);
  if (!pi) return error(404, 'invalid_request_error', 'No such payment_intent', 'id', 'resource_missing');
  if (!['requires_capture', 'requires_payment_method', 'requires_confirmation', 'requires_action'].includes(pi.status)) {
    return error(400, 'invalid_request_error',
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`, undefined,
      'payment_intent_unexpected_state');
  }
  pi.status = 'canceled';
  pi.amount_capturable = 0;
  pi.canceled_at = now();
  return { status: 200, body: pi };
});

post('/v1/refunds', (ctx, f) => {
  const pi = intents.get(f.payment_intent);
  if (!pi) return error(400, 'invalid_request_error', 'No such payment_intent', 'payment_intent', 'resource_missing');
  const ch = charges.get(pi.latest_charge);
  if (pi.status !== 'succeeded') {
    return error(400, 'invalid_request_error', 'This PaymentIntent has no captured charge to refund.', 'payment_intent');
  }
  const remaining = ch.amount_captured - ch.amount_refunded;
  const amount = f.amount !== undefined ? Number(f.amount) : remaining;
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > remaining) {
    return error(400, 'invalid_request_error',
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, 'amount',
      'amount_too_large');
  }
  const r = { id: randomId('re_'), object: 'refund', amount, currency: pi.currency, charge: ch.id,
    payment_intent: pi.id, status: 'succeeded', created: now(), metadata: f.metadata ?? {} };
  refunds.set(r.id, r);
  ch.amount_refunded += amount;
  ch.refunded = ch.amount_refunded === ch.amount_captured;
  webhook('charge.refunded', ch);
  return { status: 200, body: r };
});

// The payer's side.

function pay(s, card) {
  if (card === '4000000000000002') return 'declined';
  if (card !== '4242424242424242' && card !== '4000000000000077') return 'unknown';
  const pi = {
    id: randomId('pi_'), object: 'payment_intent', amount: s.amount_total, currency: s.currency,
    capture_method: s.capture_method, metadata: s.payment_intent_data.metadata ?? {},
    description: s.payment_intent_data.description ?? null, created: now(), session: s.id,
    amount_received: 0, amount_capturable: 0, status: 'processing', latest_charge: null,
  };
  const ch = { id: randomId('ch_'), object: 'charge', amount: s.amount_total, amount_captured: 0,
    amount_refunded: 0, captured: false, refunded: false, currency: s.currency, payment_intent: pi.id,
    metadata: pi.metadata, paid: true, status: 'succeeded' };
  pi.latest_charge = ch.id;
  intents.set(pi.id, pi);
  charges.set(ch.id, ch);
  s.payment_intent = pi.id;
  s.status = 'complete';
  s.url = null;
  if (card === '4000000000000077') {
    s.async = true;
    webhook('checkout.session.completed', publicSession(s));
    return 'processing';
  }
  if (s.capture_method === 'manual') {
    pi.status = 'requires_capture';
    pi.amount_capturable = s.amount_total;
  } else {
    pi.status = 'succeeded';
    pi.amount_received = s.amount_total;
    ch.captured = true;
    ch.amount_captured = s.amount_total;
    s.payment_status = 'paid';
  }
  webhook('checkout.session.completed', publicSession(s));
  return 'paid';
}

em.route('GET', '/pay/:id', (ctx) => {
  const s = sessions.get(ctx.params.id);
  if (!s) return send(ctx.res, 404, 'No such session', 'text/plain');
  const amount = (s.amount_total / 100).toFixed(2);
  const html = `<!doctype html><meta charset="utf-8"><title>Stripe emulator checkout</title>
<h1>Pay ${escapeHtml(amount)} ${escapeHtml(s.currency.toUpperCase())}</h1>
<p>Status: ${escapeHtml(s.status)}</p>
<form method="post"><label>Card <input name="card" value="4242424242424242"></label><button>Pay</button></form>`;
  send(ctx.res, 200, html, 'text/html; charset=utf-8');
}, { api: false });

em.route('POST', '/pay/:id', (ctx) => {
  const s = sessions.get(ctx.params.id);
  if (!s) return send(ctx.res, 404, 'No such session', 'text/plain');
  if (s.status !== 'open' || s.expires_at <= now()) {
    return send(ctx.res, 410, 'This Checkout Session is no longer available.', 'text/plain');
  }
  const card = (new URLSearchParams(ctx.body).get('card') || '').replace(/\s/g, '');
  const outcome = pay(s, card);
  if (outcome === 'declined') return send(ctx.res, 402, 'Your card was declined.', 'text/plain');
  if (outcome === 'unknown') return send(ctx.res, 422, 'Use a test card.', 'text/plain');
  ctx.res.writeHead(303, { Location: s.success_url });
  ctx.res.end();
}, { api: false });

em.onControl = async (method, path, json) => {
  let m = path.match(/^\/expire\/(.+)$/);
  if (method === 'POST' && m) {
    const s = sessions.get(m[1]);
    if (!s || s.status !== 'open') return { status: 409, body: { error: 'not open' } };
    expireSession(s);
    return { status: 200, body: { ok: true } };
  }
  m = path.match(/^\/settle\/(.+)$/);
  if (method === 'POST' && m) {
    const s = sessions.get(m[1]);
    if (!s || !s.async) return { status: 409, body: { error: 'not an asynchronous payment' } };
    const pi = intents.get(s.payment_intent);
    const ch = charges.get(pi.latest_charge);
    if (json.outcome === 'failed') {
      pi.status = 'requires_payment_method';
      webhook('checkout.session.async_payment_failed', publicSession(s));
    } else {
      pi.status = 'succeeded';
      pi.amount_received = s.amount_total;
      ch.captured = true;
      ch.amount_captured = s.amount_total;
      s.payment_status = 'paid';
      webhook('checkout.session.async_payment_succeeded', publicSession(s));
    }
    return { status: 200, body: { ok: true } };
  }
  m = path.match(/^\/sessions$/);
  if (method === 'GET' && m) return { status: 200, body: [...sessions.values()].map((s) => publicSession(s, true)) };
  return null;
};

port = await new Promise((resolve) => {
  const server = em.listen();
  server.on('listening', () => resolve(server.address().port));
});
