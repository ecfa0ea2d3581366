#pragma once
// Canned responses: a site's prepared replies, each reached in the console by a shortcut
// ("/hello"). The owner manages them; every operator of the site uses them.

#include <cstdint>
#include <optional>
#include <string>

namespace vitrina::store {

struct CannedResponse {
  std::string id;  // cr_…
  std::string site_id;
  std::string shortcut;  // unique per site: 1–32 of a–z 0–9 _ -
  std::string title;     // "" when none
  std::string text;
  std::int64_t created_at = 0;  // unix milliseconds
  std::int64_t updated_at = 0;
};

/// The members to change of one site's canned response; absent members are kept.
struct CannedResponseChange {
  std::string id;
  std::string site_id;
  std::optional<std::string> shortcut;
  std::optional<std::string> title;
  std::optional<std::string> text;
  std::int64_t updated_at = 0;
};

}  // namespace vitrina::store
