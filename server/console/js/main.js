// The operator console: sign-in, the live connection, and the glue between frames and views.

import * as api from './api.js';
import { loadCallbacks, onCallbackFrame, setUpCallbacks } from './callbacks.js';
import { loadCanned, setUpCannedDialog, suggestionKey, updateSuggestions } from './canned.js';
import { $ } from './dom.js';
import { visitorName } from './format.js';
import { renderInbox } from './inbox.js';
import * as notify from './notify.js';
import { loadRatings, setUpRatings } from './ratings.js';
import { OperatorSocket } from './socket.js';
import { lastSeq, messagesOf, state, upsertConversation } from './state.js';
import { renderHeader, renderMessages, renderTyping, renderVisitor } from './thread.js';

let socket = null;
let myStatus = 'online';

// ---- sign-in ----

function showSignIn(message = '') {
  socket?.stop();
  socket = null;
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  $('signin-email').focus();
}

$('signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const button = $('signin-submit');
  button.disabled = true;
  $('signin-error').textContent = '';
  try {
    const answer = await api.signIn($('signin-email').value.trim(), $('signin-password').value,
      $('signin-site').value.trim() || undefined);
    $('signin-password').value = '';
    startApp(answer);
  } catch (err) {
    if (err.field === 'site') $('signin-site-row').hidden = false;
    $('signin-error').textContent = err.status === 429 ? 'Too many attempts. Try again later.' : err.message;
  } finally {
    button.disabled = false;
  }
});

// ---- the app ----

function startApp(session) {
  api.setCsrf(session.csrf_token);
  state.me = { ...session.operator, role: session.operator.role === 'admin' ? 'owner' : session.operator.role };
  $('signin').hidden = true;
  $('app').hidden = false;
  $('me-name').textContent = state.me.name;
  setUpCannedDialog();
  setUpCallbacks({ show: () => showView('callbacks') });
  setUpRatings();
  loadCanned();
  api.listOperators().then((ops) => { state.operators = ops; renderHeader(); });
  socket = new OperatorSocket({
    onFrame, onWelcome,
    onState: (s) => {
      const el = $('connection');
      el.dataset.state = s;
      el.textContent = s === 'online' ? 'Connected' : s === 'connecting' ? 'Connecting…' : 'Offline — reconnecting';
    },
    onSessionEnded: () => showSignIn('Your session has ended. Please sign in again.'),
  });
  socket.start();
  renderAll();
}

function renderAll() {
  renderInbox(select);
  renderHeader();
  renderMessages();
  renderTyping();
  renderVisitor();
}

async function loadLists() {
  for (const status of ['waiting,open', 'closed']) {
    try {
      for (const c of await api.listConversations({ status, limit: 100 })) upsertConversation(c);
    } catch {
      // The lists come back with the next reconnect; live frames keep arriving meanwhile.
    }
  }
  renderInbox(select);
  renderHeader();
}

async function onWelcome(frame) {
  if (frame.operator) state.me = { ...state.me, ...frame.operator, role: frame.operator.role === 'admin' ? 'owner' : frame.operator.role };
  if (myStatus !== 'online') socket.send({ type: 'presence', status: myStatus });
  loadCallbacks();
  await loadLists();
  // After a reconnect, fetch what the open conversation missed.
  if (state.current && state.loaded.has(state.current)) {
    socket.resume(state.current, lastSeq(state.current)).catch(() => {});
  }
}

function onFrame(f) {
  switch (f.type) {
    case 'conversation': {
      const c = f.conversation;
      const isNew = upsertConversation(c);
      if (isNew && c.status === 'waiting') announce(c);
      break;
    }
    case 'message': onMessage(f); break;
    case 'ack': {
      const own = state.own.get(f.client_id);
      if (own) {
        state.own.delete(f.client_id);
        messagesOf(f.conversation_id).set(f.seq, {
          conversation_id: f.conversation_id, seq: f.seq, client_id: f.client_id, text: own.text,
          internal: own.internal, created_at: f.created_at,
          author: { role: 'operator', id: state.me.id, name: state.me.name },
        });
        const c = state.conversations.get(f.conversation_id);
        if (c && !own.internal) { c.preview = own.text; c.activity = f.created_at; }
      }
      break;
    }
    case 'typing':
      if (f.typing && !(f.author?.role === 'operator' && f.author.id === state.me.id)) {
        const name = f.author?.role === 'visitor'
          ? (f.author.name || visitorName(state.conversations.get(f.conversation_id)))
          : (f.author?.name || 'A colleague');
        state.typing.set(f.conversation_id, { name, until: Date.now() + 6000 });
        setTimeout(renderTyping, 6100);
      } else {
        state.typing.delete(f.conversation_id);
      }
      break;
    case 'read':
      if (f.reader?.role === 'visitor') {
        state.visitorRead.set(f.conversation_id, Math.max(f.seq, state.visitorRead.get(f.conversation_id) || 0));
      }
      break;
    case 'visitor_context':
      for (const c of state.conversations.values()) {
        if (c.visitor?.id === f.visitor_id || c.id === f.conversation_id) c.context = f.context;
      }
      break;
    case 'operator_presence':
      if (f.status === 'offline') state.colleagues.delete(f.operator_id);
      else state.colleagues.set(f.operator_id, { name: f.name, status: f.status });
      break;
    case 'error': onError(f); break;
    case 'callback': onCallbackFrame(f); return;
    default: return;
  }
  renderAll();
}

