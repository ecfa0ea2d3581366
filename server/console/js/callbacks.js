// The Callbacks view: visitors' callback requests (docs/api.md, "Callback requests"), loaded
// over HTTP after every welcome and kept current by the `callback` frames the console socket
// pushes (docs/protocol.md). The queue shows new and calling requests by deadline with a live
// countdown; scheduled, missed and recently done ones are listed beside it. Cards are updated in
// place, so a note being typed survives every frame and every tick.

import { call } from './api.js';
import { $, h, safeLink } from './dom.js';
import { clock, since } from './format.js';
import * as notify from './notify.js';
import { state } from './state.js';

const OPEN = ['new', 'calling', 'scheduled', 'missed'];
const PAGE = 200;
const MAX_PAGES = 5;  // per status: a queue longer than 1,000 is not one a person works through
const RECENT_DONE = 20;
const NEXT = {  // the moves docs/api.md allows, as buttons
  new: ['calling', 'missed', 'scheduled'],
  calling: ['done', 'missed', 'scheduled'],
  missed: ['calling', 'scheduled'],
  scheduled: ['calling', 'missed', 'scheduled'],
  done: [],
};
const LABEL = { calling: 'Calling', done: 'Done', missed: 'Missed', scheduled: 'Schedule' };

const requests = new Map();  // id -> callback object
const cards = new Map();     // id -> {el, ...parts}
let buffered = null;         // frames that arrive while the lists load, applied after them
let loads = 0;               // the latest load wins when reconnects overlap
let showView = () => {};
let scheduling = null;       // the request the schedule dialog is for

const ms = (t) => (t ? Date.parse(t) : NaN);
const deadline = (c) => ms(c.call_by) || ms(c.scheduled_for) || ms(c.created_at);
const pad = (n) => String(n).padStart(2, '0');

// "0:27", "12:05", "1:02:09".
function duration(millis) {
  const s = Math.floor(Math.abs(millis) / 1000);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours ? `${hours}:${pad(minutes)}:${pad(s % 60)}` : `${minutes}:${pad(s % 60)}`;
}

// Keeps the later of two copies of a request (frames and lists may cross).
function upsert(c) {
  if (!c?.id || !Object.hasOwn(NEXT, c.status)) return false;
  const old = requests.get(c.id);
  if (old && ms(old.updated_at) > ms(c.updated_at)) return false;
  requests.set(c.id, c);
  return !old;
}

async function listStatus(status, limit, pages) {
  const out = [];
  let before = '';
  for (let i = 0; i < pages; i++) {
    const q = new URLSearchParams({ status, limit: String(limit) });
    if (before) q.set('before', before);
    const page = await call('GET', `/v1/callback_requests?${q}`);
    const data = Array.isArray(page?.data) ? page.data : [];
    out.push(...data);
    if (!page?.has_more || data.length === 0) break;
    before = data[data.length - 1].created_at;
  }
  return out;
}

// Every open request and the recently done ones; what changed while disconnected is replaced.
// Frames that arrive meanwhile are applied again on top of the lists.
export async function loadCallbacks() {
  const load = ++loads;
  buffered = [];
  let lists = null;
  let error = '';
  try {
    lists = await Promise.all([
      ...OPEN.map((s) => listStatus(s, PAGE, MAX_PAGES)),
      listStatus('done', RECENT_DONE, 1),
    ]);
  } catch (err) {
    error = `Cannot load the callback requests: ${err.message}`;
  }
  if (load !== loads) return;  // a later reconnect is loading
  if (lists) {
    requests.clear();
    for (const c of lists.flat()) upsert(c);
  }
  for (const f of buffered) upsert(f.callback);
  buffered = null;
  $('cb-error').textContent = error;
  render();
}

// A `callback` frame from the console socket.
export function onCallbackFrame(frame) {
  if (buffered) buffered.push(frame);
  const isNew = upsert(frame.callback);
  render();
  if (isNew && frame.event === 'requested') {
    const c = frame.callback;
    const text = `${c.name || c.phone} asks for a call`;
    $('cb-announce').textContent = text;
    notify.chime();
    notify.notify('Callback request', text, () => showView());
  }
}

// ---- changes ----

