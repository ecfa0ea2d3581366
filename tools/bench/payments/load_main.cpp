// vitrina-bench-load: the HTTP load generator of tools/bench/payments/run. Talks to 127.0.0.1
// only; every mode is bounded in time. Prints one "BENCH key=value …" line.
//
//   vitrina-bench-load creates --port P --secret sk_… [--connections 64] [--warmup 2]
//       [--seconds 10] [--total N] [--key-prefix K] [--ids-out FILE] [--drain 10]
//   vitrina-bench-load callbacks --port P --site site_… --sandbox-key FILE --ids FILE
//       --amount N --receiver-port P --whsec whsec_… [--rate 1000] [--warmup 1]
//       [--seconds 10] [--drain 15] [--max-connections 256]

#include <chrono>
#include <iostream>
#include <string_view>

#include "load_common.hpp"

namespace {

using vitrina::bench::Options;

int usage() {
  std::cerr << "usage: vitrina-bench-load creates|callbacks --name value … (see the top of load_main.cpp)\n";
  return 2;
}

bool report(const Options& o) {
  const auto errors = o.errors();
  for (const auto& e : errors) std::cerr << "vitrina-bench-load: " << e << "\n";
  return errors.empty();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string_view mode = argv[1];
  Options o;
  if (!o.parse(argc, argv, 2)) return usage();
  // The connections and the receiver's sessions share one process: stay well under 20,000
  // open files.
  constexpr int kMaxConnections = 4096;
  if (mode == "creates") {
    const auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
    vitrina::bench::CreatesArgs a{
        .host = o.str("host", "127.0.0.1"),
        .port = static_cast<int>(o.num("port", 0, 1, 65535)),
        .secret = o.str("secret"),
        .connections = static_cast<int>(o.num("connections", 64, 1, kMaxConnections)),
        .warmup_s = static_cast<int>(o.num("warmup", 2, 0, 600)),
        .seconds = static_cast<int>(o.num("seconds", 10, 1, 600)),
        .total = o.num("total", 0, 0, 10'000'000),
        .key_prefix = o.str("key-prefix", "bench" + std::to_string(stamp)),
        .ids_out = o.str("ids-out", ""),
        .drain_s = static_cast<int>(o.num("drain", 10, 1, 600)),
    };
    if (!report(o)) return 2;
    return vitrina::bench::run_creates(a);
  }
  if (mode == "callbacks") {
    vitrina::bench::CallbacksArgs a{
        .host = o.str("host", "127.0.0.1"),
        .port = static_cast<int>(o.num("port", 0, 1, 65535)),
        .site = o.str("site"),
        .sandbox_key = o.str("sandbox-key"),
        .ids = o.str("ids"),
        .amount = o.num("amount", 0, 1, 1'000'000'000'000'000),
        .rate = static_cast<int>(o.num("rate", 1000, 1, 100'000)),
        .warmup_s = static_cast<int>(o.num("warmup", 1, 0, 600)),
        .seconds = static_cast<int>(o.num("seconds", 10, 1, 600)),
        .drain_s = static_cast<int>(o.num("drain", 15, 1, 600)),
        .receiver_port = static_cast<int>(o.num("receiver-port", 0, 1, 65535)),
        .whsec = o.str("whsec"),
        .max_connections = static_cast<int>(o.num("max-connections", 256, 1, kMaxConnections)),
    };
    if (!report(o)) return 2;
    return vitrina::bench::run_callbacks(a);
  }
  return usage();
}
