#include "http/canned_json.hpp"

#include <simdjson.h>

#include <set>

#include "vitrina/protocol/chat.hpp"
#include "vitrina/protocol/chat_rules.hpp"
#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/timestamp.hpp"

namespace vitrina::http {

namespace {

using protocol::Error;
using protocol::make_error;
using protocol::Result;
namespace dom = simdjson::dom;

Error invalid(std::string field, std::string message) {
  return make_error(protocol::ErrorCode::invalid, std::move(message), std::move(field));
}

bool shortcut_char(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }

}  // namespace

Result<std::string> normalize_shortcut(std::string_view shortcut) {
  if (shortcut.starts_with('/')) shortcut.remove_prefix(1);
  std::string out(shortcut);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (out.empty() || out.size() > kMaxShortcutLength) {
    return invalid("shortcut", "must be 1 to 32 characters of a-z 0-9 _ -");
  }
  for (char c : out) {
    if (!shortcut_char(c)) return invalid("shortcut", "must be 1 to 32 characters of a-z 0-9 _ -");
  }
  return out;
}

Result<CannedInput> parse_canned_input(std::string_view body, bool partial) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return make_error(protocol::ErrorCode::malformed, "send the canned response as a JSON object", "body");
  }
  thread_local dom::parser parser;
  dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root); error) {
    return make_error(protocol::ErrorCode::malformed,
                      "the body is not JSON: " + std::string(simdjson::error_message(error)), "body");
  }
  dom::object object;
  if (root.get_object().get(object)) return invalid("body", "must be a JSON object");

  CannedInput input;
  std::set<std::string_view> seen;
  for (auto [key, value] : object) {
    const std::string field(key);
    if (!seen.insert(key).second) return invalid(field, "appears more than once");
    if (key != "shortcut" && key != "title" && key != "text") return invalid(field, "is not a known field");
    std::string_view s;
    if (value.get_string().get(s)) return invalid(field, "must be a string");
    if (key == "shortcut") {
      auto normalized = normalize_shortcut(s);
      if (!normalized) return std::move(normalized).error();
      input.shortcut = std::move(*normalized);
    } else if (key == "title") {
      if (auto ok = protocol::chat::check_line(s, kMaxCannedTitleChars, field); !ok) return std::move(ok).error();
      input.title = std::string(s);
    } else {
      if (auto ok = protocol::chat::check_message_text(s, protocol::chat::Limits{}, field); !ok) {
        return std::move(ok).error();
      }
      input.text = std::string(s);
    }
  }
  if (!partial) {
    if (!input.shortcut) return invalid("shortcut", "is required");
    if (!input.text) return invalid("text", "is required");
  }
  return input;
}

namespace {

void write_canned(protocol::JsonWriter& w, const store::CannedResponse& r) {
  w.begin_object();
  w.key("id").value(r.id).key("shortcut").value(r.shortcut).key("title").value(r.title).key("text").value(r.text);
  w.key("created_at").value(protocol::format_timestamp_ms(r.created_at));
  w.key("updated_at").value(protocol::format_timestamp_ms(r.updated_at));
  w.end_object();
}

}  // namespace

std::string canned_json(const store::CannedResponse& response) {
  protocol::JsonWriter w;
  write_canned(w, response);
  return std::move(w).str();
}

std::string canned_list_json(const std::vector<store::CannedResponse>& responses) {
  protocol::JsonWriter w;
  w.begin_object().key("data").begin_array();
  for (const auto& r : responses) write_canned(w, r);
  w.end_array().end_object();
  return std::move(w).str();
}

}  // namespace vitrina::http
