// The Ratings view: the report of GET /v1/ratings/report (docs/api.md, "Ratings") for one kind
// (CSAT, page rating, NPS) over a chosen span: the headline figures, the series as an SVG chart
// (empty buckets left as gaps) with a table of the same figures, the score distribution as bars,
// the figures per operator, the latest comments, and a link to the same span as CSV. Days are
// those of the zone the report names (the site's), so "today" is the shop's today.
//
// Everything is built through DOM APIs (the console's CSP allows no inline style or markup), and
// visitors' comments become text nodes only.

import { call } from './api.js';
import { $, h } from './dom.js';
import { state } from './state.js';

const SVG = 'http://www.w3.org/2000/svg';
const DAY = 86400000;
const KIND_LABEL = { csat: 'CSAT', page: 'Page rating', nps: 'NPS' };
const COMMENTS = 50;
// The chart's box, in SVG user units (it scales with the page).
const W = 720;
const H = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 34 };

let zone = 'UTC';   // the zone of the latest report, the site's
let loads = 0;      // the latest load wins when controls change quickly

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// ---- dates in a zone ----

// "2026-11-23" for the instant `t` in `tz`.
function localDate(t, tz) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(t));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

// "2026-11-23" moved by `days`.
function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// The offset of `tz` from UTC at the instant `t`, in ms.
function offsetAt(t, tz) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(t));
  const n = (type) => Number(parts.find((p) => p.type === type).value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(t / 1000) * 1000;
}

// The instant of 00:00 on `date` in `tz` (the offset read twice: it may change that day).
function midnight(date, tz) {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - offsetAt(wall, tz);
  return wall - offsetAt(first, tz);
}

// The span the controls choose: {from, to} as ISO instants of local midnights, or an error.
export function chosenSpan(period, fromDate, toDate, tz, now = Date.now()) {
  let first;
  let last;
  if (period === 'custom') {
    if (!fromDate || !toDate) return { error: 'Choose both dates.' };
    if (fromDate > toDate) return { error: 'The first date is after the last.' };
    first = fromDate;
    last = toDate;
  } else {
    last = localDate(now, tz);
    first = addDays(last, 1 - Number(period));
  }
  return {
    from: new Date(midnight(first, tz)).toISOString(),
    to: new Date(midnight(addDays(last, 1), tz)).toISOString(),
  };
}

// ---- formatting ----

const one = (x) => (x === null || x === undefined ? '—' : Number(x).toFixed(Number.isInteger(x) ? 0 : 1));
const whole = (x) => (x === null || x === undefined ? '—' : String(Math.round(x)));
const pct = (x) => (x === null || x === undefined ? '—' : `${Math.round(x)}%`);

function dayLabel(iso, tz, withYear = false) {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: tz, day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}),
  }).format(new Date(iso));
}

function bucketLabel(iso, bucket, tz) {
  return bucket === 'week' ? `Week of ${dayLabel(iso, tz, true)}` : dayLabel(iso, tz, true);
}

// The figure the kind is judged by: CSAT % or NPS.
const headlineKey = (kind) => (kind === 'nps' ? 'nps' : 'csat');

// ---- rendering ----

function renderHeadline(report) {
  const key = headlineKey(report.kind);
  const t = report.total || {};
  const box = $('rt-headline');
  box.replaceChildren(
    h('div', { class: 'rt-figure', dataset: { figure: 'count' } }, h('span', { class: 'rt-value' }, String(t.count ?? 0)),
      h('span', { class: 'rt-label' }, 'Ratings')),
    h('div', { class: 'rt-figure', dataset: { figure: 'average' } }, h('span', { class: 'rt-value' }, one(t.average)),
      h('span', { class: 'rt-label' }, report.kind === 'nps' ? 'Average (0–10)' : 'Average (1–5)')),
    h('div', { class: 'rt-figure', dataset: { figure: key } },
      h('span', { class: 'rt-value' }, key === 'nps' ? whole(t.nps) : pct(t.csat)),
      h('span', { class: 'rt-label' }, key === 'nps' ? 'NPS' : 'CSAT (4 and 5)')),
  );
}