function onMessage(m) {
  const msgs = messagesOf(m.conversation_id);
  if (msgs.has(m.seq)) return;
  msgs.set(m.seq, m);
  state.typing.delete(m.conversation_id);
  // Writing reads: a visitor's message means they have seen everything before it.
  if (m.author?.role === 'visitor') {
    state.visitorRead.set(m.conversation_id, Math.max(m.seq, state.visitorRead.get(m.conversation_id) || 0));
  }
  const c = state.conversations.get(m.conversation_id);
  if (!c) return;
  if (!m.internal) { c.preview = m.text; }
  c.activity = m.created_at;
  // The conversation frame may already carry this seq as last_seq: count each visitor message
  // once, by the highest seq counted or read so far.
  if (m.seq > (c.last_seq || 0)) c.last_seq = m.seq;
  if (m.seq > Math.max(c.counted || 0, c.read_sent || 0)) {
    c.counted = m.seq;
    // History being loaded is read once it is in (select marks it).
    if (m.author?.role === 'visitor' && !state.resuming.has(m.conversation_id)) {
      const watching = m.conversation_id === state.current && !document.hidden && document.hasFocus();
      if (watching) markRead(); else c.unread = (c.unread || 0) + 1;
      // A visitor answering in one of my conversations while I look elsewhere.
      if (!watching && c.assignee?.id === state.me?.id) {
        notify.chime();
        notify.notify(visitorName(c), m.text, () => select(c.id));
      }
    }
  }
}

function onError(f) {
  if (f.client_id && state.own.has(f.client_id)) {
    if (f.code === 'unavailable') return;  // kept, sent again after a reconnect
    state.own.get(f.client_id).failed = f.message || f.code;
    return;
  }
  if (f.ref?.startsWith('a') || f.code === 'conflict' || f.code === 'not_allowed') {
    $('composer-error').textContent = f.message || f.code;
  }
}

function announce(c) {
  notify.chime();
  notify.notify('New conversation', `${visitorName(c)}${c.kind === 'offline' ? ' left a message' : ' is waiting'}`,
    () => select(c.id));
}

async function select(id) {
  state.current = id;
  const c = state.conversations.get(id);
  $('composer-error').textContent = '';
  renderAll();
  if (!state.loaded.has(id) && socket?.ready) {
    try {
      // The whole history: live frames seen so far may be only its tail.
      state.resuming.add(id);
      await socket.resume(id, 0);
      state.loaded.add(id);
    } catch (err) {
      $('composer-error').textContent = `Cannot load the history: ${err.message}`;
    } finally {
      state.resuming.delete(id);
    }
  }
  if (c) markRead();
  renderAll();
  $('composer-text').focus();
}

function markRead() {
  const c = state.conversations.get(state.current);
  if (!c) return;
  const seq = Math.max(lastSeq(c.id), 0);
  if (seq > 0 && seq !== c.read_sent) {
    socket?.send({ type: 'read', conversation_id: c.id, seq });
    c.read_sent = seq;
  }
  c.unread = 0;
}

// ---- composer ----

let typingSent = 0;
let typingStop = null;

function sendTyping(on) {
  if (!state.current) return;
  clearTimeout(typingStop);
  if (on) {
    if (Date.now() - typingSent > 3000) {
      socket?.send({ type: 'typing', conversation_id: state.current, typing: true });
      typingSent = Date.now();
    }
    typingStop = setTimeout(() => sendTyping(false), 4000);
  } else if (typingSent) {
    socket?.send({ type: 'typing', conversation_id: state.current, typing: false });
    typingSent = 0;
  }
}

const isNote = () => document.querySelector('input[name="mode"]:checked')?.value === 'note';

