#include "vitrina/protocol/chat_sequence.hpp"

#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::protocol::chat {

Result<SeqAssignment> assign_seq(std::int64_t last_seq, const std::optional<SeqAssignment>& earlier,
                                 std::int64_t now_ms) {
  if (earlier) {
    SeqAssignment again = *earlier;
    again.duplicate = true;
    return again;
  }
  if (last_seq < 0) return make_error(ErrorCode::invalid, "last_seq must not be negative", "last_seq");
  if (last_seq >= kMaxSeq) return make_error(ErrorCode::conflict, "the conversation has no sequence numbers left");
  return SeqAssignment{last_seq + 1, now_ms, false};
}

Result<ResumeRange> plan_resume(std::int64_t last_seq, std::int64_t last_seen, std::int64_t batch) {
  if (batch < 1) return make_error(ErrorCode::invalid, "batch must be at least 1", "batch");
  if (last_seen < 0 || last_seen > last_seq) {
    return make_error(ErrorCode::invalid,
                      "last_seen must be between 0 and the conversation's last seq " + std::to_string(last_seq),
                      "last_seen");
  }
  ResumeRange range;
  range.first = last_seen + 1;
  // last_seq - last_seen cannot overflow: both are in [0, last_seq].
  range.last = last_seq - last_seen > batch ? last_seen + batch : last_seq;
  range.more = range.last < last_seq;
  return range;
}

Result<std::optional<std::int64_t>> advance_read(std::int64_t current, std::int64_t requested, std::int64_t last_seq) {
  if (requested < 0 || requested > last_seq) {
    return make_error(ErrorCode::invalid,
                      "seq must be between 0 and the conversation's last seq " + std::to_string(last_seq), "seq");
  }
  if (requested <= current) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{requested};
}

std::string ConversationSequence::key(std::string_view author, std::string_view client_id) {
  // Neither part may contain a line feed (ids are restricted to letters, digits, '_' and '-').
  std::string k;
  k.reserve(author.size() + 1 + client_id.size());
  k.append(author).push_back('\n');
  k.append(client_id);
  return k;
}

void ConversationSequence::remember(std::string_view author, std::string_view client_id, SeqAssignment assignment) {
  assignment.duplicate = false;
  if (assignment.seq > last_seq_) last_seq_ = assignment.seq;
  seen_.insert_or_assign(key(author, client_id), assignment);
}

Result<SeqAssignment> ConversationSequence::append(std::string_view author, std::string_view client_id,
                                                   std::int64_t now_ms) {
  std::string k = key(author, client_id);
  std::optional<SeqAssignment> earlier;
  if (const auto it = seen_.find(k); it != seen_.end()) earlier = it->second;
  auto assigned = assign_seq(last_seq_, earlier, now_ms);
  if (assigned && !assigned->duplicate) {
    last_seq_ = assigned->seq;
    seen_.emplace(std::move(k), *assigned);
  }
  return assigned;
}

}  // namespace vitrina::protocol::chat
