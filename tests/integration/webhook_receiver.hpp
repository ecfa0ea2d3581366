#pragma once
// Shared by the integration tests that receive webhooks: a receiver on 127.0.0.1 and two small
// helpers.

#include <httplib.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "vitrina/webhook/webhook.hpp"

namespace vitrina::testing {

/// The first capture group of `pattern` in `text`, or "".
inline std::string capture(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return {};
  return m[1].str();
}

/// Polls `pred` every 20 ms until it holds (true) or `timeout` passes (false).
inline bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

/// Decides the answer to one delivery: a 2xx accepts (and records) it, anything else refuses it.
using Judge = std::function<int(const webhook::Headers& headers, const std::string& body)>;

/// Receives webhooks at POST /hook on 127.0.0.1. It answers 204 and records the message, or,
/// while told not to accept, answers 503 and records nothing. A judge, when set, decides instead
/// of the 204.
class Receiver {
 public:
  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      ++requests_;
      if (!accepting_) {
        res.status = 503;
        return;
      }
      auto headers = webhook::headers_from(req.headers);
      res.status = judge_ ? judge_(headers, req.body) : 204;
      if (res.status < 200 || res.status > 299) return;
      received_.push_back({std::move(headers), req.body});
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  void accept(bool on) {
    std::lock_guard lock(mu_);
    accepting_ = on;
  }
  /// Called under the receiver's lock, one request at a time.
  void judge(Judge j) {
    std::lock_guard lock(mu_);
    judge_ = std::move(j);
  }
  /// Every request, accepted or not.
  int requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  /// The accepted messages, in arrival order.
  std::vector<std::pair<webhook::Headers, std::string>> received() {
    std::lock_guard lock(mu_);
    return received_;
  }
  /// The `type` of each accepted message, in arrival order.
  std::vector<std::string> types() {
    static const std::regex kType(R"re("type":"([a-z_.]+)")re");
    std::vector<std::string> out;
    for (const auto& [headers, body] : received()) {
      std::smatch m;
      out.push_back(std::regex_search(body, m, kType) ? m[1].str() : std::string{});
    }
    return out;
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  bool accepting_ = true;
  Judge judge_;
  int requests_ = 0;
  std::vector<std::pair<webhook::Headers, std::string>> received_;
};

}  // namespace vitrina::testing
