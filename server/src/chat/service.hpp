#pragma once
// The live chat service: what visitors and operators do over their connections (docs/
// protocol.md), with no knowledge of sockets. A transport hands it each text frame with the
// Peer it came from; the service answers and fans out through Peer::send.
//
// Threads: on_frame runs on the connection's own executor, one frame at a time per peer, and
// submits store writes in the order frames arrive (so one connection's messages commit in the
// order sent). Everything that touches the set of connections runs on one serial executor, the
// hub (`Options::post_hub`, hub.hpp): registrations, presence, fan-out after a commit, resume
// batches. Because commits complete in order and the hub runs posted work in order, every
// connection sees a conversation's messages in seq order. The hub never reads the store (one
// slow read would stall every connection's fan-out): reads happen first, on the connection's
// executor (Peer::post) or the caller's thread, and their results are posted to the hub.
//
// Parts: site_cache (sites and their chat settings), hub (connections and presence), delivery
// (per-connection cursors and resume holds), refusals, webhook_events, frames; the frame
// handlers are in service.cpp, service_messages.cpp and service_conversations.cpp.
//
// Several nodes: fan-out here is in-process. With PostgreSQL behind several nodes, publish()
// is where each committed change would also go out through NOTIFY, and a LISTEN loop would
// feed other nodes' changes into the same hub functions.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "chat/peer.hpp"
#include "chat/site_cache.hpp"
#include "chat/visitor_token.hpp"
#include "clock/clock.hpp"
#include "store/store.hpp"
#include "vitrina/protocol/chat.hpp"

namespace vitrina::chat {

class Hub;

struct ServiceOptions {
  protocol::chat::Limits limits;
  std::int64_t resume_batch = 100;
  std::size_t max_refused_per_minute = 10;
  /// Runs work on the hub's serial executor, in the order posted.
  std::function<void(std::function<void()>)> post_hub;
  /// Called after a commit that put webhook events in the outbox.
  std::function<void()> on_event;
  /// Makes conv_… and vis_… ids.
  std::function<std::string(std::string_view prefix)> new_id;
};

class Service {
 public:
  /// `clock` (business hours, timestamps, the refusal window, the site cache's age) must outlive
  /// the service.
  Service(store::Store& store, VisitorTokens tokens, const clock::Clock& clock, ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  /// The site whose public key is `public_key`, with its chat settings (cached for a few
  /// seconds). Nothing when there is no such site.
  Result<std::shared_ptr<const SiteChat>> site_by_public_key(std::string_view public_key);
  Result<std::shared_ptr<const SiteChat>> site_by_id(std::string_view site_id);

  /// A text frame from `peer`. Never throws for anything the client sent.
  void on_frame(const std::shared_ptr<Peer>& peer, std::string_view text);
  /// The transport's own refusals (too many frames): an error frame with `retry_after_ms`.
  void refuse_rate(const std::shared_ptr<Peer>& peer, std::int64_t retry_after_ms);
  /// A frame over limits().frame_bytes: an error frame (too_large); the transport closes.
  void refuse_too_large(const std::shared_ptr<Peer>& peer);
  /// Recomputes each site's availability for its connected visitors and tells them when it
  /// changed since they were last told: business hours open and close with nobody acting, so
  /// the composition root calls this on a timer. Any thread but the hub's: it first reads again
  /// the settings of the sites the hub uses (SiteCache::refresh_stale).
  void refresh_presence();
  /// The connection has ended: forget it (and update the operator's presence).
  void on_closed(const std::shared_ptr<Peer>& peer);

  // The console's HTTP API: the same actions as the frames, by an operator outside any
  // connection (`who`: role operator, site, operator id, name and role). The change is announced
  // to the live connections as if a frame had made it; `done` runs on the hub.
  /// take, assign, close, reopen; `done` gets the conversation after the action.
  void act(PeerState who, protocol::chat::ConversationAction a, store::Done<store::ChatConversation> done);
  /// An internal note (never sent to the visitor) with the operator's client id.
  void note(PeerState who, std::string conversation_id, std::string client_id, std::string text,
            store::Done<protocol::chat::Ack> done);

  /// Sends `frame` (one complete JSON frame, docs/protocol.md) to every operator connected to the
  /// site, on the hub, through each connection's bounded queue: how changes made outside the chat
  /// (callback requests) reach the console live. Visitors never get it. Any thread.
  void send_to_operators(std::string site_id, std::string frame);

  const protocol::chat::Limits& limits() const noexcept { return options_.limits; }

 private:
  // Frame handlers, on the connection's executor (service.cpp, service_messages.cpp,
  // service_conversations.cpp).
  void hello(const std::shared_ptr<Peer>& peer, std::string ref, protocol::chat::Hello hello);
  void message(const std::shared_ptr<Peer>& peer, std::string ref, protocol::chat::SendMessage m);
  void offline(const std::shared_ptr<Peer>& peer, std::string ref, protocol::chat::LeaveOfflineMessage m);
  void resume(const std::shared_ptr<Peer>& peer, std::string ref, protocol::chat::Resume r);
  void read_resume(const std::shared_ptr<Peer>& peer, const std::string& ref, const protocol::chat::Resume& r);
  void typing(const std::shared_ptr<Peer>& peer, protocol::chat::SetTyping t);
  std::optional<std::string> typing_visitor(PeerState& s, const std::string& conversation_id);
  void read(const std::shared_ptr<Peer>& peer, protocol::chat::MarkRead r);
  void context(const std::shared_ptr<Peer>& peer, protocol::chat::VisitorContext c,
               std::optional<std::string> conversation_id = std::nullopt);
  void presence(const std::shared_ptr<Peer>& peer, protocol::chat::OperatorStatus status);
  void action(const std::shared_ptr<Peer>& peer, std::string ref, protocol::chat::ConversationAction a);
  /// An error frame. Any thread.
  void send_error(const std::shared_ptr<Peer>& peer, const protocol::Error& error, std::string ref,
                  std::string client_id);
  /// An error frame for a frame the client should not have sent, counted towards closing the
  /// connection (refusals.hpp). The connection's executor only: the count is a (conn) field.
  void refuse(const std::shared_ptr<Peer>& peer, const protocol::Error& error, std::string ref, std::string client_id);
  store::ChatAppend message_append(const PeerState& s, protocol::chat::SendMessage m);
  void submit_append(store::ChatAppend a, std::function<void(Result<store::ChatAppended>)> on_hub);
  void after_append(const std::shared_ptr<Peer>& peer, const std::string& ref, const store::ChatAppended& a);
  void submit_action(const PeerState& s, protocol::chat::ConversationAction a,
                     std::function<void(Result<store::ChatActed>)> on_hub);
  void after_action(const store::ChatActed& r, const std::shared_ptr<Peer>& actor, const std::string& ref);

  store::Store& store_;
  VisitorTokens tokens_;
  const clock::Clock& clock_;
  ServiceOptions options_;
  SiteCache sites_;
  std::unique_ptr<Hub> hub_;  // touched only on the hub executor
};

}  // namespace vitrina::chat
