// What the console knows, in one place. Views read it; main.js changes it from frames and
// HTTP answers and asks the views to render.

export const state = {
  me: null,                   // {id, name, role, site_id}
  conversations: new Map(),   // id -> conversation object (docs/protocol.md) + unread, preview, activity
  messages: new Map(),        // id -> Map(seq -> message)
  own: new Map(),             // client_id -> {conversation_id, text, internal, failed}: sent, not yet acked
  loaded: new Set(),          // conversations whose history has been loaded
  resuming: new Set(),        // conversations whose history is being loaded now
  current: null,              // the open conversation's id
  tab: 'waiting',
  searchResults: null,        // [conversation ids] of the last search
  typing: new Map(),          // conversation id -> {name, until}
  visitorRead: new Map(),     // conversation id -> highest seq the visitor has read
  colleagues: new Map(),      // operator id -> {name, status}
  operators: [],              // [{id, name, role}] from the server, when it lists them
  canned: [],                 // [{id, shortcut, title, text}]
};

export const isOwner = () => state.me?.role === 'owner' || state.me?.role === 'admin';

// Merges a conversation object into what is known; answers true when it was new.
export function upsertConversation(c) {
  const old = state.conversations.get(c.id);
  const merged = { unread: 0, preview: '', activity: c.created_at, ...old, ...c };
  if (c.unread === undefined && old) merged.unread = old.unread;
  state.conversations.set(c.id, merged);
  return !old;
}

export function messagesOf(id) {
  let m = state.messages.get(id);
  if (!m) { m = new Map(); state.messages.set(id, m); }
  return m;
}

export function lastSeq(id) {
  const m = state.messages.get(id);
  if (!m || m.size === 0) return 0;
  return Math.max(...m.keys());
}
