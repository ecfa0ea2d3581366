#pragma once
// One JSON object per line on stderr, like the Vitrina server's own log:
//   log::info("webhook verified").str("webhook_id", id).str("type", type).emit();
// Callers pass only what is safe to keep: never a secret, a signature or a card number.

#include <cstdint>
#include <string>
#include <string_view>

#include "vitrina/protocol/json.hpp"

namespace shop {

class LogLine {
 public:
  LogLine(std::string_view level, std::string_view msg);
  LogLine& str(std::string_view key, std::string_view value);
  LogLine& num(std::string_view key, std::int64_t value);
  /// Writes the line; lines from several threads never interleave.
  void emit();

 private:
  vitrina::protocol::JsonWriter w_;
};

/// The current UTC time as RFC 3339 with milliseconds, e.g. `2026-05-01T12:00:00.123Z`.
std::string now_rfc3339();

namespace log {
inline LogLine info(std::string_view msg) { return LogLine("info", msg); }
inline LogLine warn(std::string_view msg) { return LogLine("warn", msg); }
inline LogLine error(std::string_view msg) { return LogLine("error", msg); }
}  // namespace log

}  // namespace shop
