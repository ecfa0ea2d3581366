#pragma once
// In-memory stand-ins for the browser: a Dom that keeps a tree of elements and text nodes, and
// a Host that records sockets, timers, storage and events and lets a test fire them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dom.hpp"
#include "host.hpp"

namespace vitrina::widget::testing {

struct FakeNode {
  std::string tag;    // "#shadow-root" for handle 0, "#text" for text nodes
  std::string text;   // text nodes only
  std::string value;  // inputs and textareas
  std::map<std::string, std::string> attributes;
  std::vector<std::size_t> children;  // indexes into FakeDom::nodes
  std::map<std::string, CallbackId> listeners;
  std::size_t parent = SIZE_MAX;
};

class FakeDom final : public Dom {
 public:
  // Handles 0-2 are the shadow root and the loader's launcher button and badge, as in the browser.
  FakeDom();

  NodeHandle create_element(std::string_view tag) override;
  void set_text(NodeHandle node, std::string_view text) override;
  void set_attribute(NodeHandle node, std::string_view name, std::string_view value) override;
  void remove_attribute(NodeHandle node, std::string_view name) override;
  void append_child(NodeHandle parent, NodeHandle child) override;
  void remove(NodeHandle node) override;
  void add_event_listener(NodeHandle node, std::string_view event, CallbackId callback) override;
  std::string value(NodeHandle node) override;
  void set_value(NodeHandle node, std::string_view value) override;
  void focus(NodeHandle node) override {
    ++calls;
    focused = node;
  }
  void scroll_to_end(NodeHandle) override { ++calls; }

  const FakeNode& node(NodeHandle handle) const { return nodes.at(handle); }
  FakeNode& node(NodeHandle handle) { return nodes.at(handle); }
  std::string attr(NodeHandle handle, const std::string& name) const;
  bool has_attr(NodeHandle handle, const std::string& name) const;
  // Handles of the element children (text nodes skipped) of `parent`.
  std::vector<NodeHandle> element_children(NodeHandle parent) const;
  // The concatenated text of `handle`'s subtree, like textContent.
  std::string text_content(NodeHandle handle) const;
  // Elements under the shadow root whose class list contains `cls`, in document order.
  std::vector<NodeHandle> find_all(std::string_view cls) const;
  NodeHandle find(std::string_view cls) const;
  // True when the node and all its ancestors up to the shadow root are attached and not hidden.
  bool visible(NodeHandle handle) const;
  // The callback registered for `event` on the first element with class `cls`.
  CallbackId listener(std::string_view cls, const std::string& event) const;

  std::vector<FakeNode> nodes;
  NodeHandle focused = kNoNode;
  int calls = 0;  // every Dom call, to check that refusals touch nothing
};

class FakeHost final : public Host {
 public:
  void socket_open(std::string_view url) override {
    ++opens;
    socket_url = std::string(url);
  }
  void socket_send(std::string_view text) override { sent.emplace_back(text); }
  void socket_close() override { ++closes; }
  void timer_start(TimerId id, std::int64_t ms) override { timers[id] = now + ms; }
  void timer_stop(TimerId id) override { timers.erase(id); }
  std::int64_t now_ms() override { return now; }
  void random_bytes(std::uint8_t* out, std::size_t size) override {
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(++random_state * 37);
  }
  std::optional<std::string> storage_get(std::string_view key) override {
    auto it = storage.find(std::string(key));
    if (it == storage.end()) return std::nullopt;
    return it->second;
  }
  void storage_set(std::string_view key, std::string_view value) override {
    ++storage_writes;
    if (value.empty())
      storage.erase(std::string(key));
    else
      storage[std::string(key)] = std::string(value);
  }
  void http(RequestId id, std::string_view method, std::string_view url, std::string_view body) override {
    requests.push_back({id, std::string(method), std::string(url), std::string(body)});
  }
  std::string format_time(std::int64_t unix_ms, std::string_view time_zone) override {
    return std::to_string(unix_ms) + "@" + std::string(time_zone);
  }
  void emit(std::string_view name, std::string_view json) override { events.emplace_back(name, json); }
  void play_sound() override { ++sounds; }

  bool timer_running(TimerId id) const { return timers.count(id) > 0; }
  // The frames sent since the last call, and forgets them.
  std::vector<std::string> take_sent() { return std::exchange(sent, {}); }

  std::int64_t now = 1'800'000'000'000;
  int opens = 0, closes = 0, sounds = 0, storage_writes = 0;
  std::string socket_url;
  std::vector<std::string> sent;
  std::map<TimerId, std::int64_t> timers;  // when each running timer fires
  std::map<std::string, std::string> storage;
  std::vector<std::pair<std::string, std::string>> events;
  struct Request {
    RequestId id;
    std::string method, url, body;
  };
  std::vector<Request> requests;
  std::uint8_t random_state = 0;
};

}  // namespace vitrina::widget::testing
