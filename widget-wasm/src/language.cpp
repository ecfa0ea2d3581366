#include "language.hpp"

namespace vitrina::widget {

namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// True when the primary subtag of `tag` (the part before '-' or '_') is `primary`.
bool has_primary_subtag(std::string_view tag, std::string_view primary) noexcept {
  if (tag.size() < primary.size()) return false;
  for (std::size_t i = 0; i < primary.size(); ++i) {
    if (lower(tag[i]) != primary[i]) return false;
  }
  return tag.size() == primary.size() || tag[primary.size()] == '-' || tag[primary.size()] == '_';
}

}  // namespace

Language parse_language(std::string_view tag) noexcept {
  if (has_primary_subtag(tag, "ru")) return Language::kRussian;
  return Language::kEnglish;
}

}  // namespace vitrina::widget
