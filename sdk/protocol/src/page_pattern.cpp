#include "vitrina/protocol/page_pattern.hpp"

namespace vitrina::protocol {

bool path_matches(std::string_view pattern, std::string_view path) noexcept {
  if (pattern.empty()) return true;
  // Greedy wildcard match with one backtrack point (the last star): linear in practice, never
  // recursive.
  std::size_t p = 0, s = 0, star = std::string_view::npos, mark = 0;
  while (s < path.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = s;
    } else if (p < pattern.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string_view url_path(std::string_view url) noexcept {
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
    const auto slash = url.find('/', scheme + 3);
    if (slash == std::string_view::npos) return "/";
    url = url.substr(slash);
  }
  return url.substr(0, url.find_first_of("?#"));
}

}  // namespace vitrina::protocol
