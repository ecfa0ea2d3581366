// The frames and console calls about a conversation rather than its messages: typing, read
// receipts, the visitor's context, and actions (take, assign, close, reopen).

#include <utility>

#include "chat/delivery.hpp"
#include "chat/frames.hpp"
#include "chat/hub.hpp"
#include "chat/service.hpp"
#include "chat/webhook_events.hpp"
#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::chat {

namespace pc = protocol::chat;
using PeerPtr = std::shared_ptr<Peer>;

void Service::typing(const PeerPtr& peer, pc::SetTyping t) {
  PeerState& s = peer->state;
  auto visitor_id = typing_visitor(s, t.conversation_id);
  if (!visitor_id) return;
  if (s.role == pc::Role::visitor && *visitor_id != s.visitor_id) return;
  options_.post_hub([this, peer, t = std::move(t), visitor_id = std::move(*visitor_id)] {
    const PeerState& st = peer->state;
    auto& site = hub_->site(st.site->site.id);
    const pc::Author author = actor_of(st).author;
    if (st.role == pc::Role::visitor) {
      hub_->to_operators(site, frame_of(pc::TypingEvent{t.conversation_id, author, t.typing}));
      return;
    }
    hub_->to_operators(site, frame_of(pc::TypingEvent{t.conversation_id, author, t.typing}), peer.get());
    hub_->to_visitor(site, visitor_id, frame_of(pc::TypingEvent{t.conversation_id, for_visitor(author), t.typing}));
  });
}

// The visitor of a conversation this connection types in: remembered per connection, so only
// the first indicator reads the store, and never on the hub.
std::optional<std::string> Service::typing_visitor(PeerState& s, const std::string& conversation_id) {
  for (const auto& [id, visitor_id] : s.typing_visitors) {
    if (id == conversation_id) return visitor_id;
  }
  auto conv = store_.find_chat_conversation(s.site->site.id, conversation_id);
  if (!conv || !*conv) return std::nullopt;
  remember_typing_visitor(s, conversation_id, (*conv)->visitor_id);
  return (*conv)->visitor_id;
}

void Service::read(const PeerPtr& peer, pc::MarkRead r) {
  const PeerState& s = peer->state;
  store::ChatRead req{s.site->site.id, r.conversation_id, s.role == pc::Role::visitor ? s.visitor_id : std::string(),
                      r.seq};
  auto done = [this, peer, conversation_id = r.conversation_id](Result<store::ChatReadResult> result) mutable {
    options_.post_hub([this, peer, conversation_id = std::move(conversation_id), result = std::move(result)] {
      if (!result) return send_error(peer, result.error(), {}, {});
      if (!result->moved) return;
      const PeerState& st = peer->state;
      auto& site = hub_->site(st.site->site.id);
      const pc::Author reader = actor_of(st).author;
      hub_->to_operators(site, frame_of(pc::ReadEvent{conversation_id, reader, result->seq}), peer.get());
      if (st.role == pc::Role::visitor) return;
      if (const auto& visitor_id = hub_->visitor_of(conversation_id); !visitor_id.empty()) {
        hub_->to_visitor(site, visitor_id, frame_of(pc::ReadEvent{conversation_id, for_visitor(reader), result->seq}));
      }
    });
  };
  store_.mark_chat_read(std::move(req), std::move(done));
}

// The visitor's open conversation is read first, on the connection (hello passes the one it
// has read); the commit's completion only posts the event to the hub.
void Service::context(const PeerPtr& peer, pc::VisitorContext c, std::optional<std::string> conversation_id) {
  const PeerState& s = peer->state;
  if (!conversation_id) {
    auto open = store_.find_open_chat_conversation(s.site->site.id, s.visitor_id);
    conversation_id = open && *open ? (*open)->conversation.id : std::string();
  }
  store::ChatContextUpdate u{s.site->site.id, s.visitor_id, s.user_id, std::move(c), clock_.now_ms()};
  auto done = [this, peer, conversation_id = std::move(*conversation_id)](Result<pc::VisitorContext> result) mutable {
    options_.post_hub([this, peer, conversation_id = std::move(conversation_id), result = std::move(result)]() mutable {
      if (!result) return send_error(peer, result.error(), {}, {});
      const PeerState& st = peer->state;
      pc::ContextEvent e;
      e.visitor_id = st.visitor_id;
      e.conversation_id = std::move(conversation_id);
      e.context = std::move(*result);
      hub_->to_operators(hub_->site(st.site->site.id), frame_of(e));
    });
  };
  store_.update_chat_context(std::move(u), std::move(done));
}

void Service::submit_action(const PeerState& s, pc::ConversationAction a,
                            std::function<void(Result<store::ChatActed>)> on_hub) {
  store::ChatAction act;
  act.site_id = s.site->site.id;
  act.conversation_id = a.conversation_id;
  act.visitor_id = s.role == pc::Role::visitor ? s.visitor_id : std::string();
  act.kind = a.kind;
  act.actor = actor_of(s);
  act.now_ms = clock_.now_ms();
  if (a.kind == pc::ActionKind::assign) {
    auto target = store_.find_operator_by_id(a.operator_id);
    if (!target || !*target || (*target)->site_id != act.site_id) {
      Result<store::ChatActed> refused = !target
                                             ? Result<store::ChatActed>(std::move(target).error())
                                             : Result<store::ChatActed>(protocol::make_error(
                                                   protocol::ErrorCode::not_found, "no such operator", "operator_id"));
      options_.post_hub(
          [on_hub = std::move(on_hub), refused = std::move(refused)]() mutable { on_hub(std::move(refused)); });
      return;
    }
    act.target = {pc::AuthorRole::operator_, (*target)->id, (*target)->name};
  }
  act.events = action_events(act.site_id, act.now_ms);
  auto done = [this, on_hub = std::move(on_hub)](Result<store::ChatActed> r) mutable {
    options_.post_hub([on_hub = std::move(on_hub), r = std::move(r)]() mutable { on_hub(std::move(r)); });
  };
  store_.apply_chat_action(std::move(act), std::move(done));
}

// On the hub: a committed action to everyone it concerns; `actor` (none for the HTTP API) gets
// the copy with `ref`.
void Service::after_action(const store::ChatActed& r, const PeerPtr& actor, const std::string& ref) {
  hub_->remember(r.conversation);
  hub_->announce(hub_->site(r.conversation.site_id), r.conversation, actor, ref, r.changed);
  if (r.changed && r.conversation.conversation.status == pc::ConversationStatus::closed && options_.on_event) {
    options_.on_event();
  }
}

void Service::action(const PeerPtr& peer, std::string ref, pc::ConversationAction a) {
  auto on_hub = [this, peer, ref = std::move(ref)](Result<store::ChatActed> r) {
    if (!r) return send_error(peer, r.error(), ref, {});
    after_action(*r, peer, ref);
  };
  submit_action(peer->state, std::move(a), std::move(on_hub));
}

void Service::act(PeerState who, pc::ConversationAction a, store::Done<store::ChatConversation> done) {
  auto on_hub = [this, done = std::move(done)](Result<store::ChatActed> r) {
    if (!r) return done(std::move(r).error());
    after_action(*r, nullptr, {});
    done(std::move(r->conversation));
  };
  submit_action(who, std::move(a), std::move(on_hub));
}

}  // namespace vitrina::chat
