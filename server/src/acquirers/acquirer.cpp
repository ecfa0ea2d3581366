#include "acquirers/acquirer.hpp"

namespace vitrina::acquirers {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view header_value(const RawHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (same_name(key, name)) return value;
  }
  return {};
}

void Registry::add(std::shared_ptr<const Acquirer> acquirer) {
  std::string name(acquirer->name());
  acquirers_[std::move(name)] = std::move(acquirer);
}

const Acquirer* Registry::find(std::string_view name) const noexcept {
  const auto it = acquirers_.find(name);
  return it == acquirers_.end() ? nullptr : it->second.get();
}

std::shared_ptr<const Acquirer> Registry::shared(std::string_view name) const {
  const auto it = acquirers_.find(name);
  return it == acquirers_.end() ? nullptr : it->second;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, acquirer] : acquirers_) out.push_back(name);
  return out;
}

}  // namespace vitrina::acquirers