// The series: the headline figure per bucket as a line with points, broken where a bucket has
// no ratings; the count per bucket as light bars behind it.
function renderChart(report) {
  const key = headlineKey(report.kind);
  const series = report.series || [];
  const [lo, hi] = key === 'nps' ? [-100, 100] : [0, 100];
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = series.length ? innerW / series.length : innerW;
  const x = (i) => PAD.left + step * (i + 0.5);
  const y = (v) => PAD.top + innerH * (1 - (v - lo) / (hi - lo));
  const maxCount = Math.max(1, ...series.map((b) => b.count || 0));
  const title = `${key === 'nps' ? 'NPS' : 'CSAT %'} per ${report.bucket}`;

  const chart = svg('svg', { id: 'rt-chart-svg', class: 'rt-chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-labelledby': 'rt-chart-title' }, svg('title', { id: 'rt-chart-title' }, `${title}; the table below has the figures`));
  // The value axis: lines and labels at the ends and the middle.
  for (const v of [lo, (lo + hi) / 2, hi]) {
    chart.append(svg('line', { class: 'rt-gridline', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }));
    chart.append(svg('text', { class: 'rt-axis', x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' },
      key === 'nps' ? String(v) : `${v}%`));
  }
  // Counts behind the line.
  series.forEach((b, i) => {
    if (!b.count) return;
    const bh = (innerH / 3) * (b.count / maxCount);
    chart.append(svg('rect', { class: 'rt-count', x: x(i) - step * 0.3, width: step * 0.6, y: PAD.top + innerH - bh, height: bh },
      svg('title', {}, `${b.count} rating${b.count === 1 ? '' : 's'}`)));
  });
  // The line, one segment per run of buckets with ratings.
  let run = [];
  const flush = () => {
    if (run.length > 1) chart.append(svg('polyline', { class: 'rt-line', points: run.join(' ') }));
    run = [];
  };
  series.forEach((b, i) => {
    const v = b[key];
    if (v === null || v === undefined) { flush(); return; }
    run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  flush();
  series.forEach((b, i) => {
    const v = b[key];
    if (v === null || v === undefined) return;
    chart.append(svg('circle', { class: 'rt-point', cx: x(i), cy: y(v), r: 4, 'data-start': b.start },
      svg('title', {}, `${bucketLabel(b.start, report.bucket, zone)}: ${key === 'nps' ? whole(v) : pct(v)}, ${b.count} rating${b.count === 1 ? '' : 's'}`)));
  });
  // The time axis: a label for the first bucket, the last, and a few between.
  const every = Math.max(1, Math.ceil(series.length / 8));
  series.forEach((b, i) => {
    if (i % every !== 0 && i !== series.length - 1) return;
    if (i !== series.length - 1 && series.length - 1 - i < every / 2) return;
    chart.append(svg('text', { class: 'rt-axis', x: x(i), y: H - PAD.bottom + 16, 'text-anchor': 'middle' },
      dayLabel(b.start, zone)));
  });
  chart.append(svg('line', { class: 'rt-baseline', x1: PAD.left, x2: W - PAD.right, y1: PAD.top + innerH, y2: PAD.top + innerH }));
  $('rt-chart').replaceChildren(chart);

  const figure = key === 'nps' ? 'NPS' : 'CSAT';
  $('rt-table').replaceChildren(
    h('caption', { class: 'sr-only' }, `${KIND_LABEL[report.kind]} per ${report.bucket} (${zone})`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, report.bucket === 'week' ? 'Week' : 'Day'),
      h('th', { scope: 'col' }, 'Ratings'), h('th', { scope: 'col' }, 'Average'), h('th', { scope: 'col' }, figure))),
    h('tbody', {}, series.map((b) => h('tr', { dataset: { start: b.start } },
      h('th', { scope: 'row' }, bucketLabel(b.start, report.bucket, zone)), h('td', {}, String(b.count)),
      h('td', {}, one(b.average)), h('td', {}, key === 'nps' ? whole(b.nps) : pct(b.csat))))),
  );
}

// The distribution: one bar per score, its count above it.
function renderDistribution(report) {
  const scores = Object.keys(report.distribution || {}).map(Number).sort((a, b) => a - b);
  const counts = scores.map((s) => report.distribution[String(s)] || 0);
  const total = counts.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...counts);
  const dw = 360;
  const dh = 160;
  const base = dh - 22;
  const step = (dw - 8) / Math.max(1, scores.length);
  const chart = svg('svg', { class: 'rt-dist', viewBox: `0 0 ${dw} ${dh}`, role: 'img', 'aria-labelledby': 'rt-dist-title' },
    svg('title', { id: 'rt-dist-title' },
      `Scores: ${scores.map((s, i) => `${s}: ${counts[i]}`).join(', ')}`));
  scores.forEach((s, i) => {
    const x = 4 + step * i;
    const bh = (base - 18) * (counts[i] / max);
    const cls = report.kind === 'nps' ? (s >= 9 ? 'good' : s >= 7 ? 'mid' : 'bad') : (s >= 4 ? 'good' : s === 3 ? 'mid' : 'bad');
    chart.append(svg('rect', { class: `rt-bar ${cls}`, x: x + step * 0.15, width: step * 0.7, y: base - bh, height: bh,
      'data-score': s, 'data-count': counts[i] },
    svg('title', {}, `${s}: ${counts[i]}${total ? ` (${Math.round((100 * counts[i]) / total)}%)` : ''}`)));
    chart.append(svg('text', { class: 'rt-axis', x: x + step / 2, y: dh - 6, 'text-anchor': 'middle' }, String(s)));
    if (counts[i]) {
      chart.append(svg('text', { class: 'rt-axis', x: x + step / 2, y: base - bh - 4, 'text-anchor': 'middle' }, String(counts[i])));
    }
  });
  $('rt-dist').replaceChildren(chart);
}

