#include "vitrina/protocol/chat_conversation.hpp"

#include <string>
#include <utility>

#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::protocol::chat {

namespace {

using Status = ConversationStatus;

Error closed_error() {
  return make_error(ErrorCode::conversation_closed, "the conversation is closed", "conversation_id");
}

ConversationChange unchanged(const Conversation& c) { return ConversationChange{c, false}; }

ConversationChange assigned(const Conversation& c, const Author& to) {
  ConversationChange out{c, true};
  out.conversation.status = Status::open;
  out.conversation.assignee = Author{AuthorRole::operator_, to.id, to.name};
  out.conversation.closed_at_ms.reset();
  out.conversation.closed_by.reset();
  return out;
}

bool is_assignee(const Conversation& c, const Actor& actor) { return c.assignee && c.assignee->id == actor.author.id; }

}  // namespace

Result<ConversationChange> apply_action(const Conversation& c, ActionKind action, const Actor& actor,
                                        const Author& target, std::int64_t now_ms) {
  const bool visitor = actor.author.role == AuthorRole::visitor;
  if (visitor && action != ActionKind::close) {
    return make_error(ErrorCode::not_allowed, "only operators take, assign and reopen conversations", "type");
  }
  switch (action) {
    case ActionKind::take:
      if (c.status == Status::closed) return closed_error();
      if (c.status == Status::open && is_assignee(c, actor)) return unchanged(c);
      if (c.status == Status::open) {
        return make_error(ErrorCode::conflict, "another operator has this conversation; ask them to assign it",
                          "conversation_id");
      }
      return assigned(c, actor.author);
    case ActionKind::assign:
      if (c.status == Status::closed) return closed_error();
      if (actor.operator_role != OperatorRole::owner && c.status == Status::open && !is_assignee(c, actor)) {
        return make_error(ErrorCode::not_allowed, "only its operator or an owner may reassign a conversation", "type");
      }
      if (c.status == Status::open && c.assignee && c.assignee->id == target.id) return unchanged(c);
      return assigned(c, target);
    case ActionKind::close: {
      if (c.status == Status::closed) return unchanged(c);
      ConversationChange out{c, true};
      out.conversation.status = Status::closed;
      out.conversation.closed_at_ms = now_ms;
      out.conversation.closed_by = actor.author;
      return out;
    }
    case ActionKind::reopen:
      if (c.status != Status::closed) return unchanged(c);
      return assigned(c, actor.author);
  }
  return unchanged(c);
}

Result<ConversationChange> apply_message(const Conversation& c, const Actor& actor, bool internal) {
  const bool operator_ = actor.author.role == AuthorRole::operator_;
  if (c.status == Status::closed) {
    if (operator_ && internal) return unchanged(c);
    return closed_error();
  }
  if (operator_ && !internal && c.status == Status::waiting) return assigned(c, actor.author);
  return unchanged(c);
}

}  // namespace vitrina::protocol::chat
