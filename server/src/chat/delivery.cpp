#include "chat/delivery.hpp"

#include <algorithm>
#include <utility>

namespace vitrina::chat {

namespace {

// Bounds on what one connection keeps: an operator may have many conversations open.
constexpr std::size_t kMaxCursors = 64;
constexpr std::size_t kMaxTypingVisitors = 16;

}  // namespace

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

void unhold(Peer& peer, const std::string& conversation_id) {
  PeerState& s = peer.state;
  auto* h = holding_of(s, conversation_id);
  // Two resumes of one conversation: the second batch is still to come.
  if (!h || --h->resumes > 0) return;
  auto held = std::move(h->held);
  std::erase_if(s.holding, [&](const PeerState::Holding& x) { return x.conversation_id == conversation_id; });
  for (auto& [frame, seq] : held) {
    if (admit(s, conversation_id, seq)) peer.send(std::move(frame));
  }
}

void remember_typing_visitor(PeerState& s, const std::string& conversation_id, const std::string& visitor_id) {
  for (const auto& [id, visitor] : s.typing_visitors) {
    if (id == conversation_id) return;
  }
  if (s.typing_visitors.size() >= kMaxTypingVisitors) s.typing_visitors.erase(s.typing_visitors.begin());
  s.typing_visitors.emplace_back(conversation_id, visitor_id);
}

}  // namespace vitrina::chat
