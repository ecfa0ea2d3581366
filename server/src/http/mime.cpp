#include "http/mime.hpp"

#include <array>
#include <utility>

namespace vitrina::http {

std::string_view mime_type(std::string_view file_name) noexcept {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".mp3", "audio/mpeg"},
      {".ogg", "audio/ogg"},
      {".webmanifest", "application/manifest+json"},
  }};
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string_view ext = file_name.substr(dot);
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

bool is_content_hashed(std::string_view file_name) noexcept {
  const auto slash = file_name.rfind('/');
  if (slash != std::string_view::npos) file_name = file_name.substr(slash + 1);
  std::size_t run = 0;
  bool after_dot = false;
  for (char c : file_name) {
    if (c == '.') {
      if (after_dot && run >= 8) return true;
      after_dot = true;
      run = 0;
    } else if (after_dot && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      ++run;
    } else {
      after_dot = false;
      run = 0;
    }
  }
  return false;
}

}  // namespace vitrina::http
