// Building DOM without HTML strings. Every string becomes a text node or an attribute value,
// so visitor text can never turn into markup (the page's CSP also forbids string-to-HTML sinks).

export const $ = (id) => document.getElementById(id);

// h('li', {class: 'x', dataset: {id: 1}, onclick: f}, 'text', child, ...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.append(child);
    else el.append(document.createTextNode(String(child)));
  }
}

// A link only for http(s) URLs; anything else (javascript:, data:) is shown as plain text.
export function safeLink(url, label = url) {
  let parsed;
  try { parsed = new URL(url); } catch { return document.createTextNode(String(label)); }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return document.createTextNode(String(label));
  return h('a', { href: parsed.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, String(label));
}
