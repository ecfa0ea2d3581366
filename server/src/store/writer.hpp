#pragma once
// The single writer thread. SQLite allows one writer at a time, and every commit in
// synchronous=FULL mode costs an fsync, so writes queue here and the thread commits them in
// groups: up to max_batch writes share one transaction and one fsync, each inside its own
// SAVEPOINT so a failing write (a taken email) rolls back alone.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite.hpp"

namespace vitrina::store {

/// One queued write.
class WriteOp {
 public:
  virtual ~WriteOp() = default;
  /// Runs on the writer thread inside the batch transaction and the op's own savepoint.
  virtual Result<void> apply(sqlite::Connection& db) = 0;
  /// Called once on the writer thread after COMMIT returned (or with the error that stopped
  /// the write or the batch), or on the submitting thread when the writer is closed.
  virtual void complete(Result<void> outcome) = 0;
};

class Writer {
 public:
  /// Takes the (already migrated) read-write connection and starts the thread.
  Writer(sqlite::Connection db, std::size_t max_batch);
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  ~Writer();

  /// Queues `op`. After close() the op completes at once with "unavailable".
  void submit(std::unique_ptr<WriteOp> op);
  /// Blocks until every op submitted before the call has completed. Must not be called from a
  /// completion callback (it would wait for itself).
  void flush();
  /// Stops accepting writes, commits everything already queued, and joins the thread.
  /// Idempotent.
  void close();

 private:
  using Batch = std::deque<std::unique_ptr<WriteOp>>;
  void run();
  void commit_batch(Batch& batch);
  bool on_writer_thread() const noexcept { return current_ == this; }

  static thread_local const Writer* current_;

  sqlite::Connection db_;
  const std::size_t max_batch_;

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable progressed_;
  Batch queue_;
  std::uint64_t submitted_ = 0;  // ops ever queued
  std::uint64_t completed_ = 0;  // ops whose callbacks have returned; ops finish in queue order
  bool closing_ = false;

  std::mutex close_mutex_;  // serialises close() so only one caller joins the thread
  // Last member: the thread starts only once everything it touches exists.
  std::thread thread_;
};

}  // namespace vitrina::store
