// vitrina-bench-sign: webhook signing with vitrina::webhook::sign against the same work done
// with raw libsodium calls, in one process, interleaved, on a typical payment.succeeded body (700 bytes).
//
//   vitrina-bench-sign [--rounds 5] [--ms 300]
//
// Both sides produce the same webhook-signature value as a new std::string (checked before
// timing): v1 is HMAC-SHA256 under a 32-byte whsec_ secret over "id.timestamp.body", v1a is an
// Ed25519 detached signature over the same content; each base64-encoded behind its version.
// The raw side assembles the content in a reused buffer and calls crypto_auth_hmacsha256 /
// crypto_sign_detached and sodium_bin2base64. Each round runs every variant for --ms
// milliseconds, in alternating order; the median rates over the rounds and the median of the
// rounds' ratios are reported, one line per scheme:
// "BENCH scheme=v1 vitrina_per_s=… raw_per_s=… ratio=… vitrina_ns=… raw_ns=…".

#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vitrina/webhook/webhook.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// Where the total output size goes, so no signing call can be optimised away.
volatile std::size_t g_sink = 0;

// What the server sends for a succeeded payment (docs/api.md's payment object).
constexpr std::string_view kBody =
    R"({"type":"payment.succeeded","timestamp":"2026-05-01T12:00:03.456Z","data":{"id":"pay_3kTMd8yq2n6LwQf0VvZb1xAa",)"
    R"("status":"succeeded","amount":150000,"currency":"RUB","order_id":"order-1","description":"Tea",)"
    R"("metadata":{"cart":"c-9"},"customer":{"email":"ann@example.com"},)"
    R"("items":[{"name":"Tea","quantity":3,"amount":50000}],"capture":true,"acquirer":"sandbox",)"
    R"("return_url":"https://shop.example/back","confirmation":{"type":"redirect",)"
    R"("url":"http://127.0.0.1:8080/sandbox/pay/pay_3kTMd8yq2n6LwQf0VvZb1xAa"},"authorized_amount":150000,)"
    R"("captured_amount":150000,"refunded_amount":0,"created_at":"2026-05-01T12:00:00.123Z",)"
    R"("updated_at":"2026-05-01T12:00:03.456Z","expires_at":"2026-05-01T13:00:00.123Z"}})";
constexpr std::string_view kMessageId = "msg_2mVhT8m0dKj0c1LfV8cZqTrn";
constexpr std::int64_t kTimestamp = 1777636803;

// The raw side: the same header value from libsodium calls, the content in a reused buffer.
class RawSigner {
 public:
  explicit RawSigner(std::span<const unsigned char> key) : key_(key.begin(), key.end()) {
    content_.reserve(kMessageId.size() + kBody.size() + 32);
  }

  std::string hmac(std::string_view id, std::int64_t ts, std::string_view body) {
    assemble(id, ts, body);
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(content_.data()), content_.size(),
                           key_.data());
    return encoded("v1,", mac);
  }

  std::string ed25519(std::string_view id, std::int64_t ts, std::string_view body) {
    assemble(id, ts, body);
    std::array<unsigned char, crypto_sign_BYTES> sig{};
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(content_.data()), content_.size(),
                         key_.data());
    return encoded("v1a,", sig);
  }

 private:
  void assemble(std::string_view id, std::int64_t ts, std::string_view body) {
    content_.clear();
    content_.append(id).append(1, '.').append(std::to_string(ts)).append(1, '.').append(body);
  }

  template <std::size_t N>
  static std::string encoded(std::string_view version, const std::array<unsigned char, N>& bin) {
    std::array<char, sodium_base64_ENCODED_LEN(N, sodium_base64_VARIANT_ORIGINAL)> b64{};
    sodium_bin2base64(b64.data(), b64.size(), bin.data(), bin.size(), sodium_base64_VARIANT_ORIGINAL);
    std::string out;
    out.reserve(version.size() + b64.size());
    out.append(version).append(b64.data(), b64.size() - 1);
    return out;
  }

  std::vector<unsigned char> key_;
  std::string content_;
};

using Variant = std::function<std::string()>;

