// Browser test: the callback queue in the operator console, fed live. In headless Chromium against
// the real server, an operator signs in and opens Callbacks; a visitor on the hostile test page
// asks for a call through the callback widget; the request appears in the queue without a reload
// with a ticking countdown (an older one already overdue); the operator presses Calling and Done
// from the keyboard and schedules another for a time in their own zone. The API and the signed
// webhooks (callback.requested, callback.status_changed, checked with npm standardwebhooks) agree
// with what the console showed. Visitor-supplied text stays text; the console runs under its CSP
// without one complaint. The screenshot of the queue goes to VITRINA_SCREENSHOT_DIR.
//
// Environment (set by tests/browser/CMakeLists.txt): VITRINA_SERVER, VITRINA_WIDGET_DIR,
// VITRINA_SOURCE_DIR, VITRINA_SCREENSHOT_DIR.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { collectComplaints, env, freePort, launchChromium, startServer, stopChild } from './support.mjs';

let chromium;
let Webhook;
try {
  ({ chromium } = await import('playwright-core'));
  ({ Webhook } = await import('standardwebhooks'));
} catch (e) {
  throw new Error(`run \`npm ci\` at the repository root: ${e.message}`);
}

const SERVER = env('VITRINA_SERVER');
const WIDGET_DIR = env('VITRINA_WIDGET_DIR');
const SOURCE_DIR = env('VITRINA_SOURCE_DIR');
const SCREENSHOT = path.join(env('VITRINA_SCREENSHOT_DIR'), 'console-callbacks.png');
const EMAIL = 'maria@shop.example';
const PASSWORD = 'correct horse battery staple';
// Short enough to see a request go overdue within the test.
const WINDOW_S = 12;
const POW_DIFFICULTY = 10;
const SETTINGS = ['--set', 'webhooks.allow_private_targets=true', '--set', 'webhooks.poll_interval_ms=50'];
const XSS_NAME = '<img src=x onerror="window.__pwned=1">Boris';
const XSS_PAGE = 'javascript:window.__pwned=2';

const run = promisify(execFile);
let tmp;
let data;
let server;    // {child, address, log()}
let base;      // Vitrina, where the console is: http://127.0.0.1:PORT
let shop;      // the shop's pages, another origin: http://localhost:PORT
let site;      // {id, public_key, secret_key}
let secret;    // the webhook endpoint's whsec_…
let receiver;
let browser;
const hooks = [];  // {headers, body} as the shop's endpoint received them

