#include "dom_bridge.hpp"

#include <cstddef>

// Implemented in js/bridge.js (linked with --js-library). Strings cross as pointer + length in
// UTF-8, so a string_view needs no terminating NUL.
extern "C" {
vitrina::widget::NodeHandle vitrina_dom_create_element(const char* tag, std::size_t tag_len);
void vitrina_dom_set_text(vitrina::widget::NodeHandle node, const char* text, std::size_t len);
void vitrina_dom_set_attribute(vitrina::widget::NodeHandle node, const char* name, std::size_t name_len,
                               const char* value, std::size_t value_len);
void vitrina_dom_append_child(vitrina::widget::NodeHandle parent, vitrina::widget::NodeHandle child);
void vitrina_dom_add_event_listener(vitrina::widget::NodeHandle node, const char* event, std::size_t event_len,
                                    vitrina::widget::CallbackId callback);
void vitrina_console_warn(const char* message, std::size_t len);
}

namespace vitrina::widget {

NodeHandle BridgeDom::create_element(std::string_view tag) {
  return vitrina_dom_create_element(tag.data(), tag.size());
}

void BridgeDom::set_text(NodeHandle node, std::string_view text) {
  vitrina_dom_set_text(node, text.data(), text.size());
}

void BridgeDom::set_attribute(NodeHandle node, std::string_view name, std::string_view value) {
  vitrina_dom_set_attribute(node, name.data(), name.size(), value.data(), value.size());
}

void BridgeDom::append_child(NodeHandle parent, NodeHandle child) { vitrina_dom_append_child(parent, child); }

void BridgeDom::add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) {
  vitrina_dom_add_event_listener(node, event.data(), event.size(), callback);
}

void console_warn(std::string_view message) { vitrina_console_warn(message.data(), message.size()); }

}  // namespace vitrina::widget
