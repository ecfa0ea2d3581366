// Browser test: the operator console at /console in headless Chromium against the real server.
// An operator signs in; a visitor (a WebSocket client in this test, speaking docs/protocol.md)
// writes; the operator sees the conversation arrive live with the visitor's page and cart beside
// it, answers, uses a canned response, and the visitor receives both; typing and read receipts
// show. A visitor whose name and message are HTML and script renders as inert text. The page
// must run under its Content-Security-Policy without a single violation. The screenshot of the
// live conversation is saved as console.png in VITRINA_SCREENSHOT_DIR.
//
// Environment (set by tests/browser/CMakeLists.txt): VITRINA_SERVER (the server binary),
// VITRINA_SCREENSHOT_DIR (where the screenshot goes). Run with node --experimental-websocket (Node 20's
// built-in WebSocket client, which can send the Origin a shop's page would).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { env, launchChromium, runCli } from './support.mjs';


let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  throw new Error('playwright-core is not installed: run `npm ci` at the repository root');
}
if (typeof WebSocket !== 'function') throw new Error('run with node --experimental-websocket');

const SERVER = env('VITRINA_SERVER');
const SCREENSHOT = path.join(env('VITRINA_SCREENSHOT_DIR'), 'console.png');
const SHOP_ORIGIN = 'https://shop.example';
const EMAIL = 'maria@shop.example';
const PASSWORD = 'correct horse battery staple';
const XSS_NAME = '<img src=x onerror="document.title=\'pwned\'">Mallory';
const XSS_TEXT = '<script>window.__pwned = 1</script><b>bold?</b><img src=x onerror="window.__pwned = 2">';

let tmp;
let server;
let base;
let publicKey;
let browser;
const children = [];

const cli = (args, input = '') => runCli(SERVER, args, input);

// Starts the server and resolves with the address from its "listening" log line.
function startServer(args) {
  const child = spawn(SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const proc = { child, log: '' };
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 15 s\n${proc.log}`)), 15000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited early (code ${code}, signal ${signal})\n${proc.log}`));
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

process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

// A visitor's connection: every frame received is kept, and `next` waits for one that matches.
class Visitor {
  static async connect(context) {
    const v = new Visitor();
    v.frames = [];
    v.waiters = [];
    v.ws = new WebSocket(`${base.replace('http', 'ws')}/v1/visitor/ws?site=${publicKey}`,
      { headers: { Origin: SHOP_ORIGIN } });
    v.ws.addEventListener('message', (e) => {
      const frame = JSON.parse(e.data);
      v.frames.push(frame);
      for (const w of [...v.waiters]) {
        if (w.match(frame)) { v.waiters.splice(v.waiters.indexOf(w), 1); w.resolve(frame); }
      }
    });
    await new Promise((resolve, reject) => {
      v.ws.addEventListener('open', resolve, { once: true });
      v.ws.addEventListener('error', () => reject(new Error('the visitor could not connect')), { once: true });
    });
    v.send({ type: 'hello', v: 1, context });
    v.welcome = await v.next((f) => f.type === 'welcome');
    return v;
  }

  send(frame) { this.ws.send(JSON.stringify(frame)); }

  next(match, ms = 10000) {
    const seen = this.frames.find(match);
    if (seen) { this.frames.splice(this.frames.indexOf(seen), 1); return Promise.resolve(seen); }
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no such frame in ${ms} ms; got ${JSON.stringify(this.frames)}`));
      }, ms);
    });
  }

  async say(text) {
    const clientId = `v${Math.random().toString(36).slice(2)}${Date.now()}`;
    this.send({ type: 'message', client_id: clientId, text });
    return this.next((f) => f.type === 'ack' && f.client_id === clientId);
  }

  close() { this.ws.close(1000); }
}

// Signs in over HTTP as the console does and answers {cookie, csrf}.
async function signIn(email, password) {
  const res = await fetch(`${base}/v1/console/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('vitrina_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  return { cookie: cookie.split(';')[0], csrf: (await res.json()).csrf_token };
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'vitrina-console-'));
  const data = path.join(tmp, 'data');
  const site = JSON.parse(await cli(['site', 'create', '--data', data, '--name', 'Shop', '--origin', SHOP_ORIGIN,
    '--json']));
  publicKey = site.public_key;
  await cli(['operator', 'add', '--data', data, '--site', site.id, '--email', EMAIL, '--name', 'Maria',
    '--role', 'owner', '--password-stdin'], `${PASSWORD}\n`);
  server = await startServer(['--listen', '127.0.0.1:0', '--data', data]);
  base = `http://${server.address}`;

