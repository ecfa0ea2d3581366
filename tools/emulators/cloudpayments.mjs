#!/usr/bin/env node
// A CloudPayments emulator for tests: the API slice a payment-link integration uses, on
// 127.0.0.1 port 0 (the port is printed as {"emulator":"cloudpayments","port":N}).
//
//   POST /orders/create       {Amount, Currency, Description, InvoiceId, RequireConfirmation, …}
//                             -> Model {Id, Number, Url, …}: the hosted payment link
//   POST /orders/cancel       {Id}
//   POST /payments/confirm    {TransactionId, Amount}   (two-stage: capture)
//   POST /payments/void       {TransactionId}           (two-stage: release the hold)
//   POST /payments/refund     {TransactionId, Amount}   -> Model {TransactionId}
//   POST /v2/payments/find    {InvoiceId}               -> Model: the invoice's latest transaction
//   GET  /d/:order            the hosted page; POST it with card=<number>
//
// Requests need HTTP Basic auth publicId:apiSecret. Answers are {"Success", "Message", "Model"}
// with HTTP 200, as CloudPayments answers. A request with an X-Request-ID seen before replays
// the first answer.
//
// Notifications (Check before the payment, then Pay, Fail, Confirm, Refund, Cancel) go to
// config.notify_url with "{kind}" replaced by check, pay, …, form-encoded (config.format
// "form", the default) or as JSON ("json"), with Content-HMAC and X-Content-HMAC: base64
// HMAC-SHA256 of the raw body keyed with the API secret. Only {"code":0} accepts; any other
// answer is retried a few times. A Check answered with another code refuses the payment.
//
// Test cards: 4242424242424242 pays; 4000000000000002 is declined (Fail, ReasonCode 5051; the
// link stays payable).
//
// Usage: node tools/emulators/cloudpayments.mjs --public-id pk_x --api-secret secret

import crypto from 'node:crypto';
import { Emulator, escapeHtml, randomId, send } from './lib/harness.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const publicId = arg('--public-id', 'pk_emulator');
const apiSecret = arg('--api-secret', 'emulator_secret');

const em = new Emulator('cloudpayments');
em.config.notify_url = arg('--notify-url', '');
em.config.format = 'form';
em.config.check = true;
// CloudPayments answers its own failures with 5xx pages that are not JSON.
em.serverError = (res) => send(res, 500, '<html><body>500 Internal Server Error</body></html>', 'text/html');

const orders = new Map();
const transactions = new Map();
const replies = new Map();
let nextTransaction = 1000;
let nextNumber = 1;
let port = 0;

const ok = (model) => ({ status: 200, body: { Model: model ?? null, Success: true, Message: null } });
const fail = (message, model) => ({ status: 200, body: { Model: model ?? null, Success: false, Message: message } });
const decimals = (currency) => (currency === 'JPY' || currency === 'KRW' ? 0 : 2);
const money = (amount, currency) => Number(amount).toFixed(decimals(currency));
const dateTime = () => new Date().toISOString().replace('T', ' ').slice(0, 19);

function authorized(headers) {
  const auth = headers.authorization || '';
  return auth === 'Basic ' + Buffer.from(`${publicId}:${apiSecret}`).toString('base64');
}

function api(pattern, handler) {
  em.route('POST', pattern, async (ctx) => {
    if (!authorized(ctx.headers)) return { status: 401, body: '', type: 'text/plain' };
    const requestId = ctx.headers['x-request-id'];
    const fingerprint = ctx.url.pathname + '\n' + ctx.body;
    if (requestId && replies.has(requestId)) {
      const seen = replies.get(requestId);
      return seen.fingerprint === fingerprint ? seen.answer : fail('X-Request-ID was used with another request');
    }
    let json;
    try {
      json = JSON.parse(ctx.body || '{}');
    } catch {
      return fail('Invalid JSON');
    }
    const answer = await handler(ctx, json);
    if (requestId) replies.set(requestId, { fingerprint, answer });
    return answer;
  });
}

function transactionModel(t) {
  return {
    TransactionId: t.id, Amount: Number(money(t.amount, t.currency)), Currency: t.currency,
    PaymentAmount: Number(money(t.amount, t.currency)), PaymentCurrency: t.currency, InvoiceId: t.invoiceId,
    AccountId: t.accountId, Email: t.email, Description: t.description, TestMode: true, Status: t.status,
    StatusCode: { AwaitingAuthentication: 1, Authorized: 2, Completed: 3, Cancelled: 4, Declined: 5 }[t.status],
    Reason: t.reason, ReasonCode: t.reasonCode, CardFirstSix: '424242', CardLastFour: t.last4,
    AuthDate: t.authDate, ConfirmDate: t.confirmDate ?? null, Refunded: t.refunded > 0,
  };
}

