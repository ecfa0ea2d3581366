#pragma once
// One live chat connection as the chat service sees it. The WebSocket session implements the
// two transport calls; the service keeps its own per-connection state here. Nothing in this
// header knows about sockets.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vitrina/protocol/chat.hpp"

namespace vitrina::chat {

struct SiteChat;

/// What the service knows about a connection. Fields marked (conn) are written only on the
/// connection's own executor (while its frames are handled, or in work given to Peer::post),
/// before anything that reads them is posted to the hub; fields marked (hub) are touched only on
/// the hub's serial executor. The hub never writes a (conn) field.
struct PeerState {
  protocol::chat::Role role = protocol::chat::Role::visitor;
  std::shared_ptr<const SiteChat> site;  // (conn) set at the upgrade
  bool welcomed = false;                 // (conn) hello accepted
  std::string visitor_id;                // (conn) visitors
  std::string user_id;                   // (conn) visitors with a verified identity
  std::string operator_id;               // (conn) operators: set at the upgrade
  std::string operator_name;
  protocol::chat::OperatorRole operator_role = protocol::chat::OperatorRole::operator_;
  // (conn) refused frames in the current minute, and when that minute began (steady ms)
  std::uint16_t refused = 0;
  std::int64_t refused_window_ms = 0;
  // (conn) conversation id -> visitor id of conversations this connection has typed in, so that
  // typing indicators need no store read after the first
  std::vector<std::pair<std::string, std::string>> typing_visitors;
  // (hub) the highest seq delivered per conversation, so a live message is sent at most once
  std::vector<std::pair<std::string, std::int64_t>> delivered;
  // (hub) conversations with a resume batch being read: their live messages wait here (frame and
  // seq) until the batch has been sent, so the batch and the live stream stay in seq order
  struct Holding {
    std::string conversation_id;
    int resumes = 0;
    std::vector<std::pair<std::shared_ptr<const std::string>, std::int64_t>> held;
  };
  std::vector<Holding> holding;
  bool registered = false;  // (hub)
};

class Peer {
 public:
  virtual ~Peer() = default;
  /// Queues one text frame. Thread-safe and never blocks: a connection that cannot keep up is
  /// closed by the transport, not waited for.
  virtual void send(std::shared_ptr<const std::string> frame) = 0;
  /// Ends the connection with a WebSocket close code. Thread-safe; later sends are dropped.
  virtual void close(int code, std::string_view reason) = 0;
  /// Runs `work` on the connection's own executor, after the frames already being handled and in
  /// the order posted: where the service does blocking store reads that must not run on the hub.
  virtual void post(std::function<void()> work) = 0;

  PeerState state;
};

}  // namespace vitrina::chat
