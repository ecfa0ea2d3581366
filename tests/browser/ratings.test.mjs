// Browser test: the Ratings view of the operator console in headless Chromium against the real
// server. Ratings are seeded through the real endpoints: visitors (WebSocket clients speaking
// docs/protocol.md) write, two operators take and close their conversations over the console's
// HTTP API, and the visitors rate them through the widget's ratings API (CSAT), one comment being
// an XSS payload; NPS ratings come from a page. The operator opens Ratings and the test checks
// the headline figures, the chart's points and table rows, the distribution's bars and the
// per-operator rows against what was seeded, downloads the CSV through the Export link, and sees
// the payload rendered as text; the console runs under its CSP without one complaint. The
// screenshot goes to VITRINA_SCREENSHOT_DIR.
//
// Environment (set by tests/browser/CMakeLists.txt): VITRINA_SERVER, VITRINA_SCREENSHOT_DIR. Run with
// node --experimental-websocket.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectComplaints, env, launchChromium, runCli, startServer, stopChild } from './support.mjs';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  throw new Error('playwright-core is not installed: run `npm ci` at the repository root');
}
if (typeof WebSocket !== 'function') throw new Error('run with node --experimental-websocket');

const SERVER = env('VITRINA_SERVER');
const SCREENSHOT = path.join(env('VITRINA_SCREENSHOT_DIR'), 'console-ratings.png');
const SHOP = 'https://shop.example';
const PASSWORD = 'correct horse battery staple';
const MARIA = { email: 'maria@shop.example', name: 'Maria', role: 'owner' };
const IVAN = { email: 'ivan@shop.example', name: 'Ivan', role: 'operator' };
const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>Slow reply';

let tmp;
let data;
let server;
let base;
let site;
let browser;

const cli = (args, input = '') => runCli(SERVER, args, input);

// A visitor who writes one message and answers with its conversation's id.
async function visitorWrites(text) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/v1/visitor/ws?site=${site.public_key}`,
    { headers: { Origin: SHOP } });
  const frames = [];
  let wake = () => {};
  ws.addEventListener('message', (e) => { frames.push(JSON.parse(e.data)); wake(); });
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error('the visitor could not connect')), { once: true });
  });
  const next = async (match) => {
    const end = Date.now() + 10000;
    for (;;) {
      const found = frames.find(match);
      if (found) return found;
      if (Date.now() > end) throw new Error(`no such frame; got ${JSON.stringify(frames)}`);
      await new Promise((r) => { wake = r; setTimeout(r, 200); });
    }
  };
  ws.send(JSON.stringify({ type: 'hello', v: 1, context: { url: `${SHOP}/cart` } }));
  await next((f) => f.type === 'welcome');
  ws.send(JSON.stringify({ type: 'message', client_id: randomUUID(), text }));
  const ack = await next((f) => f.type === 'ack');
  ws.close(1000);
  return ack.conversation_id;
}

async function signIn(who) {
  const res = await fetch(`${base}/v1/console/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: PASSWORD }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('vitrina_session='));
  return { cookie: cookie.split(';')[0], csrf: (await res.json()).csrf_token };
}

async function act(session, id, action) {
  const res = await fetch(`${base}/v1/console/conversations/${id}/${action}`, {
    method: 'POST', headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, Origin: base },
  });
  assert.equal(res.status, 200, `${action}: ${await res.text()}`);
}

