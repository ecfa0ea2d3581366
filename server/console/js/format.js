// Names and times as operators read them.

export function visitorName(c) {
  const v = c?.visitor || {};
  const ctx = c?.context || {};
  return v.name || ctx.name || v.email || ctx.email || v.phone || ctx.phone || v.user_id ||
    (v.id ? `Visitor ${v.id.slice(-4)}` : 'Visitor');
}

export function authorName(author, me) {
  if (!author) return '';
  if (author.role === 'operator') return author.id && me && author.id === me.id ? 'You' : (author.name || 'Operator');
  if (author.role === 'system') return 'Vitrina';
  return author.name || 'Visitor';
}

const ms = (t) => (typeof t === 'number' ? t : Date.parse(t));

// "now", "4 min", "2 h", "3 d".
export function since(time, now = Date.now()) {
  const t = ms(time);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'now';
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

export function clock(time) {
  const t = ms(time);
  if (!Number.isFinite(t)) return '';
  const d = new Date(t);
  const today = new Date();
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === today.toDateString() ? hm : `${d.toLocaleDateString()} ${hm}`;
}
