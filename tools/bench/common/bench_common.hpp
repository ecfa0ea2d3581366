#pragma once
// Shared by the benchmark load generators: command-line options, latency samples and the JSON
// lookups their report lines need.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitrina::bench {

using Clock = std::chrono::steady_clock;

inline std::int64_t micros(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

/// `--name value` pairs. Each getter checks its bounds and records what was wrong, so main can
/// print every mistake at once and exit.
class Options {
 public:
  /// False when the arguments are not name/value pairs.
  bool parse(int argc, char** argv, int first) {
    if ((argc - first) % 2 != 0) return false;
    for (int i = first; i + 1 < argc; i += 2) {
      const std::string_view name = argv[i];
      if (!name.starts_with("--")) return false;
      values_[std::string(name.substr(2))] = argv[i + 1];
    }
    return true;
  }

  std::string str(const std::string& name, std::optional<std::string> fallback = std::nullopt) {
    used_.push_back(name);
    if (auto it = values_.find(name); it != values_.end()) return it->second;
    if (!fallback) errors_.push_back("--" + name + " is required");
    return fallback.value_or("");
  }

  std::int64_t num(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
    used_.push_back(name);
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    std::size_t end = 0;
    std::int64_t v = 0;
    try {
      v = std::stoll(it->second, &end);
    } catch (...) {
      end = 0;
    }
    if (end == 0 || end != it->second.size() || v < min || v > max) {
      errors_.push_back("--" + name + " must be a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max));
      return fallback;
    }
    return v;
  }

  /// Every mistake found, including options nobody asked for.
  std::vector<std::string> errors() const {
    auto all = errors_;
    for (const auto& [name, value] : values_) {
      if (std::find(used_.begin(), used_.end(), name) == used_.end()) all.push_back("unknown option --" + name);
    }
    return all;
  }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> used_;
  std::vector<std::string> errors_;
};

/// Latencies in microseconds; exact percentiles by sorting at the end.
class Latencies {
 public:
  void reserve(std::size_t n) { us_.reserve(n); }
  void add(std::int64_t us) { us_.push_back(us); }
  std::size_t size() const { return us_.size(); }

  /// " <prefix>p50_us=… <prefix>p90_us=… <prefix>p99_us=… <prefix>p999_us=… <prefix>max_us=…"
  std::string report(std::string_view prefix = {}) {
    std::sort(us_.begin(), us_.end());
    std::string out;
    const auto field = [&](std::string_view name, std::int64_t v) {
      out.append(" ").append(prefix).append(name).append("=").append(std::to_string(v));
    };
    field("p50_us", at(50));
    field("p90_us", at(90));
    field("p99_us", at(99));
    field("p999_us", at(99.9));
    field("max_us", us_.empty() ? 0 : us_.back());
    return out;
  }

 private:
  std::int64_t at(double p) const {
    if (us_.empty()) return 0;
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(us_.size() - 1) + 0.5);
    return us_[std::min(i, us_.size() - 1)];
  }

  std::vector<std::int64_t> us_;
};

/// The JSON string value after the first `"name":"`, or empty. Enough for the server's own
/// compact answers, whose first "id" is the object's.
inline std::string_view json_string_after(std::string_view text, std::string_view name, std::size_t from = 0) {
  const std::string needle = "\"" + std::string(name) + "\":\"";
  const auto at = text.find(needle, from);
  if (at == std::string_view::npos) return {};
  const auto begin = at + needle.size();
  const auto end = text.find('"', begin);
  if (end == std::string_view::npos) return {};
  return text.substr(begin, end - begin);
}

}  // namespace vitrina::bench