function renderOperators(report) {
  const names = new Map((state.operators || []).map((o) => [o.id, o.name]));
  const rows = report.operators || [];
  $('rt-operators-empty').hidden = rows.length > 0;
  $('rt-operators-wrap').hidden = report.kind !== 'csat';
  $('rt-operators').replaceChildren(
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Operator'), h('th', { scope: 'col' }, 'Ratings'),
      h('th', { scope: 'col' }, 'Average'), h('th', { scope: 'col' }, 'CSAT'))),
    h('tbody', {}, rows.map((o) => h('tr', { dataset: { operator: o.operator_id } },
      h('th', { scope: 'row' }, names.get(o.operator_id) || (o.operator_id ? `Operator ${o.operator_id.slice(-4)}` : 'Nobody')),
      h('td', {}, String(o.count)), h('td', {}, one(o.average)), h('td', {}, pct(o.csat))))),
  );
}

function renderComments(list, span) {
  const from = Date.parse(span.from);
  const to = Date.parse(span.to);
  const shown = list.filter((r) => r.comment && Date.parse(r.created_at) >= from && Date.parse(r.created_at) < to);
  $('rt-comments-empty').hidden = shown.length > 0;
  const when = new Intl.DateTimeFormat(undefined, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
  $('rt-comments').replaceChildren(...shown.map((r) => h('li', { class: 'rt-comment', dataset: { id: r.id } },
    h('span', { class: `rt-score badge` }, String(r.score)),
    h('p', { class: 'rt-text' }, r.comment),
    h('span', { class: 'muted rt-when' }, when.format(new Date(r.created_at))))));
}

// ---- loading ----

function controls() {
  const f = $('rt-controls').elements;
  return { kind: f.kind.value, period: f.period.value, from: f.from.value, to: f.to.value, bucket: f.bucket.value };
}

export async function loadRatings() {
  const c = controls();
  const span = chosenSpan(c.period, c.from, c.to, zone);
  $('rt-error').textContent = span.error || '';
  if (span.error) return;
  const load = ++loads;
  const q = new URLSearchParams({ kind: c.kind, bucket: c.bucket, from: span.from, to: span.to });
  $('rt-export').href = `/v1/ratings/export?${new URLSearchParams({ kind: c.kind, from: span.from, to: span.to })}`;
  $('ratings-view').setAttribute('aria-busy', 'true');
  try {
    const [report, recent] = await Promise.all([
      call('GET', `/v1/ratings/report?${q}`),
      call('GET', `/v1/ratings?${new URLSearchParams({ kind: c.kind, limit: String(COMMENTS) })}`),
    ]);
    if (load !== loads) return;
    const tz = report.time_zone || 'UTC';
    if (tz !== zone) {
      // The first answer names the site's zone: the span is read again in it.
      zone = tz;
      if (c.period !== 'custom') { loadRatings(); return; }
    }
    $('rt-zone').textContent = `Days in ${zone}`;
    renderHeadline(report);
    renderChart(report);
    renderDistribution(report);
    renderOperators(report);
    renderComments(recent?.data || [], span);
    $('ratings-view').dataset.loaded = `${c.kind}:${c.bucket}:${span.from}`;
  } catch (err) {
    if (load === loads) $('rt-error').textContent = err.field ? `${err.field}: ${err.message}` : err.message;
  } finally {
    if (load === loads) $('ratings-view').removeAttribute('aria-busy');
  }
}

export function setUpRatings() {
  const form = $('rt-controls');
  const custom = () => {
    const on = form.elements.period.value === 'custom';
    $('rt-dates').hidden = !on;
    if (on && !form.elements.from.value) {
      const today = localDate(Date.now(), zone);
      form.elements.to.value = today;
      form.elements.from.value = addDays(today, -29);
    }
  };
  form.addEventListener('change', () => { custom(); loadRatings(); });
  form.addEventListener('submit', (e) => { e.preventDefault(); loadRatings(); });
}
