#include "webhooks/api_request.hpp"

#include <simdjson.h>

#include <set>

#include "webhooks/target.hpp"

namespace vitrina::webhooks {

namespace {

using protocol::Error;
using protocol::make_error;
using protocol::Result;
namespace dom = simdjson::dom;

Error invalid(std::string field, std::string message) {
  return make_error(protocol::ErrorCode::invalid, std::move(message), std::move(field));
}

bool blank(std::string_view body) { return body.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// The body as one JSON object; `parser` must outlive the answer.
Result<dom::object> parse_object(dom::parser& parser, std::string_view body) {
  dom::element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root); error) {
    return make_error(protocol::ErrorCode::malformed,
                      "the body is not JSON: " + std::string(simdjson::error_message(error)), "body");
  }
  dom::object object;
  if (root.get_object().get(object)) return invalid("body", "must be a JSON object");
  return object;
}

// Walks an object's members once, refusing duplicates; `on` handles each.
template <class On>
Result<void> members(dom::object object, On&& on) {
  std::set<std::string_view> seen;
  for (auto [key, value] : object) {
    const std::string field(key);
    if (!seen.insert(key).second) return invalid(field, "appears more than once");
    if (auto r = on(key, value, field); !r) return r;
  }
  return {};
}

Result<std::string> string_member(dom::element e, const std::string& field) {
  std::string_view s;
  if (e.get_string().get(s)) return invalid(field, "must be a string");
  return std::string(s);
}

Result<std::string> url_member(dom::element e, const std::string& field, bool allow_private) {
  auto url = string_member(e, field);
  if (!url) return url;
  if (auto ok = validate_endpoint_url(*url, allow_private); !ok) {
    return invalid(field, "is not allowed: " + ok.error().message);
  }
  return url;
}

Result<std::vector<std::string>> event_types_member(dom::element e, const std::string& field) {
  dom::array array;
  if (e.get_array().get(array)) return invalid(field, "must be an array of event types");
  if (array.size() > kMaxEventTypes) {
    return invalid(field, "must hold at most " + std::to_string(kMaxEventTypes) + " event types");
  }
  std::vector<std::string> out;
  for (dom::element item : array) {
    const std::string item_field = field + "[" + std::to_string(out.size()) + "]";
    auto s = string_member(item, item_field);
    if (!s) return std::move(s).error();
    out.push_back(std::move(*s));
  }
  if (auto ok = validate_event_types(out, field); !ok) return std::move(ok).error();
  return out;
}

Result<std::string> description_member(dom::element e, const std::string& field) {
  auto s = string_member(e, field);
  if (!s) return s;
  if (auto ok = validate_description(*s); !ok) return std::move(ok).error();
  return s;
}

}  // namespace

Result<EndpointSpec> parse_create_endpoint(std::string_view body, bool allow_private) {
  if (blank(body)) return make_error(protocol::ErrorCode::malformed, "send the endpoint as a JSON object", "body");
  thread_local dom::parser parser;
  auto object = parse_object(parser, body);
  if (!object) return std::move(object).error();
  EndpointSpec spec;
  bool has_url = false;
  auto r = members(*object, [&](std::string_view key, dom::element v, const std::string& field) -> Result<void> {
    if (key == "url") {
      auto url = url_member(v, field, allow_private);
      if (!url) return std::move(url).error();
      spec.url = std::move(*url);
      has_url = true;
      return {};
    }
    if (key == "event_types") {
      auto types = event_types_member(v, field);
      if (!types) return std::move(types).error();
      spec.event_types = std::move(*types);
      return {};
    }
    if (key == "signing") {
      std::string_view s;
      if (v.get_string().get(s)) return invalid(field, "must be a string");
      auto signing = parse_signing(s);
      if (!signing) return invalid(field, "must be \"hmac\", \"ed25519\" or \"both\"");
      spec.signing = *signing;
      return {};
    }
    if (key == "description") {
      auto d = description_member(v, field);
      if (!d) return std::move(d).error();
      spec.description = std::move(*d);
      return {};
    }
    return invalid(field, "is not a known field");
  });
  if (!r) return std::move(r).error();
  if (!has_url) return invalid("url", "is required");
  return spec;
}

Result<EndpointPatch> parse_endpoint_patch(std::string_view body, bool allow_private) {
  if (blank(body)) return make_error(protocol::ErrorCode::malformed, "send the changes as a JSON object", "body");
  thread_local dom::parser parser;
  auto object = parse_object(parser, body);
  if (!object) return std::move(object).error();
  EndpointPatch patch;
  auto r = members(*object, [&](std::string_view key, dom::element v, const std::string& field) -> Result<void> {
    if (key == "url") {
      auto url = url_member(v, field, allow_private);
      if (!url) return std::move(url).error();
      patch.url = std::move(*url);
      return {};
    }
    if (key == "event_types") {
      auto types = event_types_member(v, field);
      if (!types) return std::move(types).error();
      patch.event_types = std::move(*types);
      return {};
    }
    if (key == "description") {
      auto d = description_member(v, field);
      if (!d) return std::move(d).error();
      patch.description = std::move(*d);
      return {};
    }
    if (key == "enabled") {
      bool enabled = false;
      if (v.get_bool().get(enabled)) return invalid(field, "must be true or false");
      patch.enabled = enabled;
      return {};
    }
    if (key == "signing") return invalid(field, "cannot be changed; add a new endpoint instead");
    return invalid(field, "is not a known field");
  });
  if (!r) return std::move(r).error();
  return patch;
}

Result<std::string> parse_resend(std::string_view body) {
  if (blank(body)) return std::string();
  thread_local dom::parser parser;
  auto object = parse_object(parser, body);
  if (!object) return std::move(object).error();
  std::string endpoint_id;
  auto r = members(*object, [&](std::string_view key, dom::element v, const std::string& field) -> Result<void> {
    if (key != "endpoint_id") return invalid(field, "is not a known field");
    auto id = string_member(v, field);
    if (!id) return std::move(id).error();
    if (!id->starts_with(kEndpointPrefix) || id->size() > 64) return invalid(field, "must be an endpoint id (we_…)");
    endpoint_id = std::move(*id);
    return {};
  });
  if (!r) return std::move(r).error();
  return endpoint_id;
}

Result<void> parse_empty(std::string_view body) {
  if (blank(body)) return {};
  thread_local dom::parser parser;
  auto object = parse_object(parser, body);
  if (!object) return std::move(object).error();
  return members(*object, [](std::string_view, dom::element, const std::string& field) -> Result<void> {
    return invalid(field, "is not a known field");
  });
}

Result<std::size_t> parse_limit(const std::optional<std::string>& text, std::size_t fallback, std::size_t max) {
  if (!text) return fallback;
  const std::string refusal = "must be from 1 to " + std::to_string(max);
  if (text->empty() || text->size() > 6) return invalid("limit", refusal);
  std::size_t n = 0;
  for (const char c : *text) {
    if (c < '0' || c > '9') return invalid("limit", refusal);
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  if (n < 1 || n > max) return invalid("limit", refusal);
  return n;
}

}  // namespace vitrina::webhooks
