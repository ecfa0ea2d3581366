#include "vitrina/protocol/chat_sequence.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::protocol::chat {
namespace {

TEST(AssignSeq, GivesTheNextSeqToANewMessage) {
  auto first = assign_seq(0, std::nullopt, 1000);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, (SeqAssignment{1, 1000, false}));
  auto later = assign_seq(41, std::nullopt, 2000);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->seq, 42);
}

TEST(AssignSeq, AnswersARepeatedClientIdWithTheEarlierAck) {
  auto again = assign_seq(50, SeqAssignment{7, 1000, false}, 9999);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, (SeqAssignment{7, 1000, true}));
}

TEST(AssignSeq, RefusesANegativeLastSeqAndAFullConversation) {
  EXPECT_EQ(assign_seq(-1, std::nullopt, 0).error().field, "last_seq");
  EXPECT_EQ(assign_seq(kMaxSeq, std::nullopt, 0).error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(assign_seq(kMaxSeq - 1, std::nullopt, 0)->seq, kMaxSeq);
}

TEST(ConversationSequence, NumbersMessagesInOrderAndNeverTwice) {
  ConversationSequence conv;
  EXPECT_EQ(conv.append("vis_a", "client-0001", 10)->seq, 1);
  EXPECT_EQ(conv.append("vis_a", "client-0002", 11)->seq, 2);
  EXPECT_EQ(conv.append("op_b", "client-0001", 12)->seq, 3);  // another author's id is another message
  auto repeat = conv.append("vis_a", "client-0001", 99);
  ASSERT_TRUE(repeat);
  EXPECT_TRUE(repeat->duplicate);
  EXPECT_EQ(repeat->seq, 1);
  EXPECT_EQ(repeat->created_at_ms, 10);  // the first answer, byte for byte
  EXPECT_EQ(conv.last_seq(), 3);
  EXPECT_EQ(conv.append("vis_a", "client-0003", 13)->seq, 4);
}

TEST(ConversationSequence, RemembersMessagesLoadedFromTheStore) {
  ConversationSequence conv;
  conv.remember("vis_a", "client-0001", SeqAssignment{5, 100, false});
  EXPECT_EQ(conv.last_seq(), 5);
  EXPECT_EQ(conv.append("vis_a", "client-0001", 200)->seq, 5);
  EXPECT_EQ(conv.append("vis_a", "client-0002", 200)->seq, 6);
}

TEST(PlanResume, ReturnsEverythingAfterLastSeenInOneBatchWhenItFits) {
  auto r = plan_resume(10, 4, 100);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (ResumeRange{5, 10, false}));
  auto all = plan_resume(10, 0, 100);
  EXPECT_EQ(*all, (ResumeRange{1, 10, false}));
}

TEST(PlanResume, SplitsLongGapsIntoBatchesThatChainWithoutGapsOrRepeats) {
  std::int64_t seen = 0;
  std::int64_t covered = 0;
  int batches = 0;
  while (true) {
    auto r = plan_resume(250, seen, 100);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->first, seen + 1);
    covered += r->last - r->first + 1;
    seen = r->last;
    ++batches;
    if (!r->more) break;
  }
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(covered, 250);
  EXPECT_EQ(seen, 250);
}

TEST(PlanResume, IsEmptyAndFinalWhenTheClientHasEverything) {
  auto r = plan_resume(10, 10, 100);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
  EXPECT_FALSE(r->more);
  EXPECT_TRUE(plan_resume(0, 0, 100)->empty());
}

TEST(PlanResume, ExactBatchBoundaryHasNoMore) {
  EXPECT_EQ(*plan_resume(200, 100, 100), (ResumeRange{101, 200, false}));
  EXPECT_EQ(*plan_resume(201, 100, 100), (ResumeRange{101, 200, true}));
}

TEST(PlanResume, RefusesLastSeenOutsideTheConversation) {
  EXPECT_EQ(plan_resume(10, 11, 100).error().field, "last_seen");
  EXPECT_EQ(plan_resume(10, -1, 100).error().field, "last_seen");
  EXPECT_EQ(plan_resume(10, 0, 0).error().field, "batch");
  auto huge = plan_resume(kMaxSeq, 0, kMaxSeq);
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->last, kMaxSeq);
}

TEST(AdvanceRead, MovesOnlyForward) {
  EXPECT_EQ(*advance_read(3, 5, 10), std::optional<std::int64_t>(5));
  EXPECT_EQ(*advance_read(5, 5, 10), std::nullopt);
  EXPECT_EQ(*advance_read(5, 2, 10), std::nullopt);
  EXPECT_EQ(advance_read(5, 11, 10).error().field, "seq");
  EXPECT_EQ(advance_read(0, -1, 10).error().field, "seq");
}

TEST(DeliveryCursor, ShowsAMessageThatArrivesLiveAndInAResumeOnce) {
  DeliveryCursor cursor(4);
  EXPECT_FALSE(cursor.admit(4));
  EXPECT_TRUE(cursor.admit(5));   // from the resume batch
  EXPECT_TRUE(cursor.admit(7));   // live; 6 was an internal note the visitor never sees
  EXPECT_FALSE(cursor.admit(7));  // the same message again in the batch
  EXPECT_FALSE(cursor.admit(6));
  EXPECT_EQ(cursor.delivered(), 7);
}

}  // namespace
}  // namespace vitrina::protocol::chat
