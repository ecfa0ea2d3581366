/* Vitrina widget loader (/v1/vitrina.js); see widget-wasm/README.md in the Vitrina sources.
   The asset names are content hashes, baked in at build time. */
(function (w, d) {
  'use strict';
  var V = w.Vitrina;
  if (V && V._loaded) return;  // the tag was pasted twice
  var q = (V && V.q) || [];
  V = w.Vitrina = function () { q.push([].slice.call(arguments)); };
  V.q = q;
  V._loaded = 1;

  var tag = d.currentScript || d.querySelector('script[src$="/v1/vitrina.js"]');
  if (!tag) return;
  var site = tag.getAttribute('data-site') || '';
  var lang = tag.getAttribute('data-lang') || d.documentElement.lang || 'en';
  function url(name) { return new URL(name, tag.src).href; }
  function warn(what) { console.warn('Vitrina: ' + what); }

  function start() {
    var host = d.createElement('vitrina-widget');
    var root = host.attachShadow({ mode: 'open' });
    var css = d.createElement('link');
    css.rel = 'stylesheet';
    css.href = url('@VITRINA_CSS@');
    root.appendChild(css);
    // Mount only once the stylesheet is in, so the page never flashes an unstyled button.
    var styled = new Promise(function (done) { css.onload = css.onerror = done; });

    // The glue hands its factory over here (js/glue_post.js) instead of defining a global.
    V._factory = function (factory) {
      delete V._factory;
      Promise.all([factory({
        vitrinaRoot: root,
        locateFile: function (name) { return /\.wasm$/.test(name) ? url('@VITRINA_WASM@') : url(name); }
      }), styled]).then(function (r) {
        r[0].ccall('vitrina_mount', 'number', ['string', 'string'], [site, lang]);
      }, function (e) { warn('the widget failed to start: ' + e); });
    };
    var glue = d.createElement('script');
    glue.src = url('@VITRINA_GLUE@');
    glue.onerror = function () { warn('could not load ' + glue.src); };
    root.appendChild(glue);
    d.body.appendChild(host);
  }

  if (d.body) start(); else d.addEventListener('DOMContentLoaded', start);
})(window, document);
