#pragma once
// What the loader tells the module when it mounts it: one JSON object built from the script
// tag's data-* attributes, the site's widget settings where an attribute is absent, and the
// page (see docs/widget.md). Parsed strictly; anything odd in
// an optional member is dropped rather than failing the widget.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <vitrina/protocol/chat.hpp>
#include <vitrina/protocol/result.hpp>

#include "chat_view.hpp"
#include "language.hpp"

namespace vitrina::widget {

// Which widgets the site shows (data-widgets): "chat" (with CSAT after a conversation closes),
// "callback", "rating" (CSAT and page ratings). Empty means "chat".
struct Widgets {
  bool chat = true;
  bool callback = false;
  bool csat = true;
  bool page_rating = false;
};

struct MountConfig {
  std::string site;  // pk_…
  Language language = Language::kEnglish;
  std::string socket_url;  // ws(s)://…/v1/visitor/ws?site=pk_…
  std::string api_url;     // http(s)://…/v1/widget/pk_…/ (callback and rating endpoints)
  Widgets widgets;
  FormFields prechat;    // data-prechat="name,email,phone"
  std::string greeting;  // data-greeting: the proactive greeting's text
  std::int64_t greeting_after_ms = 15'000;
  // data-greeting-pages: patterns with * (comma-separated), matched against the URL's path;
  // none means every page.
  std::vector<std::string> greeting_pages;
  protocol::chat::VisitorContext page;  // url, title, referrer, language
};

// Errors: "invalid" naming `site` (not a public key), `ws` (not a ws:// or wss:// URL) or `api`
// (not an http(s):// URL ending in /), or
// "malformed" for something that is not a JSON object.
protocol::Result<MountConfig> parse_mount_config(std::string_view json);

}  // namespace vitrina::widget
