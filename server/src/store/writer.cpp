#include "store/writer.hpp"

#include <algorithm>
#include <exception>
#include <vector>

namespace vitrina::store {

namespace {

Error unavailable(std::string message) {
  return protocol::make_error(protocol::ErrorCode::unavailable, std::move(message));
}

// Runs a transaction-control statement through the connection's statement cache: these run
// two or three times per write, so they are prepared once rather than parsed each time.
Result<void> run_cached(sqlite::Connection& db, const char* sql) {
  auto stmt = db.cached(sql);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  return scoped->run();
}

// A callback that throws must not take the writer thread (and every later write) down with it.
void complete_quietly(WriteOp& op, Result<void> outcome) noexcept {
  try {
    op.complete(std::move(outcome));
  } catch (...) {
  }
}

}  // namespace

// Which Writer, if any, owns the calling thread: a thread-local rather than comparing against
// thread_.get_id(), which would race with join() on another thread.
thread_local const Writer* Writer::current_ = nullptr;

Writer::Writer(sqlite::Connection db, std::size_t max_batch)
    : db_(std::move(db)), max_batch_(std::max<std::size_t>(max_batch, 1)), thread_([this] { run(); }) {}

Writer::~Writer() { close(); }

void Writer::submit(std::unique_ptr<WriteOp> op) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      queue_.push_back(std::move(op));
      ++submitted_;
      work_ready_.notify_one();
      return;
    }
  }
  complete_quietly(*op, unavailable("the store is closed"));
}

void Writer::flush() {
  // On the writer thread (inside a callback) the earlier ops cannot finish while we wait.
  if (on_writer_thread()) return;
  std::unique_lock lock(mutex_);
  const auto target = submitted_;
  progressed_.wait(lock, [&] { return completed_ >= target; });
}

void Writer::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  work_ready_.notify_one();
  // From a completion callback the thread cannot join itself; it exits once the queue drains.
  if (on_writer_thread()) return;
  std::lock_guard close_lock(close_mutex_);
  if (thread_.joinable()) thread_.join();
}

void Writer::run() {
  current_ = this;
  Batch batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return !queue_.empty() || closing_; });
      // Closing still drains: every queued write was accepted and must be committed.
      if (queue_.empty()) return;
      const auto take = std::min(queue_.size(), max_batch_);
      std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take), std::back_inserter(batch));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
    }
    const auto count = batch.size();
    commit_batch(batch);
    batch.clear();
    {
      std::lock_guard lock(mutex_);
      completed_ += count;
    }
    progressed_.notify_all();
  }
}

void Writer::commit_batch(Batch& batch) {
  std::vector<Result<void>> outcomes(batch.size());
  auto fail_all = [&](const Error& error) {
    for (auto& op : batch) complete_quietly(*op, error);
  };

  // IMMEDIATE: take the write lock now, so a second process holding it shows up here (after
  // busy_timeout) rather than as a failure halfway through the batch.
  if (auto r = run_cached(db_, "BEGIN IMMEDIATE"); !r) {
    fail_all(unavailable("cannot start a transaction: " + r.error().message));
    return;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (auto r = run_cached(db_, "SAVEPOINT w"); !r) {
      outcomes[i] = std::move(r).error();
      continue;
    }
    try {
      outcomes[i] = batch[i]->apply(db_);
    } catch (const std::exception& e) {
      outcomes[i] = protocol::make_error(protocol::ErrorCode::internal, e.what());
    }
    if (db_.in_autocommit()) {
      // SQLite rolled the whole transaction back by itself (disk full, I/O error): nothing in
      // this batch was written.
      const std::string cause = outcomes[i] ? "unknown error" : outcomes[i].error().message;
      fail_all(unavailable("the transaction was rolled back: " + cause));
      return;
    }
    if (!outcomes[i]) (void)db_.exec("ROLLBACK TO w");
    if (auto r = run_cached(db_, "RELEASE w"); !r) {
      (void)db_.exec("ROLLBACK");
      fail_all(unavailable("cannot release a savepoint: " + r.error().message));
      return;
    }
  }
  if (auto r = run_cached(db_, "COMMIT"); !r) {
    if (!db_.in_autocommit()) (void)db_.exec("ROLLBACK");
    fail_all(unavailable("commit failed: " + r.error().message));
    return;
  }
  // Only now is each write on stable storage; acknowledge in submission order.
  for (std::size_t i = 0; i < batch.size(); ++i) {
    complete_quietly(*batch[i], std::move(outcomes[i]));
  }
}

}  // namespace vitrina::store
