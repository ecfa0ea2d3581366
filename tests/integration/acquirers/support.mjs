// Shared by the acquirer integration tests: the real vitrina-server on 127.0.0.1 port 0 with a
// temporary data directory, a site with a webhook endpoint at a receiver on 127.0.0.1 that
// verifies every Standard Webhooks message with npm `standardwebhooks`, and an acquirer emulator
// from tools/emulators/ as a child process.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const { Webhook } = await import('standardwebhooks');

export const SERVER = process.env.VITRINA_SERVER;
assert.ok(SERVER && fs.existsSync(SERVER), `VITRINA_SERVER must name the built vitrina-server (got ${SERVER})`);
const EMULATORS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../tools/emulators');

const execFileAsync = promisify(execFile);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Polls `pred` every 25 ms until it is truthy or `ms` pass; returns its last value.
export async function waitFor(pred, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v || Date.now() > deadline) return v;
    await sleep(25);
  }
}

function linesOf(child, onLine) {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
}

/// Starts an emulator; resolves with {child, base, control(path, body), log()}.
export async function startEmulator(name, args) {
  const child = spawn(process.execPath, [path.join(EMULATORS, `${name}.mjs`), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} emulator did not start: ${output}`)), 10000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} emulator exited ${code}: ${output}`)); });
    linesOf(child, (line) => {
      output += line + '\n';
      try {
        const j = JSON.parse(line);
        if (j.emulator === name) { clearTimeout(timer); resolve(j.port); }
      } catch { /* not ours */ }
    });
  });
  child.removeAllListeners('exit');
  const base = `http://127.0.0.1:${port}`;
  const control = async (p, body, method = 'POST') => {
    const r = await fetch(`${base}/__emulator${p}`, { method, headers: { 'Content-Type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}) });
    return r.json();
  };
  return { child, base, port, control, log: () => control('/log', undefined, 'GET'),
    idle: () => control('/idle', undefined, 'GET'), stop: () => child.kill('SIGTERM') };
}

/// A receiver of Standard Webhooks on 127.0.0.1; keeps the verified messages.
export async function startReceiver() {
  const messages = [];
  const refused = [];
  let verifier = null;
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const payload = verifier.verify(body, req.headers);
        messages.push({ id: req.headers['webhook-id'], type: payload.type, data: payload.data });
        res.writeHead(204).end();
      } catch (e) {
        refused.push(String(e.message));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${srv.address().port}/hook`,
    messages,
    refused,
    setSecret: (s) => { verifier = new Webhook(s); },
    close: () => new Promise((r) => srv.close(r)),
  };
}

const SETTINGS = ['--set', 'webhooks.allow_private_targets=true', '--set', 'webhooks.poll_interval_ms=50',
  '--set', 'webhooks.retry_schedule_ms=200,400,800,1600'];

/// The server with one site, its webhook endpoint at `receiver`, and `acquirerArgs(siteId)`
/// (--set acquirers.… flags) added at start.
export async function startServer(receiver, acquirerArgs) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrina-acq-'));
  const data = path.join(tmp, 'data');
  const cli = async (args) => (await execFileAsync(SERVER, ['--data', data, ...SETTINGS, ...args], { timeout: 20000 })).stdout;
  const site = JSON.parse(await cli(['site', 'create', '--name', 'Shop', '--origin', 'http://127.0.0.1', '--json']));
  const hook = JSON.parse(await cli(['webhook', 'add', '--site', site.id, '--url', receiver.url, '--json']));
  receiver.setSecret(hook.secret);
  let log = '';
  let child;
  const start = async (extra) => {
    log = '';
    child = spawn(SERVER, ['--listen', '127.0.0.1:0', '--data', data, ...SETTINGS, ...extra],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 15000);
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${log}`)); });
      linesOf(child, (line) => {
        log += line + '\n';
        try {
          const e = JSON.parse(line);
          if (e.msg === 'listening') { clearTimeout(timer); child.removeAllListeners('exit'); resolve(e.address); }
        } catch { /* not JSON */ }
      });
    });
  };
  const address = await start(acquirerArgs(site.id));
  const base = `http://${address}`;
  const api = async (method, p, body, key) => {
    const headers = { Authorization: `Bearer ${site.secret_key}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, type: r.headers.get('content-type'), json, text };
  };
  return {
    base, site, api, data, tmp,
    log: () => log,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/// Posts the hosted page's form as the payer would.
export async function pay(url, card) {
  const r = await fetch(url, { method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `card=${card}` });
  return r.status;
}

/// Waits until the emulator has sent its callbacks and the server has delivered every message its
/// outbox holds (GET /v1/webhook_messages); then what the receiver got must be exactly that.
export async function settled(emulator, server, receiver, ms = 10000) {
  await emulator.idle();
  let items = [];
  const done = await waitFor(async () => {
    const r = await server.api('GET', '/v1/webhook_messages?limit=100');
    if (r.status !== 200) return false;
    items = r.json.items;
    const pending = items.some((m) => m.deliveries.some((d) => d.status === 'pending'));
    return !pending && receiver.messages.length === items.length;
  }, ms);
  assert.ok(items.length < 100, 'more messages than one page of the outbox');
  assert.ok(done, `the outbox did not settle: ${JSON.stringify(items)}; received ${receiver.messages.length}`);
  assert.equal(receiver.messages.length, items.length, 'the shop received other than the server sent');
}

/// The webhook types received for `paymentId`, once `expected` arrived and the deliveries settled
/// (`settle`, e.g. settled() above bound to a stack).
export async function typesFor(receiver, paymentId, expected, ms = 10000, settle = async () => {}) {
  const of = () => receiver.messages.filter((m) => m.data?.id === paymentId || m.data?.payment_id === paymentId);
  await waitFor(() => of().length >= expected, ms);
  await settle();
  return of().map((m) => m.type);
}

/// The emulator `name` (with `emulatorArgs`), a receiver and the server configured by
/// `settings(siteId, emulatorBase)` ({key: value} for --set), with the reconciliation worker
/// re-reading payments pending for 3 s every 200 ms, and the helpers every scenario uses.
export async function startStack(name, emulatorArgs, settings) {
  const emulator = await startEmulator(name, emulatorArgs);
  await emulator.control('/config', { retries: 3, retry_delay_ms: 100 });
  const receiver = await startReceiver();
  const server = await startServer(receiver, (site) => Object.entries({
    ...settings(site, emulator.base),
    'payments.reconcile_after_ms': 3000,
    'payments.reconcile_interval_ms': 200,
  }).flatMap(([k, v]) => ['--set', `${k}=${v}`]));
  const settle = () => settled(emulator, server, receiver);
  return {
    emulator, receiver, server, settle,
    typesFor: (id, expected, ms) => typesFor(receiver, id, expected, ms, settle),
    status: async (id) => (await server.api('GET', `/v1/payments/${id}`)).json.status,
    mode: (m) => emulator.control('/callbacks', { mode: m }),
    stop: async () => {
      await server.stop();
      await receiver.close();
      emulator.stop();
    },
  };
}
