#!/usr/bin/env node
// A T-Bank (Tinkoff) acquiring API v2 emulator for tests, on 127.0.0.1 port 0 (the port is
// printed as {"emulator":"tbank","port":N}).
//
//   POST /v2/Init        {TerminalKey, Amount, OrderId, PayType O|T, Description, NotificationURL,
//                         SuccessURL, FailURL, RedirectDueDate, DATA, Receipt, Token}
//                        -> {Success, ErrorCode, TerminalKey, Status:"NEW", PaymentId, OrderId,
//                            Amount, PaymentURL}
//   POST /v2/GetState    {TerminalKey, PaymentId, Token} -> {…, Status, Amount}
//   POST /v2/Confirm     {TerminalKey, PaymentId, Amount?, Token}   AUTHORIZED -> CONFIRMED
//   POST /v2/Cancel      {TerminalKey, PaymentId, Amount?, Token}   NEW -> CANCELED,
//                         AUTHORIZED -> REVERSED, CONFIRMED -> REFUNDED | PARTIAL_REFUNDED
//   POST /v2/CheckOrder  {TerminalKey, OrderId, Token} -> {…, Payments: [{PaymentId, Status, Amount}]}
//   GET  /new/:id        the payment page; POST it with card=<number>
//
// Every request carries Token: SHA-256 (hex) of the root-level scalars plus Password, sorted by
// key, values concatenated. A wrong Token answers ErrorCode 204. Answers are HTTP 200 with
// {"Success": bool, "ErrorCode": "0" | code, "Message", "Details"}; PaymentId is text in answers
// and a number in notifications, as T-Bank sends them.
//
// Notifications go to the payment's NotificationURL as JSON with their own Token; only an answer
// of exactly "OK" counts, anything else is sent again (a few times, quickly). A one-stage
// payment sends AUTHORIZED and CONFIRMED one right after the other; a two-stage one AUTHORIZED,
// and CONFIRMED after Confirm.
//
// Test cards: 4300000000000777 pays; 4000000000000002 is declined (REJECTED, ErrorCode 1051).
// POST /__emulator/refuse {"method": "Init", "code": "1001", "message": …} makes the next call of
// that method answer Success false with that ErrorCode.
// POST /__emulator/expire/:id lets the payment's RedirectDueDate pass (DEADLINE_EXPIRED).
// Delivery modes (harness): "forged" signs with another password, "wrong_amount" reports
// Amount + 100 kopecks (correctly signed), "reverse" holds and sends newest first.
//
// Usage: node tools/emulators/tbank.mjs --terminal-key TK --password PW

import crypto from 'node:crypto';
import { Emulator, escapeHtml, send } from './lib/harness.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const terminalKey = arg('--terminal-key', 'TestTerminal');
const password = arg('--password', 'emulator_password');

const em = new Emulator('tbank');
// T-Bank's own failures: a 5xx with its JSON error (the emulator's guess of the body).
em.serverError = (res) =>
  send(res, 500, { Success: false, ErrorCode: '9999', Message: 'Внутренняя ошибка системы', Details: '' });

const payments = new Map();
const refusals = [];  // scripted refusals: {method, code, message}
let nextPaymentId = 3000000001;

/// The Token over an object's root scalars plus Password.
export function tbankToken(fields, pw) {
  const pairs = Object.entries({ ...fields, Password: pw })
    .filter(([k, v]) => k !== 'Token' && v !== null && typeof v !== 'object')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return crypto.createHash('sha256').update(pairs.map(([, v]) => String(v)).join(''), 'utf8').digest('hex');
}

const ok = (fields) => ({ status: 200, body: { Success: true, ErrorCode: '0', TerminalKey: terminalKey, ...fields } });
const fail = (code, message, details = '') => ({
  status: 200,
  body: { Success: false, ErrorCode: code, Message: message, Details: details },
});

