// The bridge between the module and the browser, linked into it with --js-library. The C++
// side (src/dom_bridge.cpp, src/host_bridge.cpp) names DOM nodes by handle; this keeps the
// table. The loader passes the first handles as Module.vitrinaNodes: 0 the shadow root, 1 the
// launcher button, 2 its unread badge. Text goes in with textContent and attributes with
// setAttribute, so no string is ever parsed as HTML; tags and attributes that could run script
// are refused, so even a bug on the C++ side cannot inject one.
mergeInto(LibraryManager.library, {
  $vitrinaNodes: [],
  $vitrinaNode__deps: ['$vitrinaNodes'],
  $vitrinaNode: function (handle) {
    if (!vitrinaNodes.length) Array.prototype.push.apply(vitrinaNodes, Module['vitrinaNodes']);
    return vitrinaNodes[handle] || null;
  },
  // Hands a JS string to C++ in a malloc'd buffer for the duration of `fn`.
  $vitrinaWithString__deps: ['malloc', 'free'],
  $vitrinaWithString: function (text, fn) {
    var size = lengthBytesUTF8(text) + 1, p = _malloc(size);
    stringToUTF8(text, p, size);
    try { return fn(p, size - 1); } finally { _free(p); }
  },
  // Copies a JS string into a C++ buffer of `cap` bytes; answers the full length in bytes, so
  // the caller can ask again with a bigger buffer.
  $vitrinaCopyOut: function (text, buf, cap) {
    var size = lengthBytesUTF8(text);
    if (size < cap) stringToUTF8(text, buf, cap);
    return size;
  },
  $vitrinaKey: function (e) {
    return e.key === 'Enter' ? (e.shiftKey ? 3 : 1) : e.key === 'Escape' ? 2 : 0;
  },

  vitrina_dom_create_element__deps: ['$vitrinaNode', '$vitrinaNodes'],
  vitrina_dom_create_element: function (tag, tagLen) {
    var name = UTF8ToString(tag, tagLen);
    if (!/^[a-z][a-z0-9]*$/.test(name) ||
        /^(script|style|link|iframe|frame|object|embed|base|meta|form|template|svg|math)$/.test(name)) {
      return -1;  // kNoNode
    }
    var root = vitrinaNode(0);
    vitrinaNodes.push((root.ownerDocument || document).createElement(name));
    return vitrinaNodes.length - 1;
  },

  vitrina_dom_set_text__deps: ['$vitrinaNode'],
  vitrina_dom_set_text: function (node, text, len) {
    var n = vitrinaNode(node);
    if (n && node) n.textContent = UTF8ToString(text, len);
  },

  vitrina_dom_set_attribute__deps: ['$vitrinaNode'],
  vitrina_dom_set_attribute: function (node, name, nameLen, value, valueLen) {
    var n = vitrinaNode(node);
    var key = UTF8ToString(name, nameLen), val = UTF8ToString(value, valueLen);
    // on* would be script (and a strict CSP blocks it anyway), as would a javascript: URL;
    // inline style is blocked by a strict CSP, so the stylesheet does all styling.
    if (!n || !n.setAttribute || !/^[a-z][a-z0-9-]*$/.test(key) || /^on|^style$/.test(key) ||
        (/^(href|src|action|formaction|xlink)/.test(key) && !/^https?:\/\//i.test(val))) {
      return;
    }
    n.setAttribute(key, val);
  },

  vitrina_dom_remove_attribute__deps: ['$vitrinaNode'],
  vitrina_dom_remove_attribute: function (node, name, nameLen) {
    var n = vitrinaNode(node);
    if (n && n.removeAttribute) n.removeAttribute(UTF8ToString(name, nameLen));
  },

  vitrina_dom_append_child__deps: ['$vitrinaNode'],
  vitrina_dom_append_child: function (parent, child) {
    var p = vitrinaNode(parent), c = vitrinaNode(child);
    if (p && c && child !== 0) p.appendChild(c);
  },

  vitrina_dom_remove__deps: ['$vitrinaNode'],
  vitrina_dom_remove: function (node) {
    var n = vitrinaNode(node);
    if (n && node > 2 && n.parentNode) n.parentNode.removeChild(n);
  },

  vitrina_dom_add_event_listener__deps: ['$vitrinaNode', '$vitrinaKey'],
  vitrina_dom_add_event_listener: function (node, event, eventLen, callback) {
    var n = vitrinaNode(node);
    if (n) n.addEventListener(UTF8ToString(event, eventLen), function (e) {
      if (Module['_vitrina_event'](callback, vitrinaKey(e))) e.preventDefault();
    });
  },

  vitrina_dom_get_value__deps: ['$vitrinaNode', '$vitrinaCopyOut'],
  vitrina_dom_get_value: function (node, buf, cap) {
    var n = vitrinaNode(node);
    return vitrinaCopyOut(n && typeof n.value === 'string' ? n.value : '', buf, cap);
  },

  vitrina_dom_set_value__deps: ['$vitrinaNode'],
  vitrina_dom_set_value: function (node, text, len) {
    var n = vitrinaNode(node);
    if (n && 'value' in n) n.value = UTF8ToString(text, len);
  },

  vitrina_dom_focus__deps: ['$vitrinaNode'],
  vitrina_dom_focus: function (node) {
    var n = vitrinaNode(node);
    if (n && n.focus) n.focus();
  },

  vitrina_dom_scroll_to_end__deps: ['$vitrinaNode'],
  vitrina_dom_scroll_to_end: function (node) {
    var n = vitrinaNode(node);
    if (n) n.scrollTop = n.scrollHeight;
  },

  vitrina_console_warn: function (message, len) {
    console.warn('Vitrina: ' + UTF8ToString(message, len));
  },

  // --- The host: socket, timers, clock, randomness, storage, page events, sound. ---
  $vitrinaHost: { socket: null, timers: {}, audio: null },

  vitrina_socket_open__deps: ['$vitrinaHost', '$vitrinaWithString'],
  vitrina_socket_open: function (url, len) {
    var h = vitrinaHost;
    if (h.socket) { h.socket.onclose = null; h.socket.close(); }
    var s;
    try { s = new WebSocket(UTF8ToString(url, len)); } catch (e) {
      setTimeout(function () { Module['_vitrina_socket_closed'](1006); });
      return;
    }
    h.socket = s;
    s.onopen = function () { Module['_vitrina_socket_opened'](); };
    s.onmessage = function (e) {
      if (typeof e.data === 'string') vitrinaWithString(e.data, Module['_vitrina_socket_message']);
    };
    s.onclose = function (e) {
      if (h.socket === s) h.socket = null;
      Module['_vitrina_socket_closed'](e.code || 1006);
    };
  },

  vitrina_socket_send__deps: ['$vitrinaHost'],
  vitrina_socket_send: function (text, len) {
    var s = vitrinaHost.socket;
    if (s && s.readyState === 1) s.send(UTF8ToString(text, len));
  },

  vitrina_socket_close__deps: ['$vitrinaHost'],
  vitrina_socket_close: function () {
    var s = vitrinaHost.socket;
    vitrinaHost.socket = null;
    if (s) { s.onclose = null; s.close(1000); }
  },

  vitrina_timer_start__deps: ['$vitrinaHost'],
  vitrina_timer_start: function (id, ms) {
    var t = vitrinaHost.timers;
    clearTimeout(t[id]);
    t[id] = setTimeout(function () { delete t[id]; Module['_vitrina_timer'](id); }, ms);
  },

  vitrina_timer_stop__deps: ['$vitrinaHost'],
  vitrina_timer_stop: function (id) {
    clearTimeout(vitrinaHost.timers[id]);
    delete vitrinaHost.timers[id];
  },

  vitrina_now_ms: function () { return Date.now(); },

  vitrina_random: function (buf, len) {
    crypto.getRandomValues(HEAPU8.subarray(buf, buf + len));
  },

  vitrina_storage_get__deps: ['$vitrinaCopyOut'],
  vitrina_storage_get: function (key, keyLen, buf, cap) {
    var v = null;
    try { v = localStorage.getItem(UTF8ToString(key, keyLen)); } catch (e) { /* blocked */ }
    return v === null ? -1 : vitrinaCopyOut(v, buf, cap);
  },

  vitrina_storage_set: function (key, keyLen, value, valueLen) {
    try {
      if (value) localStorage.setItem(UTF8ToString(key, keyLen), UTF8ToString(value, valueLen));
      else localStorage.removeItem(UTF8ToString(key, keyLen));
    } catch (e) { /* blocked or full: the widget works, it just will not remember */ }
  },

  vitrina_emit: function (name, nameLen, json, jsonLen) {
    var f = Module['vitrinaEmit'];
    if (f) f(UTF8ToString(name, nameLen), JSON.parse(UTF8ToString(json, jsonLen)));
  },

  vitrina_http__deps: ['$vitrinaWithString'],
  vitrina_http: function (id, method, methodLen, url, urlLen, body, bodyLen) {
    var init = { method: UTF8ToString(method, methodLen), credentials: 'omit', mode: 'cors' };
    if (bodyLen) {
      init.body = UTF8ToString(body, bodyLen);
      init.headers = { 'Content-Type': 'application/json' };
    }
    function answer(status, text) {
      vitrinaWithString(text, function (p, n) { Module['_vitrina_http_done'](id, status, p, n); });
    }
    fetch(UTF8ToString(url, urlLen), init).then(function (r) {
      return r.text().then(function (t) { answer(r.status, t); });
    }, function () { answer(0, ''); });
  },

  vitrina_format_time__deps: ['$vitrinaCopyOut'],
  vitrina_format_time: function (ms, tz, tzLen, buf, cap) {
    var o = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
    var lang = Module['vitrinaLang'], text;
    try { o.timeZone = UTF8ToString(tz, tzLen); text = new Intl.DateTimeFormat(lang, o).format(ms); } catch (e) {
      delete o.timeZone;
      text = new Intl.DateTimeFormat(lang, o).format(ms);
    }
    return vitrinaCopyOut(text, buf, cap);
  },

  // A short two-tone chime made with Web Audio: no audio file to fetch, nothing for a CSP to allow.
  vitrina_play_sound__deps: ['$vitrinaHost'],
  vitrina_play_sound: function () {
    try {
      var A = window.AudioContext || window.webkitAudioContext;
      var a = vitrinaHost.audio = vitrinaHost.audio || new A();
      [[660, 0], [880, 0.12]].forEach(function (n) {
        var o = a.createOscillator(), g = a.createGain(), t = a.currentTime + n[1];
        o.frequency.value = n[0];
        g.gain.setValueAtTime(0.08, t);
        g.gain.exponentialRampToValueAtTime(0.001, t + 0.25);
        o.connect(g).connect(a.destination);
        o.start(t);
        o.stop(t + 0.26);
      });
    } catch (e) { /* no audio: stay quiet */ }
  }
});
