// vitrina-bench-fsync: how many small durable appends per second this filesystem takes, one
// at a time: write N bytes at the end of a file, then fdatasync (or fsync). This is the ceiling
// for one-write-per-commit durability, and the baseline group commit is measured against.
//
//   vitrina-bench-fsync --dir DIR [--seconds 2] [--bytes 4120] [--sync fdatasync|fsync]
//                       [--mode append|overwrite]
//
// append: the file grows with every write (a fresh WAL); overwrite: the same region of a
// preallocated file is rewritten in turn (a WAL reused after a checkpoint, SQLite's steady
// state). The default size is one WAL frame (a 4 KiB page plus its 24-byte header).
// Prints one line: "BENCH syncs=… seconds=… per_s=… p50_us=… p99_us=… max_us=…".

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string dir;
  double seconds = 2;
  std::size_t bytes = 4096 + 24;
  bool fdatasync = true;
  bool append = true;
};

// Stops on the first unknown or malformed argument.
bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--dir") {
      o.dir = value;
    } else if (name == "--seconds") {
      o.seconds = std::atof(value.c_str());
    } else if (name == "--bytes") {
      o.bytes = static_cast<std::size_t>(std::atol(value.c_str()));
    } else if (name == "--sync" && (value == "fdatasync" || value == "fsync")) {
      o.fdatasync = value == "fdatasync";
    } else if (name == "--mode" && (value == "append" || value == "overwrite")) {
      o.append = value == "append";
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !o.dir.empty() && o.seconds > 0 && o.seconds <= 60 && o.bytes > 0 && o.bytes <= (1 << 20);
}

std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: vitrina-bench-fsync --dir DIR [--seconds S (<= 60)] [--bytes N] [--sync fdatasync|fsync] "
                 "[--mode append|overwrite]\n");
    return 2;
  }
  const std::string path = o.dir + "/fsync-probe." + std::to_string(::getpid());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::fprintf(stderr, "vitrina-bench-fsync: cannot create %s: %s\n", path.c_str(), std::strerror(errno));
    return 1;
  }
  ::unlink(path.c_str());  // the descriptor keeps it alive; nothing is left behind

  const std::vector<char> block(o.bytes, 'x');
  // Enough slots to rewrite in turn, so overwriting never touches the same bytes twice in a row.
  constexpr std::size_t kOverwriteSlots = 256;
  if (!o.append) {
    // Allocated and made durable first: the timed loop then changes no file size or extents.
    const std::vector<char> zeros(o.bytes * kOverwriteSlots, 0);
    if (::pwrite(fd, zeros.data(), zeros.size(), 0) != static_cast<ssize_t>(zeros.size()) || ::fsync(fd) != 0) {
      std::fprintf(stderr, "vitrina-bench-fsync: cannot preallocate: %s\n", std::strerror(errno));
      return 1;
    }
  }

  std::vector<std::int64_t> latencies;
  latencies.reserve(1 << 16);
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  // Also bounded in count, whatever the clock does.
  constexpr std::size_t kMaxSyncs = 10'000'000;
  std::size_t n = 0;
  auto now = start;
  while (now < end && n < kMaxSyncs) {
    const off_t at = o.append ? static_cast<off_t>(n * o.bytes) : static_cast<off_t>((n % kOverwriteSlots) * o.bytes);
    const auto t0 = Clock::now();
    if (::pwrite(fd, block.data(), block.size(), at) != static_cast<ssize_t>(block.size())) {
      std::fprintf(stderr, "vitrina-bench-fsync: write failed: %s\n", std::strerror(errno));
      return 1;
    }
    if ((o.fdatasync ? ::fdatasync(fd) : ::fsync(fd)) != 0) {
      std::fprintf(stderr, "vitrina-bench-fsync: sync failed: %s\n", std::strerror(errno));
      return 1;
    }
    now = Clock::now();
    latencies.push_back(std::chrono::duration_cast<std::chrono::microseconds>(now - t0).count());
    ++n;
  }
  ::close(fd);
  const double secs = std::chrono::duration<double>(now - start).count();
  std::sort(latencies.begin(), latencies.end());
  std::printf("BENCH syncs=%zu seconds=%.3f per_s=%.0f p50_us=%lld p99_us=%lld max_us=%lld sync=%s mode=%s bytes=%zu\n",
              n, secs, secs > 0 ? static_cast<double>(n) / secs : 0.0,
              static_cast<long long>(percentile(latencies, 50)), static_cast<long long>(percentile(latencies, 99)),
              static_cast<long long>(latencies.empty() ? 0 : latencies.back()), o.fdatasync ? "fdatasync" : "fsync",
              o.append ? "append" : "overwrite", o.bytes);
  return 0;
}