// Calls `f` for `ms` milliseconds (checking the clock every 64 calls); calls per second.
double rate(const Variant& f, int ms, std::size_t& sink) {
  const auto start = Clock::now();
  const auto end = start + std::chrono::milliseconds(ms);
  std::size_t n = 0;
  auto now = start;
  while (now < end) {
    for (int i = 0; i < 64; ++i) sink += f().size();
    n += 64;
    now = Clock::now();
  }
  return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 5;
  int ms = 300;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view name = argv[i];
    if (name == "--rounds") {
      rounds = std::atoi(argv[i + 1]);
    } else if (name == "--ms") {
      ms = std::atoi(argv[i + 1]);
    } else {
      rounds = 0;
    }
  }
  if (argc % 2 == 0 || rounds < 1 || rounds > 99 || ms < 10 || ms > 10000) {
    std::fprintf(stderr, "usage: vitrina-bench-sign [--rounds 1..99] [--ms 10..10000]\n");
    return 2;
  }
  if (sodium_init() < 0) {
    std::fprintf(stderr, "vitrina-bench-sign: libsodium could not be initialised\n");
    return 1;
  }
  auto secret = vitrina::webhook::secret_generate();  // 32 bytes, as endpoints get them
  if (!secret) {
    std::fprintf(stderr, "vitrina-bench-sign: %s\n", secret.error().message.c_str());
    return 1;
  }
  auto hmac_key = vitrina::webhook::signing_key_parse(*secret);
  const auto pair = vitrina::webhook::ed25519_keypair_generate();
  auto ed_key = vitrina::webhook::signing_key_parse(pair.secret_key);
  if (!hmac_key || !ed_key || hmac_key->bytes().size() != crypto_auth_hmacsha256_KEYBYTES) {
    std::fprintf(stderr, "vitrina-bench-sign: cannot make the keys\n");
    return 1;
  }
  RawSigner raw_hmac(hmac_key->bytes());
  RawSigner raw_ed(ed_key->bytes());

  struct Scheme {
    const char* name;
    Variant vitrina;
    Variant raw;
    std::vector<double> vitrina_rates;
    std::vector<double> raw_rates;
  };
  std::vector<Scheme> schemes;
  schemes.push_back({"v1",
                     [&] { return vitrina::webhook::sign(kMessageId, kTimestamp, kBody, *hmac_key); },
                     [&] { return raw_hmac.hmac(kMessageId, kTimestamp, kBody); },
                     {},
                     {}});
  schemes.push_back({"v1a",
                     [&] { return vitrina::webhook::sign(kMessageId, kTimestamp, kBody, *ed_key); },
                     [&] { return raw_ed.ed25519(kMessageId, kTimestamp, kBody); },
                     {},
                     {}});

  // Only a comparison of equal outputs means anything.
  for (const auto& s : schemes) {
    if (s.vitrina() != s.raw()) {
      std::fprintf(stderr, "vitrina-bench-sign: %s: vitrina and raw libsodium disagree\n", s.name);
      return 1;
    }
  }

  std::size_t sink = 0;
  for (auto& s : schemes) {
    (void)rate(s.vitrina, ms / 3, sink);  // warm-up: caches, branch predictors, frequency
    (void)rate(s.raw, ms / 3, sink);
    for (int r = 0; r < rounds; ++r) {
      // Alternating which goes first keeps a drift in the machine from favouring one side.
      if (r % 2 == 0) {
        s.vitrina_rates.push_back(rate(s.vitrina, ms, sink));
        s.raw_rates.push_back(rate(s.raw, ms, sink));
      } else {
        s.raw_rates.push_back(rate(s.raw, ms, sink));
        s.vitrina_rates.push_back(rate(s.vitrina, ms, sink));
      }
    }
  }
  for (const auto& s : schemes) {
    const double v = median(s.vitrina_rates);
    const double r = median(s.raw_rates);
    // Each round runs both sides back to back, so its ratio is the least disturbed by a machine
    // whose load drifts; the median of those is the figure reported.
    std::vector<double> ratios;
    for (std::size_t i = 0; i < s.vitrina_rates.size(); ++i) ratios.push_back(s.vitrina_rates[i] / s.raw_rates[i]);
    std::printf(
        "BENCH scheme=%s body_bytes=%zu vitrina_per_s=%.0f raw_per_s=%.0f ratio=%.3f vitrina_ns=%.0f raw_ns=%.0f",
        s.name, kBody.size(), v, r, median(ratios), 1e9 / v, 1e9 / r);
    std::printf(" rounds_vitrina=");
    for (std::size_t i = 0; i < s.vitrina_rates.size(); ++i) std::printf("%s%.0f", i ? "," : "", s.vitrina_rates[i]);
    std::printf(" rounds_raw=");
    for (std::size_t i = 0; i < s.raw_rates.size(); ++i) std::printf("%s%.0f", i ? "," : "", s.raw_rates[i]);
    std::printf("\n");
  }
  // Keeps the compiler from dropping the signing calls as unused.
  g_sink = sink;
  return 0;
}