  // The owner's canned response, made through the API the console's dialog uses.
  const owner = await signIn(EMAIL, PASSWORD);
  const made = await fetch(`${base}/v1/console/canned_responses`, {
    method: 'POST',
    headers: { Cookie: owner.cookie, 'X-CSRF-Token': owner.csrf, 'Content-Type': 'application/json' },
    body: JSON.stringify({ shortcut: 'sizes', title: 'Sizes', text: 'We have it in S, M and L. Shall I reserve one?' }),
  });
  assert.equal(made.status, 201, await made.text());

  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close().catch(() => {});
  for (const child of children) {
    if (child.exitCode !== null) continue;
    await new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(kill); resolve(); });
      child.kill('SIGTERM');
    });
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

let page;
let boris;
const complaints = [];

test('an operator signs in, sees a visitor write live, answers, and the visitor receives it', async () => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 820 } });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (m) => {
    // The signed-out start and the wrong password are answered 401 on purpose.
    if (/status of 401/.test(m.text())) return;
    if (m.type() === 'error' || m.type() === 'warning') complaints.push(m.text());
  });
  page.on('pageerror', (e) => complaints.push(`pageerror: ${e.message}`));

  await page.goto(`${base}/console`);
  assert.equal(new URL(page.url()).pathname, '/console/');
  await page.fill('#signin-email', EMAIL);
  await page.fill('#signin-password', 'not the password');
  await page.click('#signin-submit');
  await page.waitForFunction(() => document.getElementById('signin-error').textContent.length > 0);
  await page.fill('#signin-password', PASSWORD);
  await page.click('#signin-submit');
  await page.waitForSelector('#connection[data-state="online"]');
  assert.equal(await page.textContent('#me-name'), 'Maria');
  // The session cookie is out of the page's reach.
  assert.equal(await page.evaluate(() => document.cookie.includes('vitrina_session')), false);

  const anna = await Visitor.connect({
    url: 'https://shop.example/p/blue-jacket', title: 'Blue jacket — Shop', referrer: 'https://www.google.com/',
    language: 'en-GB', name: 'Anna', attributes: { cart_total: '129.00 EUR', cart_items: 2, returning: true },
  });
  await anna.say('Hello! Do you have the blue jacket in size M?');

  // Live: the conversation lands in Waiting with one unread message.
  const item = page.locator('.inbox-item', { hasText: 'Anna' });
  await item.waitFor();
  assert.equal(await item.locator('.badge.unread').textContent(), '1');
  await item.click();
  await page.locator('#messages .msg.visitor', { hasText: 'blue jacket in size M' }).waitFor();
  const pane = page.locator('.visitor');
  await pane.getByText('129.00 EUR').waitFor();
  await pane.getByText('Blue jacket — Shop').waitFor();
  await pane.getByText('en-GB').waitFor();
  // Opening it read it: the visitor gets the operator's read receipt.
  const read = await anna.next((f) => f.type === 'read');
  assert.equal(read.seq, 1);

  // The visitor types; the operator sees it.
  anna.send({ type: 'typing', conversation_id: read.conversation_id, typing: true });
  await page.locator('#typing', { hasText: 'Anna is typing' }).waitFor();

  await page.fill('#composer-text', 'Hi Anna, let me check the stock for you.');
  await page.press('#composer-text', 'Enter');
  const reply = await anna.next((f) => f.type === 'message' && f.author?.role === 'operator');
  assert.equal(reply.text, 'Hi Anna, let me check the stock for you.');
  assert.equal(reply.author.name, 'Maria');
  await page.locator('#messages .msg.operator', { hasText: 'let me check' }).waitFor();
  // Replying took the conversation: it is now open and Maria's.
  await page.locator('#thread-sub', { hasText: 'you answer' }).waitFor();

  // A canned response by its shortcut.
  await page.fill('#composer-text', '/siz');
  await page.locator('#canned-suggest [role="option"]', { hasText: '/sizes' }).waitFor();
  await page.press('#composer-text', 'Enter');
  assert.equal(await page.inputValue('#composer-text'), 'We have it in S, M and L. Shall I reserve one?');
  await page.press('#composer-text', 'Enter');
  const canned = await anna.next((f) => f.type === 'message' && f.text.startsWith('We have it in S, M and L'));
  assert.equal(canned.author.role, 'operator');

  // An internal note: operators see it, the visitor never does.
  await page.check('input[name="mode"][value="note"]');
  await page.fill('#composer-text', 'VIP customer, offer free shipping.');
  await page.press('#composer-text', 'Enter');
  await page.locator('#messages .msg.note', { hasText: 'free shipping' }).waitFor();
  await page.check('input[name="mode"][value="reply"]');

  // The visitor's read receipt shows under the last reply read.
  anna.send({ type: 'read', conversation_id: read.conversation_id, seq: canned.seq });
  await page.locator('#messages .msg.operator .meta', { hasText: 'Seen' }).waitFor();
  await anna.say('Yes please, one in M!');
  await page.locator('#messages .msg.visitor', { hasText: 'one in M' }).waitFor();
  await assert.rejects(anna.next((f) => f.type === 'message' && f.internal, 500), /no such frame/);

  // Another visitor waits meanwhile; the screenshot shows both.
  boris = await Visitor.connect({ url: 'https://shop.example/delivery', title: 'Delivery — Shop', name: 'Boris',
    language: 'de-DE' });
  await boris.say('Is delivery to Munich free?');
  await page.locator('[data-count="waiting"]', { hasText: '1' }).waitFor();
  await page.click('[data-tab="open"]');
  await page.locator('.inbox-item[aria-current="true"]', { hasText: 'Anna' }).waitFor();

  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  anna.close();
  boris.close();
});

