#pragma once
// The browser's Dom and Host: each call crosses into js/bridge.js.

#include <string_view>

#include "dom.hpp"
#include "host.hpp"

namespace vitrina::widget {

class BridgeDom final : public Dom {
 public:
  NodeHandle create_element(std::string_view tag) override;
  void set_text(NodeHandle node, std::string_view text) override;
  void set_attribute(NodeHandle node, std::string_view name, std::string_view value) override;
  void remove_attribute(NodeHandle node, std::string_view name) override;
  void append_child(NodeHandle parent, NodeHandle child) override;
  void remove(NodeHandle node) override;
  void add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) override;
  std::string value(NodeHandle node) override;
  void set_value(NodeHandle node, std::string_view value) override;
  void focus(NodeHandle node) override;
  void scroll_to_end(NodeHandle node) override;
};

class BridgeHost final : public Host {
 public:
  void socket_open(std::string_view url) override;
  void socket_send(std::string_view text) override;
  void socket_close() override;
  void timer_start(TimerId id, std::int64_t ms) override;
  void timer_stop(TimerId id) override;
  std::int64_t now_ms() override;
  void random_bytes(std::uint8_t* out, std::size_t size) override;
  std::optional<std::string> storage_get(std::string_view key) override;
  void storage_set(std::string_view key, std::string_view value) override;
  void http(RequestId id, std::string_view method, std::string_view url, std::string_view body) override;
  std::string format_time(std::int64_t unix_ms, std::string_view time_zone) override;
  void emit(std::string_view name, std::string_view json) override;
  void play_sound() override;
};

// Writes a warning to the browser console, prefixed "Vitrina:".
void console_warn(std::string_view message);

}  // namespace vitrina::widget
