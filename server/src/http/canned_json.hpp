#pragma once
// Canned responses over HTTP (docs/operations.md, "Canned responses"): request bodies in, checked
// values or an Error naming the field out; records out as JSON. Plain functions, unit-tested
// with no server.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/canned_records.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::http {

inline constexpr std::size_t kMaxCannedBody = 16 * 1024;
inline constexpr std::size_t kMaxShortcutLength = 32;
inline constexpr std::size_t kMaxCannedTitleChars = 100;
/// A site keeps at most this many: the console loads them all at once.
inline constexpr std::size_t kMaxCannedResponses = 500;

/// What a create or change asks for; a create has all of shortcut and text.
struct CannedInput {
  std::optional<std::string> shortcut;  // lower-cased
  std::optional<std::string> title;
  std::optional<std::string> text;
};

/// 1 to 32 of `a-z 0-9 _ -` once lower-cased; a leading "/" (as typed in the console) is
/// dropped. Answers the normalised shortcut or "invalid" naming `shortcut`.
protocol::Result<std::string> normalize_shortcut(std::string_view shortcut);

/// POST: `{shortcut, text, title?}`; PATCH (`partial`): any of them, `{}` changes nothing.
/// Errors: "malformed" (field "body": not JSON), "invalid" (the member at fault, or "body" when
/// the value is not an object). Unknown and repeated members are refused. `text` follows the
/// chat message rules (it is sent as one), `title` is one line of at most 100 characters.
protocol::Result<CannedInput> parse_canned_input(std::string_view body, bool partial);

/// `{"id","shortcut","title","text","created_at","updated_at"}` (RFC 3339 times).
std::string canned_json(const store::CannedResponse& response);
/// `{"data":[…]}`.
std::string canned_list_json(const std::vector<store::CannedResponse>& responses);

}  // namespace vitrina::http
