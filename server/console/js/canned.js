// Canned responses: suggestions while typing "/shortcut" in the composer, and the owner's
// dialog to add, change and delete them.

import * as api from './api.js';
import { $, h } from './dom.js';
import { isOwner, state } from './state.js';

let selected = 0;

function matches(text) {
  const m = /^\/([A-Za-z0-9_-]*)$/.exec(text);
  if (!m) return [];
  const prefix = m[1].toLowerCase();
  return state.canned.filter((c) => c.shortcut.startsWith(prefix)).slice(0, 8);
}

export function updateSuggestions() {
  const box = $('canned-suggest');
  const found = matches($('composer-text').value);
  if (found.length === 0) { box.hidden = true; return; }
  selected = Math.min(selected, found.length - 1);
  box.replaceChildren(...found.map((c, i) => h('li', {
    role: 'option', 'aria-selected': i === selected ? 'true' : 'false', dataset: { id: c.id },
    onmousedown: (e) => { e.preventDefault(); pick(c); },
  }, h('span', { class: 'sc' }, `/${c.shortcut}`), h('span', { class: 'tx' }, c.title || c.text))));
  box.hidden = false;
}

function pick(c) {
  const ta = $('composer-text');
  ta.value = c.text;
  ta.focus();
  ta.setSelectionRange(ta.value.length, ta.value.length);
  $('canned-suggest').hidden = true;
  selected = 0;
}

// Handles the composer's keys while suggestions show; answers true when it used the key.
export function suggestionKey(e) {
  const found = matches($('composer-text').value);
  if ($('canned-suggest').hidden || found.length === 0) return false;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    selected = (selected + (e.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length;
    updateSuggestions();
    return true;
  }
  if (e.key === 'Enter' || e.key === 'Tab') { pick(found[selected]); return true; }
  if (e.key === 'Escape') { $('canned-suggest').hidden = true; return true; }
  return false;
}

export async function loadCanned() {
  try {
    const data = await api.listCanned();
    state.canned = data?.data || [];
  } catch {
    state.canned = [];
  }
  renderCannedList();
}

function renderCannedList() {
  const list = $('canned-list');
  if (!list) return;
  list.replaceChildren(...state.canned.map((c) => h('li', {},
    h('span', { class: 'sc' }, `/${c.shortcut}`),
    h('span', { class: 'tx', title: c.text }, c.title ? `${c.title} — ${c.text}` : c.text),
    h('button', { type: 'button', class: 'ghost', onclick: () => edit(c) }, 'Edit'),
    h('button', { type: 'button', class: 'ghost', onclick: () => remove(c) }, 'Delete'))));
  if (state.canned.length === 0) list.replaceChildren(h('li', { class: 'muted' }, 'No canned responses yet.'));
}

function edit(c) {
  const form = $('canned-form');
  form.elements.id.value = c.id;
  form.elements.shortcut.value = c.shortcut;
  form.elements.title.value = c.title || '';
  form.elements.text.value = c.text;
  form.elements.shortcut.focus();
}

async function remove(c) {
  if (!confirm(`Delete /${c.shortcut}?`)) return;
  try {
    await api.deleteCanned(c.id);
    await loadCanned();
  } catch (err) {
    $('canned-error').textContent = err.message;
  }
}

export function setUpCannedDialog() {
  $('canned-manage').hidden = !isOwner();
  $('canned-manage').onclick = () => { $('canned-error').textContent = ''; $('canned-dialog').showModal(); };
  const form = $('canned-form');
  form.onsubmit = async (e) => {
    e.preventDefault();
    const id = form.elements.id.value;
    const item = { shortcut: form.elements.shortcut.value.trim(), title: form.elements.title.value, text: form.elements.text.value };
    try {
      if (id) await api.changeCanned(id, item); else await api.createCanned(item);
      form.reset();
      form.elements.id.value = '';
      $('canned-error').textContent = '';
      await loadCanned();
    } catch (err) {
      $('canned-error').textContent = err.field ? `${err.field}: ${err.message}` : err.message;
    }
  };
  form.onreset = () => { form.elements.id.value = ''; $('canned-error').textContent = ''; };
}
