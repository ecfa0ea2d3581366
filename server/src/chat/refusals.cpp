#include "chat/refusals.hpp"

namespace vitrina::chat {

bool count_refusal(PeerState& s, std::int64_t now_ms, std::size_t max_per_window) {
  if (now_ms - s.refused_window_ms >= kRefusalWindowMs) {
    s.refused_window_ms = now_ms;
    s.refused = 0;
  }
  return ++s.refused >= max_per_window;
}

}  // namespace vitrina::chat