const withLog = (message) => `${message}\n--- server log ---\n${server?.log().slice(-4000) ?? ''}`;
const cli = async (args) => (await run(SERVER, ['--data', data, ...SETTINGS, ...args], { timeout: 20000 })).stdout;

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'vitrina-callbacks-'));
  data = path.join(tmp, 'data');
  const pages = path.join(tmp, 'site');
  await mkdir(pages);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  shop = `http://localhost:${port}`;

  receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ headers: { ...req.headers }, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));

  site = JSON.parse(await cli(['site', 'create', '--name', 'Tea shop', '--origin', shop, '--json']));
  await cli(['site', 'settings', site.id, '--set', `callback_window_s=${WINDOW_S}`,
    '--set', `callback_pow_difficulty=${POW_DIFFICULTY}`]);
  const endpoint = JSON.parse(await cli(['webhook', 'add', '--site', site.id, '--url',
    `http://127.0.0.1:${receiver.address().port}/hook`, '--json']));
  secret = endpoint.secret;
  await new Promise((resolve, reject) => {
    const add = spawn(SERVER, ['operator', 'add', '--data', data, '--site', site.id, '--email', EMAIL,
      '--name', 'Maria', '--role', 'owner', '--password-stdin'], { stdio: ['pipe', 'ignore', 'inherit'] });
    add.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`operator add exited with ${code}`))));
    add.stdin.end(`${PASSWORD}\n`);
  });

  // The hostile page (CSS that resets everything, a strict CSP) with only the callback widget.
  const html = await readFile(path.join(SOURCE_DIR, 'tests/browser/pages/hostile.html'), 'utf8');
  await writeFile(path.join(pages, 'callback.html'), html.replace('{{VITRINA_SITE}}', site.public_key)
    .replace('{{VITRINA_ATTRS}}', 'data-widgets="callback"').replaceAll('{{VITRINA_ORIGIN}}', base)
    .replace('{{VITRINA_WS_ORIGIN}}', base.replace(/^http/, 'ws')));
  for (const f of ['hostile.css', 'hostile-early.js']) {
    await copyFile(path.join(SOURCE_DIR, 'tests/browser/pages', f), path.join(pages, f));
  }

  server = await startServer(SERVER, ['--listen', `127.0.0.1:${port}`, '--data', data, ...SETTINGS,
    '--set', `static.site_dir=${pages}`, '--set', `static.widget_dir=${WIDGET_DIR}`]);
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopChild(server?.child);
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve()));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// The shop's backend, with its secret key.
async function api(method, route, body) {
  const res = await fetch(base + route, {
    method,
    headers: { Authorization: `Bearer ${site.secret_key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// A request as another widget would send it, proof of work solved here.
async function requestCallback(fields) {
  const widget = `${base}/v1/widget/${site.public_key}`;
  const { challenge, difficulty } = await (await fetch(`${widget}/challenge`, { headers: { Origin: shop } })).json();
  let nonce = 0;
  for (;; nonce++) {
    const hash = createHash('sha256').update(`${challenge}.${nonce}`).digest();
    let zeros = 0;
    for (const byte of hash) {
      if (byte === 0) { zeros += 8; continue; }
      zeros += Math.clz32(byte) - 24;
      break;
    }
    if (zeros >= difficulty) break;
  }
  const res = await fetch(`${widget}/callbacks`, {
    method: 'POST',
    headers: { Origin: shop, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...fields, pow: { challenge, nonce: String(nonce) } }),
  });
  const json = await res.json();
  assert.equal(res.status, 201, JSON.stringify(json));
  return json;
}

// The webhooks of `type` received so far, each verified, as parsed bodies.
function received(type) {
  const wh = new Webhook(secret);
  return hooks.map(({ headers, body }) => wh.verify(body, headers)).filter((e) => e.type === type);
}

async function until(what, check, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(withLog(`timed out waiting for ${what}`));
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a visitor\'s request appears live in the queue, counts down, and the operator calls it through',
  { timeout: 150000 }, async () => {
    // An earlier request, made before the console opened.
    const boris = await requestCallback({ phone: '+7 (903) 111-22-33', name: 'Boris',
      page_url: 'https://tea.example/delivery' });

    // The operator's browser runs five hours ahead of UTC, so local time and UTC differ.
    const console_ = await browser.newContext({ viewport: { width: 1360, height: 820 },
      timezoneId: 'Asia/Yekaterinburg' });
    const page = await console_.newPage();
    page.setDefaultTimeout(15000);
    const complaints = collectComplaints(page);
    await page.goto(`${base}/console`);
    await page.fill('#signin-email', EMAIL);
    await page.fill('#signin-password', PASSWORD);
    await page.click('#signin-submit');
    await page.waitForSelector('#connection[data-state="online"]');

    // The switcher: its badge counts new requests, loaded over HTTP at the start.
    const switcher = page.locator('[data-view-button="callbacks"]');
    await page.locator('#callbacks-count', { hasText: '1' }).waitFor();
    await switcher.focus();
    await page.keyboard.press('Enter');
    assert.equal(await switcher.getAttribute('aria-pressed'), 'true');
    await page.locator('#callbacks-view').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#inbox-list').isVisible(), false, 'the conversations are put away');

    const card = (id) => page.locator(`#cb-queue .cb-card[data-id="${id}"]`);
    const borisCard = card(boris.id);
    await borisCard.waitFor();
    assert.equal(await borisCard.locator('.cb-name').textContent(), 'Boris');
    assert.equal(await borisCard.locator('a[href="tel:+79031112233"]').textContent(), '+79031112233');
    assert.equal(await borisCard.locator('a[href="https://tea.example/delivery"]').count(), 1);
    // The deadline passes: the countdown becomes "overdue m:ss" in the warning colour.
    const borisTimer = borisCard.locator('.cb-timer');
    await borisCard.locator('.cb-timer.overdue').waitFor({ timeout: (WINDOW_S + 10) * 1000 });
    assert.match(await borisTimer.textContent(), /^overdue \d+:\d\d$/);
    assert.equal(await borisTimer.evaluate((t) => getComputedStyle(t).color), 'rgb(198, 40, 40)');

    // The visitor, on a page we did not design for it, asks for a call.
    const visitor = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    const shopPage = await visitor.newPage();
    shopPage.setDefaultTimeout(15000);
    await shopPage.goto(`${shop}/callback.html`);
    await shopPage.locator('vitrina-widget button.vitrina-launcher').click();
    const form = shopPage.locator('vitrina-widget .vitrina-callback');
    await form.locator('input[type=tel]').fill('8 (912) 345-67-89');
    await form.locator('input[type=text]').fill('Anna Kuznetsova');
    await form.locator('.vitrina-submit').click();
    await form.locator('.vitrina-done').waitFor({ state: 'visible' });

    // Live, with no reload: the new request, after the overdue one (ordered by deadline).
    const annaCard = page.locator('#cb-queue .cb-card', { hasText: '+79123456789' });
    await annaCard.waitFor({ timeout: 10000 });
    const annaId = await annaCard.getAttribute('data-id');
    assert.match(annaId, /^cb_/);
    assert.equal(await annaCard.locator('.cb-name').textContent(), 'Anna Kuznetsova');
    assert.deepEqual(await page.locator('#cb-queue .cb-card').evaluateAll((cards) => cards.map((c) => c.dataset.id)),
      [boris.id, annaId]);
    await page.locator('#callbacks-count', { hasText: '2' }).waitFor();
    assert.match(await page.textContent('#cb-announce'), /Anna Kuznetsova asks for a call/);
    await annaCard.getByText(`${shop}/callback.html`).waitFor();
    // The countdown ticks down from the promised window.
    const timer = annaCard.locator('.cb-timer');
    const first = await timer.textContent();
    assert.match(first, /^0:\d\d$/);
    assert.ok(Number(first.slice(2)) <= WINDOW_S, first);
    await page.waitForFunction((t) => {
      const now = document.querySelector(`.cb-card[data-id="${t.id}"] .cb-timer`).textContent;
      return now !== t.first;
    }, { id: annaId, first }, { timeout: 3000 });
    assert.match(await timer.textContent(), /^0:\d\d$/, 'still counting down');

    // Another request scheduled for tomorrow through the API shows in the scheduled list.
    const carol = await requestCallback({ phone: '+49 30 1234567', name: 'Carol' });
    const tomorrow = new Date(Date.now() + 86400000);
    tomorrow.setUTCHours(7, 0, 0, 0);
    await api('POST', `/v1/callback_requests/${carol.id}/status`,
      { status: 'scheduled', scheduled_for: tomorrow.toISOString(), note: 'Asked for a call after the meeting' });
    await page.locator(`#cb-scheduled .cb-card[data-id="${carol.id}"]`, { hasText: 'after the meeting' }).waitFor();
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // The operator works Anna's request from the keyboard: a note, Calling, then Done.
    await annaCard.locator('.cb-note-input').focus();
    await page.keyboard.type('Dialling now');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Calling');
    await page.keyboard.press('Enter');
    await annaCard.locator('.badge', { hasText: 'calling · you' }).waitFor();
    await annaCard.locator('.cb-note', { hasText: 'Note: Dialling now' }).waitFor();
    await page.locator('#callbacks-count', { hasText: '1' }).waitFor();
    await annaCard.locator('.cb-note-input').fill('Ordered 250 g of Assam');
    await annaCard.getByRole('button', { name: 'Done' }).click();
    const done = page.locator(`#cb-done .cb-card[data-id="${annaId}"]`);
    await done.waitFor();
    await done.getByText('Note: Ordered 250 g of Assam').waitFor();
    assert.equal(await page.locator(`#cb-queue .cb-card[data-id="${annaId}"]`).count(), 0);

    // Boris asked to be called tomorrow at 10:30 the operator's time: sent as 05:30 UTC.
    await borisCard.getByRole('button', { name: 'Schedule' }).click();
    const dialog = page.locator('#cb-schedule');
    await dialog.waitFor({ state: 'visible' });
    const day = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
    await dialog.getByLabel('Call at (your local time)').fill(`${day}T10:30`);
    await dialog.getByLabel('Note').fill('Busy until tomorrow');
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator(`#cb-scheduled .cb-card[data-id="${boris.id}"]`).waitFor();
    assert.equal((await api('GET', `/v1/callback_requests/${boris.id}`)).scheduled_for, `${day}T05:30:00.000Z`);
    await page.locator('#callbacks-count:empty').waitFor({ state: 'attached' });
    await page.locator('#cb-queue-empty').waitFor({ state: 'visible' });

    // Visitor-supplied text stays text: a name and a page that are markup and script.
    const mallory = await requestCallback({ phone: '+7 903 111 22 44', name: XSS_NAME, page_url: XSS_PAGE });
    const malloryCard = card(mallory.id);
    await malloryCard.waitFor();
    assert.equal(await malloryCard.locator('.cb-name').textContent(), XSS_NAME);
    await malloryCard.getByText(XSS_PAGE).waitFor();
    assert.equal(await malloryCard.locator('a[href^="javascript"]').count(), 0, 'a javascript: page is not a link');
    await malloryCard.getByRole('button', { name: 'Missed' }).click();
    await page.locator(`#cb-missed .cb-card[data-id="${mallory.id}"]`).waitFor();
    assert.equal((await api('GET', `/v1/callback_requests/${mallory.id}`)).status, 'missed');

    // The API and the webhooks agree with what the operator did.
    const stored = await api('GET', `/v1/callback_requests/${annaId}`);
    assert.equal(stored.status, 'done');
    assert.equal(stored.note, 'Ordered 250 g of Assam');
    assert.equal(stored.name, 'Anna Kuznetsova');
    assert.equal(stored.page_url, `${shop}/callback.html`);
    assert.match(stored.operator_id, /^op_/);
    const requested = await until('callback.requested for the visitor',
      () => received('callback.requested').find((e) => e.data.id === annaId));
    assert.equal(requested.data.status, 'new');
    assert.equal(requested.data.phone, '+79123456789');
    assert.equal(requested.data.call_by, stored.call_by);
    assert.equal(requested.data.created_at, stored.created_at);
    const changes = await until('two status changes', () => {
      const mine = received('callback.status_changed').filter((e) => e.data.callback.id === annaId);
      return mine.length === 2 && mine;
    });
    assert.deepEqual(changes.map((e) => [e.data.previous_status, e.data.callback.status]),
      [['new', 'calling'], ['calling', 'done']]);
    assert.equal(changes[0].data.callback.note, 'Dialling now');
    assert.deepEqual(changes[1].data.callback, stored);

    const inert = await page.evaluate(() => ({ pwned: window.__pwned ?? null,
      img: document.querySelectorAll('img').length, bold: document.querySelectorAll('.cb-card b').length }));
    assert.deepEqual(inert, { pwned: null, img: 0, bold: 0 });
    assert.deepEqual(complaints, [], 'the console logged errors or CSP violations');
    await visitor.close();
    await console_.close();
  });
