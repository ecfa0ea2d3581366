#pragma once
// Copies the write-ahead log back into the database file on a thread of its own, so a commit
// never waits for it. SQLite's automatic checkpoint runs inside the commit that crosses the
// threshold, adding the copy and an fsync of the database file to that commit's latency; here
// the writer's commit only notes the log's length and wakes this thread, whose PASSIVE
// checkpoint runs beside later commits (the writer keeps appending to the log meanwhile).

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite.hpp"

namespace vitrina::store {

class Checkpointer {
 public:
  /// Opens a connection of its own to `path` and takes over the checkpoints of `writer` (whose
  /// own automatic checkpoint it turns off until this object is destroyed). `writer` must
  /// outlive this object and be idle while it is created and destroyed. A checkpoint starts
  /// once the log holds `pages` pages; should this thread fall far behind (eight times that),
  /// the writer checkpoints in its commit as SQLite would, so the log stays bounded.
  static Result<std::unique_ptr<Checkpointer>> start(sqlite::Connection& writer, const std::string& path,
                                                     std::size_t pages, std::chrono::milliseconds busy_timeout);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// Checkpoints run so far (for tests and diagnostics).
  std::size_t runs() const;

 private:
  Checkpointer(sqlite::Connection db, sqlite3* writer, std::size_t pages);
  static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
  void run();

  sqlite::Connection db_;
  sqlite3* writer_;
  const std::size_t pages_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::size_t runs_ = 0;
  std::thread thread_;
};

}  // namespace vitrina::store
