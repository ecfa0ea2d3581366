#include "chat/service.hpp"

#include <utility>

#include "chat/delivery.hpp"
#include "chat/frames.hpp"
#include "chat/hub.hpp"
#include "chat/refusals.hpp"
#include "vitrina/protocol/chat_codec.hpp"
#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::chat {

namespace pc = protocol::chat;
using PeerPtr = std::shared_ptr<Peer>;

Service::Service(store::Store& store, VisitorTokens tokens, const clock::Clock& clock, ServiceOptions options)
    : store_(store),
      tokens_(std::move(tokens)),
      clock_(clock),
      options_(std::move(options)),
      sites_(store, clock),
      hub_(std::make_unique<Hub>(clock)) {}

Service::~Service() = default;

Result<std::shared_ptr<const SiteChat>> Service::site_by_id(std::string_view site_id) { return sites_.by_id(site_id); }

Result<std::shared_ptr<const SiteChat>> Service::site_by_public_key(std::string_view public_key) {
  return sites_.by_public_key(public_key);
}

void Service::send_to_operators(std::string site_id, std::string frame) {
  auto shared = std::make_shared<const std::string>(std::move(frame));
  options_.post_hub([this, site_id = std::move(site_id), shared = std::move(shared)] {
    if (auto* site = hub_->find_site(site_id)) hub_->to_operators(*site, shared);
  });
}

void Service::send_error(const PeerPtr& peer, const protocol::Error& error, std::string ref, std::string client_id) {
  peer->send(frame_of(error_event(error, std::move(ref), std::move(client_id))));
}

void Service::refuse(const PeerPtr& peer, const protocol::Error& error, std::string ref, std::string client_id) {
  send_error(peer, error, std::move(ref), std::move(client_id));
  if (count_refusal(peer->state, clock_.steady_ms(), options_.max_refused_per_minute)) {
    peer->close(pc::kCloseProtocolError, "too many refused frames");
  }
}

void Service::refuse_rate(const PeerPtr& peer, std::int64_t retry_after_ms) {
  pc::ErrorEvent e;
  e.code = protocol::ErrorCode::rate_limited;
  e.message = "too many frames";
  e.retry_after_ms = retry_after_ms;
  peer->send(frame_of(e));
}

void Service::refuse_too_large(const PeerPtr& peer) {
  pc::ErrorEvent e;
  e.code = protocol::ErrorCode::too_large;
  e.message = "the frame is over " + std::to_string(options_.limits.frame_bytes) + " bytes";
  e.field = "frame";
  peer->send(frame_of(e));
}

void Service::on_frame(const PeerPtr& peer, std::string_view text) {
  auto parsed = pc::parse_client_frame(text, options_.limits);
  if (!parsed) {
    auto ids = pc::recover_frame_ids(text, options_.limits);
    return refuse(peer, parsed.error(), std::move(ids.ref), std::move(ids.client_id));
  }
  pc::ClientFrame& frame = *parsed;
  const bool is_hello = std::holds_alternative<pc::Hello>(frame.payload);
  if (auto allowed = pc::check_client_frame(peer->state.role, frame); !allowed) {
    return refuse(peer, allowed.error(), frame.ref, {});
  }
  if (is_hello == peer->state.welcomed) {
    // A frame before hello, or a second hello: the client does not follow the protocol.
    refuse(peer,
           protocol::make_error(protocol::ErrorCode::not_allowed,
                                is_hello ? "hello was already sent" : "send hello first", "type"),
           frame.ref, {});
    if (is_hello) peer->close(pc::kCloseProtocolError, "second hello");
    return;
  }
  std::visit(
      [&](auto& payload) {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, pc::Hello>) {
          hello(peer, std::move(frame.ref), std::move(payload));
        } else if constexpr (std::is_same_v<T, pc::SendMessage>) {
          message(peer, std::move(frame.ref), std::move(payload));
        } else if constexpr (std::is_same_v<T, pc::LeaveOfflineMessage>) {
          offline(peer, std::move(frame.ref), std::move(payload));
        } else if constexpr (std::is_same_v<T, pc::Resume>) {
          resume(peer, std::move(frame.ref), std::move(payload));
        } else if constexpr (std::is_same_v<T, pc::SetTyping>) {
          typing(peer, std::move(payload));
        } else if constexpr (std::is_same_v<T, pc::MarkRead>) {
          read(peer, std::move(payload));
        } else if constexpr (std::is_same_v<T, pc::UpdateContext>) {
          context(peer, std::move(payload.context));
        } else if constexpr (std::is_same_v<T, pc::SetPresence>) {
          presence(peer, payload.status);
        } else if constexpr (std::is_same_v<T, pc::ConversationAction>) {
          action(peer, std::move(frame.ref), std::move(payload));
        } else if constexpr (std::is_same_v<T, pc::Ping>) {
          peer->send(frame_of(pc::Pong{std::move(frame.ref)}));
        }
      },
      frame.payload);
}

