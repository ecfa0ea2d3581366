#include "log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace shop {

namespace {

std::mutex log_mutex;

}  // namespace

std::string now_rfc3339() {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}

LogLine::LogLine(std::string_view level, std::string_view msg) {
  w_.begin_object().key("time").value(now_rfc3339()).key("level").value(level).key("msg").value(msg);
}

LogLine& LogLine::str(std::string_view key, std::string_view value) {
  w_.key(key).value(value);
  return *this;
}

LogLine& LogLine::num(std::string_view key, std::int64_t value) {
  w_.key(key).value(value);
  return *this;
}

void LogLine::emit() {
  w_.end_object();
  std::lock_guard lock(log_mutex);
  std::fprintf(stderr, "%s\n", w_.str().c_str());
  std::fflush(stderr);
}

}  // namespace shop
