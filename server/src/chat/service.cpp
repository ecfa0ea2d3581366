#include "chat/service.hpp"

#include <algorithm>
#include <utility>

#include "log/log.hpp"
#include "vitrina/protocol/chat_codec.hpp"
#include "vitrina/protocol/chat_rules.hpp"
#include "vitrina/protocol/chat_sequence.hpp"
#include "vitrina/protocol/json.hpp"
#include "webhooks/event.hpp"

namespace vitrina::chat {

namespace pc = protocol::chat;
using PeerPtr = std::shared_ptr<Peer>;

namespace {

constexpr std::int64_t kSiteCacheMs = 5000;
constexpr std::size_t kMaxCursors = 64;
constexpr std::size_t kMaxConversationCache = 100000;

std::shared_ptr<const std::string> frame_of(const pc::ServerFrame& frame) {
  return std::make_shared<const std::string>(pc::write_server_frame(frame));
}

// What a visitor may see of a conversation: no visitor record, no context, no operator ids.
pc::Conversation for_visitor(pc::Conversation c) {
  c.visitor.reset();
  c.context.reset();
  if (c.assignee) c.assignee->id.clear();
  if (c.closed_by) c.closed_by->id.clear();
  return c;
}

pc::MessageEvent for_visitor(pc::MessageEvent m) {
  m.author.id.clear();
  return m;
}

pc::Author for_visitor(pc::Author a) {
  a.id.clear();
  return a;
}

// A live message for `peer` unless it already has it (or a later one) of this conversation.
bool admit(PeerState& s, const std::string& conversation_id, std::int64_t seq) {
  for (auto& [id, delivered] : s.delivered) {
    if (id != conversation_id) continue;
    if (seq <= delivered) return false;
    delivered = seq;
    return true;
  }
  if (s.delivered.size() >= kMaxCursors) s.delivered.erase(s.delivered.begin());
  s.delivered.emplace_back(conversation_id, seq);
  return true;
}

void raise_cursor(PeerState& s, const std::string& conversation_id, std::int64_t seq) {
  for (auto& [id, delivered] : s.delivered) {
    if (id == conversation_id) {
      delivered = std::max(delivered, seq);
      return;
    }
  }
  if (s.delivered.size() >= kMaxCursors) s.delivered.erase(s.delivered.begin());
  s.delivered.emplace_back(conversation_id, seq);
}

// A resume batch of the conversation is being read for this connection (see Service::resume).
PeerState::Holding* holding_of(PeerState& s, const std::string& conversation_id) {
  for (auto& h : s.holding) {
    if (h.conversation_id == conversation_id) return &h;
  }
  return nullptr;
}

void hold(PeerState& s, const std::string& conversation_id) {
  if (auto* h = holding_of(s, conversation_id)) {
    ++h->resumes;
    return;
  }
  s.holding.push_back({conversation_id, 1, {}});
}

// The last batch has been sent: what was held goes out, less what the batch already covered.
void unhold(Peer& peer, const std::string& conversation_id) {
  PeerState& s = peer.state;
  auto* h = holding_of(s, conversation_id);
  if (!h || --h->resumes > 0) return;
  auto held = std::move(h->held);
  std::erase_if(s.holding, [&](const PeerState::Holding& x) { return x.conversation_id == conversation_id; });
  for (auto& [frame, seq] : held) {
    if (admit(s, conversation_id, seq)) peer.send(std::move(frame));
  }
}

// A live message to `p`: held while a resume batch of its conversation is read, else sent once.
template <class MakeFrame>
void send_live(Peer& p, const std::string& conversation_id, std::int64_t seq, MakeFrame&& make_frame) {
  if (auto* h = holding_of(p.state, conversation_id)) {
    h->held.emplace_back(make_frame(), seq);
    return;
  }
  if (admit(p.state, conversation_id, seq)) p.send(make_frame());
}

constexpr std::size_t kMaxTypingVisitors = 16;

void remember_typing_visitor(PeerState& s, const std::string& conversation_id, const std::string& visitor_id) {
  for (const auto& [id, visitor] : s.typing_visitors) {
    if (id == conversation_id) return;
  }
  if (s.typing_visitors.size() >= kMaxTypingVisitors) s.typing_visitors.erase(s.typing_visitors.begin());
  s.typing_visitors.emplace_back(conversation_id, visitor_id);
}

// The codes the protocol defines pass through; anything else from the store is a server fault.
pc::ErrorEvent error_event(const protocol::Error& e, std::string ref, std::string client_id) {
  static constexpr std::string_view kPassed[] = {
      pc::kErrorMalformed,       pc::kErrorTooLarge,           pc::kErrorUnknownType,        pc::kErrorInvalid,
      pc::kErrorNotAllowed,      pc::kErrorUnsupportedVersion, pc::kErrorIdentityRequired,   pc::kErrorIdentityInvalid,
      pc::kErrorIdentityExpired, pc::kErrorNotFound,           pc::kErrorConversationClosed, pc::kErrorConflict,
      pc::kErrorRateLimited,     pc::kErrorUnavailable};
  pc::ErrorEvent out;
  out.ref = std::move(ref);
  out.client_id = std::move(client_id);
  if (std::find(std::begin(kPassed), std::end(kPassed), e.code) != std::end(kPassed)) {
    out.code = e.code;
    out.message = e.message;
    out.field = e.field;
  } else {
    out.code = pc::kErrorInternal;
    out.message = "the server failed; nothing was stored";
  }
  return out;
}

}  // namespace

struct Service::Hub {
  struct OperatorEntry {
    std::string name;
    pc::OperatorStatus status = pc::OperatorStatus::online;
    int connections = 0;
  };
  struct SiteHub {
    std::vector<PeerPtr> operators;
    std::unordered_map<std::string, std::vector<PeerPtr>> visitors;
    std::unordered_map<std::string, OperatorEntry> presence;
    int online = 0;
    std::shared_ptr<const SiteChat> chat;            // the settings of the last connection registered
    std::optional<pc::PresenceEvent> last_presence;  // the last presence visitors were told
  };
  std::unordered_map<std::string, SiteHub> sites;
  std::unordered_map<std::string, std::string> conversation_visitor;

