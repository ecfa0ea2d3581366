#include "chat/hub.hpp"

#include <utility>

#include "chat/delivery.hpp"
#include "chat/frames.hpp"

namespace vitrina::chat {

namespace pc = protocol::chat;

namespace {

constexpr std::size_t kMaxConversationCache = 100000;

}  // namespace

Hub::SiteHub* Hub::find_site(const std::string& id) {
  auto it = sites_.find(id);
  return it == sites_.end() ? nullptr : &it->second;
}

pc::PresenceEvent Hub::availability(const SiteChat& site) const {
  pc::PresenceEvent p;
  const std::int64_t now = clock_.now_ms();
  if (site.hours && !site.hours->is_open(now)) {
    p.status = pc::Availability::closed;
    p.next_open_at_ms = site.hours->next_open(now);
    return p;
  }
  auto it = sites_.find(site.site.id);
  p.status = it != sites_.end() && it->second.online > 0 ? pc::Availability::online : pc::Availability::offline;
  return p;
}

void Hub::tell_visitors(SiteHub& s, const pc::PresenceEvent& p) {
  s.last_presence = p;
  auto frame = frame_of(p);
  for (auto& [id, peers] : s.visitors) {
    for (auto& v : peers) v->send(frame);
  }
}

void Hub::add_operator(const PeerPtr& peer, pc::Welcome welcome) {
  PeerState& st = peer->state;
  auto& site = this->site(st.site->site.id);
  st.registered = true;
  site.operators.push_back(peer);
  site.chat = st.site;
  auto& entry = site.presence[st.operator_id];
  const bool first = entry.connections++ == 0;
  entry.name = st.operator_name;
  welcome.operator_session =
      pc::OperatorSession{st.operator_id, st.operator_name, st.operator_role, st.site->site.id, entry.status};
  peer->send(frame_of(welcome));
  for (const auto& [id, other] : site.presence) {
    if (id == st.operator_id) continue;
    peer->send(frame_of(pc::OperatorPresenceEvent{id, other.name, other.status}));
  }
  if (!first) return;
  to_operators(site, frame_of(pc::OperatorPresenceEvent{st.operator_id, st.operator_name, entry.status}), peer.get());
  if (entry.status == pc::OperatorStatus::online && site.online++ == 0) tell_visitors(site, availability(*st.site));
}

void Hub::add_visitor(const PeerPtr& peer, pc::Welcome welcome, std::optional<store::ChatConversation> open) {
  PeerState& st = peer->state;
  auto& site = this->site(st.site->site.id);
  st.registered = true;
  site.visitors[st.visitor_id].push_back(peer);
  site.chat = st.site;
  pc::VisitorSession& v = *welcome.visitor;
  v.presence = availability(*st.site);
  // What the others were told stands until the tick sees a change (refresh_presence).
  if (!site.last_presence) site.last_presence = v.presence;
  if (open) {
    remember(*open);
    v.conversation = for_visitor(open->conversation);
  }
  peer->send(frame_of(welcome));
}

void Hub::remove(const PeerPtr& peer) {
  PeerState& s = peer->state;
  if (!s.registered || !s.site) return;
  s.registered = false;
  auto& site = this->site(s.site->site.id);
  if (s.role == pc::Role::visitor) {
    auto it = site.visitors.find(s.visitor_id);
    if (it != site.visitors.end()) {
      std::erase(it->second, peer);
      if (it->second.empty()) site.visitors.erase(it);
    }
    return;
  }
  std::erase(site.operators, peer);
  auto it = site.presence.find(s.operator_id);
  if (it == site.presence.end() || --it->second.connections > 0) return;
  const bool was_online = it->second.status == pc::OperatorStatus::online;
  site.presence.erase(it);
  to_operators(site, frame_of(pc::OperatorPresenceEvent{s.operator_id, s.operator_name, pc::OperatorStatus::offline}));
  if (was_online && --site.online == 0) tell_visitors(site, availability(*s.site));
}

void Hub::set_status(const PeerPtr& peer, pc::OperatorStatus status) {
  const PeerState& s = peer->state;
  auto& site = this->site(s.site->site.id);
  auto it = site.presence.find(s.operator_id);
  if (it == site.presence.end() || it->second.status == status) return;
  const bool was_online = it->second.status == pc::OperatorStatus::online;
  it->second.status = status;
  to_operators(site, frame_of(pc::OperatorPresenceEvent{s.operator_id, s.operator_name, status}), peer.get());
  const int before = site.online;
  site.online += (status == pc::OperatorStatus::online) - (was_online ? 1 : 0);
  if ((before == 0) != (site.online == 0)) tell_visitors(site, availability(*s.site));
}

void Hub::refresh_presence(SiteCache& sites) {
  for (auto& [id, site] : sites_) {
    if (site.visitors.empty() || !site.chat) continue;
    if (auto cached = sites.cached(id)) site.chat = std::move(cached);
    const auto now = availability(*site.chat);
    if (site.last_presence != now) tell_visitors(site, now);
  }
}

const std::string& Hub::visitor_of(const std::string& conversation_id) const {
  static const std::string kUnknown;
  auto it = conversation_visitor_.find(conversation_id);
  return it == conversation_visitor_.end() ? kUnknown : it->second;
}

void Hub::remember(const store::ChatConversation& c) {
  if (conversation_visitor_.size() >= kMaxConversationCache) conversation_visitor_.clear();
  conversation_visitor_[c.conversation.id] = c.visitor_id;
}

void Hub::to_operators(SiteHub& s, const Frame& frame, const Peer* except) {
  for (auto& p : s.operators) {
    if (p.get() != except) p->send(frame);
  }
}

void Hub::to_visitor(SiteHub& s, const std::string& visitor_id, const Frame& frame, const Peer* except) {
  auto it = s.visitors.find(visitor_id);
  if (it == s.visitors.end()) return;
  for (auto& p : it->second) {
    if (p.get() != except) p->send(frame);
  }
}

void Hub::deliver(SiteHub& s, const std::string& visitor_id, const pc::MessageEvent& m, const Peer* except) {
  Frame to_ops;
  auto ops_frame = [&] { return to_ops ? to_ops : (to_ops = frame_of(m)); };
  for (auto& p : s.operators) {
    if (p.get() != except) send_live(*p, m.conversation_id, m.seq, ops_frame);
  }
  if (m.internal) return;
  auto it = s.visitors.find(visitor_id);
  if (it == s.visitors.end()) return;
  Frame to_vis;
  auto vis_frame = [&] { return to_vis ? to_vis : (to_vis = frame_of(for_visitor(m))); };
  for (auto& p : it->second) {
    if (p.get() != except) send_live(*p, m.conversation_id, m.seq, vis_frame);
  }
}

void Hub::announce(SiteHub& s, const store::ChatConversation& c, const PeerPtr& actor, const std::string& ref,
                   bool to_everyone) {
  const bool actor_is_visitor = actor && actor->state.role == pc::Role::visitor;
  if (actor) {
    pc::ConversationEvent own{ref, actor_is_visitor ? for_visitor(c.conversation) : c.conversation};
    actor->send(frame_of(own));
  }
  if (!to_everyone) return;
  to_operators(s, frame_of(pc::ConversationEvent{{}, c.conversation}), actor.get());
  to_visitor(s, c.visitor_id, frame_of(pc::ConversationEvent{{}, for_visitor(c.conversation)}), actor.get());
}

}  // namespace vitrina::chat
