#pragma once
// The widget's only way to touch the page: a handle-based DOM with no HTML strings in it.
// The browser implementation is BridgeDom (dom_bridge.cpp + js/bridge.js); tests use a fake.

#include <cstdint>
#include <string_view>

namespace vitrina::widget {

// A node in the bridge's table. The shadow root the widget is mounted in is always handle 0;
// create_element hands out the others. kNoNode is what a refused creation returns, and every
// operation on it (or on any unknown handle) does nothing.
using NodeHandle = std::uint32_t;
inline constexpr NodeHandle kShadowRoot = 0;
inline constexpr NodeHandle kNoNode = 0xFFFFFFFFu;

// Identifies a listener when the bridge calls back into the module (vitrina_event).
using CallbackId = std::uint32_t;

class Dom {
 public:
  virtual ~Dom() = default;

  // Creates a detached HTML element with a lower-case tag name.
  virtual NodeHandle create_element(std::string_view tag) = 0;
  // Replaces the node's children with a single text node holding `text` verbatim: markup in
  // `text` is shown, never parsed.
  virtual void set_text(NodeHandle node, std::string_view text) = 0;
  // Sets a plain attribute. The bridge refuses event-handler (on*) and style attributes.
  virtual void set_attribute(NodeHandle node, std::string_view name, std::string_view value) = 0;
  virtual void append_child(NodeHandle parent, NodeHandle child) = 0;
  // Each time `event` fires on `node`, the module's vitrina_event(callback) is called.
  virtual void add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) = 0;
};

}  // namespace vitrina::widget