// The fields of a notification, as CloudPayments sends them (amounts with their decimals).
function notificationFields(kind, t, extra = {}) {
  const base = {
    TransactionId: t.id, Amount: money(t.amount, t.currency), Currency: t.currency,
    PaymentAmount: money(t.amount, t.currency), PaymentCurrency: t.currency, DateTime: dateTime(),
    CardFirstSix: '424242', CardLastFour: t.last4, CardType: 'Visa', CardExpDate: '12/30', TestMode: 1,
    InvoiceId: t.invoiceId, AccountId: t.accountId ?? '', Email: t.email ?? '', Description: t.description ?? '',
    OperationType: 'Payment',
  };
  if (kind === 'check' || kind === 'pay') base.Status = t.status === 'Authorized' ? 'Authorized' : 'Completed';
  return { ...base, ...extra };
}

// JSON notifications carry amounts and ids as numbers, form ones everything as text.
const NUMERIC = ['TransactionId', 'PaymentTransactionId', 'Amount', 'PaymentAmount', 'TestMode'];

function encode(fields, format) {
  if (format === 'json') {
    const typed = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, NUMERIC.includes(k) ? Number(v) : v]));
    return { body: JSON.stringify(typed), type: 'application/json' };
  }
  return { body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
    type: 'application/x-www-form-urlencoded' };
}

function sign(body, secret) {
  return crypto.createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

function request(kind, fields, mode) {
  const copy = { ...fields };
  if (mode === 'wrong_amount' && copy.Amount !== undefined) {
    copy.Amount = money(Number(copy.Amount) + 1, copy.Currency);
  }
  const { body, type } = encode(copy, em.config.format);
  const mac = sign(body, mode === 'forged' ? 'forged_secret' : apiSecret);
  return { url: em.config.notify_url.replace('{kind}', kind), headers: { 'Content-Type': type,
    'Content-HMAC': mac, 'X-Content-HMAC': mac }, body };
}

function notify(kind, fields) {
  em.deliver({
    kind,
    key: `${kind}:${fields.TransactionId}`,
    build: (mode) => request(kind, fields, mode),
    accepted: (status, answer) => status === 200 && /"code"\s*:\s*0\b/.test(answer),
  });
}

// Check is synchronous: the payment goes on only if the shop answers {"code":0}.
async function check(fields) {
  if (!em.config.check) return 0;
  const { url, headers, body } = request('check', fields, em.mode === 'reverse' || em.mode === 'duplicate' ? 'normal' : em.mode);
  const record = { kind: 'check', key: `check:${fields.TransactionId}`, mode: em.mode, attempt: 1, status: 0, answer: '' };
  em.deliveries.push(record);
  try {
    const r = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10000) });
    record.status = r.status;
    record.answer = (await r.text()).slice(0, 200);
    const code = JSON.parse(record.answer).code;
    return r.status === 200 && Number.isInteger(code) ? code : 13;
  } catch (e) {
    record.answer = String(e.message);
    return 13;
  }
}

api('/orders/create', (ctx, j) => {
  const amount = Number(j.Amount);
  if (!(amount > 0)) return fail('Amount is required');
  const currency = j.Currency || 'RUB';
  if (!j.Description) return fail('Description is required');
  const id = randomId('', 12);
  const order = { Id: id, Number: nextNumber++, Amount: amount, Currency: currency, Description: j.Description,
    Email: j.Email ?? null, InvoiceId: j.InvoiceId ?? null, AccountId: j.AccountId ?? null,
    RequireConfirmation: j.RequireConfirmation === true, SendEmail: j.SendEmail === true,
    SuccessRedirectUrl: j.SuccessRedirectUrl ?? null, FailRedirectUrl: j.FailRedirectUrl ?? null,
    CreatedDate: dateTime(), Status: 'Created', Url: `http://127.0.0.1:${port}/d/${id}` };
  orders.set(id, order);
  return ok(order);
});

api('/orders/cancel', (ctx, j) => {
  const order = orders.get(j.Id);
  if (!order) return fail('Not found');
  if (order.Status === 'Paid') return fail('Order is already paid');
  order.Status = 'Cancelled';
  return ok();
});