function api(method, handler) {
  em.route('POST', '/v2/' + method, async (ctx) => {
    let json;
    try {
      json = JSON.parse(ctx.body || '{}');
    } catch {
      return fail('215', 'Неверный формат запроса');
    }
    if (json.TerminalKey !== terminalKey) return fail('202', 'Терминал не найден');
    if (typeof json.Token !== 'string' || json.Token !== tbankToken(json, password)) {
      return fail('204', 'Неверный токен. Проверьте пару TerminalKey/SecretKey.');
    }
    const refusal = refusals.findIndex((r) => r.method === method);
    if (refusal >= 0) {
      const r = refusals.splice(refusal, 1)[0];
      return fail(r.code, r.message, r.details ?? '');
    }
    return handler(json, ctx);
  });
}

function find(json) {
  return payments.get(String(json.PaymentId ?? ''));
}

function notify(p, status, extra = {}) {
  const fields = {
    TerminalKey: terminalKey, OrderId: p.orderId, Success: !['REJECTED', 'AUTH_FAIL'].includes(status),
    Status: status, PaymentId: Number(p.id), ErrorCode: extra.ErrorCode ?? '0', Amount: extra.Amount ?? p.amount,
    CardId: 123456, Pan: '430000******0777', ExpDate: '1230',
  };
  em.deliver({
    kind: status,
    key: `${p.id}:${status}`,
    build: (mode) => {
      const copy = { ...fields };
      if (mode === 'wrong_amount') copy.Amount = copy.Amount + 100;
      copy.Token = tbankToken(copy, mode === 'forged' ? 'forged_password' : password);
      return { url: p.notificationUrl, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(copy) };
    },
    accepted: (code, answer) => code === 200 && answer === 'OK',
  });
}

api('Init', (json) => {
  const amount = Number(json.Amount);
  if (!Number.isInteger(amount) || amount <= 0) return fail('215', 'Неверная сумма', 'Amount');
  if (typeof json.OrderId !== 'string' || !json.OrderId || json.OrderId.length > 36) {
    return fail('215', 'Неверный OrderId', 'OrderId');
  }
  if (json.PayType && !['O', 'T'].includes(json.PayType)) return fail('215', 'Неверный PayType', 'PayType');
  if (json.Receipt) {
    const items = json.Receipt.Items || [];
    const total = items.reduce((s, i) => s + Number(i.Amount), 0);
    if (!json.Receipt.Email && !json.Receipt.Phone) return fail('309', 'Не указан Email или Phone в чеке');
    if (total !== amount) return fail('308', 'Сумма позиций чека не равна сумме платежа');
  }
  const id = String(nextPaymentId++);
  const due = json.RedirectDueDate ? Date.parse(json.RedirectDueDate) : Date.now() + 24 * 3600 * 1000;
  const p = {
    id, orderId: json.OrderId, amount, original: amount, payType: json.PayType || 'O', status: 'NEW',
    notificationUrl: json.NotificationURL, successUrl: json.SuccessURL, failUrl: json.FailURL, due,
    description: json.Description || '', receipt: json.Receipt || null,
  };
  payments.set(id, p);
  return ok({ Status: 'NEW', PaymentId: id, OrderId: p.orderId, Amount: amount,
    PaymentURL: `http://127.0.0.1:${em.port}/new/${id}` });
});

api('GetState', (json) => {
  const p = find(json);
  if (!p) return fail('7', 'Неверный статус покупателя', 'PaymentId');
  return ok({ Status: p.status, PaymentId: p.id, OrderId: p.orderId, Amount: p.amount });
});

api('Confirm', (json) => {
  const p = find(json);
  if (!p) return fail('7', 'Платёж не найден', 'PaymentId');
  if (p.status !== 'AUTHORIZED') return fail('8', 'Неверный статус транзакции', p.status);
  const amount = json.Amount === undefined ? p.amount : Number(json.Amount);
  if (!Number.isInteger(amount) || amount <= 0 || amount > p.amount) return fail('215', 'Неверная сумма', 'Amount');
  p.amount = amount;
  p.status = 'CONFIRMED';
  notify(p, 'CONFIRMED');
  return ok({ Status: 'CONFIRMED', PaymentId: p.id, OrderId: p.orderId });
});

