// The open conversation: header and actions, the messages, typing and read indicators, and the
// visitor's context beside it.

import { $, h, safeLink } from './dom.js';
import { authorName, clock, visitorName } from './format.js';
import { state } from './state.js';

function statusLine(c) {
  const parts = [c.kind === 'offline' ? 'Offline message' : 'Chat'];
  if (c.status === 'waiting') parts.push('waiting');
  if (c.status === 'open') parts.push(`open · ${c.assignee?.id === state.me?.id ? 'you answer' : (c.assignee?.name || '') + ' answers'}`);
  if (c.status === 'closed') parts.push(`closed${c.closed_by ? ' by ' + authorName(c.closed_by, state.me) : ''}`);
  parts.push(`started ${clock(c.created_at)}`);
  return parts.join(' · ');
}

export function renderHeader() {
  const c = state.conversations.get(state.current);
  $('thread-none').hidden = !!c;
  $('thread-main').hidden = !c;
  if (!c) return;
  $('thread-title').textContent = visitorName(c);
  $('thread-sub').textContent = statusLine(c);
  const closed = c.status === 'closed';
  const mine = c.assignee?.id === state.me?.id;
  $('act-take').hidden = closed || (c.status === 'open' && mine);
  $('act-close').hidden = closed;
  $('act-reopen').hidden = !closed;
  $('assign-wrap').hidden = closed;
  const select = $('act-assign');
  const choices = new Map(state.operators.map((o) => [o.id, o.name]));
  for (const [id, col] of state.colleagues) if (!choices.has(id)) choices.set(id, col.name);
  if (state.me) choices.set(state.me.id, `${state.me.name} (you)`);
  select.replaceChildren(h('option', { value: '' }, '—'),
    ...[...choices].map(([id, name]) => h('option', { value: id, selected: c.assignee?.id === id }, name)));
  $('composer').classList.toggle('closed', closed);
}

export function renderMessages() {
  const list = $('messages');
  const id = state.current;
  if (!id) { list.replaceChildren(); return; }
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const msgs = [...(state.messages.get(id)?.values() || [])].sort((a, b) => a.seq - b.seq);
  const read = state.visitorRead.get(id) || 0;
  let lastReadOperator = -1;
  msgs.forEach((m, i) => { if (m.author?.role === 'operator' && !m.internal && m.seq <= read) lastReadOperator = i; });
  const items = msgs.map((m, i) => bubble(m, i === lastReadOperator ? 'Seen' : ''));
  for (const [clientId, p] of state.own) {
    if (p.conversation_id !== id) continue;
    items.push(bubble({ author: { role: 'operator', id: state.me?.id }, text: p.text, internal: p.internal, client_id: clientId },
      p.failed ? `Not sent: ${p.failed}` : 'Sending…', p.failed ? 'failed' : 'pending'));
  }
  list.replaceChildren(...items);
  if (atBottom || items.length < 30) list.scrollTop = list.scrollHeight;
}

function bubble(m, extra = '', cls = '') {
  const role = m.internal ? 'note' : (m.author?.role || 'visitor');
  const who = authorName(m.author, state.me);
  const meta = [m.internal ? `Internal note · ${who}` : who, m.created_at ? clock(m.created_at) : '', extra]
    .filter(Boolean).join(' · ');
  return h('li', { class: `msg ${role} ${cls}`, dataset: { seq: m.seq ?? '' } },
    h('div', { class: 'bubble' }, m.text),
    h('div', { class: 'meta' }, meta));
}

export function renderTyping() {
  const t = state.typing.get(state.current);
  const el = $('typing');
  if (!t || t.until < Date.now()) { el.hidden = true; return; }
  el.hidden = false;
  el.textContent = `${t.name} is typing…`;
}

// An e-mail or phone link (for replying to an offline message); the value is shown as text.
function contactLink(scheme, value) {
  if (!value) return '';
  const target = scheme === 'tel:' ? value.replace(/[^+0-9]/g, '') : encodeURIComponent(value).replace('%40', '@');
  return h('a', { href: scheme + target }, value);
}

function facts(dl, rows) {
  const items = [];
  for (const [label, value] of rows) {
    if (value === undefined || value === null || value === '') continue;
    items.push(h('dt', {}, label), h('dd', {}, value instanceof Node ? value : String(value)));
  }
  dl.replaceChildren(...items);
  return items.length;
}

export function renderVisitor() {
  const c = state.conversations.get(state.current);
  $('visitor-none').hidden = !!c;
  $('visitor-main').hidden = !c;
  if (c) {
    const v = c.visitor || {};
    const ctx = c.context || {};
    facts($('visitor-facts'), [
      ['Name', v.name || ctx.name], ['E-mail', contactLink('mailto:', v.email || ctx.email)],
      ['Phone', contactLink('tel:', v.phone || ctx.phone)],
      ['User id', v.user_id ? `${v.user_id} (verified)` : ''], ['Visitor', v.id], ['Language', ctx.language],
    ]);
    facts($('visitor-page'), [
      ['Page', ctx.url ? safeLink(ctx.url, ctx.title || ctx.url) : ctx.title],
      ['URL', ctx.url], ['Referrer', ctx.referrer ? safeLink(ctx.referrer) : ''],
    ]);
    const attrs = ctx.attributes && typeof ctx.attributes === 'object' ? Object.entries(ctx.attributes) : [];
    if (!facts($('visitor-attrs'), attrs.map(([k, val]) => [k, typeof val === 'boolean' ? (val ? 'yes' : 'no') : val]))) {
      $('visitor-attrs').replaceChildren(h('dd', { class: 'muted' }, 'none'));
    }
  }
  const col = $('colleagues');
  const rows = [...state.colleagues].filter(([id]) => id !== state.me?.id).map(([, o]) =>
    h('li', {}, h('span', { class: `dot ${o.status}` }), o.name, h('span', { class: 'muted' }, o.status)));
  col.replaceChildren(...(rows.length ? rows : [h('li', { class: 'muted' }, 'Nobody else is signed in.')]));
}
