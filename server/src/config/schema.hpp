#pragma once
// The configuration schema: one entry per key. Internal to the config module.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.hpp"

namespace vitrina::config::detail {

enum class Kind { string, integer, boolean, listen, log_level, engine, ms_list };

// A value already checked against its entry's kind and range.
using Value = std::variant<std::string, std::int64_t, bool>;

struct Entry {
  std::string_view key;  // dotted, as in the TOML file: "http.body_limit"
  std::string_view env;  // VITRINA_HTTP_BODY_LIMIT
  std::string_view description;
  Kind kind;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::function<void(Config&, const Value&)> apply;
};

const std::vector<Entry>& schema();
const Entry* find_by_key(std::string_view key);
const Entry* find_by_env(std::string_view env);

}  // namespace vitrina::config::detail
