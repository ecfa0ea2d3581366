#pragma once
// The languages the widget speaks. A BCP 47 tag from the page picks one; anything we do not
// know falls back to English rather than failing, because a page's lang attribute is often wrong.

#include <string_view>

namespace vitrina::widget {

enum class Language { kEnglish, kRussian };

// "ru", "RU", "ru-RU", "ru_RU" -> Russian; everything else, including "", -> English.
Language parse_language(std::string_view tag) noexcept;

}  // namespace vitrina::widget
