#include "chat_fields.hpp"

#include <utility>
#include <variant>

#include "vitrina/protocol/chat_rules.hpp"
#include "vitrina/protocol/timestamp.hpp"

namespace vitrina::protocol::chat::detail {

Fields::Fields(const JsonValue& object, std::string prefix, std::optional<Error>& error, bool strict)
    : object_(object), prefix_(std::move(prefix)), error_(error), strict_(strict), seen_(object.members.size()) {}

std::string Fields::path(std::string_view key) const {
  if (prefix_.empty()) return std::string(key);
  return prefix_ + "." + std::string(key);
}

void Fields::fail(ErrorCode code, std::string_view field, std::string message) {
  if (ok()) error_ = make_error(code, std::move(message), std::string(field));
}

void Fields::rule(Result<void> result) {
  if (!result && ok()) error_ = std::move(result).error();
}

const JsonValue* Fields::take(std::string_view key, JsonType type, bool required, std::string_view expected) {
  const JsonValue* found = nullptr;
  for (std::size_t i = 0; i < object_.members.size(); ++i) {
    if (object_.members[i].key == key) {
      seen_[i] = true;
      found = &object_.members[i].value;
      break;
    }
  }
  if (!ok()) return nullptr;
  if (found == nullptr || found->is_null()) {
    if (required) fail(ErrorCode::invalid, path(key), "is required");
    return nullptr;
  }
  if (found->type != type) {
    fail(ErrorCode::invalid, path(key), "must be " + std::string(expected));
    return nullptr;
  }
  return found;
}

std::optional<std::string> Fields::string(std::string_view key, bool required) {
  const JsonValue* v = take(key, JsonType::string, required, "a string");
  if (v == nullptr) return std::nullopt;
  return v->text;
}

std::optional<std::int64_t> Fields::integer(std::string_view key, bool required, std::int64_t min, std::int64_t max) {
  const JsonValue* v = take(key, JsonType::number, required, "an integer");
  if (v == nullptr) return std::nullopt;
  const auto value = v->as_int64();
  if (!value) {
    fail(ErrorCode::invalid, path(key), "must be an integer");
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    fail(ErrorCode::invalid, path(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> Fields::boolean(std::string_view key, bool required) {
  const JsonValue* v = take(key, JsonType::boolean, required, "true or false");
  if (v == nullptr) return std::nullopt;
  return v->boolean;
}

const JsonValue* Fields::object(std::string_view key, bool required) {
  return take(key, JsonType::object, required, "an object");
}

std::optional<std::int64_t> Fields::timestamp(std::string_view key, bool required) {
  const auto text = string(key, required);
  if (!text) return std::nullopt;
  const auto ms = parse_timestamp_ms(*text);
  if (!ms) fail(ErrorCode::invalid, path(key), "must be an RFC 3339 UTC time like 2026-05-01T12:00:00.000Z");
  return ms;
}

bool Fields::finish() {
  if (!ok() || !strict_) return ok();
  for (std::size_t i = 0; i < seen_.size(); ++i) {
    if (!seen_[i]) {
      fail(ErrorCode::invalid, path(object_.members[i].key), "is not a member of this frame");
      break;
    }
  }
  return ok();
}

namespace {

std::vector<Attribute> read_attributes(Fields& f, const JsonValue& object, const std::string& prefix) {
  std::vector<Attribute> out;
  if (object.members.size() > kMaxAttributes) {
    f.fail(ErrorCode::invalid, prefix, "must have at most " + std::to_string(kMaxAttributes) + " members");
    return out;
  }
  out.reserve(object.members.size());
  for (const JsonMember& m : object.members) {
    Attribute a{m.key, std::string()};
    if (m.value.is_string()) {
      a.value = m.value.text;
    } else if (m.value.is_bool()) {
      a.value = m.value.boolean;
    } else if (const auto number = m.value.as_int64()) {
      a.value = *number;
    } else {
      f.fail(ErrorCode::invalid, prefix + "." + m.key, "must be a string, an integer or a boolean");
      return out;
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

VisitorContext read_context(Fields& f) {
  VisitorContext c;
  c.url = f.string("url", false);
  c.title = f.string("title", false);
  c.referrer = f.string("referrer", false);
  c.language = f.string("language", false);
  if (const JsonValue* attributes = f.object("attributes", false)) {
    c.attributes = read_attributes(f, *attributes, f.path("attributes"));
  }
  c.name = f.string("name", false);
  c.email = f.string("email", false);
  c.phone = f.string("phone", false);
  return c;
}

void write_author(JsonWriter& w, const Author& author) {
  w.begin_object().key("role").value(to_string(author.role));
  if (!author.id.empty()) w.key("id").value(author.id);
  if (!author.name.empty()) w.key("name").value(author.name);
  w.end_object();
}

void write_context_members(JsonWriter& w, const VisitorContext& c) {
  if (c.url) w.key("url").value(*c.url);
  if (c.title) w.key("title").value(*c.title);
  if (c.referrer) w.key("referrer").value(*c.referrer);
  if (c.language) w.key("language").value(*c.language);
  if (c.attributes) {
    w.key("attributes").begin_object();
    for (const Attribute& a : *c.attributes) {
      w.key(a.key);
      std::visit([&w](const auto& v) { w.value(v); }, a.value);
    }
    w.end_object();
  }
  if (c.name) w.key("name").value(*c.name);
  if (c.email) w.key("email").value(*c.email);
  if (c.phone) w.key("phone").value(*c.phone);
}

}  // namespace vitrina::protocol::chat::detail
