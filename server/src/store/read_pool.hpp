#pragma once
// Read-only connections shared by every thread that reads. WAL mode lets them read while the
// writer commits, each seeing the last committed state; a reader never touches the writer's
// connection, so a long group commit does not block lookups.

#include <simdjson.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite.hpp"

namespace vitrina::store {

/// A read connection with its own statement cache and JSON parser, reused across reads.
struct ReadConnection {
  explicit ReadConnection(sqlite::Connection connection) : db(std::move(connection)) {}
  sqlite::Connection db;
  simdjson::dom::parser parser;
};

class ReadPool {
 public:
  /// Opens `size` (at least one) read-only connections. The file must already exist in WAL
  /// mode, i.e. the writer connection is opened first.
  static Result<std::unique_ptr<ReadPool>> open(const std::string& path, std::size_t size,
                                                std::chrono::milliseconds busy_timeout);

  /// Exclusive use of one connection until destroyed.
  class Lease {
   public:
    Lease(ReadPool& pool, ReadConnection& conn) noexcept : pool_(&pool), conn_(&conn) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->release(*conn_); }
    ReadConnection* operator->() const noexcept { return conn_; }

   private:
    ReadPool* pool_;
    ReadConnection* conn_;
  };

  /// Waits for a free connection. Reads are short, so there is no timeout.
  Lease acquire();

 private:
  ReadPool() = default;
  void release(ReadConnection& conn);

  std::vector<std::unique_ptr<ReadConnection>> all_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<ReadConnection*> idle_;
};

}  // namespace vitrina::store
