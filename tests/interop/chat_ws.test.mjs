// Interop of the live chat WebSockets with npm `ws`, a client library nobody here wrote: the real
// vitrina-server (port 0, a temporary data directory) talks to `ws` clients exactly as
// docs/protocol.md says: a visitor and an operator exchange messages both ways, a reconnecting
// visitor resumes, a wrong Origin is refused before the upgrade, bad frames get error frames and,
// repeated, a 4400 close.
// Run by CTest (tests/interop/CMakeLists.txt) from the repository root:
//   VITRINA_SERVER=build/server/vitrina-server node --test tests/interop/chat_ws.test.mjs

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

let WebSocket;
try {
  ({ default: WebSocket } = await import('ws'));
} catch (e) {
  throw new Error(`cannot load npm ws (run \`npm ci\` at the repository root): ${e.message}`);
}

const SERVER = process.env.VITRINA_SERVER;
assert.ok(SERVER && fs.existsSync(SERVER), `VITRINA_SERVER must name the built vitrina-server (got ${SERVER})`);
const ORIGIN = 'https://shop.example';
const EMAIL = 'maria@shop.example';
const PASSWORD = 'correct horse battery';

let tmp;
let server;
let serverLog = '';
let port;
let siteKey;

async function cli(args, input) {
  const child = execFile(SERVER, ['--data', path.join(tmp, 'data'), ...args], { timeout: 20000 });
  if (input !== undefined) child.stdin.end(input);
  const { stdout } = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? resolve({ stdout: out }) : reject(new Error(`cli ${args[0]}: ${code}`))));
  });
  return stdout;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrina-chat-interop-'));
  const site = JSON.parse(await cli(['site', 'create', '--name', 'Shop', '--origin', ORIGIN, '--json']));
  siteKey = site.public_key ?? site.site?.public_key;
  const siteId = site.id ?? site.site?.id;
  assert.match(siteKey, /^pk_/);
  await cli(['operator', 'add', '--site', siteId, '--email', EMAIL, '--password-stdin'], `${PASSWORD}\n`);
  server = spawn(SERVER, ['--listen', '127.0.0.1:0', '--data', path.join(tmp, 'data')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" in 15 s\n${serverLog}`)), 15000);
    for (const stream of [server.stdout, server.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        serverLog += `${line}\n`;
        let entry;
        try { entry = JSON.parse(line); } catch { return; }
        if (entry.msg === 'listening') { clearTimeout(timer); resolve(entry.port); }
      });
    }
  });
});

after(async () => {
  if (server && server.exitCode === null) {
    await new Promise((resolve) => { server.once('exit', resolve); server.kill('SIGTERM'); });
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

// A client that queues every frame; next(type) waits for the next frame of that type.
function client(urlPath, headers) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${urlPath}`, { headers });
  const frames = [];
  const waiters = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString('utf8')));
    while (waiters.length) waiters.shift()();
  });
  ws.on('close', () => { while (waiters.length) waiters.shift()(); });
  ws.next = async (type, ms = 5000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = frames.findIndex((f) => f.type === type);
      if (i >= 0) return frames.splice(i, 1)[0];
      assert.ok(Date.now() < deadline && ws.readyState <= 1, `no ${type} frame; got ${JSON.stringify(frames)}`);
      await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 100); });
    }
  };
  ws.ready = new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  ws.send_ = (frame) => ws.send(JSON.stringify(frame));
  return ws;
}

async function cookie() {
  const res = await fetch(`http://127.0.0.1:${port}/v1/console/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  return res.headers.get('set-cookie').split(';')[0];
}

test('a visitor and an operator talk both ways, and a reconnecting visitor resumes', async () => {
  const op = client('/v1/console/ws', { Origin: `http://127.0.0.1:${port}`, Cookie: await cookie() });
  await op.ready;
  op.send_({ type: 'hello', v: 1 });
  assert.equal((await op.next('welcome')).operator.role, 'operator');

  const visitor = client(`/v1/visitor/ws?site=${siteKey}`, { Origin: ORIGIN });
  await visitor.ready;
  visitor.send_({ type: 'hello', v: 1, context: { url: 'https://shop.example/cart', title: 'Cart' } });
  const welcome = await visitor.next('welcome');
  assert.equal(welcome.visitor.token_status, 'issued');
  visitor.send_({ type: 'message', client_id: 'interop-visitor-1', text: 'Есть размер M?' });
  const ack = await visitor.next('ack');
  assert.equal(ack.seq, 1);
  const seen = await op.next('message');
  assert.equal(seen.text, 'Есть размер M?');
  assert.equal(seen.conversation_id, ack.conversation_id);

  visitor.terminate(); // dropped, not closed
  op.send_({ type: 'message', conversation_id: ack.conversation_id, client_id: 'interop-op-0001', text: 'Да' });
  assert.equal((await op.next('ack')).seq, 2);

  const again = client(`/v1/visitor/ws?site=${siteKey}`, { Origin: ORIGIN });
  await again.ready;
  again.send_({ type: 'hello', v: 1, token: welcome.visitor.token });
  const back = await again.next('welcome');
  assert.equal(back.visitor.id, welcome.visitor.id);
  assert.equal(back.visitor.conversation.last_seq, 2);
  again.send_({ type: 'resume', ref: 'r1', conversation_id: ack.conversation_id, last_seen: 1 });
  const missed = await again.next('message');
  assert.deepEqual([missed.seq, missed.text, missed.author.role], [2, 'Да', 'operator']);
  assert.equal(missed.author.id, undefined, 'visitors never see operator ids');
  const resumed = await again.next('resumed');
  assert.deepEqual([resumed.ref, resumed.through, resumed.more], ['r1', 2, false]);
  // The first message again, as after a lost ack: the same ack.
  again.send_({ type: 'message', client_id: 'interop-visitor-1', text: 'Есть размер M?' });
  assert.deepEqual(await again.next('ack'), ack);
  again.close();
  op.close();
});

test('a wrong Origin is refused before the upgrade', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/visitor/ws?site=${siteKey}`, {
    headers: { Origin: 'https://evil.example' },
  });
  const status = await new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
    ws.on('open', () => resolve(101));
  });
  assert.equal(status, 403);
});

test('bad frames get error frames, and repeated ones close with 4400', async () => {
  const ws = client(`/v1/visitor/ws?site=${siteKey}`, { Origin: ORIGIN });
  await ws.ready;
  ws.send_({ type: 'hello', v: 1 });
  await ws.next('welcome');
  ws.send('{"type":"message","text":');
  assert.equal((await ws.next('error')).code, 'malformed');
  ws.send_({ type: 'message', client_id: 'interop-x-1', text: 'x', colour: 'red' });
  const invalid = await ws.next('error');
  assert.deepEqual([invalid.code, invalid.field, invalid.client_id], ['invalid', 'colour', 'interop-x-1']);
  const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  for (let i = 0; i < 10; ++i) ws.send('not json');
  assert.equal(await closed, 4400);
});
