/* Vitrina widget loader (/v1/vitrina.js); see docs/widget.md in the Vitrina sources.
   It reads the site's widget settings, shows the launcher and nothing else until the visitor
   (or the page, through the API) asks for the chat; only then are the module, its glue and its
   stylesheet fetched. Asset names are content hashes, baked in at build time. */
(function (w, d) {
  'use strict';
  var V = w.Vitrina;
  if (V && V._loaded) return;  // the tag was pasted twice
  var queued = (V && V.q) || [];
  var tag = d.currentScript || d.querySelector('script[src$="/v1/vitrina.js"]');
  var listeners = {};
  var pending = [];   // commands for the module until it is mounted
  var mod = null;     // the mounted module
  var loading = false;
  var early = [];     // commands given before the host element exists

  function attr(name) { return (tag && tag.getAttribute('data-' + name)) || ''; }
  function url(name) { return new URL(name, tag.src).href; }
  function warn(what) { console.warn('Vitrina: ' + what); }

  var site = attr('site');
  var storeKey = 'vitrina:' + site;
  var settings = {};  // the site's widget settings (GET /v1/widget/{pk}/config), once in
  var ru;

  // A data-* attribute, else the site's setting `key` (lists joined with commas), else ''.
  function pick(name, key) {
    var v = settings[key];
    return attr(name) || [].concat(v == null ? '' : v).join();
  }

  // Calls into the page's handlers never break the widget: a throwing handler is reported
  // asynchronously, as an uncaught error of the page's own.
  function emit(name, data) {
    (listeners[name] || []).slice().forEach(function (fn) {
      try { fn(data); } catch (e) { setTimeout(function () { throw e; }); }
    });
  }

  function send(name, arg) {
    if (!mod) { pending.push([name, arg]); return; }
    mod.ccall('vitrina_command', 'number', ['string', 'string'],
      [name, arg === undefined ? '' : JSON.stringify(arg)]);
  }

  // The API. `on` is kept here (handlers are functions, which the module cannot hold); the
  // rest goes to the module, loading it first when the command means the visitor is engaging.
  function api(name, arg, fn) {
    if (name === 'on' || name === 'off') {
      if (typeof arg !== 'string' || typeof fn !== 'function') return warn(name + ' needs an event name and a function');
      var list = listeners[arg] = listeners[arg] || [];
      if (name === 'on') list.push(fn); else if (list.indexOf(fn) >= 0) list.splice(list.indexOf(fn), 1);
      return;
    }
    if (!/^(open|close|toggle|identify|set)$/.test(name)) return warn('unknown command ' + name);
    if (!root) return early.push([name, arg]);  // before the body exists
    if (name === 'open' || name === 'toggle') load();
    send(name, arg);
  }

  V = w.Vitrina = function () { api.apply(null, arguments); };
  V.q = [];  // kept for snippets that push onto it; everything in it has been run
  V._loaded = 1;
  if (!tag) return;
  if (!/^pk_[0-9A-Za-z]{24}$/.test(site)) return warn('data-site is not a site public key (pk_…)');

  var host, root, launcher, badge, styled, ready;
  // Asked at once, in parallel with the launcher's stylesheet; without cookies, so nothing is
  // stored. Unreachable, refused or slower than 3 s: the attributes and defaults alone.
  var config = new Promise(function (done) {
    setTimeout(done, 3000, {});
    fetch(url('widget/' + site + '/config'), { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (s) { done(Object(s)); }, function () { done({}); });
  });

  function stylesheet(name) {
    var link = d.createElement('link');
    link.rel = 'stylesheet';
    link.href = url(name);
    root.appendChild(link);
    return new Promise(function (done) { link.onload = link.onerror = done; });
  }

  // Fetches the module once the launcher is up (it needs the settings and the launcher's nodes).
  function load() {
    if (loading) return;
    loading = true;
    ready.then(fetchModule);
  }

  function fetchModule() {
    launcher.setAttribute('aria-busy', 'true');
    styled = styled || stylesheet('@VITRINA_CSS@');
    // The glue hands its factory over here (js/glue_post.js) instead of defining a global.
    V._factory = function (factory) {
      delete V._factory;
      var ws = url('visitor/ws?site=' + site).replace(/^http/, 'ws');
      Promise.all([factory({
        vitrinaNodes: [root, launcher, badge],
        vitrinaEmit: emit,
        vitrinaLang: ru ? 'ru' : 'en',
        locateFile: function (name) { return /\.wasm$/.test(name) ? url('@VITRINA_WASM@') : url(name); }
      }), styled]).then(function (r) {
        var config = {
          site: site, lang: ru ? 'ru' : 'en', ws: ws, api: url('widget/' + site + '/'), widgets: pick('widgets', 'widgets'),
          prechat: pick('prechat', 'prechat'), greeting: pick('greeting', 'greeting'),
          greeting_after: pick('greeting-after', 'greeting_after_s'), greeting_pages: pick('greeting-pages', 'greeting_pages'),
          page: { url: location.href, title: d.title, referrer: d.referrer, language: navigator.language || '' }
        };
        launcher.removeAttribute('aria-busy');
        if (!r[0].ccall('vitrina_mount', 'number', ['string'], [JSON.stringify(config)])) return;
        mod = r[0];
        pending.splice(0).forEach(function (c) { send(c[0], c[1]); });
      }, function (e) { warn('the widget failed to start: ' + e); });
    };
    var glue = d.createElement('script');
    glue.src = url('@VITRINA_GLUE@');
    glue.onerror = function () {
      // Offline for a moment, or blocked: the next click tries again.
      warn('could not load ' + glue.src);
      root.removeChild(glue);
      launcher.removeAttribute('aria-busy');
      loading = false;
    };
    root.appendChild(glue);
  }

  function start() {
    host = d.createElement('vitrina-widget');
    root = host.attachShadow({ mode: 'open' });
    // The launcher shows once both its stylesheet and the settings are in: once, in the right
    // colour and corner, and never as a bare button.
    ready = Promise.all([config, stylesheet('@VITRINA_LAUNCHER_CSS@')]).then(function (r) {
      settings = r[0];
      show();
    });
    d.body.appendChild(host);
    queued.concat(early).forEach(function (c) { api.apply(null, c); });
  }

  function show() {
    var lang = pick('lang', 'language').replace('auto', '') || d.documentElement.lang || navigator.language || 'en';
    var color = pick('color', 'color');
    ru = /^ru([-_]|$)/i.test(lang);
    if (pick('position', 'position') === 'left') host.setAttribute('data-position', 'left');
    // CSSOM, not a style attribute, so a strict style-src allows it; `all` on the page's rules
    // does not reach custom properties.
    if (/^#[0-9a-f]{6}$/i.test(color)) host.style.setProperty('--vitrina-accent', color);
    launcher = d.createElement('button');
    launcher.type = 'button';  // inside a page's <form>, a default button would submit it
    launcher.className = 'vitrina-launcher';
    launcher.setAttribute('aria-label', ru ? 'Открыть чат' : 'Open chat');
    launcher.setAttribute('aria-expanded', 'false');
    var icon = d.createElement('span');
    icon.className = 'vitrina-launcher-icon';
    icon.setAttribute('aria-hidden', 'true');
    var tip = d.createElement('span');
    tip.className = 'vitrina-launcher-tooltip';
    tip.setAttribute('aria-hidden', 'true');
    tip.textContent = ru ? 'Есть вопросы? Напишите нам' : 'Questions? Chat with us';
    badge = d.createElement('span');
    badge.className = 'vitrina-badge';
    badge.hidden = true;
    launcher.appendChild(icon);
    launcher.appendChild(tip);
    launcher.appendChild(badge);
    launcher.addEventListener('click', function () { api('toggle'); });
    root.appendChild(launcher);

    // A visitor who has used the chat before has a token stored: resume at once (the unread
    // badge and an open conversation come back). Reading is not writing; nothing is stored here.
    var known = false;
    try { known = !!w.localStorage.getItem(storeKey); } catch (e) { /* storage blocked */ }
    if (known) load();
    // The site may choose to fetch the module when the page is idle, and must for a proactive
    // greeting, which the module shows. Nothing is stored or connected until the visitor acts.
    // A page rating shows without a click, so it needs the module too.
    else if (pick('load', 'load') === 'idle' || pick('greeting', 'greeting') || /(^|,)\s*rating/.test(pick('widgets', 'widgets'))) {
      (w.requestIdleCallback || setTimeout)(load);
    }
  }

  if (d.body) start(); else d.addEventListener('DOMContentLoaded', start);
})(window, document);
