#include "http/message.hpp"

#include "vitrina/protocol/json.hpp"

namespace vitrina::http {

Response& Response::operator=(Response&& other) noexcept {
  if (this == &other) return *this;
  head = std::move(other.head);
  const bool body_is_owned = other.body.data() == other.owned.data() && !other.owned.empty();
  owned = std::move(other.owned);
  keep_alive = std::move(other.keep_alive);
  raw_fields = std::move(other.raw_fields);
  // A moved std::string may keep its small buffer in place: re-point the view at our copy.
  body = body_is_owned ? std::string_view(owned) : other.body;
  other.body = {};
  return *this;
}

void Response::set_body(std::string text) {
  owned = std::move(text);
  keep_alive.reset();
  body = owned;
}

std::string_view Response::header(std::string_view name) const {
  const auto same = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
      if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
  };
  for (const auto& f : head) {
    if (same(f.name_string(), name)) return f.value();
  }
  if (!raw_fields) return {};
  std::string_view rest = *raw_fields;
  while (!rest.empty()) {
    const auto eol = rest.find("\r\n");
    const std::string_view line = rest.substr(0, eol);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos && same(line.substr(0, colon), name)) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return value;
    }
    if (eol == std::string_view::npos) break;
    rest.remove_prefix(eol + 2);
  }
  return {};
}

void Response::set_shared_body(std::shared_ptr<const void> owner, std::string_view bytes) {
  owned.clear();
  keep_alive = std::move(owner);
  body = bytes;
}

Response make_response(Status status, std::string body, std::string_view content_type) {
  Response r;
  r.head.result(status);
  r.head.set(Field::content_type, content_type);
  r.set_body(std::move(body));
  return r;
}

Response make_json(Status status, std::string json) {
  return make_response(status, std::move(json), "application/json");
}

Response problem(protocol::ErrorCode code, std::string_view detail, std::string_view field,
                 const ProblemExtensions& extensions) {
  const auto& info = protocol::error_info(code);
  const auto status = static_cast<Status>(info.http_status);
  protocol::JsonWriter w;
  w.begin_object()
      .key("type")
      .value("urn:vitrina:problem:" + std::string(info.problem_type))
      .key("title")
      .value(info.title)
      .key("status")
      .value(info.http_status);
  if (!detail.empty()) w.key("detail").value(detail);
  if (!field.empty()) w.key("field").value(field);
  for (const auto& [name, value] : extensions) {
    if (!value.empty()) w.key(name).value(value);
  }
  w.end_object();
  Response r = make_response(status, std::move(w).str(), "application/problem+json");
  r.head.set(Field::cache_control, "no-store");
  return r;
}

Response problem(const protocol::Error& error, const ProblemExtensions& extensions) {
  using protocol::ErrorCode;
  // What went wrong inside stays in the log: a fault of ours is answered without details.
  if (error.code == ErrorCode::internal) return problem(ErrorCode::internal);
  if (error.code == ErrorCode::invalid && !error.field.empty()) {
    return problem(error.code, error.field + " " + error.message, error.field, extensions);
  }
  return problem(error.code, error.message, error.field, extensions);
}

}  // namespace vitrina::http