function send() {
  const ta = $('composer-text');
  const text = ta.value.trim();
  if (!text || !state.current || !socket) return;
  const internal = isNote();
  const clientId = socket.sendMessage(state.current, ta.value, internal);
  state.own.set(clientId, { conversation_id: state.current, text: ta.value, internal });
  ta.value = '';
  sendTyping(false);
  $('composer-error').textContent = '';
  updateSuggestions();
  renderMessages();
}

$('composer').addEventListener('submit', (e) => { e.preventDefault(); send(); });
$('composer-text').addEventListener('keydown', (e) => {
  if (suggestionKey(e)) { e.preventDefault(); return; }
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
});
$('composer-text').addEventListener('input', () => {
  updateSuggestions();
  if (!isNote()) sendTyping($('composer-text').value.length > 0);
});
for (const radio of document.querySelectorAll('input[name="mode"]')) {
  radio.addEventListener('change', () => {
    $('composer').classList.toggle('note', isNote());
    $('composer-text').placeholder = isNote() ? 'Write a note only operators see…' : 'Write a reply…';
  });
}

// ---- actions ----

$('act-take').onclick = () => socket?.action('take', state.current);
$('act-close').onclick = () => socket?.action('close', state.current);
$('act-reopen').onclick = () => socket?.action('reopen', state.current);
$('act-assign').onchange = (e) => {
  if (e.target.value) socket?.action('assign', state.current, { operator_id: e.target.value });
};

// ---- inbox tabs and search ----

for (const tab of document.querySelectorAll('[data-tab]')) {
  tab.addEventListener('click', () => { state.tab = tab.dataset.tab; renderInbox(select); });
}

$('search-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const filters = { q: f.text.value.trim(), email: f.email.value.trim(), phone: f.phone.value.trim() };
  if (f.from.value) filters.from = new Date(`${f.from.value}T00:00:00`).toISOString();
  if (f.to.value) filters.to = new Date(new Date(`${f.to.value}T00:00:00`).getTime() + 86400000).toISOString();
  try {
    const found = await api.listConversations(filters);
    for (const c of found) upsertConversation(c);
    state.searchResults = found.map((c) => c.id);
    $('inbox-empty').textContent = 'Nothing found.';
  } catch (err) {
    state.searchResults = [];
    $('inbox-empty').textContent = err.field ? `${err.field}: ${err.message}` : err.message;
  }
  renderInbox(select);
});

// ---- views: conversations beside the others (each a section.view of its own) ----

function showView(view) {
  $('app').dataset.view = view;
  for (const b of document.querySelectorAll('[data-view-button]')) {
    b.setAttribute('aria-pressed', b.dataset.viewButton === view ? 'true' : 'false');
  }
  for (const section of document.querySelectorAll('section.view')) section.hidden = section.dataset.view !== view;
  if (view === 'ratings') loadRatings();
}
for (const b of document.querySelectorAll('[data-view-button]')) {
  b.addEventListener('click', () => showView(b.dataset.viewButton));
}

// ---- top bar ----

$('my-status').addEventListener('change', (e) => {
  myStatus = e.target.value;
  socket?.send({ type: 'presence', status: myStatus });
});

$('logout').addEventListener('click', async () => {
  try { await api.signOut(); } catch { /* the cookie is gone either way once it expires */ }
  location.reload();
});

function renderToggles() {
  const n = notify.notificationsState();
  $('notify-toggle').hidden = n === 'granted' || n === 'unsupported';
  $('notify-toggle').textContent = n === 'denied' ? 'Notifications blocked' : 'Enable notifications';
  $('sound-toggle').textContent = notify.soundEnabled() ? 'Sound on' : 'Sound off';
  $('sound-toggle').setAttribute('aria-pressed', notify.soundEnabled() ? 'true' : 'false');
}
$('notify-toggle').addEventListener('click', async () => { await notify.askNotifications(); renderToggles(); });
$('sound-toggle').addEventListener('click', () => { notify.setSound(!notify.soundEnabled()); renderToggles(); });
document.addEventListener('pointerdown', notify.unlockAudio, { once: false });
document.addEventListener('keydown', notify.unlockAudio, { once: true });
window.addEventListener('focus', () => { markRead(); renderInbox(select); });
// Waiting times move on.
setInterval(() => { if (!$('app').hidden) renderInbox(select); }, 30000);

// ---- start ----

renderToggles();
api.whenSignedOut(() => showSignIn('Your session has ended. Please sign in again.'));
api.me().then(startApp, () => showSignIn());