api('/payments/confirm', (ctx, j) => {
  const t = transactions.get(Number(j.TransactionId));
  if (!t) return fail('Transaction not found');
  if (t.status !== 'Authorized') return fail('Transaction is not authorized');
  const amount = Number(j.Amount);
  if (!(amount > 0) || amount > t.amount) return fail('Invalid amount');
  t.status = 'Completed';
  t.amount = amount;
  t.confirmDate = dateTime();
  notify('confirm', notificationFields('confirm', t));
  return ok();
});

api('/payments/void', (ctx, j) => {
  const t = transactions.get(Number(j.TransactionId));
  if (!t) return fail('Transaction not found');
  if (t.status !== 'Authorized') return fail('Transaction cannot be voided');
  t.status = 'Cancelled';
  notify('cancel', notificationFields('cancel', t));
  return ok();
});

api('/payments/refund', (ctx, j) => {
  const t = transactions.get(Number(j.TransactionId));
  if (!t) return fail('Transaction not found');
  if (t.status !== 'Completed') return fail('Transaction is not completed');
  const amount = Number(j.Amount);
  if (!(amount > 0) || amount > t.amount - t.refunded + 1e-9) return fail('Invalid amount');
  t.refunded += amount;
  const refund = { id: nextTransaction++, amount, currency: t.currency, invoiceId: t.invoiceId, last4: t.last4 };
  notify('refund', notificationFields('refund', refund, { PaymentTransactionId: t.id, OperationType: 'Refund' }));
  return ok({ TransactionId: refund.id });
});

api('/v2/payments/find', (ctx, j) => {
  const found = [...transactions.values()].filter((t) => t.invoiceId === j.InvoiceId);
  if (found.length === 0) return fail('Not found');
  return ok(transactionModel(found[found.length - 1]));
});

// The payer's side.

em.route('GET', '/d/:id', (ctx) => {
  const order = orders.get(ctx.params.id);
  if (!order) return send(ctx.res, 404, 'No such order', 'text/plain');
  const html = `<!doctype html><meta charset="utf-8"><title>CloudPayments emulator</title>
<h1>${escapeHtml(order.Description)}: ${escapeHtml(money(order.Amount, order.Currency))} ${escapeHtml(order.Currency)}</h1>
<p>Status: ${escapeHtml(order.Status)}</p>
<form method="post"><label>Card <input name="card" value="4242424242424242"></label><button>Pay</button></form>`;
  send(ctx.res, 200, html, 'text/html; charset=utf-8');
}, { api: false });

em.route('POST', '/d/:id', async (ctx) => {
  const order = orders.get(ctx.params.id);
  if (!order) return send(ctx.res, 404, 'No such order', 'text/plain');
  if (order.Status !== 'Created') return send(ctx.res, 410, `The order is ${order.Status}`, 'text/plain');
  const card = (new URLSearchParams(ctx.body).get('card') || '').replace(/\s/g, '');
  if (card !== '4242424242424242' && card !== '4000000000000002') {
    return send(ctx.res, 422, 'Use a test card.', 'text/plain');
  }
  const t = { id: nextTransaction++, amount: order.Amount, currency: order.Currency, invoiceId: order.InvoiceId,
    accountId: order.AccountId, email: order.Email, description: order.Description, last4: card.slice(-4),
    status: order.RequireConfirmation ? 'Authorized' : 'Completed', refunded: 0, authDate: dateTime() };
  const code = await check(notificationFields('check', t));
  if (code !== 0) {
    t.status = 'Declined';
    t.reason = 'Refused by the merchant';
    t.reasonCode = 5000 + code;
    transactions.set(t.id, t);
    return send(ctx.res, 402, `The shop refused the payment (code ${code}).`, 'text/plain');
  }
  transactions.set(t.id, t);
  if (card === '4000000000000002') {
    t.status = 'Declined';
    t.reason = 'InsufficientFunds';
    t.reasonCode = 5051;
    notify('fail', notificationFields('fail', t, { Reason: t.reason, ReasonCode: t.reasonCode }));
    return send(ctx.res, 402, 'Declined: insufficient funds.', 'text/plain');
  }
  order.Status = 'Paid';
  notify('pay', notificationFields('pay', t));
  ctx.res.writeHead(303, { Location: order.SuccessRedirectUrl || '/' });
  ctx.res.end();
}, { api: false });

em.onControl = async (method, path) => {
  if (method === 'GET' && path === '/transactions') {
    return { status: 200, body: [...transactions.values()].map(transactionModel) };
  }
  return null;
};

port = await new Promise((resolve) => {
  const server = em.listen();
  server.on('listening', () => resolve(server.address().port));
});