void Service::on_closed(const PeerPtr& peer) {
  options_.post_hub([this, peer] { hub_->remove(peer); });
}

void Service::hello(const PeerPtr& peer, std::string ref, pc::Hello h) {
  PeerState& s = peer->state;
  if (h.version != pc::kProtocolVersion) {
    send_error(peer,
               protocol::make_error(protocol::ErrorCode::unsupported_version, "this server speaks version 1", "v"), ref,
               {});
    return peer->close(pc::kCloseProtocolError, "unsupported version");
  }
  pc::Welcome w;
  w.ref = std::move(ref);
  w.limits = options_.limits;
  if (s.role == pc::Role::operator_) {
    s.welcomed = true;
    options_.post_hub([this, peer, w = std::move(w)]() mutable { hub_->add_operator(peer, std::move(w)); });
    return;
  }

  const SiteChat& site = *s.site;
  const std::int64_t now_s = clock_.now_ms() / 1000;
  auto identity = check_identity(site.identity_mode, site.identity_secret, h.identity, now_s);
  if (!identity) {
    send_error(peer, identity.error(), w.ref, {});
    return peer->close(pc::kCloseUnauthenticated, "identity");
  }
  auto token =
      tokens_.for_hello(h.token, site.site.id, now_s, [this] { return options_.new_id(pc::kVisitorIdPrefix); });
  if (*identity) {
    // A verified user is one visitor on every device.
    auto known = store_.find_chat_visitor_by_user(site.site.id, (*identity)->user_id);
    if (!known) {
      send_error(peer, known.error(), w.ref, {});
      return peer->close(pc::kCloseInternal, "store");
    }
    if (*known && (*known)->id != token.visitor_id) {
      auto issued = tokens_.issue((*known)->id, site.site.id, now_s);
      token = {issued.claims.visitor_id, issued.token, issued.claims.expires_at_s,
               h.token.empty() ? pc::TokenStatus::issued : pc::TokenStatus::replaced};
    }
    s.user_id = (*identity)->user_id;
  }
  s.visitor_id = token.visitor_id;
  s.welcomed = true;
  // Read here, on the connection: the hub never waits for the store.
  std::optional<store::ChatConversation> open;
  if (auto found = store_.find_open_chat_conversation(site.site.id, s.visitor_id); found && *found) {
    open = std::move(**found);
    remember_typing_visitor(s, open->conversation.id, open->visitor_id);
  }
  std::optional<std::string> open_id;
  if (h.context) open_id = open ? open->conversation.id : std::string();
  pc::VisitorSession v;
  v.visitor_id = s.visitor_id;
  v.token = token.token;
  v.token_expires_at_ms = token.expires_at_s * 1000;
  v.token_status = token.status;
  v.user_id = s.user_id;
  w.visitor = std::move(v);
  options_.post_hub([this, peer, w = std::move(w), open = std::move(open)]() mutable {
    hub_->add_visitor(peer, std::move(w), std::move(open));
  });
  if (h.context) context(peer, std::move(*h.context), std::move(open_id));
}

void Service::presence(const PeerPtr& peer, pc::OperatorStatus status) {
  options_.post_hub([this, peer, status] { hub_->set_status(peer, status); });
}

void Service::refresh_presence() {
  // The settings may have changed (new business hours): the sites the hub uses are read again
  // here, on the caller's thread, and the hub takes them from the cache without reading.
  sites_.refresh_stale();
  options_.post_hub([this] { hub_->refresh_presence(sites_); });
}

}  // namespace vitrina::chat
