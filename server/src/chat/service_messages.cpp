// The frames and console calls that add messages (message, offline_message, notes), and
// resume, which reads a conversation's messages for a connection.

#include <algorithm>
#include <utility>

#include "chat/delivery.hpp"
#include "chat/frames.hpp"
#include "chat/hub.hpp"
#include "chat/service.hpp"
#include "chat/webhook_events.hpp"
#include "vitrina/protocol/chat_sequence.hpp"

namespace vitrina::chat {

namespace pc = protocol::chat;
using PeerPtr = std::shared_ptr<Peer>;

store::ChatAppend Service::message_append(const PeerState& s, pc::SendMessage m) {
  store::ChatAppend a;
  a.site_id = s.site->site.id;
  a.visitor_id = s.visitor_id;
  a.user_id = s.user_id;
  a.conversation_id = std::move(m.conversation_id);
  a.new_conversation_id = options_.new_id(pc::kConversationIdPrefix);
  a.actor = actor_of(s);
  a.client_id = std::move(m.client_id);
  a.text = std::move(m.text);
  a.internal = m.internal;
  a.now_ms = clock_.now_ms();
  a.events = message_events(a.site_id, a.now_ms);
  return a;
}

void Service::submit_append(store::ChatAppend a, std::function<void(Result<store::ChatAppended>)> on_hub) {
  auto done = [this, on_hub = std::move(on_hub)](Result<store::ChatAppended> r) mutable {
    options_.post_hub([on_hub = std::move(on_hub), r = std::move(r)]() mutable { on_hub(std::move(r)); });
  };
  store_.append_chat_message(std::move(a), std::move(done));
}

void Service::message(const PeerPtr& peer, std::string ref, pc::SendMessage m) {
  std::string client_id = m.client_id;
  auto on_hub = [this, peer, ref = std::move(ref),
                 client_id = std::move(client_id)](Result<store::ChatAppended> r) mutable {
    if (!r) return send_error(peer, r.error(), std::move(ref), std::move(client_id));
    after_append(peer, ref, *r);
  };
  submit_append(message_append(peer->state, std::move(m)), std::move(on_hub));
}

// GCC 12 believes the Error inside a failed Result<ChatAppended> may be read uninitialized when
// it is copied out here (a known false positive with std::variant at -O2); the Result holds an
// Error whenever !r.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
void Service::note(PeerState who, std::string conversation_id, std::string client_id, std::string text,
                   store::Done<pc::Ack> done) {
  pc::SendMessage m{std::move(conversation_id), std::move(client_id), std::move(text), true};
  auto on_hub = [this, done = std::move(done)](Result<store::ChatAppended> r) {
    if (r) {
      after_append(nullptr, {}, *r);
      return done(r->ack);
    }
    done(r.error());
  };
  submit_append(message_append(who, std::move(m)), std::move(on_hub));
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void Service::offline(const PeerPtr& peer, std::string ref, pc::LeaveOfflineMessage m) {
  const PeerState& s = peer->state;
  store::ChatAppend a;
  a.site_id = s.site->site.id;
  a.visitor_id = s.visitor_id;
  a.user_id = s.user_id;
  a.new_conversation_id = options_.new_id(pc::kConversationIdPrefix);
  a.actor = actor_of(s);
  a.actor.author.name = m.name;
  a.client_id = m.client_id;
  a.text = std::move(m.text);
  a.offline = true;
  a.name = std::move(m.name);
  a.email = std::move(m.email);
  a.phone = std::move(m.phone);
  a.now_ms = clock_.now_ms();
  a.events = offline_events(a.site_id, a.now_ms);
  auto on_hub = [this, peer, ref = std::move(ref),
                 client_id = std::move(m.client_id)](Result<store::ChatAppended> r) mutable {
    if (!r) return send_error(peer, r.error(), std::move(ref), std::move(client_id));
    after_append(peer, ref, *r);
  };
  submit_append(std::move(a), std::move(on_hub));
}

// On the hub: the commit is in; tell the sender (none for the HTTP API), then everyone else.
void Service::after_append(const PeerPtr& peer, const std::string& ref, const store::ChatAppended& a) {
  hub_->remember(a.conversation);
  auto& site = hub_->site(a.conversation.site_id);
  if (!a.duplicate && a.conversation_changed) {
    const bool offline = a.conversation.conversation.kind == pc::ConversationKind::offline;
    if (offline) {
      hub_->to_operators(site, frame_of(pc::ConversationEvent{{}, a.conversation.conversation}));
    } else {
      hub_->announce(site, a.conversation, peer, ref, true);
    }
  }
  if (peer) peer->send(frame_of(a.ack));
  if (a.duplicate) return;
  // While the sender's resume of this conversation is read, its cursor must stay below what is
  // held for it, or the hold would drop messages that came before its own.
  if (peer && !holding_of(peer->state, a.message.conversation_id)) {
    raise_cursor(peer->state, a.message.conversation_id, a.message.seq);
  }
  hub_->deliver(site, a.conversation.visitor_id, a.message, peer.get());
  if (options_.on_event) options_.on_event();
}

// Live messages of the conversation are held for this connection from the moment the hub has
// seen the resume, before anything is read: whatever commits after the read is held and sent
// after the batch, and whatever the read saw is dropped from the held ones by the cursor.
void Service::resume(const PeerPtr& peer, std::string ref, pc::Resume r) {
  options_.post_hub([this, peer, ref = std::move(ref), r = std::move(r)]() mutable {
    hold(peer->state, r.conversation_id);
    peer->post([this, peer, ref = std::move(ref), r = std::move(r)] { read_resume(peer, ref, r); });
  });
}

// On the connection's executor (it may refuse): the batch, read while the hub goes on.
void Service::read_resume(const PeerPtr& peer, const std::string& ref, const pc::Resume& r) {
  PeerState& s = peer->state;
  const bool visitor = s.role == pc::Role::visitor;
  auto release = [&] { options_.post_hub([this, peer, id = r.conversation_id] { unhold(*peer, id); }); };
  auto conv = store_.find_chat_conversation(s.site->site.id, r.conversation_id);
  if (!conv) {
    release();
    return send_error(peer, conv.error(), ref, {});
  }
  if (!*conv || (visitor && (*conv)->visitor_id != s.visitor_id)) {
    release();
    return refuse(peer, protocol::make_error(protocol::ErrorCode::not_found, "no such conversation", "conversation_id"),
                  ref, {});
  }
  remember_typing_visitor(s, r.conversation_id, (*conv)->visitor_id);
  const std::int64_t last_seq = (*conv)->conversation.last_seq;
  auto plan = pc::plan_resume(last_seq, r.last_seen, options_.resume_batch);
  if (!plan) {
    release();
    return refuse(peer, plan.error(), ref, {});
  }
  std::vector<pc::MessageEvent> batch;
  if (!plan->empty()) {
    auto messages = store_.list_chat_messages(r.conversation_id, plan->first - 1,
                                              static_cast<std::size_t>(plan->last - plan->first + 1), !visitor);
    if (!messages) {
      release();
      return send_error(peer, messages.error(), ref, {});
    }
    batch = std::move(*messages);
    std::erase_if(batch, [&](const pc::MessageEvent& m) { return m.seq > plan->last; });
  }
  options_.post_hub([this, peer, ref, conv = std::move(**conv), plan = *plan, batch = std::move(batch)]() mutable {
    hub_->remember(conv);
    const bool to_visitor = peer->state.role == pc::Role::visitor;
    for (auto& m : batch) peer->send(frame_of(to_visitor ? for_visitor(std::move(m)) : std::move(m)));
    raise_cursor(peer->state, conv.conversation.id, plan.last);
    peer->send(frame_of(pc::Resumed{ref, conv.conversation.id, plan.last, conv.conversation.last_seq, plan.more}));
    unhold(*peer, conv.conversation.id);
  });
}

}  // namespace vitrina::chat