test('a visitor name and message made of HTML render as inert text', async () => {
  const mallory = await Visitor.connect({
    url: 'https://shop.example/', title: '</title><script>window.__pwned = 3</script>', name: XSS_NAME,
    attributes: { note: '<img src=x onerror="window.__pwned = 4">' },
  });
  await mallory.say(XSS_TEXT);
  await page.click('[data-tab="waiting"]');
  const item = page.locator('.inbox-item', { hasText: 'Mallory' });
  await item.waitFor();
  assert.equal(await item.locator('.who').textContent(), XSS_NAME);
  await item.click();
  const bubble = page.locator('#messages .msg.visitor .bubble').last();
  await bubble.waitFor();
  assert.equal(await bubble.textContent(), XSS_TEXT);
  assert.equal(await page.textContent('#thread-title'), XSS_NAME);
  await page.locator('.visitor').getByText('<img src=x onerror="window.__pwned = 4">').waitFor();
  // Nothing became markup and nothing ran.
  const counts = await page.evaluate(() => ({
    img: document.querySelectorAll('img').length,
    b: document.querySelectorAll('#messages b').length,
    scripts: [...document.scripts].filter((s) => !s.src).length,
    pwned: window.__pwned ?? null,
    title: document.title,
  }));
  assert.deepEqual(counts, { img: 0, b: 0, scripts: 0, pwned: null, title: counts.title });
  assert.notEqual(counts.title, 'pwned');
  mallory.close();
  assert.deepEqual(complaints, [], 'the console logged errors or CSP violations');
});

test('signing out ends the session and shows the sign-in form again', async () => {
  await page.click('#logout');
  await page.waitForSelector('#signin-form', { state: 'visible' });
  assert.equal(await page.evaluate(async () => (await fetch('/v1/console/me')).status), 401);
  assert.deepEqual(complaints, [], 'the console logged errors or CSP violations');
});
