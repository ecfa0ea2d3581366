// The page's commands that carry data: Vitrina('identify', {...}) and Vitrina('set', {...}).
#include <algorithm>

#include <vitrina/protocol/chat_rules.hpp>
#include <vitrina/protocol/json_reader.hpp>

#include "widget.hpp"

namespace vitrina::widget {

namespace {

protocol::Result<protocol::JsonValue> parse_object(std::string_view json) {
  auto parsed = protocol::parse_json(json, protocol::JsonReadLimits{16 * 1024, 4, 256});
  if (!parsed) return std::move(parsed).error();
  if (!parsed->is_object()) return protocol::make_error(protocol::ErrorCode::invalid, "the argument must be an object");
  return parsed;
}

// Turns {cart: {total: "4500 RUB", items: 3}, vip: true} into cart.total, cart.items, vip:
// attributes are flat, and their names may contain dots.
protocol::Result<void> flatten(const protocol::JsonValue& object, const std::string& prefix,
                               std::vector<chat::Attribute>& out) {
  for (const protocol::JsonMember& m : object.members) {
    const std::string key = prefix + m.key;
    const protocol::JsonValue& v = m.value;
    if (v.is_object()) {
      if (auto ok = flatten(v, key + ".", out); !ok) return ok;
    } else if (v.is_string()) {
      out.push_back({key, v.text});
    } else if (v.is_bool()) {
      out.push_back({key, v.boolean});
    } else if (v.is_number()) {
      // Integers stay numbers; anything else (a price like 4500.5) is kept as written.
      if (auto n = v.as_int64())
        out.push_back({key, *n});
      else
        out.push_back({key, v.text});
    } else if (!v.is_null()) {
      return protocol::make_error(protocol::ErrorCode::invalid, "must be a string, a number, a boolean or an object",
                                  key);
    }
  }
  return {};
}

}  // namespace

protocol::Result<void> Widget::identify(std::string_view json) {
  auto parsed = parse_object(json);
  if (!parsed) return std::move(parsed).error();
  const protocol::JsonValue& o = *parsed;
  const protocol::JsonValue* user_id = o.find("user_id");
  const protocol::JsonValue* expires_at = o.find("expires_at");
  const protocol::JsonValue* hash = o.find("hash");
  std::optional<chat::Identity> identity;
  if (user_id || expires_at || hash) {
    if (!user_id || !user_id->is_string())
      return protocol::make_error(protocol::ErrorCode::invalid, "must be a string", "user_id");
    if (auto ok = chat::check_user_id(user_id->text, "user_id"); !ok) return ok;
    if (!hash || !hash->is_string())
      return protocol::make_error(protocol::ErrorCode::invalid, "must be a string", "hash");
    if (auto ok = chat::check_identity_hash(hash->text, "hash"); !ok) return ok;
    const auto expires = expires_at ? expires_at->as_int64() : std::nullopt;
    if (!expires || *expires <= 0)
      return protocol::make_error(protocol::ErrorCode::invalid, "must be Unix seconds", "expires_at");
    identity = chat::Identity{user_id->text, *expires, hash->text};
  }
  chat::VisitorContext who;
  for (std::string_view key : {"name", "email"}) {
    const protocol::JsonValue* v = o.find(key);
    if (!v || v->is_null()) continue;
    if (!v->is_string())
      return protocol::make_error(protocol::ErrorCode::invalid, "must be a string", std::string(key));
    auto ok = key == "name" ? chat::check_line(v->text, chat::kMaxNameChars, "name") : chat::check_email(v->text);
    if (!ok) return ok;
    (key == "name" ? who.name : who.email) = v->text;
  }
  client_->update_context(who);
  if (identity) client_->set_identity(std::move(*identity));
  return {};
}

protocol::Result<void> Widget::set_attributes(std::string_view json) {
  auto parsed = parse_object(json);
  if (!parsed) return std::move(parsed).error();
  std::vector<chat::Attribute> fresh;
  if (auto ok = flatten(*parsed, "", fresh); !ok) return ok;
  // Each call adds to (or changes) what earlier calls set; the frame carries the whole set.
  std::vector<chat::Attribute> attributes = client_->context().attributes.value_or(std::vector<chat::Attribute>{});
  for (chat::Attribute& a : fresh) {
    auto same =
        std::find_if(attributes.begin(), attributes.end(), [&](const chat::Attribute& b) { return b.key == a.key; });
    if (same != attributes.end())
      *same = std::move(a);
    else
      attributes.push_back(std::move(a));
  }
  if (auto ok = chat::check_attributes(attributes, "attributes"); !ok) return ok;
  chat::VisitorContext update;
  update.attributes = std::move(attributes);
  client_->update_context(update);
  return {};
}

}  // namespace vitrina::widget