async function changeStatus(c, body, errorEl) {
  errorEl.textContent = '';
  try {
    const changed = await call('POST', `/v1/callback_requests/${encodeURIComponent(c.id)}/status`, body);
    upsert(changed);
    const card = cards.get(c.id);
    if (card) card.note.value = '';
    render();
    return true;
  } catch (err) {
    errorEl.textContent = err.field ? `${err.field}: ${err.message}` : err.message;
    // Someone else moved it meanwhile: show where it is now.
    if (err.status === 409) {
      call('GET', `/v1/callback_requests/${encodeURIComponent(c.id)}`).then((now) => { upsert(now); render(); },
        () => {});
    }
    return false;
  }
}

function act(c, status) {
  const card = cards.get(c.id);
  const note = card.note.value.trim();
  if (status === 'scheduled') return openSchedule(c, note);
  const body = { status };
  if (note) body.note = note;
  return changeStatus(c, body, card.error);
}

// The value a datetime-local input takes for `time`, in the operator's own time zone.
function localInput(time) {
  const d = new Date(time);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function openSchedule(c, note) {
  scheduling = c;
  const form = $('cb-schedule-form');
  const when = form.elements.when;
  when.min = localInput(Date.now() + 60000);
  const current = ms(c.scheduled_for);
  when.value = localInput(current > Date.now() ? current : Date.now() + 3600000);
  form.elements.note.value = note;
  $('cb-schedule-who').textContent = `${c.name || 'No name'}, ${c.phone}`;
  $('cb-schedule-error').textContent = '';
  $('cb-schedule').showModal();
  when.focus();
}

async function submitSchedule(e) {
  e.preventDefault();
  const form = e.target;
  const c = scheduling;
  if (!c) return;
  // datetime-local has no zone: the browser reads it in the operator's local time.
  const at = new Date(form.elements.when.value);
  if (!form.elements.when.value || Number.isNaN(at.getTime())) {
    $('cb-schedule-error').textContent = 'Choose the day and time to call.';
    return;
  }
  if (at.getTime() <= Date.now()) {
    $('cb-schedule-error').textContent = 'Choose a time in the future.';
    return;
  }
  const body = { status: 'scheduled', scheduled_for: at.toISOString() };
  const note = form.elements.note.value.trim();
  if (note) body.note = note;
  if (await changeStatus(c, body, $('cb-schedule-error'))) $('cb-schedule').close();
}

// ---- rendering ----

function phoneLink(phone) {
  // The server keeps E.164 numbers only; anything else is shown, not dialled.
  if (!/^\+[0-9]{6,15}$/.test(phone || '')) return document.createTextNode(phone || '');
  return h('a', { href: `tel:${phone}`, class: 'cb-phone' }, phone);
}

function operatorName(id) {
  if (!id) return '';
  if (id === state.me?.id) return 'you';
  return state.operators.find((o) => o.id === id)?.name || state.colleagues.get(id)?.name || 'a colleague';
}

function makeCard(c) {
  const title = `cb-title-${c.id}`;
  const card = { id: c.id };
  card.name = h('span', { class: 'cb-name', id: title });
  card.timer = h('span', { class: 'cb-timer', role: 'timer' });
  card.status = h('span', { class: 'badge' });
  card.phone = h('span', {});
  card.page = h('span', { class: 'cb-page' });
  card.came = h('span', { class: 'muted' });
  card.lastNote = h('p', { class: 'cb-note' });
  card.note = h('input', { class: 'cb-note-input', maxlength: 1000, placeholder: 'Note (optional)',
    'aria-label': 'Note', 'aria-describedby': title });
  card.buttons = h('span', { class: 'cb-buttons' });
  card.error = h('p', { class: 'error', role: 'alert' });
  card.actions = h('div', { class: 'cb-actions' }, card.note, card.buttons);
  card.el = h('li', { class: 'cb-card', dataset: { id: c.id }, 'aria-labelledby': title },
    h('div', { class: 'cb-top' }, card.name, card.status, h('span', { class: 'spacer' }), card.timer),
    h('div', { class: 'cb-facts' }, card.phone, card.came, card.page),
    card.lastNote, card.actions, card.error);
  cards.set(c.id, card);
  return card;
}

function updateCard(card, c) {
  card.name.textContent = c.name || 'No name';
  card.phone.replaceChildren(phoneLink(c.phone));
  const ago = since(c.created_at);
  card.came.textContent = `asked ${clock(c.created_at)} (${ago === 'now' ? 'just now' : `${ago} ago`})`;
  card.page.replaceChildren(...(c.page_url ? ['from ', safeLink(c.page_url)] : []));
  const by = operatorName(c.operator_id);
  const statusText = {
    new: 'new', calling: `calling${by ? ` · ${by}` : ''}`, scheduled: `for ${clock(c.scheduled_for)}`,
    missed: 'missed', done: `done${by ? ` · ${by}` : ''}`,
  }[c.status];
  card.status.textContent = statusText;
  card.status.className = `badge cb-${c.status}`;
  card.lastNote.textContent = c.note ? `Note: ${c.note}` : '';
  card.lastNote.hidden = !c.note;
  card.el.dataset.status = c.status;
  card.timer.dataset.deadline = c.status === 'new' || c.status === 'calling' ? String(deadline(c)) : '';
  card.timer.hidden = !card.timer.dataset.deadline;
  const moves = NEXT[c.status];
  card.actions.hidden = moves.length === 0;
  if (card.buttons.dataset.for !== c.status) {
    // Keyboard users keep their place: focus goes to the first of the new buttons.
    const hadFocus = card.buttons.contains(document.activeElement);
    card.buttons.dataset.for = c.status;
    card.buttons.replaceChildren(...moves.map((to) => h('button', {
      type: 'button', class: to === 'done' || (to === 'calling' && c.status === 'new') ? 'primary' : '',
      dataset: { to }, 'aria-describedby': card.name.id, onclick: () => act(requests.get(c.id), to),
    }, c.status === 'scheduled' && to === 'scheduled' ? 'Reschedule' : LABEL[to])));
    if (hadFocus) queueMicrotask(() => card.buttons.firstElementChild?.focus());
  }
}

// The countdown to call_by: "0:27", then "overdue 1:05" in the warning colour.
function tick(now = Date.now()) {
  for (const card of cards.values()) {
    const due = Number(card.timer.dataset.deadline);
    if (!card.timer.dataset.deadline || !Number.isFinite(due)) continue;
    const left = due - now;
    const overdue = left < 0;
    // Whole seconds left, rounded up, so "0:30" shows for the whole first second.
    card.timer.textContent = overdue ? `overdue ${duration(-left)}` : duration(Math.ceil(left / 1000) * 1000);
    card.timer.classList.toggle('overdue', overdue);
  }
}

// Puts `items`' cards into `list` in order, moving only what is out of place (focus stays).
function place(list, items) {
  items.forEach((c, i) => {
    const card = cards.get(c.id) || makeCard(c);
    updateCard(card, c);
    if (list.children[i] !== card.el) list.insertBefore(card.el, list.children[i] || null);
  });
  while (list.children.length > items.length) list.lastElementChild.remove();
}

export function render() {
  const all = [...requests.values()];
  const by = (status) => all.filter((c) => c.status === status);
  const queue = all.filter((c) => c.status === 'new' || c.status === 'calling').sort((a, b) => deadline(a) - deadline(b));
  const scheduled = by('scheduled').sort((a, b) => ms(a.scheduled_for) - ms(b.scheduled_for));
  const missed = by('missed').sort((a, b) => ms(b.updated_at) - ms(a.updated_at));
  const done = by('done').sort((a, b) => ms(b.updated_at) - ms(a.updated_at)).slice(0, RECENT_DONE);
  const shown = new Set([...queue, ...scheduled, ...missed, ...done].map((c) => c.id));
  for (const [id, card] of cards) {
    if (!shown.has(id)) { card.el.remove(); cards.delete(id); }
  }
  for (const [name, items] of [['queue', queue], ['scheduled', scheduled], ['missed', missed], ['done', done]]) {
    place($(`cb-${name}`), items);
    $(`cb-${name}-empty`).hidden = items.length > 0;
  }
  const waiting = by('new').length;
  $('callbacks-count').textContent = waiting ? String(waiting) : '';
  tick();
}

let started = false;

export function setUpCallbacks({ show }) {
  showView = show;
  if (started) return;
  started = true;
  $('cb-schedule-form').addEventListener('submit', submitSchedule);
  $('cb-schedule-cancel').addEventListener('click', () => $('cb-schedule').close());
  setInterval(tick, 1000);
  // "asked … (4 min)" moves on too.
  setInterval(render, 30000);
  render();
}
