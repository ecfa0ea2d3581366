// Browser test: the demo shop, served by vitrina-server, shows the widget's launcher in headless
// Chromium, under the demo page's strict CSP, without console noise, storage or cookies.
//
// Environment (set by tests/browser/CMakeLists.txt): VITRINA_SERVER (the server binary),
// VITRINA_WIDGET_DIR (widget/dist of the build tree), VITRINA_SOURCE_DIR (the repository).
// Optional: VITRINA_SCREENSHOT=FILE.png saves the page with the launcher, for a look by eye.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through ctest)`);
  return value;
};

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  throw new Error('playwright-core is not installed: run `npm ci` at the repository root');
}

const SERVER = env('VITRINA_SERVER');
const WIDGET_DIR = env('VITRINA_WIDGET_DIR');
const SOURCE_DIR = env('VITRINA_SOURCE_DIR');
const LAUNCHER = 'vitrina-widget button.vitrina-launcher';  // CSS locators pierce open shadow roots

let tmp;
let server;
let serverLog = '';
let baseUrl;
let browser;

// Starts the server and resolves with the address from its "listening" log line.
function startServer(args) {
  server = spawn(SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not log "listening" in 15 s')), 15000);
    server.on('error', (e) => { clearTimeout(timer); reject(e); });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})`));
    });
    createInterface({ input: server.stderr }).on('line', (line) => {
      serverLog += line + '\n';
      let entry;
      try { entry = JSON.parse(line); } catch { return; }
      if (entry.msg === 'listening' && typeof entry.address === 'string') {
        clearTimeout(timer);
        resolve(entry.address);
      }
    });
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
// Even if the test runner dies, never leave a server behind.
process.on('exit', () => { if (server && server.exitCode === null) server.kill('SIGKILL'); });

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'vitrina-browser-'));
  const data = path.join(tmp, 'data');
  const site = path.join(tmp, 'site');

  const created = await run(SERVER, ['site', 'create', '--data', data, '--name', 'Demo',
    '--origin', 'http://127.0.0.1', '--json'], { timeout: 20000 });
  const { public_key: key } = JSON.parse(created.stdout);
  assert.match(key, /^pk_[0-9A-Za-z]{24}$/, 'site create --json gives a public_key');

  await run(path.join(SOURCE_DIR, 'examples/demo-shop/render'), [key, site], { timeout: 20000 });
  const index = await readFile(path.join(site, 'index.html'), 'utf8');
  assert.ok(index.includes(`data-site="${key}"`), 'render put the key in the script tag');
  // The same page in Russian, and without the widget (the baseline for globals).
  await writeFile(path.join(site, 'ru.html'), index.replace('data-site=', 'data-lang="ru" data-site='));
  await writeFile(path.join(site, 'blank.html'), index.replace(/<script [^>]*vitrina\.js[^>]*><\/script>/, ''));

  const address = await startServer(['--listen', '127.0.0.1:0', '--data', data,
    '--set', `static.site_dir=${site}`, '--set', `static.widget_dir=${WIDGET_DIR}`]);
  baseUrl = `http://${address}`;

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopServer();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// Opens `page` of the demo in a fresh context, recording everything the console complains about.
async function open(pagePath) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const complaints = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') complaints.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => complaints.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => complaints.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) complaints.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(baseUrl + pagePath, { waitUntil: 'load', timeout: 15000 });
  return { context, page, complaints };
}

function withServerLog(message) {
  return `${message}\n--- server log ---\n${serverLog}`;
}

test('the demo shop shows the launcher, quietly and without storage', { timeout: 60000 }, async () => {
  const { context, page, complaints } = await open('/');
  try {
    const launcher = page.locator(LAUNCHER);
    await launcher.waitFor({ state: 'visible' }).catch((e) => {
      throw new Error(withServerLog(`${e.message}\nconsole: ${complaints.join('\n')}`));
    });
    assert.equal(await launcher.getAttribute('aria-label'), 'Open chat');
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');

    const shape = await page.evaluate(() => {
      const hosts = document.querySelectorAll('vitrina-widget');
      const root = hosts[0]?.shadowRoot;
      const button = root?.querySelector('button');
      const box = button?.getBoundingClientRect();
      return {
        hosts: hosts.length,
        hostParent: hosts[0]?.parentElement?.tagName,
        mode: root?.mode,
        styledOutside: [...document.querySelectorAll('style, link[rel=stylesheet]')].map((n) => n.href || 'style'),
        radius: button && getComputedStyle(button).borderRadius,
        position: button && getComputedStyle(button).position,
        bottomRight: box && innerWidth - box.right < 40 && innerHeight - box.bottom < 40,
        tooltip: root?.querySelector('.vitrina-launcher-tooltip')?.textContent,
      };
    });
    assert.equal(shape.hosts, 1, 'one host element');
    assert.equal(shape.hostParent, 'BODY');
    assert.equal(shape.mode, 'open');
    assert.deepEqual(shape.styledOutside, [`${baseUrl}/shop.css`], 'no stylesheet added to the page');
    assert.equal(shape.position, 'fixed');
    assert.equal(shape.radius, '50%');
    assert.ok(shape.bottomRight, 'the launcher sits in the bottom-right corner');
    assert.equal(shape.tooltip, 'Questions? Chat with us');

    const storage = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
    }));
    assert.deepEqual(storage, { local: 0, session: 0, cookie: '' });
    assert.deepEqual(await context.cookies(), [], 'no cookies at all, HttpOnly ones included');
    assert.deepEqual(complaints, [], 'no console errors or warnings, failed requests or HTTP errors');

    if (process.env.VITRINA_SCREENSHOT) {
      await launcher.hover();
      await page.waitForTimeout(300);  // let the tooltip finish fading in
      await page.screenshot({ path: process.env.VITRINA_SCREENSHOT });
    }
  } finally {
    await context.close();
  }
});

test('a click reaches the module and flips aria-expanded', { timeout: 60000 }, async () => {
  const { context, page, complaints } = await open('/');
  try {
    const launcher = page.locator(LAUNCHER);
    await launcher.click();
    await page.waitForFunction(() => document.querySelector('vitrina-widget')?.shadowRoot
      ?.querySelector('button')?.getAttribute('aria-expanded') === 'true');
    await launcher.click();
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    assert.deepEqual(complaints, []);
  } finally {
    await context.close();
  }
});

test('data-lang="ru" gives the Russian label', { timeout: 60000 }, async () => {
  const { context, page, complaints } = await open('/ru.html');
  try {
    const launcher = page.locator(LAUNCHER);
    await launcher.waitFor({ state: 'visible' });
    assert.equal(await launcher.getAttribute('aria-label'), 'Открыть чат');
    assert.deepEqual(complaints, []);
  } finally {
    await context.close();
  }
});

test('the widget defines no global but window.Vitrina', { timeout: 60000 }, async () => {
  const globals = (page) => page.evaluate(() => Object.getOwnPropertyNames(window));
  const blank = await open('/blank.html');
  const before = new Set(await globals(blank.page));
  await blank.context.close();

  const { context, page } = await open('/');
  try {
    await page.locator(LAUNCHER).waitFor({ state: 'visible' });
    const added = (await globals(page)).filter((name) => !before.has(name));
    assert.deepEqual(added, ['Vitrina']);
    assert.equal(await page.evaluate(() => typeof window.Vitrina), 'function');
    // Calls are queued for the widget's future API, not lost or thrown.
    assert.equal(await page.evaluate(() => { window.Vitrina('open'); return window.Vitrina.q.length; }), 1);
  } finally {
    await context.close();
  }
});
