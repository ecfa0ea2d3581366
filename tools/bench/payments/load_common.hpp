#pragma once
// Shared by vitrina-bench-load's modes: their arguments and entry points.

#include <cstdint>
#include <string>

#include "bench_common.hpp"

namespace vitrina::bench {

struct CreatesArgs {
  std::string host;
  int port = 0;
  std::string secret;  // sk_…
  int connections = 64;
  int warmup_s = 2;
  int seconds = 10;
  std::int64_t total = 0;  // > 0: stop after this many requests instead of after the time
  std::string key_prefix;
  std::string ids_out;  // where to write the created payments' ids, one a line
  int drain_s = 10;
};

struct CallbacksArgs {
  std::string host;
  int port = 0;
  std::string site;
  std::string sandbox_key;  // path of the 64-byte Ed25519 secret key
  std::string ids;          // file of payment ids, one a line
  std::int64_t amount = 0;  // the payments' amount, reported as succeeded
  int rate = 1000;
  int warmup_s = 1;
  int seconds = 10;
  int drain_s = 15;
  int receiver_port = 0;
  std::string whsec;  // the endpoint's secret, to verify what arrives
  int max_connections = 256;
};

int run_creates(const CreatesArgs& args);
int run_callbacks(const CallbacksArgs& args);

}  // namespace vitrina::bench
