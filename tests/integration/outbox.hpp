#pragma once
// Test support: a site's webhook outbox as the server records it (GET /v1/webhook_messages). The
// server writes a message in the same transaction as the change it reports, so once the causes
// have finished, the outbox is the whole truth: a test waits until none of its deliveries is
// pending, then compares what the shop received with it, instead of sleeping to catch an extra one.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace vitrina::testing {

struct OutboxMessage {
  std::string id;
  std::string type;
  std::size_t pending = 0;  // deliveries not yet delivered or given up
};

/// The site's messages, oldest first (at most 100); nullopt when the server did not answer 200.
inline std::optional<std::vector<OutboxMessage>> outbox(int port, const std::string& secret_key) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(std::chrono::seconds(10));
  auto r = c.Get("/v1/webhook_messages?limit=100", {{"Authorization", "Bearer " + secret_key}});
  if (!r || r->status != 200) return std::nullopt;
  static const std::string kStart = R"({"id":"msg_)";
  static const std::regex kType(R"re("type":"([^"]+)")re");
  std::vector<OutboxMessage> out;
  for (auto at = r->body.find(kStart); at != std::string::npos;) {
    const auto next = r->body.find(kStart, at + 1);
    const std::string item = r->body.substr(at, next == std::string::npos ? std::string::npos : next - at);
    OutboxMessage m;
    m.id = item.substr(7, item.find('"', 7) - 7);
    std::smatch type;
    if (std::regex_search(item, type, kType)) m.type = type[1].str();
    for (auto p = item.find(R"("status":"pending")"); p != std::string::npos;
         p = item.find(R"("status":"pending")", p + 1)) {
      ++m.pending;
    }
    out.push_back(std::move(m));
    at = next;
  }
  // The API lists newest first.
  return std::vector<OutboxMessage>(out.rbegin(), out.rend());
}

/// Waits until no delivery of the site's messages is pending and returns the messages, oldest
/// first. At the deadline the test fails with what the outbox still holds.
inline std::vector<OutboxMessage> settled_outbox(int port, const std::string& secret_key,
                                                 std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<std::vector<OutboxMessage>> last;
  for (;;) {
    last = outbox(port, secret_key);
    bool settled = last.has_value();
    if (last) {
      for (const auto& m : *last) settled = settled && m.pending == 0;
    }
    if (settled) return *last;
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string held;
  if (last) {
    for (const auto& m : *last) held += " " + m.id + " " + m.type + " pending=" + std::to_string(m.pending);
  } else {
    held = " (no answer from GET /v1/webhook_messages)";
  }
  ADD_FAILURE() << "webhook deliveries still pending after " << timeout.count() << " ms:" << held;
  return last.value_or(std::vector<OutboxMessage>{});
}

/// The messages' types, in order.
inline std::vector<std::string> types_of(const std::vector<OutboxMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.type);
  return out;
}

}  // namespace vitrina::testing
