// Our side of the Stripe interop test (stripe.test.mjs), as a command:
//
//   stripe_tool verify SECRET HEADER BODYFILE   exits 0 if HEADER (a Stripe-Signature value)
//                                               verifies at the current time, 1 if not
//   stripe_tool sign SECRET TS BODYFILE         prints the Stripe-Signature value we would send
//
// Usage errors exit 2; the reason a signature was refused goes to stderr.

#include <sodium.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "acquirers/stripe_signature.hpp"

namespace {

namespace stripe = vitrina::acquirers::stripe;

int usage() {
  std::cerr << "usage: stripe_tool verify SECRET HEADER BODYFILE\n"
               "       stripe_tool sign SECRET TS BODYFILE\n";
  return 2;
}

bool read_body(const char* path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 2;
  if (argc != 5) return usage();
  const std::string command = argv[1];
  std::string body;
  if (!read_body(argv[4], body)) return usage();
  if (command == "verify") {
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto verified = stripe::verify_signature(argv[3], body, argv[2], now);
    if (!verified) {
      std::cerr << verified.error().message << "\n";
      return 1;
    }
    return 0;
  }
  if (command == "sign") {
    std::cout << stripe::sign(argv[2], std::stoll(argv[3]), body) << "\n";
    return 0;
  }
  return usage();
}