  SiteHub& site(const std::string& id) { return sites[id]; }

  // The site's availability to every visitor connected to it.
  void tell_visitors(SiteHub& s, const pc::PresenceEvent& p) {
    s.last_presence = p;
    auto frame = frame_of(p);
    for (auto& [id, peers] : s.visitors) {
      for (auto& v : peers) v->send(frame);
    }
  }

  void remember(const store::ChatConversation& c) {
    if (conversation_visitor.size() >= kMaxConversationCache) conversation_visitor.clear();
    conversation_visitor[c.conversation.id] = c.visitor_id;
  }

  void to_operators(SiteHub& s, const std::shared_ptr<const std::string>& frame, const Peer* except = nullptr) {
    for (auto& p : s.operators) {
      if (p.get() != except) p->send(frame);
    }
  }
  void to_visitor(SiteHub& s, const std::string& visitor_id, const std::shared_ptr<const std::string>& frame,
                  const Peer* except = nullptr) {
    auto it = s.visitors.find(visitor_id);
    if (it == s.visitors.end()) return;
    for (auto& p : it->second) {
      if (p.get() != except) p->send(frame);
    }
  }

  // A committed message to everyone in the conversation but `except`, each at most once.
  void deliver(SiteHub& s, const std::string& visitor_id, const pc::MessageEvent& m, const Peer* except) {
    std::shared_ptr<const std::string> to_ops;
    auto ops_frame = [&] { return to_ops ? to_ops : (to_ops = frame_of(m)); };
    for (auto& p : s.operators) {
      if (p.get() != except) send_live(*p, m.conversation_id, m.seq, ops_frame);
    }
    if (m.internal) return;
    auto it = s.visitors.find(visitor_id);
    if (it == s.visitors.end()) return;
    std::shared_ptr<const std::string> to_vis;
    auto vis_frame = [&] { return to_vis ? to_vis : (to_vis = frame_of(for_visitor(m))); };
    for (auto& p : it->second) {
      if (p.get() != except) send_live(*p, m.conversation_id, m.seq, vis_frame);
    }
  }

