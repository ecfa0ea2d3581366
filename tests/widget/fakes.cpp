#include "fakes.hpp"

#include <algorithm>
#include <sstream>

namespace vitrina::widget::testing {

FakeDom::FakeDom() {
  nodes.push_back(FakeNode{"#shadow-root"});
  nodes.push_back(FakeNode{"button"});
  nodes.push_back(FakeNode{"span"});
  nodes[1].parent = 0;
  nodes[2].parent = 1;
  nodes[0].children = {1};
  nodes[1].children = {2};
}

NodeHandle FakeDom::create_element(std::string_view tag) {
  ++calls;
  nodes.push_back(FakeNode{std::string(tag)});
  return static_cast<NodeHandle>(nodes.size() - 1);
}

void FakeDom::set_text(NodeHandle node, std::string_view text) {
  ++calls;
  // Like textContent: the children become one text node.
  nodes.push_back(FakeNode{"#text", std::string(text)});
  nodes.back().parent = node;
  nodes.at(node).children = {nodes.size() - 1};
}

void FakeDom::set_attribute(NodeHandle node, std::string_view name, std::string_view value) {
  ++calls;
  nodes.at(node).attributes[std::string(name)] = std::string(value);
}

void FakeDom::remove_attribute(NodeHandle node, std::string_view name) {
  ++calls;
  nodes.at(node).attributes.erase(std::string(name));
}

void FakeDom::append_child(NodeHandle parent, NodeHandle child) {
  ++calls;
  nodes.at(parent).children.push_back(child);
  nodes.at(child).parent = parent;
}

void FakeDom::remove(NodeHandle node) {
  ++calls;
  FakeNode& n = nodes.at(node);
  if (n.parent == SIZE_MAX) return;
  auto& siblings = nodes[n.parent].children;
  siblings.erase(std::remove(siblings.begin(), siblings.end(), node), siblings.end());
  n.parent = SIZE_MAX;
}

void FakeDom::add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) {
  ++calls;
  nodes.at(node).listeners[std::string(event)] = callback;
}

std::string FakeDom::value(NodeHandle node) {
  ++calls;
  return node < nodes.size() ? nodes[node].value : std::string();
}

void FakeDom::set_value(NodeHandle node, std::string_view value) {
  ++calls;
  nodes.at(node).value = std::string(value);
}

std::string FakeDom::attr(NodeHandle handle, const std::string& name) const {
  auto it = nodes.at(handle).attributes.find(name);
  return it == nodes.at(handle).attributes.end() ? std::string() : it->second;
}

bool FakeDom::has_attr(NodeHandle handle, const std::string& name) const {
  return nodes.at(handle).attributes.count(name) > 0;
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

std::vector<NodeHandle> FakeDom::find_all(std::string_view cls) const {
  std::vector<NodeHandle> out;
  std::vector<std::size_t> todo{kShadowRoot};
  while (!todo.empty()) {
    const std::size_t i = todo.back();
    todo.pop_back();
    auto it = nodes[i].attributes.find("class");
    if (it != nodes[i].attributes.end()) {
      std::istringstream classes(it->second);
      for (std::string c; classes >> c;) {
        if (c == cls) out.push_back(static_cast<NodeHandle>(i));
      }
    }
    todo.insert(todo.end(), nodes[i].children.rbegin(), nodes[i].children.rend());
  }
  return out;
}

NodeHandle FakeDom::find(std::string_view cls) const {
  auto all = find_all(cls);
  return all.empty() ? kNoNode : all.front();
}

bool FakeDom::visible(NodeHandle handle) const {
  for (std::size_t i = handle; i != kShadowRoot; i = nodes[i].parent) {
    if (i == SIZE_MAX || nodes[i].attributes.count("hidden")) return false;
  }
  return true;
}

CallbackId FakeDom::listener(std::string_view cls, const std::string& event) const {
  const NodeHandle n = find(cls);
  if (n == kNoNode) return 0;
  auto it = nodes[n].listeners.find(event);
  return it == nodes[n].listeners.end() ? 0 : it->second;
}

}  // namespace vitrina::widget::testing
