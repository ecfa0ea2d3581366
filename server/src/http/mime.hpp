#pragma once
#include <string_view>

namespace vitrina::http {

/// The Content-Type for a file name, by extension; text types carry charset=utf-8.
/// Unknown extensions are application/octet-stream.
std::string_view mime_type(std::string_view file_name) noexcept;

/// True for names carrying a content hash, like "widget.3f2a9c1d0e.wasm": 8 or more lowercase hex
/// characters between two dots. Such files never change, so they are cached as immutable.
bool is_content_hashed(std::string_view file_name) noexcept;

}  // namespace vitrina::http
