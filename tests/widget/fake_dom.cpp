#include "fake_dom.hpp"

#include <sstream>

namespace vitrina::widget::testing {

FakeDom::FakeDom() { nodes.push_back(FakeNode{"#shadow-root", {}, {}, {}, {}, true}); }

NodeHandle FakeDom::create_element(std::string_view tag) {
  ++calls;
  nodes.push_back(FakeNode{std::string(tag), {}, {}, {}, {}, false});
  return static_cast<NodeHandle>(nodes.size() - 1);
}

void FakeDom::set_text(NodeHandle node, std::string_view text) {
  ++calls;
  // Like textContent: the children become one text node.
  nodes.push_back(FakeNode{"#text", std::string(text), {}, {}, {}, true});
  nodes.at(node).children = {nodes.size() - 1};
}

void FakeDom::set_attribute(NodeHandle node, std::string_view name, std::string_view value) {
  ++calls;
  nodes.at(node).attributes[std::string(name)] = std::string(value);
}

void FakeDom::append_child(NodeHandle parent, NodeHandle child) {
  ++calls;
  nodes.at(parent).children.push_back(child);
  nodes.at(child).attached = true;
}

void FakeDom::add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) {
  ++calls;
  nodes.at(node).listeners[std::string(event)] = callback;
}

std::vector<NodeHandle> FakeDom::element_children(NodeHandle parent) const {
  std::vector<NodeHandle> out;
  for (std::size_t child : nodes.at(parent).children) {
    if (nodes[child].tag != "#text") out.push_back(static_cast<NodeHandle>(child));
  }
  return out;
}

std::string FakeDom::text_content(NodeHandle handle) const {
  const FakeNode& n = nodes.at(handle);
  if (n.tag == "#text") return n.text;
  std::string out;
  for (std::size_t child : n.children) out += text_content(static_cast<NodeHandle>(child));
  return out;
}

NodeHandle FakeDom::find_by_class(std::string_view cls) const {
  std::vector<std::size_t> todo{kShadowRoot};
  while (!todo.empty()) {
    const std::size_t i = todo.back();
    todo.pop_back();
    auto it = nodes[i].attributes.find("class");
    if (it != nodes[i].attributes.end()) {
      std::istringstream classes(it->second);
      for (std::string c; classes >> c;) {
        if (c == cls) return static_cast<NodeHandle>(i);
      }
    }
    todo.insert(todo.end(), nodes[i].children.rbegin(), nodes[i].children.rend());
  }
  return kNoNode;
}

}  // namespace vitrina::widget::testing
