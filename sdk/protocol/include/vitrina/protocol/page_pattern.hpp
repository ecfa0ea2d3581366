#pragma once
/// \file
/// Page patterns, as a site's settings name pages ("/delivery*", "*/checkout"): the server
/// decides with them where the page rating shows and the widget where the greeting does, so
/// both match the same way.

#include <string_view>

namespace vitrina::protocol {

/// True when `path` matches `pattern`, where `*` stands for any run of characters (also none)
/// and every other character for itself. An empty pattern matches every path.
bool path_matches(std::string_view pattern, std::string_view path) noexcept;

/// The path of a page address: "https://shop.example/a/b?c#d" → "/a/b", "https://shop.example"
/// → "/"; text without a scheme is taken as a path and loses only its query and fragment.
std::string_view url_path(std::string_view url) noexcept;

}  // namespace vitrina::protocol
