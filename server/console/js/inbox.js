// The inbox: waiting, open and closed conversations, and search results.

import { $, h } from './dom.js';
import { since, visitorName } from './format.js';
import { state } from './state.js';

function matchesTab(c) {
  if (state.tab === 'search') return state.searchResults?.includes(c.id);
  return c.status === state.tab;
}

function order(a, b) {
  // The longest-waiting first; elsewhere the latest activity first.
  if (state.tab === 'waiting') return Date.parse(a.waiting_since || a.created_at) - Date.parse(b.waiting_since || b.created_at);
  return Date.parse(b.activity || b.created_at) - Date.parse(a.activity || a.created_at);
}

export function renderInbox(onSelect) {
  const list = $('inbox-list');
  const all = [...state.conversations.values()];
  const shown = all.filter(matchesTab).sort(order);
  const now = Date.now();
  list.replaceChildren(...shown.map((c) => {
    const mine = c.assignee?.id && c.assignee.id === state.me?.id;
    const when = c.status === 'waiting' ? since(c.waiting_since || c.created_at, now) : since(c.activity || c.created_at, now);
    return h('li', {
      class: 'inbox-item', dataset: { id: c.id }, tabindex: 0,
      'aria-current': c.id === state.current ? 'true' : 'false',
      onclick: () => onSelect(c.id),
      onkeydown: (e) => { if (e.key === 'Enter') onSelect(c.id); },
    },
    h('span', { class: 'who' }, visitorName(c)),
    h('span', { class: 'when', title: c.status === 'waiting' ? 'Waiting for' : 'Last activity' }, when),
    h('span', { class: 'preview' }, c.preview || c.context?.title || ''),
    h('span', { class: 'badges' },
      c.kind === 'offline' ? h('span', { class: 'badge offline' }, 'offline message') : null,
      c.status === 'open' && mine ? h('span', { class: 'badge mine' }, 'mine') : null,
      c.status === 'open' && !mine && c.assignee ? h('span', { class: 'badge' }, c.assignee.name || '') : null,
      c.unread > 0 ? h('span', { class: 'badge unread', title: 'Unread' }, String(c.unread)) : null));
  }));
  $('inbox-empty').hidden = shown.length > 0;
  const waiting = all.filter((c) => c.status === 'waiting').length;
  const open = all.filter((c) => c.status === 'open' && c.assignee?.id === state.me?.id).length;
  document.querySelector('[data-count="waiting"]').textContent = waiting ? String(waiting) : '';
  document.querySelector('[data-count="open"]').textContent = open ? String(open) : '';
  const unread = all.reduce((n, c) => n + (c.status !== 'closed' ? c.unread || 0 : 0), 0);
  const badge = waiting + unread;
  document.title = badge ? `(${badge}) Vitrina console` : 'Vitrina console';
  for (const tab of document.querySelectorAll('[data-tab]')) {
    tab.setAttribute('aria-selected', tab.dataset.tab === state.tab ? 'true' : 'false');
  }
  $('search-form').hidden = state.tab !== 'search';
}
