#pragma once
// The shop's settings, from flags or the environment (a flag wins). The two secrets are read
// from the environment only: a command line can be read by every user of the machine.

#include <string>

#include "vitrina/protocol/result.hpp"

namespace shop {

struct Config {
  /// Where the shop listens: HOST:PORT; port 0 lets the kernel pick one.
  std::string listen_host = "127.0.0.1";
  int listen_port = 8081;
  /// The Vitrina server's base URL, for the payments API.
  std::string vitrina_url = "http://127.0.0.1:8080";
  /// The site's secret key (`sk_…`), sent with every API call.
  std::string secret_key;
  /// The webhook endpoint's signing secret (`whsec_…`), to verify what Vitrina sends.
  std::string webhook_secret;
  /// The shop's address as a payer's browser sees it, for the return URL after paying.
  /// Empty: `http://` and the address the shop listens on.
  std::string public_url;
  /// Where orders are kept (`orders.json`); empty: in memory only.
  std::string data_dir;
  /// The storefront's static files.
  std::string public_dir;
  bool help = false;
};

/// The usage text for --help and for mistakes.
const char* usage();

/// Reads flags over environment variables over defaults, and checks the result: both secrets
/// present and well formed, URLs absolute http(s). Errors name the flag or variable at fault.
vitrina::protocol::Result<Config> parse_config(int argc, char** argv);

}  // namespace shop
