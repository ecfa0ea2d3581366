// The module's exports, called by js/loader.js (vitrina_mount) and js/bridge.js (vitrina_event).
// Nothing here throws: the module is built with -fno-exceptions.

#include <cstdint>
#include <string_view>

#include <emscripten/emscripten.h>

#include "dom_bridge.hpp"
#include "widget.hpp"

namespace {

vitrina::widget::BridgeDom g_dom;
vitrina::widget::Widget g_widget{g_dom};

std::string_view view(const char* s) { return s ? std::string_view(s) : std::string_view(); }

}  // namespace

extern "C" {

// Mounts the widget in the shadow root the loader gave the module. Returns 1 when mounted and
// 0 when refused; the reason goes to the console.
EMSCRIPTEN_KEEPALIVE int vitrina_mount(const char* site_key, const char* language_tag) {
  auto mounted = g_widget.mount(view(site_key), view(language_tag));
  if (!mounted) {
    vitrina::widget::console_warn(mounted.error().message);
    return 0;
  }
  return 1;
}

EMSCRIPTEN_KEEPALIVE void vitrina_event(std::uint32_t callback) { g_widget.on_event(callback); }

}  // extern "C"
