// The module's exports, called by js/loader.js (vitrina_mount, vitrina_command) and
// js/bridge.js (events, socket traffic, timers). Nothing here throws: the module is built with
// -fno-exceptions.

#include <cstdint>
#include <string>
#include <string_view>

#include <emscripten/emscripten.h>

#include "dom_bridge.hpp"
#include "widget.hpp"

namespace {

vitrina::widget::BridgeDom g_dom;
vitrina::widget::BridgeHost g_host;
vitrina::widget::Widget g_widget{g_dom, g_host};

std::string_view view(const char* s) { return s ? std::string_view(s) : std::string_view(); }

}  // namespace

extern "C" {

// Mounts the widget in the shadow root the loader gave the module, as its JSON config says.
// Returns 1 when mounted and 0 when refused; the reason goes to the console.
EMSCRIPTEN_KEEPALIVE int vitrina_mount(const char* config_json) {
  auto mounted = g_widget.mount(view(config_json));
  if (!mounted) {
    vitrina::widget::console_warn(mounted.error().message);
    return 0;
  }
  return 1;
}

// Vitrina(name, arg) from the page, `arg` as JSON. Returns 1 when done, 0 when refused.
EMSCRIPTEN_KEEPALIVE int vitrina_command(const char* name, const char* json) {
  auto done = g_widget.command(view(name), view(json));
  if (!done) {
    const auto& e = done.error();
    vitrina::widget::console_warn(std::string(view(name)) + ": " + (e.field.empty() ? "" : e.field + " ") + e.message);
    return 0;
  }
  return 1;
}

EMSCRIPTEN_KEEPALIVE int vitrina_event(std::uint32_t callback, int key) {
  return g_widget.on_event(callback, static_cast<vitrina::widget::Key>(key)) ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE void vitrina_timer(std::uint32_t id) {
  g_widget.on_timer(static_cast<vitrina::widget::TimerId>(id));
}

EMSCRIPTEN_KEEPALIVE void vitrina_http_done(std::uint32_t id, int status, const char* body, std::size_t len) {
  g_widget.on_http(static_cast<vitrina::widget::RequestId>(id), status, std::string_view(body, len));
}

EMSCRIPTEN_KEEPALIVE void vitrina_socket_opened() {
  if (auto* c = g_widget.client()) c->on_socket_opened();
}

EMSCRIPTEN_KEEPALIVE void vitrina_socket_message(const char* text, std::size_t len) {
  if (auto* c = g_widget.client()) c->on_socket_message(std::string_view(text, len));
}

EMSCRIPTEN_KEEPALIVE void vitrina_socket_closed(int code) {
  if (auto* c = g_widget.client()) c->on_socket_closed(code);
}

}  // extern "C"
