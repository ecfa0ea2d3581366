// Helper for crash_test.cpp: opens the store at argv[1] and inserts sites from argv[2] threads
// until killed, printing each acknowledged site id on its own line. A line is printed only
// after the write's commit returned, so every id the parent reads must survive a SIGKILL.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace {

// Writes in flight per thread: enough for large group commits, bounded so memory is too.
constexpr std::ptrdiff_t kWindow = 64;
// A child that is never killed still stops.
constexpr int kMaxPerThread = 200'000;

vitrina::store::Site make_site(const std::string& tag) {
  vitrina::store::Site site;
  site.id = "site_" + tag;
  site.name = "Crash " + tag;
  site.public_key = "pk_" + tag;
  site.secret_hash = "hash_" + tag;
  site.allowed_origins = {"https://crash.example"};
  site.created_at = 1;
  site.updated_at = 1;
  return site;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DB_PATH THREADS\n", argv[0]);
    return 2;
  }
  auto store = vitrina::store::open_sqlite({.path = argv[1]});
  if (!store) {
    std::fprintf(stderr, "open failed: %s\n", store.error().message.c_str());
    return 1;
  }
  const int thread_count = std::atoi(argv[2]);
  // The pid keeps ids unique across the rounds that reuse one database.
  const std::string run = std::to_string(getpid());

  std::vector<std::jthread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      std::counting_semaphore<kWindow> window(kWindow);
      for (int i = 0; i < kMaxPerThread; ++i) {
        window.acquire();
        auto site = make_site(run + "_" + std::to_string(t) + "_" + std::to_string(i));
        (*store)->insert_site(std::move(site), [&window](vitrina::store::Result<vitrina::store::Site> r) {
          if (r) {
            // One write(2) per line: the parent never sees a half line from a
            // whole ack.
            const std::string line = r->id + "\n";
            std::fwrite(line.data(), 1, line.size(), stdout);
            std::fflush(stdout);
          }
          window.release();
        });
      }
      // Wait for this thread's writes before `window` goes out of scope.
      for (std::ptrdiff_t k = 0; k < kWindow; ++k) window.acquire();
    });
  }
  threads.clear();
  return 0;
}
