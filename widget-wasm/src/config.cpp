#include "config.hpp"

#include <vitrina/protocol/chat_rules.hpp>
#include <vitrina/protocol/json_reader.hpp>
#include <vitrina/protocol/keys.hpp>

namespace vitrina::widget {

namespace {

std::string string_member(const protocol::JsonValue& object, std::string_view key) {
  const protocol::JsonValue* v = object.find(key);
  return v && v->is_string() ? v->text : std::string();
}

// Keeps `value` in `into` when `check` accepts it.
template <class Check>
void keep_if(std::optional<std::string>& into, std::string value, Check check) {
  if (check(value)) into = std::move(value);
}

// Calls `f` with each item of a comma-separated list, spaces around items trimmed.
template <class F>
void for_each_item(std::string_view list, F f) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    f(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

protocol::Result<MountConfig> parse_mount_config(std::string_view json) {
  auto parsed = protocol::parse_json(json, protocol::JsonReadLimits{16 * 1024, 4, 64});
  if (!parsed) return std::move(parsed).error();
  if (!parsed->is_object())
    return protocol::make_error(protocol::ErrorCode::malformed, "the mount config is not an object");
  const protocol::JsonValue& root = *parsed;

  MountConfig config;
  config.site = string_member(root, "site");
  if (!protocol::is_public_key(config.site)) {
    return protocol::make_error(protocol::ErrorCode::invalid, "data-site is not a site public key (pk_…)", "site");
  }
  config.socket_url = string_member(root, "ws");
  if (config.socket_url.rfind("ws://", 0) != 0 && config.socket_url.rfind("wss://", 0) != 0) {
    return protocol::make_error(protocol::ErrorCode::invalid, "the chat address is not a ws:// or wss:// URL", "ws");
  }
  config.api_url = string_member(root, "api");
  if ((config.api_url.rfind("http://", 0) != 0 && config.api_url.rfind("https://", 0) != 0) ||
      config.api_url.back() != '/') {
    return protocol::make_error(protocol::ErrorCode::invalid,
                                "the widget API address is not an http(s):// URL ending in /", "api");
  }
  config.language = parse_language(string_member(root, "lang"));

  if (const std::string widgets = string_member(root, "widgets"); !widgets.empty()) {
    config.widgets = Widgets{false, false, false, false};
    for_each_item(widgets, [&](std::string_view name) {
      if (name == "chat") config.widgets.chat = config.widgets.csat = true;
      if (name == "callback") config.widgets.callback = true;
      if (name == "rating") config.widgets.csat = config.widgets.page_rating = true;
    });
    // Nothing known: the chat, rather than an invisible widget.
    if (!config.widgets.chat && !config.widgets.callback && !config.widgets.page_rating) config.widgets = Widgets{};
  }

  for_each_item(string_member(root, "prechat"), [&](std::string_view name) {
    if (name == "name") config.prechat.name = true;
    if (name == "email") config.prechat.email = true;
    if (name == "phone") config.prechat.phone = true;
  });

  std::string greeting = string_member(root, "greeting");
  if (protocol::chat::check_line(greeting, 300, "greeting")) config.greeting = std::move(greeting);
  if (const protocol::JsonValue* after = root.find("greeting_after"); after && after->is_string()) {
    std::int64_t seconds = 0;
    bool digits = !after->text.empty() && after->text.size() <= 5;
    for (char c : after->text) {
      digits = digits && c >= '0' && c <= '9';
      seconds = seconds * 10 + (c - '0');
    }
    if (digits) config.greeting_after_ms = seconds * 1000;
  }
  for_each_item(string_member(root, "greeting_pages"), [&](std::string_view pattern) {
    if (!pattern.empty()) config.greeting_pages.emplace_back(pattern);
  });

  if (const protocol::JsonValue* page = root.find("page"); page && page->is_object()) {
    namespace chat = protocol::chat;
    auto& ctx = config.page;
    keep_if(ctx.url, string_member(*page, "url"), [](std::string_view v) { return bool(chat::check_url(v, "url")); });
    keep_if(ctx.title, string_member(*page, "title"),
            [](std::string_view v) { return bool(chat::check_line(v, chat::kMaxTitleChars, "title")); });
    keep_if(ctx.referrer, string_member(*page, "referrer"),
            [](std::string_view v) { return v.empty() || bool(chat::check_url(v, "referrer")); });
    keep_if(ctx.language, string_member(*page, "language"),
            [](std::string_view v) { return !v.empty() && bool(chat::check_language(v)); });
  }
  return config;
}

}  // namespace vitrina::widget
