// The parts every acquirer emulator shares: an HTTP server on 127.0.0.1 port 0, scripted faults
// on the acquirer's API (5xx, slow answers, timeouts), control endpoints for tests under
// /__emulator/, a request log, and a sequential callback queue whose delivery can be scripted
// (duplicates, reversed order, forged signatures, wrong amounts).
//
// Control endpoints (JSON bodies):
//   POST /__emulator/faults    {"path": "/v1/checkout/sessions", "kind": "5xx"|"slow"|"timeout",
//                               "count": 1, "delay_ms": 3000, "method": "POST" (optional)}
//        5xx: answer 500 without doing anything; slow: do it, answer after delay_ms;
//        timeout: do it, then hold the answer for delay_ms (longer than the client waits).
//   POST /__emulator/callbacks {"mode": "normal"|"duplicate"|"reverse"|"forged"|"wrong_amount"}
//        how the following callbacks are delivered; "reverse" holds callbacks until
//        POST /__emulator/flush and then sends them newest first.
//   POST /__emulator/flush     sends held callbacks
//   GET  /__emulator/log       {"requests": [...], "deliveries": [...]}
//   POST /__emulator/config    acquirer-specific settings (callback URL, secrets)

import http from 'node:http';
import crypto from 'node:crypto';

export function randomId(prefix, bytes = 12) {
  return prefix + crypto.randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x');
}

export function readBody(req, limit = 1 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(res, status, body, type = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Emulator {
  constructor(name) {
    this.name = name;
    this.routes = [];
    this.faults = [];
    this.requests = [];
    this.deliveries = [];
    this.mode = 'normal';
    this.held = [];
    this.queue = Promise.resolve();
    this.config = {};
    this.retries = 3;
    this.retryDelayMs = 200;
  }

  /// Registers an API route; `pattern` like "/v1/payment_intents/:id/capture". API routes are
  /// subject to faults and logged.
  route(method, pattern, handler, { api = true } = {}) {
    const names = [];
    const re = new RegExp(
      '^' + pattern.replace(/:[a-z_]+/g, (m) => (names.push(m.slice(1)), '([^/]+)')) + '$');
    this.routes.push({ method, re, names, handler, api });
  }

  async handle(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    let body;
    try {
      body = await readBody(req);
    } catch {
      return send(res, 413, { error: 'too large' });
    }
    if (url.pathname.startsWith('/__emulator/')) return this.control(req, res, url, body);
    for (const r of this.routes) {
      if (r.method !== req.method) continue;
      const m = url.pathname.match(r.re);
      if (!m) continue;
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      const ctx = { req, res, url, body, params, headers: req.headers };
      if (!r.api) return r.handler(ctx);
      const entry = {
        method: req.method,
        path: url.pathname,
        idempotency_key: req.headers['idempotency-key'] || req.headers['idempotence-key'] || req.headers['x-request-id'] || null,
        status: 0,
      };
      this.requests.push(entry);
      const fault = this.takeFault(url.pathname, req.method);
      if (fault && fault.kind === '5xx') {
        entry.status = 500;
        entry.fault = '5xx';
        return this.serverError(res);
      }
      const answer = await r.handler(ctx);
      entry.status = answer.status;
      if (fault) {
        entry.fault = fault.kind;
        await sleep(fault.delay_ms ?? 3000);
      }
      if (res.destroyed) return;
      return send(res, answer.status, answer.body, answer.type);
    }
    send(res, 404, { error: 'not found' });
  }

  /// The acquirer's own 5xx body; overridden per emulator.
  serverError(res) {
    send(res, 500, { error: 'internal' });
  }

  takeFault(path, method) {
    const i = this.faults.findIndex(
      (f) => path.startsWith(f.path) && (!f.method || f.method === method) && f.count > 0);
    if (i < 0) return null;
    const f = this.faults[i];
    f.count -= 1;
    if (f.count === 0) this.faults.splice(i, 1);
    return f;
  }

  async control(req, res, url, body) {
    const json = body ? JSON.parse(body) : {};
    const path = url.pathname.slice('/__emulator'.length);
    if (req.method === 'GET' && path === '/log') {
      return send(res, 200, { requests: this.requests, deliveries: this.deliveries });
    }
    if (req.method === 'POST' && path === '/faults') {
      this.faults.push({ path: json.path ?? '/', method: json.method, kind: json.kind, count: json.count ?? 1,
        delay_ms: json.delay_ms });
      return send(res, 200, { ok: true });
    }
    if (req.method === 'POST' && path === '/callbacks') {
      this.mode = json.mode ?? 'normal';
      return send(res, 200, { ok: true });
    }
    if (req.method === 'POST' && path === '/flush') {
      const held = this.held.reverse();
      this.held = [];
      for (const c of held) this.enqueue(c);
      await this.queue;
      return send(res, 200, { sent: held.length });
    }
    if (req.method === 'POST' && path === '/config') {
      Object.assign(this.config, json);
      if (json.retries !== undefined) this.retries = json.retries;
      if (json.retry_delay_ms !== undefined) this.retryDelayMs = json.retry_delay_ms;
      return send(res, 200, { ok: true });
    }
    if (req.method === 'GET' && path === '/idle') {
      await this.queue;
      return send(res, 200, { held: this.held.length });
    }
    if (this.onControl) {
      const answer = await this.onControl(req.method, path, json);
      if (answer) return send(res, answer.status, answer.body);
    }
    send(res, 404, { error: 'no such control' });
  }

  /// Queues a callback. `callback` = {kind, build(mode) -> {url, headers, body}, accepted(status, body)}.
  /// The delivery mode applies to the callback as it is queued.
  deliver(callback) {
    const mode = this.mode;
    const c = { ...callback, mode };
    if (mode === 'reverse') {
      this.held.push(c);
      return;
    }
    this.enqueue(c);
    if (mode === 'duplicate') this.enqueue({ ...c, duplicate: true });
  }

  enqueue(c) {
    this.queue = this.queue.then(() => this.sendOne(c)).catch(() => {});
  }

  async sendOne(c) {
    const { url, headers, body } = c.build(c.mode);
    for (let attempt = 1; attempt <= this.retries; ++attempt) {
      const record = { kind: c.kind, key: c.key, mode: c.mode, attempt, status: 0, answer: '' };
      this.deliveries.push(record);
      try {
        const r = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10000) });
        record.status = r.status;
        record.answer = (await r.text()).slice(0, 200);
        if (c.accepted(r.status, record.answer)) return;
        // A forged or refused callback is not retried: the answer will not change.
        if (c.mode === 'forged' || c.mode === 'wrong_amount') return;
      } catch (e) {
        record.answer = String(e.message).slice(0, 200);
      }
      await sleep(this.retryDelayMs);
    }
  }

  listen() {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) send(res, 500, { error: String(e.message) });
      });
    });
    server.listen(0, '127.0.0.1', () => {
      process.stdout.write(JSON.stringify({ emulator: this.name, port: server.address().port }) + '\n');
    });
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return server;
  }
}
