#pragma once
/// \file
/// The live chat's sequencing rules as pure logic: "nothing lost, nothing doubled".
///
/// - Each conversation numbers its messages 1, 2, 3… (`seq`), in the order they are committed.
///   Internal notes take numbers too, so visitors may see gaps; a gap never means a loss.
/// - A message is identified by its author and the client id the author chose. The first
///   message with a given (author, client id) in a conversation gets the next seq; any later one
///   with the same pair gets the first one's ack back and stores nothing.
/// - A resume from `last_seen` returns the messages with seq in (last_seen, last_seq], oldest
///   first, in batches.
///
/// The store applies the same rules inside its transactions (a unique index on conversation,
/// author and client id); ConversationSequence is the reference model and an in-memory cache.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol::chat {

/// The most messages one `resumed` batch covers unless the server is configured otherwise.
inline constexpr std::int64_t kDefaultResumeBatch = 100;

/// What a committed message was given.
struct SeqAssignment {
  std::int64_t seq = 0;
  std::int64_t created_at_ms = 0;
  bool duplicate = false;  ///< true: an earlier message had this client id; nothing new is stored
  bool operator==(const SeqAssignment&) const = default;
};

/// The decision for a new message in a conversation whose highest seq is `last_seq`: the earlier
/// assignment again (marked duplicate) when `earlier` is the one stored for the same author and
/// client id, else seq `last_seq + 1` at `now_ms`. Errors: "invalid" (field "last_seq") for a
/// negative last_seq, "conflict" when the conversation has reached kMaxSeq.
Result<SeqAssignment> assign_seq(std::int64_t last_seq, const std::optional<SeqAssignment>& earlier,
                                 std::int64_t now_ms);

/// The messages one resume batch returns: seq `first` to `last` inclusive (none when
/// first > last), and whether more remain after `last`.
struct ResumeRange {
  std::int64_t first = 1;
  std::int64_t last = 0;
  bool more = false;
  bool empty() const noexcept { return first > last; }
  bool operator==(const ResumeRange&) const = default;
};

/// The batch for `resume` from `last_seen` in a conversation whose highest seq is `last_seq`,
/// at most `batch` messages long. `last_seen == last_seq` is an empty, final range. Errors:
/// "invalid" with field "last_seen" when it is negative or above `last_seq` (the client saw
/// a seq this conversation never had: it must resume from 0), "invalid" with field "batch"
/// when batch < 1.
Result<ResumeRange> plan_resume(std::int64_t last_seq, std::int64_t last_seen,
                                std::int64_t batch = kDefaultResumeBatch);

/// A read receipt: the reader's new read position, or nothing when `requested` is not past
/// `current` (receipts only move forward; a stale one is ignored, not an error). Errors:
/// "invalid" with field "seq" when `requested` is negative or above `last_seq`.
Result<std::optional<std::int64_t>> advance_read(std::int64_t current, std::int64_t requested, std::int64_t last_seq);

/// The highest seq a connection (or a client) has delivered in one conversation. A message is
/// delivered only when its seq is above it, so a message that arrives both live and in a resume
/// batch is shown once.
class DeliveryCursor {
 public:
  explicit DeliveryCursor(std::int64_t delivered = 0) noexcept : delivered_(delivered) {}
  /// True (and the cursor moves to `seq`) when `seq` is new; false for a repeat or an old one.
  bool admit(std::int64_t seq) noexcept {
    if (seq <= delivered_) return false;
    delivered_ = seq;
    return true;
  }
  std::int64_t delivered() const noexcept { return delivered_; }

 private:
  std::int64_t delivered_;
};

/// One conversation's numbering in memory: the last seq and every (author, client id) seen.
class ConversationSequence {
 public:
  explicit ConversationSequence(std::int64_t last_seq = 0) : last_seq_(last_seq) {}

  /// Records a message seen before (e.g. loaded from the store).
  void remember(std::string_view author, std::string_view client_id, SeqAssignment assignment);

  /// assign_seq for a new message by `author` (the visitor's id or the operator's id) with
  /// `client_id`; a new message moves last_seq.
  Result<SeqAssignment> append(std::string_view author, std::string_view client_id, std::int64_t now_ms);

  /// plan_resume against this conversation's last seq.
  Result<ResumeRange> resume(std::int64_t last_seen, std::int64_t batch = kDefaultResumeBatch) const {
    return plan_resume(last_seq_, last_seen, batch);
  }

  std::int64_t last_seq() const noexcept { return last_seq_; }

 private:
  static std::string key(std::string_view author, std::string_view client_id);

  std::int64_t last_seq_;
  std::unordered_map<std::string, SeqAssignment> seen_;
};

}  // namespace vitrina::protocol::chat