  // A conversation's new state: to its visitor and the site's operators; `actor` gets `ref`.
  void announce(SiteHub& s, const store::ChatConversation& c, const PeerPtr& actor, const std::string& ref,
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
};

Service::Service(store::Store& store, VisitorTokens tokens, const clock::Clock& clock, ServiceOptions options)
    : store_(store),
      tokens_(std::move(tokens)),
      clock_(clock),
      options_(std::move(options)),
      hub_(std::make_unique<Hub>()) {}

Service::~Service() = default;

Result<std::shared_ptr<const SiteChat>> Service::site_by_id(std::string_view site_id) {
  const std::int64_t now = clock_.steady_ms();
  {
    std::lock_guard lock(sites_mu_);
    auto it = sites_.find(std::string(site_id));
    if (it != sites_.end() && now - it->second.loaded_ms < kSiteCacheMs) return {it->second.site};
  }
  auto found = store_.find_site_by_id(site_id);
  if (!found) return std::move(found).error();
  if (!*found) return std::shared_ptr<const SiteChat>{};
  auto loaded = load_site_chat(std::move(**found));
  if (!loaded) return std::move(loaded).error();
  std::lock_guard lock(sites_mu_);
  site_by_key_[(*loaded)->site.public_key] = (*loaded)->site.id;
  sites_[(*loaded)->site.id] = {*loaded, now};
  return {*loaded};
}

// The hub's way in: never reads, and a stale entry is served (and asked for again by the next
// refresh_stale_sites) rather than waited for.
std::shared_ptr<const SiteChat> Service::cached_site(const std::string& site_id) {
  std::lock_guard lock(sites_mu_);
  auto it = sites_.find(site_id);
  if (it == sites_.end()) return nullptr;
  it->second.wanted = true;
  return it->second.site;
}

void Service::refresh_stale_sites() {
  const std::int64_t now = clock_.steady_ms();
  std::vector<std::string> stale;
  {
    std::lock_guard lock(sites_mu_);
    // Entries nobody asked for since they were loaded are dropped rather than kept warm.
    std::erase_if(sites_, [&](const auto& entry) {
      const auto& [id, cached] = entry;
      if (now - cached.loaded_ms < kSiteCacheMs) return false;
      if (cached.wanted) stale.push_back(id);
      return !cached.wanted;
    });
  }
  for (const auto& id : stale) {
    auto found = store_.find_site_by_id(id);
    if (!found) continue;  // the stale entry stays; the next refresh tries again
    std::lock_guard lock(sites_mu_);
    if (!*found) {
      sites_.erase(id);
      continue;
    }
    if (auto loaded = load_site_chat(std::move(**found))) sites_[id] = {*loaded, now};
  }
}

Result<std::shared_ptr<const SiteChat>> Service::site_by_public_key(std::string_view public_key) {
  std::string id;
  {
    std::lock_guard lock(sites_mu_);
    auto it = site_by_key_.find(std::string(public_key));
    if (it != site_by_key_.end()) id = it->second;
  }
  if (!id.empty()) return site_by_id(id);
  auto found = store_.find_site_by_public_key(public_key);
  if (!found) return std::move(found).error();
  if (!*found) return std::shared_ptr<const SiteChat>{};
  return site_by_id((*found)->id);
}

void Service::send_to_operators(std::string site_id, std::string frame) {
  auto shared = std::make_shared<const std::string>(std::move(frame));
  options_.post_hub([this, site_id = std::move(site_id), shared = std::move(shared)] {
    // find, not site(): a site nobody is connected to gets no entry.
    auto it = hub_->sites.find(site_id);
    if (it != hub_->sites.end()) hub_->to_operators(it->second, shared);
  });
}

std::size_t Service::visitor_connections(std::string_view site_id) {
  std::lock_guard lock(sites_mu_);
  auto it = visitor_counts_.find(std::string(site_id));
  return it == visitor_counts_.end() ? 0 : it->second;
}

void Service::count_visitor_connection(std::string_view site_id, int delta) {
  std::lock_guard lock(sites_mu_);
  auto& n = visitor_counts_[std::string(site_id)];
  if (delta < 0 && n > 0) --n;
  if (delta > 0) ++n;
}

pc::Actor Service::actor_of(const PeerState& s) const {
  pc::Actor a;
  if (s.role == pc::Role::visitor) {
    a.author = {pc::AuthorRole::visitor, {}, {}};
  } else {
    a.author = {pc::AuthorRole::operator_, s.operator_id, s.operator_name};
    a.operator_role = s.operator_role;
  }
  return a;
}

pc::PresenceEvent Service::availability(const SiteChat& site) const {
  pc::PresenceEvent p;
  const std::int64_t now = clock_.now_ms();
  if (site.hours && !site.hours->is_open(now)) {
    p.status = pc::Availability::closed;
    p.next_open_at_ms = site.hours->next_open(now);
    return p;
  }
  auto it = hub_->sites.find(site.site.id);
  p.status = it != hub_->sites.end() && it->second.online > 0 ? pc::Availability::online : pc::Availability::offline;
  return p;
}

void Service::send_error(const PeerPtr& peer, const protocol::Error& error, std::string ref, std::string client_id) {
  peer->send(frame_of(error_event(error, std::move(ref), std::move(client_id))));
}

// The count is a (conn) field: only the connection's executor may refuse, never the hub.
void Service::refuse(const PeerPtr& peer, const protocol::Error& error, std::string ref, std::string client_id) {
  send_error(peer, error, std::move(ref), std::move(client_id));
  PeerState& s = peer->state;
  const std::int64_t now = clock_.steady_ms();
  if (now - s.refused_window_ms >= 60000) {
    s.refused_window_ms = now;
    s.refused = 0;
  }
  if (++s.refused >= options_.max_refused_per_minute) peer->close(pc::kCloseProtocolError, "too many refused frames");
}

void Service::refuse_rate(const PeerPtr& peer, std::int64_t retry_after_ms) {
  pc::ErrorEvent e;
  e.code = pc::kErrorRateLimited;
  e.message = "too many frames";
  e.retry_after_ms = retry_after_ms;
  peer->send(frame_of(e));
}

void Service::refuse_too_large(const PeerPtr& peer) {
  pc::ErrorEvent e;
  e.code = pc::kErrorTooLarge;
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
           protocol::make_error(std::string(pc::kErrorNotAllowed),
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
  options_.post_hub([this, peer] {
    PeerState& s = peer->state;
    if (!s.registered || !s.site) return;
    s.registered = false;
    auto& site = hub_->site(s.site->site.id);
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
    hub_->to_operators(
        site, frame_of(pc::OperatorPresenceEvent{s.operator_id, s.operator_name, pc::OperatorStatus::offline}));
    if (was_online && --site.online == 0) hub_->tell_visitors(site, availability(*s.site));
  });
}

void Service::hello(const PeerPtr& peer, std::string ref, pc::Hello h) {
  PeerState& s = peer->state;
  if (h.version != pc::kProtocolVersion) {
    send_error(peer,
               protocol::make_error(std::string(pc::kErrorUnsupportedVersion), "this server speaks version 1", "v"),
               ref, {});
    return peer->close(pc::kCloseProtocolError, "unsupported version");
  }
  if (s.role == pc::Role::operator_) {
    s.welcomed = true;
    options_.post_hub([this, peer, ref = std::move(ref)] {
      PeerState& st = peer->state;
      auto& site = hub_->site(st.site->site.id);
      st.registered = true;
      site.operators.push_back(peer);
      site.chat = st.site;
      auto& entry = site.presence[st.operator_id];
      const bool first = entry.connections++ == 0;
      entry.name = st.operator_name;
      pc::Welcome w;
      w.ref = ref;
      w.limits = options_.limits;
      w.operator_session =
          pc::OperatorSession{st.operator_id, st.operator_name, st.operator_role, st.site->site.id, entry.status};
      peer->send(frame_of(w));
      for (const auto& [id, other] : site.presence) {
        if (id == st.operator_id) continue;
        peer->send(frame_of(pc::OperatorPresenceEvent{id, other.name, other.status}));
      }
      if (!first) return;
      hub_->to_operators(site, frame_of(pc::OperatorPresenceEvent{st.operator_id, st.operator_name, entry.status}),
                         peer.get());
      if (entry.status == pc::OperatorStatus::online && site.online++ == 0) {
        hub_->tell_visitors(site, availability(*st.site));
      }
    });
    return;
  }

  const SiteChat& site = *s.site;
  const std::int64_t now_s = clock_.now_ms() / 1000;
  auto identity = check_identity(site.identity_mode, site.identity_secret, h.identity, now_s);
  if (!identity) {
    send_error(peer, identity.error(), ref, {});
    return peer->close(pc::kCloseUnauthenticated, "identity");
  }
  auto token =
      tokens_.for_hello(h.token, site.site.id, now_s, [this] { return options_.new_id(pc::kVisitorIdPrefix); });
  if (*identity) {
    // A verified user is one visitor on every device.
    auto known = store_.find_chat_visitor_by_user(site.site.id, (*identity)->user_id);
    if (!known) {
      send_error(peer, known.error(), ref, {});
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
  options_.post_hub([this, peer, ref = std::move(ref), token = std::move(token), open = std::move(open)] {
    PeerState& st = peer->state;
    auto& hub_site = hub_->site(st.site->site.id);
    st.registered = true;
    hub_site.visitors[st.visitor_id].push_back(peer);
    hub_site.chat = st.site;
    pc::VisitorSession v;
    v.visitor_id = st.visitor_id;
    v.token = token.token;
    v.token_expires_at_ms = token.expires_at_s * 1000;
    v.token_status = token.status;
    v.user_id = st.user_id;
    v.presence = availability(*st.site);
    // What the others were told stands until the tick sees a change (refresh_presence).
    if (!hub_site.last_presence) hub_site.last_presence = v.presence;
    if (open) {
      hub_->remember(*open);
      v.conversation = for_visitor(open->conversation);
    }
    pc::Welcome w;
    w.ref = ref;
    w.limits = options_.limits;
    w.visitor = std::move(v);
    peer->send(frame_of(w));
  });
  if (h.context) context(peer, std::move(*h.context), std::move(open_id));
}

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
  a.events = [site_id = a.site_id, now = a.now_ms](const store::ChatAppended& r) {
    std::vector<store::NewWebhookEvent> events;
    if (r.conversation_created) {
      protocol::JsonWriter w;
      pc::write_conversation(w, r.conversation.conversation);
      events.push_back(webhooks::make_event(site_id, "conversation.created", w.str(), now));
    }
    if (!r.message.internal) {
      protocol::JsonWriter w;
      pc::write_message(w, r.message);
      events.push_back(webhooks::make_event(site_id, "message.created", w.str(), now));
    }
    return events;
  };
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

void Service::note(PeerState who, std::string conversation_id, std::string client_id, std::string text,
                   store::Done<pc::Ack> done) {
  pc::SendMessage m{std::move(conversation_id), std::move(client_id), std::move(text), true};
  auto on_hub = [this, done = std::move(done)](Result<store::ChatAppended> r) {
    if (!r) return done(std::move(r).error());
    after_append(nullptr, {}, *r);
    done(r->ack);
  };
  submit_append(message_append(who, std::move(m)), std::move(on_hub));
}

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
  const std::string site_id = a.site_id;
  const std::int64_t now = a.now_ms;
  a.events = [site_id, now](const store::ChatAppended& r) {
    std::vector<store::NewWebhookEvent> events;
    protocol::JsonWriter c;
    pc::write_conversation(c, r.conversation.conversation);
    events.push_back(webhooks::make_event(site_id, "conversation.created", c.str(), now));
    if (r.offline) {
      protocol::JsonWriter w;
      pc::write_offline_message(w, *r.offline);
      events.push_back(webhooks::make_event(site_id, "offline_message.created", w.str(), now));
    }
    return events;
  };
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
  if (peer) raise_cursor(peer->state, a.message.conversation_id, a.message.seq);
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
    return refuse(peer, protocol::make_error("not_found", "no such conversation", "conversation_id"), ref, {});
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
      PeerState& st = peer->state;
      auto& site = hub_->site(st.site->site.id);
      const pc::Author reader = actor_of(st).author;
      hub_->to_operators(site, frame_of(pc::ReadEvent{conversation_id, reader, result->seq}), peer.get());
      if (st.role == pc::Role::visitor) return;
      auto it = hub_->conversation_visitor.find(conversation_id);
      if (it != hub_->conversation_visitor.end()) {
        hub_->to_visitor(site, it->second, frame_of(pc::ReadEvent{conversation_id, for_visitor(reader), result->seq}));
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

void Service::refresh_presence() {
  // The settings may have changed (new business hours): the sites the hub asked for are read
  // again here, on the caller's thread, and the hub takes them from the cache without reading.
  refresh_stale_sites();
  options_.post_hub([this] {
    for (auto& [id, site] : hub_->sites) {
      if (site.visitors.empty() || !site.chat) continue;
      if (auto cached = cached_site(id)) site.chat = std::move(cached);
      const auto now = availability(*site.chat);
      if (site.last_presence != now) hub_->tell_visitors(site, now);
    }
  });
}

void Service::presence(const PeerPtr& peer, pc::OperatorStatus status) {
  options_.post_hub([this, peer, status] {
    PeerState& s = peer->state;
    auto& site = hub_->site(s.site->site.id);
    auto it = site.presence.find(s.operator_id);
    if (it == site.presence.end() || it->second.status == status) return;
    const bool was_online = it->second.status == pc::OperatorStatus::online;
    it->second.status = status;
    hub_->to_operators(site, frame_of(pc::OperatorPresenceEvent{s.operator_id, s.operator_name, status}), peer.get());
    const int before = site.online;
    site.online += (status == pc::OperatorStatus::online) - (was_online ? 1 : 0);
    if ((before == 0) != (site.online == 0)) hub_->tell_visitors(site, availability(*s.site));
  });
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
                                                   std::string(pc::kErrorNotFound), "no such operator", "operator_id"));
      options_.post_hub(
          [on_hub = std::move(on_hub), refused = std::move(refused)]() mutable { on_hub(std::move(refused)); });
      return;
    }
    act.target = {pc::AuthorRole::operator_, (*target)->id, (*target)->name};
  }
  act.events = [site_id = act.site_id, now = act.now_ms](const store::ChatActed& r) {
    std::vector<store::NewWebhookEvent> events;
    if (r.conversation.conversation.status == pc::ConversationStatus::closed) {
      protocol::JsonWriter w;
      pc::write_conversation(w, r.conversation.conversation);
      events.push_back(webhooks::make_event(site_id, "conversation.closed", w.str(), now));
    }
    return events;
  };
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
