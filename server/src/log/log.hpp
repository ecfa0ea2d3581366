#pragma once
// Structured logging: one JSON object per line on stderr, written by a background thread so a
// request never waits on the terminal or the disk. Never put secrets, signatures, passwords,
// card numbers or whole callback bodies in a log line.
//
//   log::info("listening").str("address", "127.0.0.1:8080").emit();

#include <cstdint>
#include <string>
#include <string_view>

#include "vitrina/protocol/json.hpp"

namespace vitrina::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

/// Parses "debug" | "info" | "warn" | "error".
bool parse_level(std::string_view text, Level& out) noexcept;

/// Lines below this level are dropped before they are built. Default: info.
void set_level(Level level) noexcept;
bool enabled(Level level) noexcept;

/// Lines are written to this file descriptor (default 2, stderr).
void set_fd(int fd) noexcept;

/// Waits until every line emitted so far has been written. Call before exiting.
void flush();

/// One log line under construction; `emit()` hands it to the writer. A line that is never
/// emitted is discarded.
class Line {
 public:
  Line(Level level, std::string_view msg);
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;

  Line& str(std::string_view key, std::string_view value);
  Line& num(std::string_view key, std::int64_t value);
  Line& real(std::string_view key, double value);
  Line& flag(std::string_view key, bool value);
  void emit();

 private:
  protocol::JsonWriter w_;
  bool on_;
};

inline Line debug(std::string_view msg) { return Line(Level::debug, msg); }
inline Line info(std::string_view msg) { return Line(Level::info, msg); }
inline Line warn(std::string_view msg) { return Line(Level::warn, msg); }
inline Line error(std::string_view msg) { return Line(Level::error, msg); }

}  // namespace vitrina::log
