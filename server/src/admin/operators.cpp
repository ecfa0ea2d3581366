#include "admin/operators.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "admin/sites.hpp"
#include "auth/keys.hpp"
#include "vitrina/protocol/keys.hpp"

namespace vitrina::admin {

namespace {

constexpr std::size_t kMaxEmailLength = 254;
constexpr std::size_t kMaxLocalPartLength = 64;

Error invalid_email(std::string message) {
  return protocol::make_error(protocol::ErrorCode::invalid, std::move(message), "email");
}

bool is_email_char(unsigned char c) {
  // Printable ASCII minus what never belongs in a plain address; non-ASCII (internationalised
  // addresses) is allowed through.
  if (c >= 0x80) return true;
  if (c <= 0x20 || c == 0x7f) return false;
  return std::string_view("\"(),:;<>[\\]").find(static_cast<char>(c)) == std::string_view::npos;
}

}  // namespace

Result<std::string> normalize_email(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) {
    email.remove_prefix(1);
  }
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) {
    email.remove_suffix(1);
  }
  if (email.empty()) return invalid_email("must not be empty");
  if (email.size() > kMaxEmailLength) return invalid_email("must be at most 254 characters");
  std::string lowered(email);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(c < 0x80 ? std::tolower(c) : c); });
  if (!std::all_of(lowered.begin(), lowered.end(),
                   [](char c) { return is_email_char(static_cast<unsigned char>(c)); })) {
    return invalid_email("contains spaces or characters not allowed in an email address");
  }
  const auto at = lowered.find('@');
  if (at == std::string::npos || lowered.find('@', at + 1) != std::string::npos) {
    return invalid_email("must contain exactly one @");
  }
  const std::string_view local = std::string_view(lowered).substr(0, at);
  const std::string_view domain = std::string_view(lowered).substr(at + 1);
  if (local.empty() || local.size() > kMaxLocalPartLength) {
    return invalid_email("the part before @ must be 1 to 64 characters");
  }
  const auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.front() == '-' || domain.find("..") != std::string_view::npos) {
    return invalid_email("the part after @ must be a domain such as example.com");
  }
  return lowered;
}

std::string_view role_name(std::string_view stored_role) noexcept {
  return stored_role == "admin" ? std::string_view("owner") : stored_role;
}

Result<store::Operator> add_operator(store::Store& store, std::string_view site, std::string_view email,
                                     std::string_view name, std::string_view password, std::int64_t now_ms,
                                     const OperatorOptions& options) {
  auto normalized = normalize_email(email);
  if (!normalized) return std::move(normalized).error();
  if (options.role != "operator" && options.role != "owner" && options.role != "admin") {
    return protocol::make_error(protocol::ErrorCode::invalid, "must be owner or operator", "role");
  }
  std::string display_name;
  if (name.find_first_not_of(" \t") == std::string_view::npos) {
    display_name = normalized->substr(0, normalized->find('@'));
  } else {
    auto valid = validate_name(name, "name");
    if (!valid) return std::move(valid).error();
    display_name = std::move(*valid);
  }
  // The password itself never appears in a message.
  if (password.size() < kMinPasswordLength) {
    return protocol::make_error(protocol::ErrorCode::invalid, "must be at least 10 characters", "password");
  }
  if (password.size() > kMaxPasswordLength) {
    return protocol::make_error(protocol::ErrorCode::invalid, "must be at most 1024 characters", "password");
  }
  auto found = find_site(store, site);
  if (!found) return std::move(found).error();

  auto hash = auth::hash_password(password, options.cost);
  if (!hash) return std::move(hash).error();
  store::Operator op;
  op.id = auth::generate_id(protocol::kOperatorIdPrefix);
  op.site_id = found->id;
  op.email = std::move(*normalized);
  op.name = std::move(display_name);
  op.password_hash = std::move(*hash);
  op.role = options.role == "operator" ? "operator" : "admin";
  op.created_at = now_ms;
  auto inserted = store::wait_for<store::Operator>(
      [&](store::Done<store::Operator> done) { store.insert_operator(op, std::move(done)); });
  if (!inserted && inserted.error().code == protocol::ErrorCode::conflict && inserted.error().field == "email") {
    return protocol::make_error(protocol::ErrorCode::conflict, "this site already has an operator with that email",
                                "email");
  }
  return inserted;
}

}  // namespace vitrina::admin
