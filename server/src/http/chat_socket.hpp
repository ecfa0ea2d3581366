#pragma once
// The live chat's WebSocket endpoints: /v1/visitor/ws?site=pk_… and /v1/console/ws. The
// checks that come before the upgrade (site, Origin, session cookie, connection limits) and
// the transport rules after it (frame size, frames per second, a bounded outbound queue, the
// hello and idle timeouts, pings) live here; everything a frame means is chat::Service's.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "chat/service.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

struct ChatSocketOptions {
  std::size_t max_per_ip = 20;        // visitor connections from one IP address
  std::size_t max_per_site = 10000;   // visitor connections to one site
  std::size_t max_per_operator = 10;  // console connections of one operator
  std::size_t queue_frames = 256;     // outbound frames not yet written
  std::size_t queue_bytes = 1 << 20;  // outbound bytes not yet written
  double frames_per_second = 20;
  double burst = 40;
  std::size_t rate_strikes = 10;  // refusals in a row for rate before 4429
  std::chrono::milliseconds hello_timeout{10000};
  std::chrono::milliseconds ping_interval{30000};
  std::chrono::milliseconds idle_timeout{75000};
  std::chrono::milliseconds close_timeout{2000};  // a close handshake the client ignores
};

class ChatSockets;

/// Registers both endpoints. `service` and `store` must outlive the router and every
/// connection. Keep the answer to close the connections at shutdown.
std::shared_ptr<ChatSockets> add_chat_routes(Router& router, chat::Service& service, store::Store& store,
                                             ChatSocketOptions options);

/// Closes every chat connection with 1001 (going away).
void shutdown_chat(ChatSockets& sockets);

}  // namespace vitrina::http
