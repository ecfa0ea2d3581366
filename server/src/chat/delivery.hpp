#pragma once
// Per-connection delivery state, touched on the hub only: the cursor that sends each live
// message at most once and in seq order, and the hold that keeps live messages back while the
// connection's resume batch of their conversation is read (Service::resume).

#include <cstdint>
#include <string>

#include "chat/peer.hpp"

namespace vitrina::chat {

/// True (and the cursor moves) unless `s` already has `seq`, or a later one, of the conversation.
bool admit(PeerState& s, const std::string& conversation_id, std::int64_t seq);
/// The connection has everything of the conversation through `seq` (a resume batch).
void raise_cursor(PeerState& s, const std::string& conversation_id, std::int64_t seq);

PeerState::Holding* holding_of(PeerState& s, const std::string& conversation_id);
/// Live messages of the conversation wait from now until the matching unhold.
void hold(PeerState& s, const std::string& conversation_id);
/// The last batch has been sent: what was held goes out, less what the batch already covered.
void unhold(Peer& peer, const std::string& conversation_id);

/// A live message to `p`: held while a resume batch of its conversation is read, else sent at
/// most once. `make_frame` is called only when the frame is needed (it may be shared).
template <class MakeFrame>
void send_live(Peer& p, const std::string& conversation_id, std::int64_t seq, MakeFrame&& make_frame) {
  if (auto* h = holding_of(p.state, conversation_id)) {
    h->held.emplace_back(make_frame(), seq);
    return;
  }
  if (admit(p.state, conversation_id, seq)) p.send(make_frame());
}

/// (conn) remembers a conversation's visitor for typing indicators (bounded, oldest dropped).
void remember_typing_visitor(PeerState& s, const std::string& conversation_id, const std::string& visitor_id);

}  // namespace vitrina::chat
