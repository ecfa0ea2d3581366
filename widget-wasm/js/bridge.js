// The DOM bridge, linked into the module with --js-library. The C++ side (src/dom_bridge.cpp)
// names nodes by handle; this keeps the table. Handle 0 is the shadow root the loader passed
// as Module.vitrinaRoot. Text goes in with textContent and attributes with setAttribute, so no
// string is ever parsed as HTML; tags and attributes that could run script are refused, so even
// a bug on the C++ side cannot inject one.
mergeInto(LibraryManager.library, {
  $vitrinaNodes: [],
  $vitrinaNode__deps: ['$vitrinaNodes'],
  $vitrinaNode: function (handle) {
    if (!vitrinaNodes.length) vitrinaNodes.push(Module['vitrinaRoot']);
    return vitrinaNodes[handle] || null;
  },

  vitrina_dom_create_element__deps: ['$vitrinaNode', '$vitrinaNodes'],
  vitrina_dom_create_element: function (tag, tagLen) {
    var name = UTF8ToString(tag, tagLen);
    if (!/^[a-z][a-z0-9]*$/.test(name) ||
        /^(script|style|link|iframe|frame|object|embed|base|meta|form|template)$/.test(name)) {
      return -1;  // kNoNode
    }
    var root = vitrinaNode(0);
    vitrinaNodes.push((root.ownerDocument || document).createElement(name));
    return vitrinaNodes.length - 1;
  },

  vitrina_dom_set_text__deps: ['$vitrinaNode'],
  vitrina_dom_set_text: function (node, text, len) {
    var n = vitrinaNode(node);
    if (n) n.textContent = UTF8ToString(text, len);
  },

  vitrina_dom_set_attribute__deps: ['$vitrinaNode'],
  vitrina_dom_set_attribute: function (node, name, nameLen, value, valueLen) {
    var n = vitrinaNode(node);
    var key = UTF8ToString(name, nameLen), val = UTF8ToString(value, valueLen);
    // on* would be script (and a strict CSP blocks it anyway), as would a javascript: URL;
    // inline style is blocked by a strict CSP, so the stylesheet does all styling.
    if (!n || !n.setAttribute || !/^[a-z][a-z0-9-]*$/.test(key) || /^on|^style$/.test(key) ||
        (/^(href|src|action|formaction)$/.test(key) && !/^https?:\/\//i.test(val))) {
      return;
    }
    n.setAttribute(key, val);
  },

  vitrina_dom_append_child__deps: ['$vitrinaNode'],
  vitrina_dom_append_child: function (parent, child) {
    var p = vitrinaNode(parent), c = vitrinaNode(child);
    if (p && c && child !== 0) p.appendChild(c);
  },

  vitrina_dom_add_event_listener__deps: ['$vitrinaNode'],
  vitrina_dom_add_event_listener: function (node, event, eventLen, callback) {
    var n = vitrinaNode(node);
    if (n) n.addEventListener(UTF8ToString(event, eventLen), function () {
      Module['_vitrina_event'](callback);
    });
  },

  vitrina_console_warn: function (message, len) {
    console.warn('Vitrina: ' + UTF8ToString(message, len));
  }
});
