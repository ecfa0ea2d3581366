#include "vitrina/protocol/chat_conversation.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::protocol::chat {
namespace {

const Author kAnna{AuthorRole::operator_, "op_" + std::string(24, 'a'), "Anna"};
const Author kBoris{AuthorRole::operator_, "op_" + std::string(24, 'b'), "Boris"};
const Actor kAnnaActor{kAnna, OperatorRole::operator_};
const Actor kBorisActor{kBoris, OperatorRole::operator_};
const Actor kOwner{Author{AuthorRole::operator_, "op_" + std::string(24, 'o'), "Olga"}, OperatorRole::owner};
const Actor kVisitor{Author{AuthorRole::visitor, "", ""}, OperatorRole::operator_};

Conversation waiting() {
  Conversation c;
  c.id = "conv_" + std::string(24, 'c');
  c.status = ConversationStatus::waiting;
  return c;
}

Conversation open_for(const Author& a) {
  Conversation c = waiting();
  c.status = ConversationStatus::open;
  c.assignee = a;
  return c;
}

Conversation closed() {
  Conversation c = open_for(kAnna);
  c.status = ConversationStatus::closed;
  c.closed_at_ms = 5;
  c.closed_by = kAnna;
  return c;
}

// The code of a refusal; nothing when the change was allowed.
std::optional<ErrorCode> code_of(const Result<ConversationChange>& r) {
  if (r) return std::nullopt;
  return r.error().code;
}

TEST(ConversationTake, AssignsAWaitingConversationToTheTaker) {
  auto r = apply_action(waiting(), ActionKind::take, kAnnaActor, {}, 1);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->conversation.status, ConversationStatus::open);
  EXPECT_EQ(r->conversation.assignee, kAnna);
}

TEST(ConversationTake, IsANoOpForTheAssigneeAndAConflictForOthers) {
  EXPECT_FALSE(apply_action(open_for(kAnna), ActionKind::take, kAnnaActor, {}, 1)->changed);
  EXPECT_EQ(code_of(apply_action(open_for(kAnna), ActionKind::take, kBorisActor, {}, 1)),
            vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(code_of(apply_action(closed(), ActionKind::take, kAnnaActor, {}, 1)),
            vitrina::protocol::ErrorCode::conversation_closed);
}

TEST(ConversationAssign, LetsTheAssigneeTransferAndAnOwnerReassign) {
  auto transfer = apply_action(open_for(kAnna), ActionKind::assign, kAnnaActor, kBoris, 1);
  ASSERT_TRUE(transfer);
  EXPECT_EQ(transfer->conversation.assignee, kBoris);
  auto owner = apply_action(open_for(kAnna), ActionKind::assign, kOwner, kBoris, 1);
  ASSERT_TRUE(owner);
  EXPECT_TRUE(owner->changed);
  EXPECT_EQ(apply_action(waiting(), ActionKind::assign, kBorisActor, kAnna, 1)->conversation.assignee, kAnna);
}

TEST(ConversationAssign, RefusesReassigningSomeoneElsesConversation) {
  EXPECT_EQ(code_of(apply_action(open_for(kAnna), ActionKind::assign, kBorisActor, kBoris, 1)),
            vitrina::protocol::ErrorCode::not_allowed);
  EXPECT_FALSE(apply_action(open_for(kBoris), ActionKind::assign, kOwner, kBoris, 1)->changed);
  EXPECT_EQ(code_of(apply_action(closed(), ActionKind::assign, kOwner, kBoris, 1)),
            vitrina::protocol::ErrorCode::conversation_closed);
}

TEST(ConversationClose, RecordsWhenAndWhoAndIsIdempotent) {
  auto r = apply_action(open_for(kAnna), ActionKind::close, kVisitor, {}, 42);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->conversation.status, ConversationStatus::closed);
  EXPECT_EQ(r->conversation.closed_at_ms, 42);
  EXPECT_EQ(r->conversation.closed_by->role, AuthorRole::visitor);
  EXPECT_FALSE(apply_action(r->conversation, ActionKind::close, kAnnaActor, {}, 50)->changed);
  EXPECT_TRUE(apply_action(waiting(), ActionKind::close, kAnnaActor, {}, 1)->changed);
}

TEST(ConversationReopen, OpensAClosedConversationForTheReopener) {
  auto r = apply_action(closed(), ActionKind::reopen, kBorisActor, {}, 9);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->conversation.status, ConversationStatus::open);
  EXPECT_EQ(r->conversation.assignee, kBoris);
  EXPECT_FALSE(r->conversation.closed_at_ms);
  EXPECT_FALSE(r->conversation.closed_by);
  EXPECT_FALSE(apply_action(open_for(kAnna), ActionKind::reopen, kBorisActor, {}, 9)->changed);
}

TEST(ConversationActions, VisitorsMayOnlyClose) {
  for (ActionKind k : {ActionKind::take, ActionKind::assign, ActionKind::reopen}) {
    EXPECT_EQ(code_of(apply_action(waiting(), k, kVisitor, kAnna, 1)), vitrina::protocol::ErrorCode::not_allowed)
        << to_string(k);
  }
}

TEST(ConversationMessage, AnOperatorReplyTakesAWaitingConversationButANoteDoesNot) {
  auto reply = apply_message(waiting(), kAnnaActor, false);
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->changed);
  EXPECT_EQ(reply->conversation.assignee, kAnna);
  EXPECT_FALSE(apply_message(waiting(), kAnnaActor, true)->changed);
  EXPECT_FALSE(apply_message(waiting(), kVisitor, false)->changed);
  EXPECT_FALSE(apply_message(open_for(kBoris), kAnnaActor, false)->changed);  // a colleague helping out
}

TEST(ConversationMessage, AClosedConversationTakesOnlyNotes) {
  EXPECT_EQ(code_of(apply_message(closed(), kVisitor, false)), vitrina::protocol::ErrorCode::conversation_closed);
  EXPECT_EQ(code_of(apply_message(closed(), kAnnaActor, false)), vitrina::protocol::ErrorCode::conversation_closed);
  EXPECT_TRUE(apply_message(closed(), kAnnaActor, true));
}

}  // namespace
}  // namespace vitrina::protocol::chat