async function rate(body) {
  const res = await fetch(`${base}/v1/widget/${site.public_key}/ratings`, {
    method: 'POST', headers: { Origin: SHOP, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'vitrina-ratings-'));
  data = path.join(tmp, 'data');
  site = JSON.parse(await cli(['site', 'create', '--data', data, '--name', 'Tea shop', '--origin', SHOP, '--json']));
  for (const op of [MARIA, IVAN]) {
    await cli(['operator', 'add', '--data', data, '--site', site.id, '--email', op.email, '--name', op.name,
      '--role', op.role, '--password-stdin'], `${PASSWORD}\n`);
  }
  // The shop counts its days in Kathmandu (5:45 ahead of UTC), the operator's browser in Yekaterinburg.
  await cli(['site', 'settings', '--data', data, site.id, '--set', 'time_zone=Asia/Kathmandu']);
  server = await startServer(SERVER, ['--listen', '127.0.0.1:0', '--data', data]);
  base = `http://${server.address}`;

  // Three conversations: Maria closes two, Ivan one; each visitor rates theirs.
  const maria = await signIn(MARIA);
  const ivan = await signIn(IVAN);
  const plan = [[maria, 5, 'Quick and kind'], [maria, 4, ''], [ivan, 2, XSS]];
  for (const [who, score, comment] of plan) {
    const id = await visitorWrites('Is the oolong in stock?');
    await act(who, id, 'take');
    await act(who, id, 'close');
    await rate({ kind: 'csat', conversation_id: id, score, ...(comment ? { comment } : {}) });
  }
  for (const score of [10, 9, 3]) await rate({ kind: 'nps', page_url: `${SHOP}/`, score });
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close().catch(() => {});
  await stopChild(server?.child);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const text = async (locator) => (await locator.textContent()).trim();

test('the Ratings view reports what visitors rated, per operator, as a chart, a table and CSV', { timeout: 120000 },
  async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true,
      timezoneId: 'Asia/Yekaterinburg' });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const complaints = collectComplaints(page);
    await page.goto(`${base}/console`);
    await page.fill('#signin-email', MARIA.email);
    await page.fill('#signin-password', PASSWORD);
    await page.click('#signin-submit');
    await page.waitForSelector('#connection[data-state="online"]');

    const switcher = page.locator('[data-view-button="ratings"]');
    await switcher.click();
    assert.equal(await switcher.getAttribute('aria-pressed'), 'true');
    await page.locator('#ratings-view[data-loaded^="csat:day:"]').waitFor();
    assert.equal(await page.locator('#inbox-list').isVisible(), false, 'the conversations are put away');

    // Headline: 5, 4 and 2.
    const figure = (name) => text(page.locator(`#rt-headline [data-figure="${name}"] .rt-value`));
    assert.equal(await figure('count'), '3');
    assert.equal(await figure('average'), '3.7');
    assert.equal(await figure('csat'), '67%');

    assert.equal(await text(page.locator('#rt-zone')), 'Days in Asia/Kathmandu');

    // The series: 30 Kathmandu days, each a table row; one day has ratings, so one point and no line.
    const report = await page.evaluate(async () => {
      const href = new URL(document.getElementById('rt-export').href);
      href.pathname = '/v1/ratings/report';
      href.searchParams.set('bucket', 'day');
      return (await fetch(href)).json();
    });
    assert.equal(report.time_zone, 'Asia/Kathmandu');
    assert.equal(report.series.length, 30);
    for (const b of report.series) assert.match(b.start, /T18:15:00\.000Z$/);
    assert.equal(await page.locator('#rt-table tbody tr').count(), report.series.length);
    const rated = report.series.filter((b) => b.count > 0);
    assert.equal(rated.length, 1);
    assert.equal(await page.locator('#rt-chart .rt-point').count(), rated.length);
    assert.equal(await page.locator(`#rt-chart .rt-point[data-start="${rated[0].start}"]`).count(), 1);
    assert.equal(await page.locator('#rt-chart .rt-line').count(), 0, 'empty days are gaps, not a line');
    assert.ok(await page.locator('#rt-chart text.rt-axis').count() >= 5, 'both axes are labelled');

    // Distribution: five bars, one each for 2, 4 and 5.
    assert.equal(await page.locator('#rt-dist .rt-bar').count(), 5);
    for (const [score, count] of [[1, 0], [2, 1], [3, 0], [4, 1], [5, 1]]) {
      assert.equal(await page.locator(`#rt-dist .rt-bar[data-score="${score}"]`).getAttribute('data-count'), String(count));
    }

    // Per operator, by name.
    const rows = await page.locator('#rt-operators tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent)).sort());
    assert.deepEqual(rows, [['Ivan', '1', '2', '0%'], ['Maria', '2', '4.5', '100%']]);

    // Comments: the payload is text.
    const comments = page.locator('#rt-comments .rt-text');
    assert.deepEqual((await comments.allTextContents()).sort(), [XSS, 'Quick and kind'].sort());
    assert.equal(await page.locator('#rt-comments img, #rt-comments script').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    // Export CSV: the same span's three ratings.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rt-export')]);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kathmandu' }).format(new Date());
    assert.match(download.suggestedFilename(), new RegExp(`^ratings-csat-\\d{4}-\\d{2}-\\d{2}-${today}\\.csv$`));
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'id,kind,score,comment,conversation_id,operator_id,page_url,created_at');
    assert.equal(lines.length, 4);
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[2]).sort(), ['2', '4', '5']);

    await page.locator('#rt-dist').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT });

    // NPS by week: 10, 9 and 3 make 33; eleven bars; no operators.
    await page.selectOption('#rt-controls select[name="kind"]', 'nps');
    await page.selectOption('#rt-controls select[name="bucket"]', 'week');
    await page.locator('#ratings-view[data-loaded^="nps:week:"]').waitFor();
    assert.equal(await figure('count'), '3');
    assert.equal(await figure('nps'), '33');
    assert.equal(await page.locator('#rt-dist .rt-bar').count(), 11);
    assert.equal(await page.locator('#rt-operators-wrap').isVisible(), false);
    assert.equal(await page.locator('#rt-chart .rt-point').count(), 1);
    assert.ok((await page.locator('#rt-table tbody tr').count()) >= 5, 'about five ISO weeks in 30 days');

    // From–to dates that hold no ratings: every figure empty, nothing drawn.
    await page.selectOption('#rt-controls select[name="period"]', 'custom');
    await page.fill('#rt-controls input[name="from"]', '2026-01-05');
    await page.fill('#rt-controls input[name="to"]', '2026-01-18');
    await page.locator('#rt-controls input[name="to"]').dispatchEvent('change');
    // 2026-01-05 00:00 in Kathmandu.
    await page.locator('#ratings-view[data-loaded="nps:week:2026-01-04T18:15:00.000Z"]').waitFor();
    assert.equal(await figure('count'), '0');
    assert.equal(await page.locator('#rt-chart .rt-point').count(), 0);
    assert.equal(await page.locator('#rt-table tbody tr').count(), 2);
    assert.match(await page.getAttribute('#rt-export', 'href'), /from=2026-01-04T18%3A15%3A00.000Z&to=2026-01-18T18%3A15%3A00.000Z/);

    assert.deepEqual(complaints, []);
    await context.close();
  });
