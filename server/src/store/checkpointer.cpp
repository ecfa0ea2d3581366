#include "store/checkpointer.hpp"

#include <sqlite3.h>

#include <utility>

namespace vitrina::store {

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(sqlite::Connection& writer, const std::string& path,
                                                          std::size_t pages, std::chrono::milliseconds busy_timeout) {
  auto db = sqlite::Connection::open(path, sqlite::OpenMode::kReadWrite, busy_timeout);
  if (!db) return std::move(db).error();
  std::unique_ptr<Checkpointer> self(new Checkpointer(std::move(*db), writer.handle(), pages));
  // Replaces SQLite's automatic checkpoint, which is itself a WAL hook.
  sqlite3_wal_hook(writer.handle(), &Checkpointer::on_commit, self.get());
  return self;
}

Checkpointer::Checkpointer(sqlite::Connection db, sqlite3* writer, std::size_t pages)
    : db_(std::move(db)), writer_(writer), pages_(pages < 1 ? 1 : pages), thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  // The writer checkpoints by itself again (SQLite's default threshold).
  sqlite3_wal_autocheckpoint(writer_, 1000);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::size_t Checkpointer::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

// On the writer's thread, after each commit, with the number of pages in the log.
int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  const auto n = static_cast<std::size_t>(pages < 0 ? 0 : pages);
  if (n < c->pages_) return SQLITE_OK;
  if (n >= 8 * c->pages_) {
    // Far behind (a long checkpoint, or readers pinning the log): do what SQLite would.
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  {
    std::lock_guard lock(c->mutex_);
    c->wanted_ = true;
  }
  c->wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return wanted_ || stopping_; });
      if (stopping_) return;
      wanted_ = false;
    }
    // PASSIVE copies what no reader still needs and never blocks the writer. A failure (another
    // process checkpointing, a busy file) is left for the next commit's request.
    (void)sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    std::lock_guard lock(mutex_);
    ++runs_;
  }
}

}  // namespace vitrina::store
