#pragma once
// The widget's only way to touch the page: a handle-based DOM with no HTML strings in it.
// The browser implementation is BridgeDom (dom_bridge.cpp + js/bridge.js); tests use a fake.

#include <cstdint>
#include <string>
#include <string_view>

namespace vitrina::widget {

// A node in the bridge's table. The loader hands over the first three: the shadow root the
// widget lives in, the launcher button it already shows, and the launcher's unread badge.
// create_element hands out the others. kNoNode is what a refused creation returns, and every
// operation on it (or on any unknown handle) does nothing.
using NodeHandle = std::uint32_t;
inline constexpr NodeHandle kShadowRoot = 0;
inline constexpr NodeHandle kLauncherButton = 1;
inline constexpr NodeHandle kLauncherBadge = 2;
inline constexpr NodeHandle kNoNode = 0xFFFFFFFFu;

// Identifies a listener when the bridge calls back into the module (vitrina_event).
using CallbackId = std::uint32_t;

// The key of a keyboard event, as far as the widget cares.
enum class Key : std::uint8_t { kNone = 0, kEnter = 1, kEscape = 2, kShiftEnter = 3 };

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
  virtual void remove_attribute(NodeHandle node, std::string_view name) = 0;
  virtual void append_child(NodeHandle parent, NodeHandle child) = 0;
  // Detaches the node from its parent (the loader's nodes cannot be removed).
  virtual void remove(NodeHandle node) = 0;
  // Each time `event` fires on `node`, the module's vitrina_event(callback, key) is called; when
  // it answers true, the event's default action is prevented.
  virtual void add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) = 0;
  // The `value` of an input or textarea ("" for other nodes).
  virtual std::string value(NodeHandle node) = 0;
  virtual void set_value(NodeHandle node, std::string_view value) = 0;
  virtual void focus(NodeHandle node) = 0;
  virtual void scroll_to_end(NodeHandle node) = 0;

  // Shows or hides a node through the `hidden` attribute.
  void set_hidden(NodeHandle node, bool hidden) {
    if (hidden)
      set_attribute(node, "hidden", "");
    else
      remove_attribute(node, "hidden");
  }
  // Creates `tag` with `class`, appends it to `parent` and returns it.
  NodeHandle add(NodeHandle parent, std::string_view tag, std::string_view cls) {
    const NodeHandle node = create_element(tag);
    if (!cls.empty()) set_attribute(node, "class", cls);
    append_child(parent, node);
    return node;
  }
  // add() with text.
  NodeHandle add_text(NodeHandle parent, std::string_view tag, std::string_view cls, std::string_view text) {
    const NodeHandle node = add(parent, tag, cls);
    set_text(node, text);
    return node;
  }
};

}  // namespace vitrina::widget
