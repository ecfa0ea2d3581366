#pragma once
// Everything else the widget needs from the browser: its WebSocket, timers, the clock,
// randomness, storage, events for the page's handlers, and a sound. The browser implementation
// is BridgeHost (host_bridge.cpp + js/bridge.js); tests use a fake that records the calls.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vitrina::widget {

// The widget's timers; starting one that runs restarts it.
enum class TimerId : std::uint32_t {
  kReconnect = 1,
  kPing = 2,
  kPongDeadline = 3,
  kOwnTypingRenew = 4,
  kOwnTypingStop = 5,
  kOperatorTyping = 6,
  kGreeting = 7,
  kCountdown = 8,
  kPow = 9,
};

// Names an HTTP request, so its answer reaches the part of the widget that asked.
enum class RequestId : std::uint32_t {
  kCallbackOptions = 1,
  kCallbackSend = 2,
  kRatingSend = 3,
  kPageRatingOptions = 4,
  kPageRatingSend = 5,
};

class Host {
 public:
  virtual ~Host() = default;

  // One socket at a time: opening a new one drops the old one without a close notification.
  // The outcome arrives as Widget::on_socket_opened / on_socket_message / on_socket_closed.
  virtual void socket_open(std::string_view url) = 0;
  virtual void socket_send(std::string_view text) = 0;
  // Closes normally (1000); no on_socket_closed follows.
  virtual void socket_close() = 0;

  virtual void timer_start(TimerId id, std::int64_t ms) = 0;
  virtual void timer_stop(TimerId id) = 0;

  virtual std::int64_t now_ms() = 0;
  virtual void random_bytes(std::uint8_t* out, std::size_t size) = 0;

  // localStorage; nothing when the key is absent or storage is blocked. set with "" removes.
  virtual std::optional<std::string> storage_get(std::string_view key) = 0;
  virtual void storage_set(std::string_view key, std::string_view value) = 0;

  // An HTTP request to the widget endpoints (no cookies sent); the answer arrives as
  // Widget::on_http(id, status, body), with status 0 when there was no answer. `body` is JSON,
  // or empty for a GET.
  virtual void http(RequestId id, std::string_view method, std::string_view url, std::string_view body) = 0;
  // A time as people in `time_zone` (IANA) read it, in the page's language: "Mon, 23 Nov, 10:00".
  virtual std::string format_time(std::int64_t unix_ms, std::string_view time_zone) = 0;

  // Calls the page's Vitrina('on', name, fn) handlers with the parsed `json`.
  virtual void emit(std::string_view name, std::string_view json) = 0;
  virtual void play_sound() = 0;
};

}  // namespace vitrina::widget
