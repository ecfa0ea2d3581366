#include "dom_bridge.hpp"

#include <cstddef>
#include <string>

// Implemented in js/bridge.js (linked with --js-library). Strings cross as pointer + length in
// UTF-8, so a string_view needs no terminating NUL. Strings coming back are copied into a
// caller's buffer; the call answers the full length so a short buffer can be grown.
extern "C" {
using vitrina::widget::CallbackId;
using vitrina::widget::NodeHandle;
NodeHandle vitrina_dom_create_element(const char* tag, std::size_t tag_len);
void vitrina_dom_set_text(NodeHandle node, const char* text, std::size_t len);
void vitrina_dom_set_attribute(NodeHandle node, const char* name, std::size_t name_len, const char* value,
                               std::size_t value_len);
void vitrina_dom_remove_attribute(NodeHandle node, const char* name, std::size_t name_len);
void vitrina_dom_append_child(NodeHandle parent, NodeHandle child);
void vitrina_dom_remove(NodeHandle node);
void vitrina_dom_add_event_listener(NodeHandle node, const char* event, std::size_t event_len, CallbackId callback);
std::size_t vitrina_dom_get_value(NodeHandle node, char* buf, std::size_t cap);
void vitrina_dom_set_value(NodeHandle node, const char* text, std::size_t len);
void vitrina_dom_focus(NodeHandle node);
void vitrina_dom_scroll_to_end(NodeHandle node);
void vitrina_console_warn(const char* message, std::size_t len);

void vitrina_socket_open(const char* url, std::size_t len);
void vitrina_socket_send(const char* text, std::size_t len);
void vitrina_socket_close();
void vitrina_timer_start(std::uint32_t id, double ms);
void vitrina_timer_stop(std::uint32_t id);
double vitrina_now_ms();
void vitrina_random(std::uint8_t* buf, std::size_t len);
int vitrina_storage_get(const char* key, std::size_t key_len, char* buf, std::size_t cap);
void vitrina_storage_set(const char* key, std::size_t key_len, const char* value, std::size_t value_len);
void vitrina_emit(const char* name, std::size_t name_len, const char* json, std::size_t json_len);
void vitrina_play_sound();
void vitrina_http(std::uint32_t id, const char* method, std::size_t method_len, const char* url, std::size_t url_len,
                  const char* body, std::size_t body_len);
std::size_t vitrina_format_time(double unix_ms, const char* tz, std::size_t tz_len, char* buf, std::size_t cap);
}

namespace vitrina::widget {

namespace {

// Reads a string the bridge copies out, growing the buffer once if the first was too small.
template <class Read>
std::string read_string(Read read) {
  std::string out(256, '\0');
  std::size_t size = read(out.data(), out.size());
  if (size >= out.size()) {
    out.assign(size + 1, '\0');
    size = read(out.data(), out.size());
  }
  out.resize(size < out.size() ? size : 0);
  return out;
}

}  // namespace

NodeHandle BridgeDom::create_element(std::string_view tag) {
  return vitrina_dom_create_element(tag.data(), tag.size());
}

void BridgeDom::set_text(NodeHandle node, std::string_view text) {
  vitrina_dom_set_text(node, text.data(), text.size());
}

void BridgeDom::set_attribute(NodeHandle node, std::string_view name, std::string_view value) {
  vitrina_dom_set_attribute(node, name.data(), name.size(), value.data(), value.size());
}

void BridgeDom::remove_attribute(NodeHandle node, std::string_view name) {
  vitrina_dom_remove_attribute(node, name.data(), name.size());
}

void BridgeDom::append_child(NodeHandle parent, NodeHandle child) { vitrina_dom_append_child(parent, child); }

void BridgeDom::remove(NodeHandle node) { vitrina_dom_remove(node); }

void BridgeDom::add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) {
  vitrina_dom_add_event_listener(node, event.data(), event.size(), callback);
}

std::string BridgeDom::value(NodeHandle node) {
  return read_string([node](char* buf, std::size_t cap) { return vitrina_dom_get_value(node, buf, cap); });
}

void BridgeDom::set_value(NodeHandle node, std::string_view value) {
  vitrina_dom_set_value(node, value.data(), value.size());
}

void BridgeDom::focus(NodeHandle node) { vitrina_dom_focus(node); }

void BridgeDom::scroll_to_end(NodeHandle node) { vitrina_dom_scroll_to_end(node); }

void BridgeHost::socket_open(std::string_view url) { vitrina_socket_open(url.data(), url.size()); }

void BridgeHost::socket_send(std::string_view text) { vitrina_socket_send(text.data(), text.size()); }

void BridgeHost::socket_close() { vitrina_socket_close(); }

void BridgeHost::timer_start(TimerId id, std::int64_t ms) {
  vitrina_timer_start(static_cast<std::uint32_t>(id), static_cast<double>(ms));
}

void BridgeHost::timer_stop(TimerId id) { vitrina_timer_stop(static_cast<std::uint32_t>(id)); }

std::int64_t BridgeHost::now_ms() { return static_cast<std::int64_t>(vitrina_now_ms()); }

void BridgeHost::random_bytes(std::uint8_t* out, std::size_t size) { vitrina_random(out, size); }

std::optional<std::string> BridgeHost::storage_get(std::string_view key) {
  bool found = true;
  std::string value = read_string([&](char* buf, std::size_t cap) -> std::size_t {
    const int size = vitrina_storage_get(key.data(), key.size(), buf, cap);
    found = size >= 0;
    return found ? static_cast<std::size_t>(size) : 0;
  });
  if (!found) return std::nullopt;
  return value;
}

void BridgeHost::storage_set(std::string_view key, std::string_view value) {
  vitrina_storage_set(key.data(), key.size(), value.data(), value.size());
}

void BridgeHost::emit(std::string_view name, std::string_view json) {
  vitrina_emit(name.data(), name.size(), json.data(), json.size());
}

void BridgeHost::play_sound() { vitrina_play_sound(); }

void BridgeHost::http(RequestId id, std::string_view method, std::string_view url, std::string_view body) {
  vitrina_http(static_cast<std::uint32_t>(id), method.data(), method.size(), url.data(), url.size(), body.data(),
               body.size());
}

std::string BridgeHost::format_time(std::int64_t unix_ms, std::string_view time_zone) {
  return read_string([&](char* buf, std::size_t cap) {
    return vitrina_format_time(static_cast<double>(unix_ms), time_zone.data(), time_zone.size(), buf, cap);
  });
}

void console_warn(std::string_view message) { vitrina_console_warn(message.data(), message.size()); }

}  // namespace vitrina::widget
