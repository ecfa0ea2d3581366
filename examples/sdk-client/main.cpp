// sdk-client: asks a Vitrina server whether it is healthy and prints one JSON line.
//
//   sdk-client <base-url>          e.g. sdk-client http://127.0.0.1:8080
//
// The site secret key, if any, comes from the environment (VITRINA_SECRET_KEY), never from the
// command line, where other users of the machine could read it in the process list.
// Exit status: 0 healthy, 1 the call failed, 2 usage.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "vitrina/protocol/json.hpp"
#include "vitrina/protocol/keys.hpp"
#include "vitrina/sdk/client.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <base-url>   (secret key in VITRINA_SECRET_KEY)\n", argv[0]);
    return 2;
  }
  vitrina::sdk::ClientOptions options;
  options.base_url = argv[1];
  if (const char* key = std::getenv("VITRINA_SECRET_KEY"); key && *key) {
    if (!vitrina::protocol::is_secret_key(key)) {
      std::fprintf(stderr, "VITRINA_SECRET_KEY does not look like a secret key (sk_...)\n");
      return 2;
    }
    options.secret_key = key;
  }

  const vitrina::sdk::Client client(std::move(options));
  const auto health = client.health();

  vitrina::protocol::JsonWriter out;
  out.begin_object();
  if (health) {
    out.key("ok").value(true).key("status").value(health->status);
  } else {
    const auto& error = health.error();
    out.key("ok").value(false).key("code").value(vitrina::protocol::error_code_name(error.code));
    if (error.http_status != 0) out.key("http_status").value(error.http_status);
    out.key("message").value(error.message);
    if (!error.field.empty()) out.key("field").value(error.field);
  }
  out.end_object();
  std::printf("%s\n", out.str().c_str());
  return health ? 0 : 1;
}
