#pragma once
// The set of live connections, per site, and the operators' presence: everything here runs on
// the hub's serial executor only (ServiceOptions::post_hub), so it needs no locks, and nothing
// here reads the store. Frames go out through Peer::send, which never blocks.

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "chat/peer.hpp"
#include "chat/site_cache.hpp"
#include "clock/clock.hpp"
#include "store/chat_records.hpp"
#include "vitrina/protocol/chat.hpp"

namespace vitrina::chat {

class Hub {
 public:
  using PeerPtr = std::shared_ptr<Peer>;
  using Frame = std::shared_ptr<const std::string>;

  struct OperatorEntry {
    std::string name;
    protocol::chat::OperatorStatus status = protocol::chat::OperatorStatus::online;
    int connections = 0;
  };
  struct SiteHub {
    std::vector<PeerPtr> operators;
    std::unordered_map<std::string, std::vector<PeerPtr>> visitors;
    std::unordered_map<std::string, OperatorEntry> presence;
    int online = 0;
    std::shared_ptr<const SiteChat> chat;                        // the settings last seen
    std::optional<protocol::chat::PresenceEvent> last_presence;  // the last presence visitors were told
  };

  explicit Hub(const clock::Clock& clock) : clock_(clock) {}

  SiteHub& site(const std::string& id) { return sites_[id]; }
  /// Nothing for a site nobody is connected to (and no entry is made for it).
  SiteHub* find_site(const std::string& id);

  /// An operator's connection after hello: it gets `welcome` (with its current status) and the
  /// other operators' presence; they, and the visitors if the site just came online, are told.
  void add_operator(const PeerPtr& peer, protocol::chat::Welcome welcome);
  /// A visitor's connection after hello, with its open conversation if it has one.
  void add_visitor(const PeerPtr& peer, protocol::chat::Welcome welcome, std::optional<store::ChatConversation> open);
  /// The connection has ended; an operator's last connection takes it offline.
  void remove(const PeerPtr& peer);
  /// An operator sets its status.
  void set_status(const PeerPtr& peer, protocol::chat::OperatorStatus status);
  /// Recomputes each site's availability (business hours move with the clock) with the settings
  /// the cache holds, and tells its visitors when it changed.
  void refresh_presence(SiteCache& sites);

  /// The conversation's visitor, as far as the hub has seen it; "" when unknown.
  const std::string& visitor_of(const std::string& conversation_id) const;
  void remember(const store::ChatConversation& c);

  void to_operators(SiteHub& s, const Frame& frame, const Peer* except = nullptr);
  void to_visitor(SiteHub& s, const std::string& visitor_id, const Frame& frame, const Peer* except = nullptr);
  /// A committed message to everyone in the conversation but `except`, each at most once.
  void deliver(SiteHub& s, const std::string& visitor_id, const protocol::chat::MessageEvent& m, const Peer* except);
  /// A conversation's new state: to its visitor and the site's operators; `actor` gets `ref`.
  void announce(SiteHub& s, const store::ChatConversation& c, const PeerPtr& actor, const std::string& ref,
                bool to_everyone);

 private:
  protocol::chat::PresenceEvent availability(const SiteChat& site) const;
  // The site's availability to every visitor connected to it.
  void tell_visitors(SiteHub& s, const protocol::chat::PresenceEvent& p);

  const clock::Clock& clock_;
  std::unordered_map<std::string, SiteHub> sites_;
  std::unordered_map<std::string, std::string> conversation_visitor_;
};

}  // namespace vitrina::chat
