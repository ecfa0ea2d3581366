#include "http/console_json.hpp"

#include <simdjson.h>

#include <cctype>

#include "admin/operators.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::http {

namespace {

namespace od = simdjson::ondemand;
using protocol::make_error;

constexpr std::size_t kMaxSiteLength = 64;
// Nesting deeper than this in members we ignore is refused rather than walked.
constexpr int kMaxDepth = 16;

protocol::Error malformed(std::string detail) {
  return make_error(protocol::ErrorCode::malformed, std::move(detail), "body");
}

// On Demand parses lazily and does not check members it is not asked for, so every value is
// walked once: a body is either all valid JSON (400 otherwise) or refused for its content.
simdjson::error_code walk(od::value value, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  od::json_type type{};
  if (auto error = value.type().get(type); error) return error;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object); error) return error;
      for (auto field : object) {
        std::string_view key;
        if (auto error = field.unescaped_key().get(key); error) return error;
        od::value member;
        if (auto error = field.value().get(member); error) return error;
        if (auto error = walk(member, depth + 1); error) return error;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array); error) return error;
      for (auto element : array) {
        od::value item;
        if (auto error = element.get(item); error) return error;
        if (auto error = walk(item, depth + 1); error) return error;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      return value.get_string().get(s);
    }
    case od::json_type::number: {
      double d = 0;
      return value.get_double().get(d);
    }
    case od::json_type::boolean: {
      bool b = false;
      return value.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null); error) return error;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

// A root that is not an object: still valid JSON (422) or not (400)?
simdjson::error_code walk_root(od::document& doc, od::json_type type) {
  switch (type) {
    case od::json_type::array: {
      od::array array;
      if (auto error = doc.get_array().get(array); error) return error;
      for (auto element : array) {
        od::value item;
        if (auto error = element.get(item); error) return error;
        if (auto error = walk(item, 1); error) return error;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      return doc.get_string().get(s);
    }
    case od::json_type::number: {
      double d = 0;
      return doc.get_double().get(d);
    }
    case od::json_type::boolean: {
      bool b = false;
      return doc.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = doc.is_null().get(is_null); error) return error;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    case od::json_type::object:
      break;
  }
  return simdjson::INCORRECT_TYPE;
}

bool at_end(od::document& doc) { return doc.current_location().error() == simdjson::OUT_OF_BOUNDS; }

// Reads one member of the login object: strings are kept, anything else is walked for
// validity and remembered as a type error for `name`.
struct Member {
  std::string_view name;
  bool seen = false;
  bool is_null = false;
  std::optional<std::string> text;
};

}  // namespace

protocol::Result<LoginRequest> parse_login_request(std::string_view body) {
  // A parser reused per thread: sign-in is rare, but allocation on every request is not needed.
  thread_local od::parser parser;
  const simdjson::padded_string padded(body);
  od::document doc;
  if (auto error = parser.iterate(padded).get(doc); error) {
    return malformed("the body is not JSON: " + std::string(simdjson::error_message(error)));
  }
  od::json_type root_type{};
  if (auto error = doc.type().get(root_type); error) {
    return malformed("the body is not JSON: " + std::string(simdjson::error_message(error)));
  }
  if (root_type != od::json_type::object) {
    if (walk_root(doc, root_type) != simdjson::SUCCESS || !at_end(doc)) {
      return malformed("the body is not valid JSON");
    }
    return make_error(protocol::ErrorCode::invalid, "must be a JSON object", "body");
  }
  od::object object;
  if (auto error = doc.get_object().get(object); error) {
    return malformed("the body is not JSON: " + std::string(simdjson::error_message(error)));
  }

  Member email{"email"}, password{"password"}, site{"site"};
  std::optional<protocol::Error> first_invalid;
  for (auto field : object) {
    std::string_view key;
    od::value value;
    if (auto error = field.unescaped_key().get(key); error) return malformed("bad member name");
    if (auto error = field.value().get(value); error) return malformed("bad member value");
    Member* member = key == email.name ? &email : key == password.name ? &password : key == site.name ? &site : nullptr;
    if (member == nullptr) {
      if (walk(value, 1) != simdjson::SUCCESS) return malformed("the body is not valid JSON");
      continue;
    }
    if (member->seen && !first_invalid) {
      first_invalid = make_error(protocol::ErrorCode::invalid, "appears more than once", std::string(key));
    }
    member->seen = true;
    od::json_type type{};
    if (value.type().get(type)) return malformed("the body is not valid JSON");
    if (type == od::json_type::string) {
      std::string_view text;
      if (value.get_string().get(text)) return malformed("bad string in " + std::string(key));
      member->text = std::string(text);
      continue;
    }
    if (walk(value, 1) != simdjson::SUCCESS) return malformed("the body is not valid JSON");
    member->is_null = type == od::json_type::null;
    if (!first_invalid && !(member == &site && member->is_null)) {
      first_invalid = make_error(protocol::ErrorCode::invalid, "must be a string", std::string(key));
    }
  }
  // Only whitespace may follow the object.
  if (!at_end(doc)) {
    return malformed("unexpected content after the JSON object");
  }
  if (first_invalid) return std::move(*first_invalid);

  if (!email.text) return make_error(protocol::ErrorCode::invalid, "is required", "email");
  if (!password.text) return make_error(protocol::ErrorCode::invalid, "is required", "password");
  LoginRequest request;
  auto normalized = admin::normalize_email(*email.text);
  if (!normalized) return std::move(normalized).error();
  request.email = std::move(*normalized);
  if (password.text->empty()) return make_error(protocol::ErrorCode::invalid, "must not be empty", "password");
  if (password.text->size() > admin::kMaxPasswordLength) {
    return make_error(protocol::ErrorCode::invalid, "is too long", "password");
  }
  request.password = std::move(*password.text);
  if (site.text) {
    if (site.text->empty() || site.text->size() > kMaxSiteLength) {
      return make_error(protocol::ErrorCode::invalid, "must be a site id or public key", "site");
    }
    request.site = std::move(*site.text);
  }
  return request;
}

bool is_json_media_type(std::string_view content_type) noexcept {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && (content_type.back() == ' ' || content_type.back() == '\t')) {
    content_type.remove_suffix(1);
  }
  while (!content_type.empty() && (content_type.front() == ' ' || content_type.front() == '\t')) {
    content_type.remove_prefix(1);
  }
  constexpr std::string_view kJson = "application/json";
  if (content_type.size() != kJson.size()) return false;
  for (std::size_t i = 0; i < kJson.size(); ++i) {
    const auto c = static_cast<unsigned char>(content_type[i]);
    if (std::tolower(c) != kJson[i]) return false;
  }
  return true;
}

namespace {

void write_operator(protocol::JsonWriter& w, const store::Operator& op) {
  w.key("operator").begin_object();
  w.key("id").value(op.id).key("email").value(op.email).key("name").value(op.name);
  w.key("role").value(admin::role_name(op.role)).key("site_id").value(op.site_id);
  w.end_object();
}

}  // namespace

std::string session_json(const store::Operator& op, std::string_view csrf_token) {
  protocol::JsonWriter w;
  w.begin_object();
  write_operator(w, op);
  w.key("csrf_token").value(csrf_token);
  w.end_object();
  return std::move(w).str();
}

std::string operator_json(const store::Operator& op) {
  protocol::JsonWriter w;
  w.begin_object();
  write_operator(w, op);
  w.end_object();
  return std::move(w).str();
}

}  // namespace vitrina::http
