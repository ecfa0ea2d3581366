#pragma once
// The browser's Dom: each call crosses into js/bridge.js, which keeps the table of nodes.

#include <string_view>

#include "dom.hpp"

namespace vitrina::widget {

class BridgeDom final : public Dom {
 public:
  NodeHandle create_element(std::string_view tag) override;
  void set_text(NodeHandle node, std::string_view text) override;
  void set_attribute(NodeHandle node, std::string_view name, std::string_view value) override;
  void append_child(NodeHandle parent, NodeHandle child) override;
  void add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) override;
};

// Writes a warning to the browser console, prefixed "Vitrina:".
void console_warn(std::string_view message);

}  // namespace vitrina::widget
