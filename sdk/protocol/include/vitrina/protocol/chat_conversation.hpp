#pragma once
/// \file
/// The conversation state machine: what `take`, `assign`, `close`, `reopen` and new messages do
/// to a conversation's status and assignee. Pure functions over plain values, like payment.hpp:
/// the store keeps the state, the hub calls these and writes the result (and its webhook) when
/// `changed`.
///
/// ```
///   waiting --take | assign | operator message--> open --close--> closed
///      \_____________________close__________________________________^
///   closed --reopen--> open (assigned to whoever reopened it)
/// ```
///
/// - take (operators): waiting -> open, assigned to the taker. Already theirs: no change.
///   Someone else's: "conflict" (transfer it with assign instead).
/// - assign (operators): waiting or open -> open, assigned to the target. An owner may assign
///   any conversation; an operator only a waiting one or one assigned to them (a transfer);
///   otherwise "not_allowed". Already the target's: no change.
/// - close (visitors: their own; operators): waiting or open -> closed, with the time and who
///   closed it. Already closed: no change.
/// - reopen (operators): closed -> open, assigned to the reopener; not closed: no change.
/// - A message: to a closed conversation "conversation_closed", except an operator's internal
///   note, which is allowed. An operator's reply (not a note) to a waiting conversation takes it.
/// - take, assign on a closed conversation: "conversation_closed".

#include <cstdint>

#include "vitrina/protocol/chat.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol::chat {

/// Who acts: a visitor (author role visitor), or an operator with their id, name and role.
struct Actor {
  Author author;
  OperatorRole operator_role = OperatorRole::operator_;
};

struct ConversationChange {
  Conversation conversation;  ///< the state after the action (equal to the input when !changed)
  bool changed = false;
};

/// Applies an action by `actor`. `target` is the assignee for assign (role operator, id and name).
/// Errors: "not_allowed" (field "type") for a visitor's take, assign or reopen, or an operator
/// assigning a conversation that is not theirs to give; "conflict" (field "conversation_id") for
/// taking someone else's conversation; "conversation_closed" for take or assign on a closed one.
Result<ConversationChange> apply_action(const Conversation& conversation, ActionKind action, const Actor& actor,
                                        const Author& target, std::int64_t now_ms);

/// What a new message does to the conversation before it is stored. Errors:
/// "conversation_closed" (field "conversation_id").
Result<ConversationChange> apply_message(const Conversation& conversation, const Actor& actor, bool internal);

}  // namespace vitrina::protocol::chat
