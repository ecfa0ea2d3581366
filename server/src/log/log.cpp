#include "log/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>
#include <vector>

namespace vitrina::log {

namespace {

// Lines beyond this many pending bytes are dropped (and counted) rather than letting a stuck
// stderr grow memory without bound.
constexpr std::size_t kMaxPendingBytes = 16u << 20;
// The writer is not woken per line: waking it costs the emitting thread two context switches.
// It writes what has gathered every kWriteInterval, or sooner once kWakeBytes are pending.
constexpr auto kWriteInterval = std::chrono::milliseconds(20);
constexpr std::size_t kWakeBytes = 64u << 10;

std::atomic<int> g_level{static_cast<int>(Level::info)};

class Writer {
 public:
  Writer() : thread_([this] { run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  void push(std::string line) {
    std::unique_lock lock(mu_);
    if (pending_bytes_ + line.size() > kMaxPendingBytes) {
      ++dropped_;
      return;
    }
    // Wake the writer only from its idle sleep or when a batch is large; under load it is
    // already on its way.
    const bool wake = sleeping_ || (pending_bytes_ < kWakeBytes && pending_bytes_ + line.size() >= kWakeBytes);
    sleeping_ = false;
    pending_bytes_ += line.size();
    pending_.push_back(std::move(line));
    lock.unlock();
    if (wake) cv_.notify_one();
  }

  void flush() {
    std::unique_lock lock(mu_);
    const std::uint64_t target = pushed_generation();
    flush_requested_ = true;
    cv_.notify_one();
    flushed_cv_.wait(lock, [&] { return written_ >= target || stop_; });
  }

  void set_fd(int fd) { fd_.store(fd); }

 private:
  std::uint64_t pushed_generation() const { return written_ + pending_.size() + in_flight_; }

  void run() {
    std::vector<std::string> batch;
    std::string buffer;
    std::unique_lock lock(mu_);
    for (;;) {
      if (pending_.empty() && !stop_) {
        sleeping_ = true;
        cv_.wait(lock, [&] { return stop_ || !pending_.empty(); });
        sleeping_ = false;
      }
      if (pending_.empty() && stop_) break;
      // Let lines gather for a moment unless someone is waiting for them.
      cv_.wait_for(lock, kWriteInterval, [&] { return stop_ || flush_requested_ || pending_bytes_ >= kWakeBytes; });
      flush_requested_ = false;
      batch.swap(pending_);
      pending_bytes_ = 0;
      in_flight_ = batch.size();
      const std::uint64_t dropped = dropped_;
      dropped_ = 0;
      lock.unlock();

      buffer.clear();
      if (dropped > 0) {
        buffer += "{\"level\":\"warn\",\"msg\":\"log lines dropped\",\"count\":" + std::to_string(dropped) + "}\n";
      }
      for (auto& line : batch) buffer += line;
      write_all(buffer);
      batch.clear();

      lock.lock();
      written_ += in_flight_;
      in_flight_ = 0;
      flushed_cv_.notify_all();
    }
  }

  void write_all(std::string_view data) {
    const int fd = fd_.load();
    while (!data.empty()) {
      const ssize_t n = ::write(fd, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return;  // nowhere left to report it
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable flushed_cv_;
  std::vector<std::string> pending_;
  std::size_t pending_bytes_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t written_ = 0;
  std::size_t in_flight_ = 0;
  bool stop_ = false;
  bool flush_requested_ = false;
  bool sleeping_ = false;  // the writer waits for a first line, with no timeout
  std::atomic<int> fd_{2};
  std::thread thread_;
};

Writer& writer() {
  static Writer w;
  return w;
}

const char* level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

// RFC 3339 UTC with milliseconds; the seconds part is cached per thread.
std::string_view format_timestamp(char (&buf)[48]) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  thread_local std::time_t cached_secs = -1;
  thread_local char cached[32];
  if (secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_secs = secs;
  }
  const int n = std::snprintf(buf, sizeof buf, "%s.%03dZ", cached, static_cast<int>(ms % 1000));
  return {buf, static_cast<std::size_t>(n)};
}

}  // namespace

bool parse_level(std::string_view text, Level& out) noexcept {
  if (text == "debug")
    out = Level::debug;
  else if (text == "info")
    out = Level::info;
  else if (text == "warn")
    out = Level::warn;
  else if (text == "error")
    out = Level::error;
  else
    return false;
  return true;
}

void set_level(Level level) noexcept { g_level.store(static_cast<int>(level)); }
bool enabled(Level level) noexcept { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }
void set_fd(int fd) noexcept { writer().set_fd(fd); }
void flush() { writer().flush(); }

Line::Line(Level level, std::string_view msg) : on_(enabled(level)) {
  if (!on_) return;
  w_.reserve(256);  // a request line fits; grows only for long messages
  char ts[48];
  w_.begin_object().key("ts").value(format_timestamp(ts)).key("level").value(level_name(level)).key("msg").value(msg);
}

Line& Line::str(std::string_view key, std::string_view value) {
  if (on_) w_.key(key).value(value);
  return *this;
}

Line& Line::num(std::string_view key, std::int64_t value) {
  if (on_) w_.key(key).value(value);
  return *this;
}

Line& Line::real(std::string_view key, double value) {
  if (on_) w_.key(key).value(value);
  return *this;
}

Line& Line::flag(std::string_view key, bool value) {
  if (on_) w_.key(key).value(value);
  return *this;
}

void Line::emit() {
  if (!on_) return;
  on_ = false;
  w_.end_object();
  std::string line = std::move(w_).str();
  line.push_back('\n');
  writer().push(std::move(line));
}

}  // namespace vitrina::log
