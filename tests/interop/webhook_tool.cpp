// Our side of the Standard Webhooks interop test (standard_webhooks.test.mjs), as a command:
//
//   webhook_tool sign SECRETS ID TS BODYFILE        prints the webhook-signature header value
//   webhook_tool verify SECRETS ID TS SIG BODYFILE  exits 0 if valid at the current time, 1 if not
//   webhook_tool secret [BYTES]                     prints a new whsec_ secret
//
// SECRETS is one key or several separated by commas (whsec_/whsk_ to sign, whsec_/whpk_ to
// verify). Usage errors exit 2. The verify error code goes to stderr.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "vitrina/webhook/webhook.hpp"

namespace {

namespace wh = vitrina::webhook;

int usage() {
  std::cerr << "usage: webhook_tool sign SECRETS ID TS BODYFILE\n"
               "       webhook_tool verify SECRETS ID TS SIG BODYFILE\n"
               "       webhook_tool secret [BYTES]\n";
  return 2;
}

int fail(std::string_view message, int code) {
  std::cerr << message << "\n";
  return code;
}

bool read_body(const char* path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> parts;
  for (std::size_t at = 0;;) {
    const std::size_t comma = s.find(',', at);
    parts.push_back(s.substr(at, comma - at));
    if (comma == std::string_view::npos) return parts;
    at = comma + 1;
  }
}

// Non-negative decimal; small enough that no overflow is possible.
bool parse_ts(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  out = 0;
  for (const char c : s) {
    if (c < '0' || c > '9' || out > 1'000'000'000'000) return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

int do_sign(char** argv) {
  std::vector<wh::SigningKey> keys;
  for (const auto secret : split_commas(argv[2])) {
    auto key = wh::signing_key_parse(secret);
    if (!key) return fail(key.error().message, 2);
    keys.push_back(std::move(*key));
  }
  std::int64_t ts = 0;
  std::string body;
  if (!parse_ts(argv[4], ts)) return usage();
  if (!read_body(argv[5], body)) return fail("cannot read the body file", 2);
  std::cout << wh::sign(argv[3], ts, body, keys) << "\n";
  return 0;
}

int do_verify(char** argv) {
  std::vector<wh::VerifyKey> keys;
  for (const auto secret : split_commas(argv[2])) {
    auto key = wh::verify_key_parse(secret);
    if (!key) return fail(key.error().message, 2);
    keys.push_back(std::move(*key));
  }
  std::string body;
  if (!read_body(argv[6], body)) return fail("cannot read the body file", 2);
  const wh::Headers headers{argv[3], argv[4], argv[5]};
  const auto r = wh::verify(headers, body, keys, wh::unix_now());
  if (!r) return fail(std::string(vitrina::protocol::error_code_name(r.error().code)), 1);
  return 0;
}

int do_secret(int argc, char** argv) {
  std::int64_t bytes = wh::kSecretBytesMax;
  if (argc == 3 && !parse_ts(argv[2], bytes)) return usage();
  auto secret = wh::secret_generate(static_cast<std::size_t>(bytes));
  if (!secret) return fail(secret.error().message, 2);
  std::cout << *secret << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view cmd = argc > 1 ? argv[1] : "";
  if (cmd == "sign" && argc == 6) return do_sign(argv);
  if (cmd == "verify" && argc == 7) return do_verify(argv);
  if (cmd == "secret" && (argc == 2 || argc == 3)) return do_secret(argc, argv);
  return usage();
}
