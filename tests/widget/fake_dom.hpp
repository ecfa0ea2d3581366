#pragma once
// An in-memory Dom for tests: a tree of elements and text nodes, plus a record of listeners.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dom.hpp"

namespace vitrina::widget::testing {

struct FakeNode {
  std::string tag;   // "#shadow-root" for handle 0, "#text" for text nodes
  std::string text;  // text nodes only
  std::map<std::string, std::string> attributes;
  std::vector<std::size_t> children;  // indexes into FakeDom::nodes
  std::map<std::string, CallbackId> listeners;
  bool attached = false;  // has a parent
};

class FakeDom final : public Dom {
 public:
  FakeDom();

  NodeHandle create_element(std::string_view tag) override;
  void set_text(NodeHandle node, std::string_view text) override;
  void set_attribute(NodeHandle node, std::string_view name, std::string_view value) override;
  void append_child(NodeHandle parent, NodeHandle child) override;
  void add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) override;

  const FakeNode& node(NodeHandle handle) const { return nodes.at(handle); }
  // Handles of the element children (text nodes skipped) of `parent`.
  std::vector<NodeHandle> element_children(NodeHandle parent) const;
  // The concatenated text of `handle`'s subtree, like textContent.
  std::string text_content(NodeHandle handle) const;
  // First element in the tree under the shadow root whose class list contains `cls`.
  NodeHandle find_by_class(std::string_view cls) const;

  std::vector<FakeNode> nodes;
  int calls = 0;  // every Dom call, to check that refusals touch nothing
};

}  // namespace vitrina::widget::testing