api('Cancel', (json) => {
  const p = find(json);
  if (!p) return fail('7', 'Платёж не найден', 'PaymentId');
  const original = p.amount;
  if (p.status === 'NEW' || p.status === 'FORM_SHOWED') {
    p.status = 'CANCELED';
  } else if (p.status === 'AUTHORIZED') {
    p.status = 'REVERSED';
  } else if (p.status === 'CONFIRMED' || p.status === 'PARTIAL_REFUNDED') {
    const amount = json.Amount === undefined ? p.amount : Number(json.Amount);
    if (!Number.isInteger(amount) || amount <= 0 || amount > p.amount) return fail('215', 'Неверная сумма', 'Amount');
    p.amount -= amount;
    p.status = p.amount === 0 ? 'REFUNDED' : 'PARTIAL_REFUNDED';
  } else {
    return fail('8', 'Неверный статус транзакции', p.status);
  }
  notify(p, p.status, { Amount: p.amount });
  return ok({ Status: p.status, PaymentId: p.id, OrderId: p.orderId, OriginalAmount: original, NewAmount: p.amount });
});

api('CheckOrder', (json) => {
  const list = [...payments.values()].filter((p) => p.orderId === json.OrderId);
  return ok({ OrderId: json.OrderId,
    Payments: list.map((p) => ({ PaymentId: p.id, Amount: p.amount, Status: p.status, Success: true, ErrorCode: '0' })) });
});

// The payer's side.

em.route('GET', '/new/:id', (ctx) => {
  const p = payments.get(ctx.params.id);
  if (!p) return send(ctx.res, 404, 'No such payment', 'text/plain');
  if (p.status === 'NEW') p.status = 'FORM_SHOWED';
  const html = `<!doctype html><meta charset="utf-8"><title>T-Bank emulator</title>
<h1>${escapeHtml(p.description)}: ${escapeHtml((p.amount / 100).toFixed(2))} ₽</h1>
<p>Status: ${escapeHtml(p.status)}</p>
<form method="post"><label>Card <input name="card" value="4300000000000777"></label><button>Pay</button></form>`;
  send(ctx.res, 200, html, 'text/html; charset=utf-8');
}, { api: false });

em.route('POST', '/new/:id', (ctx) => {
  const p = payments.get(ctx.params.id);
  if (!p) return send(ctx.res, 404, 'No such payment', 'text/plain');
  if (p.status !== 'NEW' && p.status !== 'FORM_SHOWED') return send(ctx.res, 410, `The payment is ${p.status}`, 'text/plain');
  if (Date.now() > p.due) {
    p.status = 'DEADLINE_EXPIRED';
    notify(p, 'DEADLINE_EXPIRED');
    return send(ctx.res, 410, 'The payment page has expired.', 'text/plain');
  }
  const card = (new URLSearchParams(ctx.body).get('card') || '').replace(/\s/g, '');
  if (card === '4000000000000002') {
    p.status = 'REJECTED';
    notify(p, 'REJECTED', { ErrorCode: '1051' });
    ctx.res.writeHead(303, { Location: p.failUrl || '/' });
    return ctx.res.end();
  }
  if (card !== '4300000000000777') return send(ctx.res, 422, 'Use a test card.', 'text/plain');
  p.status = 'AUTHORIZED';
  notify(p, 'AUTHORIZED');
  if (p.payType === 'O') {
    p.status = 'CONFIRMED';
    notify(p, 'CONFIRMED');
  }
  ctx.res.writeHead(303, { Location: p.successUrl || '/' });
  ctx.res.end();
}, { api: false });

em.onControl = async (method, path, json) => {
  if (method === 'POST' && path === '/refuse') {
    refusals.push({ method: json.method, code: String(json.code), message: json.message || 'Операция отклонена' });
    return { status: 200, body: { ok: true } };
  }
  const expire = path.match(/^\/expire\/(\d+)$/);
  if (method === 'POST' && expire) {
    const p = payments.get(expire[1]);
    if (!p) return { status: 404, body: { error: 'no such payment' } };
    p.due = Date.now() - 1;
    if (p.status === 'NEW' || p.status === 'FORM_SHOWED') {
      p.status = 'DEADLINE_EXPIRED';
      notify(p, 'DEADLINE_EXPIRED');
    }
    return { status: 200, body: { status: p.status } };
  }
  if (method === 'GET' && path === '/payments') {
    return { status: 200, body: [...payments.values()] };
  }
  return null;
};

await new Promise((resolve) => {
  const server = em.listen();
  server.on('listening', () => {
    em.port = server.address().port;
    resolve();
  });
});
