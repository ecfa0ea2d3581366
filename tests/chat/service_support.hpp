#pragma once
// Test doubles for the chat service: a Peer that collects what it is sent, and executors that
// run posted work only when the test says so, so a test decides how work interleaves.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "chat/peer.hpp"
#include "vitrina/protocol/chat_codec.hpp"

namespace vitrina::chat::testing {

/// A serial executor that runs what was posted to it when run() is called. Posting is
/// thread-safe: the store completes its writes on its own thread.
class ManualExecutor {
 public:
  void post(std::function<void()> work) {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(work));
    posted_.notify_all();
  }

  /// Runs what is queued, and what that posts, until nothing is left; returns how many ran.
  std::size_t run() {
    std::size_t n = 0;
    for (;;) {
      std::function<void()> work;
      {
        std::lock_guard lock(mu_);
        if (queue_.empty()) return n;
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      work();
      ++n;
    }
  }

  /// Waits until at least `n` pieces of work are queued (the store's completions arrive on its
  /// writer thread); false after a generous timeout.
  bool wait_queued(std::size_t n) {
    std::unique_lock lock(mu_);
    return posted_.wait_for(lock, std::chrono::seconds(10), [&] { return queue_.size() >= n; });
  }

  std::size_t queued() {
    std::lock_guard lock(mu_);
    return queue_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable posted_;
  std::deque<std::function<void()>> queue_;
};

/// A connection: frames are kept (decoded), closes recorded, and Peer::post goes to its own
/// manual executor (the connection's executor).
class FakePeer final : public Peer {
 public:
  void send(std::shared_ptr<const std::string> frame) override {
    std::lock_guard lock(mu_);
    frames_.push_back(*frame);
  }
  void close(int code, std::string_view) override {
    std::lock_guard lock(mu_);
    if (!closed_) closed_ = code;
  }
  void post(std::function<void()> work) override { executor.post(std::move(work)); }

  std::vector<std::string> frames() {
    std::lock_guard lock(mu_);
    return frames_;
  }
  std::optional<int> closed() {
    std::lock_guard lock(mu_);
    return closed_;
  }
  /// The frames of type T received so far, decoded.
  template <class T>
  std::vector<T> of_type() {
    std::vector<T> out;
    for (const auto& text : frames()) {
      auto parsed = protocol::chat::parse_server_frame(text);
      if (!parsed) continue;
      if (auto* f = std::get_if<T>(&*parsed)) out.push_back(*f);
    }
    return out;
  }
  void clear() {
    std::lock_guard lock(mu_);
    frames_.clear();
  }

  ManualExecutor executor;

 private:
  std::mutex mu_;
  std::vector<std::string> frames_;
  std::optional<int> closed_;
};

}  // namespace vitrina::chat::testing
