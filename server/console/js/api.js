// The console's HTTP calls: same-origin fetch with the session cookie, the CSRF token on every
// change, RFC 9457 problems turned into errors that name the field.

let csrfToken = '';
let signedOut = () => {};

export function setCsrf(token) { csrfToken = token || ''; }
// Called when a signed-in request finds the session gone (expired, or signed out elsewhere).
export function whenSignedOut(callback) { signedOut = callback; }

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.field = problem?.field || '';
    this.type = problem?.type || '';
  }
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (res.status === 401 && csrfToken && !path.endsWith('/login')) {
    csrfToken = '';
    signedOut();
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const signIn = (email, password, site) =>
  call('POST', '/v1/console/login', site ? { email, password, site } : { email, password });
export const me = () => call('GET', '/v1/console/me');
export const signOut = () => call('POST', '/v1/console/logout');

export const listCanned = () => call('GET', '/v1/console/canned_responses');
export const createCanned = (item) => call('POST', '/v1/console/canned_responses', item);
export const changeCanned = (id, item) => call('PATCH', `/v1/console/canned_responses/${encodeURIComponent(id)}`, item);
export const deleteCanned = (id) => call('DELETE', `/v1/console/canned_responses/${encodeURIComponent(id)}`);

// Conversations of the site (docs/api.md, "Console: conversations"): {status?, q?, email?,
// phone?, from?, to?} -> [conversation object with unread, waiting_since and activity].
export async function listConversations(filters = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') q.set(k, v);
  const data = await call('GET', `/v1/console/conversations${q.size ? '?' + q : ''}`);
  if (!Array.isArray(data?.data)) return [];
  return data.data.map((item) => ({
    ...item.conversation, unread: item.unread || 0, waiting_since: item.waiting_since,
    activity: item.updated_at || item.conversation?.created_at,
  }));
}

// The site's operators, for assigning: [{id, name, role}]. Empty when the server does not list them.
export async function listOperators() {
  try {
    const data = await call('GET', '/v1/console/operators');
    return Array.isArray(data?.data) ? data.data : [];
  } catch {
    return [];
  }
}
