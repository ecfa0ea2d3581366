#pragma once
// A temporary store for the admin tests.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/store.hpp"

namespace vitrina::admin::testing {

inline constexpr std::int64_t kNow = 1'700'000'000'000;

/// A fresh directory holding one database file; removed at scope exit.
class TempStore {
 public:
  TempStore() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vitrina-admin-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;
  ~TempStore() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string path() const { return (dir_ / "vitrina.db").string(); }

  protocol::Result<std::unique_ptr<store::Store>> open() const { return store::open_sqlite({.path = path()}); }
  std::unique_ptr<store::Store> open_or_die() const {
    auto store = open();
    if (!store) throw std::runtime_error(store.error().message);
    return std::move(*store);
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace vitrina::admin::testing
