#include "store/read_pool.hpp"

#include <algorithm>

namespace vitrina::store {

Result<std::unique_ptr<ReadPool>> ReadPool::open(const std::string& path, std::size_t size,
                                                 std::chrono::milliseconds busy_timeout) {
  std::unique_ptr<ReadPool> pool(new ReadPool());
  for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) {
    auto db = sqlite::Connection::open(path, sqlite::OpenMode::kReadOnly, busy_timeout);
    if (!db) return std::move(db).error();
    pool->all_.push_back(std::make_unique<ReadConnection>(std::move(*db)));
    pool->idle_.push_back(pool->all_.back().get());
  }
  return pool;
}

ReadPool::Lease ReadPool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty(); });
  ReadConnection* conn = idle_.back();
  idle_.pop_back();
  return Lease(*this, *conn);
}

void ReadPool::release(ReadConnection& conn) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(&conn);
  }
  available_.notify_one();
}

}  // namespace vitrina::store
