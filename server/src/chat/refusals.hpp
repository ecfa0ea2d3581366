#pragma once
// Refused frames: a client that keeps sending what the protocol refuses is closed. The count
// lives in PeerState's (conn) fields, so only the connection's own executor calls this; the hub
// sends error frames but never counts them.

#include <cstddef>
#include <cstdint>

#include "chat/peer.hpp"

namespace vitrina::chat {

/// The refusal window: the count starts again this long after the first refusal in it.
inline constexpr std::int64_t kRefusalWindowMs = 60000;

/// Counts one refused frame at steady time `now_ms`; true when that makes `max_per_window`
/// within the window, i.e. the connection should be closed.
bool count_refusal(PeerState& s, std::int64_t now_ms, std::size_t max_per_window);

}  // namespace vitrina::chat
