// The widget benchmark's measuring side (see ./run): starts vitrina-server on 127.0.0.1:0 with
// the demo shop, then visits the page with and without the widget in fresh browser contexts.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const [SERVER, WIDGET_DIR, ROOT] = process.argv.slice(2);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 15);
const run = promisify(execFile);

const tmp = await mkdtemp(path.join(tmpdir(), 'vitrina-bench-widget-'));
let server;
try {
  const data = path.join(tmp, 'data');
  const site = path.join(tmp, 'site');
  // The chat socket checks the page's exact origin, port included: take a free port first.
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const created = await run(SERVER, ['site', 'create', '--data', data, '--name', 'Bench', '--origin',
    `http://127.0.0.1:${port}`, '--json']);
  const key = JSON.parse(created.stdout).public_key;
  await run(path.join(ROOT, 'examples/demo-shop/render'), [key, site]);
  const index = await readFile(path.join(site, 'index.html'), 'utf8');
  await writeFile(path.join(site, 'blank.html'), index.replace(/<script [^>]*vitrina\.js[^>]*><\/script>/, ''));

  server = spawn(SERVER, ['--listen', `127.0.0.1:${port}`, '--data', data, '--set', `static.site_dir=${site}`,
    '--set', `static.widget_dir=${WIDGET_DIR}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  const address = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 15 s')), 15000);
    createInterface({ input: server.stderr }).on('line', (line) => {
      try {
        const e = JSON.parse(line);
        if (e.msg === 'listening') { clearTimeout(timer); resolve(e.address); }
      } catch { /* not JSON */ }
    });
  });
  const base = `http://${address}`;

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox',
    '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic'] });

  // One visit: bytes on the wire (bodies as sent, compressed, plus headers) and milestones in
  // the page's own clock (ms since navigation start).
  async function visit(pagePath, withWidget) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    const page = await context.newPage();
    let bytes = 0;
    let widgetBytes = 0;
    const pendingSizes = [];
    page.on('requestfinished', (r) => pendingSizes.push(r.sizes().then((s) => {
      const n = s.responseBodySize + s.responseHeadersSize;
      bytes += n;
      if (new URL(r.url()).pathname.startsWith('/v1/')) widgetBytes += n;
    })));
    await page.goto(base + pagePath, { waitUntil: 'load' });
    const load = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
    const out = { load };
    if (withWidget) {
      out.launcher = await (await page.waitForFunction(() => {
        const b = document.querySelector('vitrina-widget')?.shadowRoot?.querySelector('.vitrina-launcher');
        return b && b.getBoundingClientRect().width > 0 ? performance.now() : null;
      }, null, { polling: 'raf' })).jsonValue();
      await page.waitForTimeout(300);
      await Promise.all(pendingSizes.splice(0));
      out.beforeClick = bytes;
      const clicked = await page.evaluate(() => performance.now());
      await page.locator('vitrina-widget .vitrina-launcher').click();
      const ready = await (await page.waitForFunction(() => {
        const root = document.querySelector('vitrina-widget').shadowRoot;
        const panel = root.querySelector('.vitrina-panel');
        return panel && !panel.hidden && /^(TEXTAREA|INPUT)$/.test(root.activeElement?.tagName) ? performance.now() : null;
      }, null, { polling: 'raf' })).jsonValue();
      out.toInteractive = ready - clicked;
      // Connected: the server's welcome has replaced "Connecting…" in the panel's status line.
      const connected = await page.waitForFunction(() => {
        const status = document.querySelector('vitrina-widget').shadowRoot.querySelector('.vitrina-status');
        return status && status.textContent && status.textContent !== 'Connecting…' ? performance.now() : null;
      }, null, { polling: 'raf', timeout: 10000 }).then((h) => h.jsonValue(), () => NaN);
      out.toConnected = connected - clicked;
      await page.waitForTimeout(300);
    }
    await Promise.all(pendingSizes.splice(0));
    out.bytes = bytes;
    out.widgetBytes = widgetBytes;
    await context.close();
    return out;
  }

  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const runs = { blank: [], widget: [] };
  await visit('/blank.html', false);  // warm the server's file cache
  await visit('/', true);
  for (let i = 0; i < ROUNDS; i++) {
    runs.blank.push(await visit('/blank.html', false));
    runs.widget.push(await visit('/', true));
  }
  await browser.close();

  const m = (set, k) => median(runs[set].map((r) => r[k]));
  const rows = [
    ['page without the widget: bytes', m('blank', 'bytes')],
    ['page with the widget: bytes before any click', m('widget', 'beforeClick')],
    ['  of which the widget (loader + launcher stylesheet)', m('widget', 'beforeClick') - m('blank', 'bytes')],
    ['page with the widget: bytes after opening the chat', m('widget', 'bytes')],
    ['  of which the widget, all of it', m('widget', 'widgetBytes')],
    ['load event without the widget, ms', m('blank', 'load').toFixed(1)],
    ['load event with the widget, ms', m('widget', 'load').toFixed(1)],
    ['navigation to launcher visible, ms', m('widget', 'launcher').toFixed(1)],
    ['click to chat usable (panel shown, composer focused), ms', m('widget', 'toInteractive').toFixed(1)],
    ['click to chat connected (welcome received), ms', m('widget', 'toConnected').toFixed(1)],
  ];
  console.log(`median of ${ROUNDS} cold visits each, headless Chromium, loopback, ${base}`);
  for (const [k, v] of rows) console.log(`${String(v).padStart(9)}  ${k}`);
} finally {
  if (server) server.kill('SIGTERM');
  await rm(tmp, { recursive: true, force: true });
}
