// The count of a conversation's unread visitor messages, kept with the conversation: visitor
// messages add to it, an operator's reply or read receipt brings it down, internal notes and
// the visitor's own receipts leave it alone, and upgrading an older store counts what is there.

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vitrina::store {
namespace {

using testing::insert_site_sync;
using testing::make_site;
using testing::open_or_die;
using testing::TempDir;

class ChatUnread : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_or_die(dir_.file("v.db"));
    ASSERT_TRUE(insert_site_sync(*store_, make_site("a")).has_value());
  }

  ChatAppended append(chat::AuthorRole role, const std::string& text, bool internal = false) {
    ChatAppend a;
    a.site_id = "site_a";
    a.visitor_id = "vis_1";
    a.conversation_id = conversation_;
    a.new_conversation_id = "conv_1";
    a.actor.author.role = role;
    if (role == chat::AuthorRole::operator_) {
      a.actor.author.id = "op_1";
      a.actor.author.name = "Olga";
    }
    a.client_id = "c" + std::to_string(++client_);
    a.text = text;
    a.internal = internal;
    a.now_ms = 1'700'000'000'000 + client_;
    auto r = wait_for<ChatAppended>([&](Done<ChatAppended> done) { store_->append_chat_message(a, std::move(done)); });
    EXPECT_TRUE(r.has_value()) << r.error().message;
    if (!r) return {};
    conversation_ = r->conversation.conversation.id;
    return std::move(*r);
  }

  void read(bool by_visitor, std::int64_t seq) {
    ChatRead r{"site_a", conversation_, by_visitor ? "vis_1" : "", seq};
    auto done = wait_for<ChatReadResult>([&](Done<ChatReadResult> d) { store_->mark_chat_read(r, std::move(d)); });
    ASSERT_TRUE(done.has_value()) << done.error().message;
  }

  std::int64_t unread() {
    auto c = store_->find_chat_conversation("site_a", conversation_);
    EXPECT_TRUE(c.has_value() && c->has_value());
    return c && *c ? (*c)->unread : -1;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::string conversation_;
  int client_ = 0;
};

TEST_F(ChatUnread, FollowsMessagesRepliesAndReceipts) {
  EXPECT_EQ(append(chat::AuthorRole::visitor, "hello").conversation.unread, 1);
  append(chat::AuthorRole::visitor, "anyone?");
  EXPECT_EQ(append(chat::AuthorRole::visitor, "third").conversation.unread, 3);
  read(false, 2);
  EXPECT_EQ(unread(), 1);
  read(true, 3);  // the visitor's own receipt changes nothing for operators
  EXPECT_EQ(unread(), 1);
  EXPECT_EQ(append(chat::AuthorRole::operator_, "note", true).conversation.unread, 1);
  EXPECT_EQ(append(chat::AuthorRole::operator_, "Here to help").conversation.unread, 0);
  EXPECT_EQ(append(chat::AuthorRole::visitor, "thanks").conversation.unread, 1);
  read(false, 6);
  EXPECT_EQ(unread(), 0);
}

TEST_F(ChatUnread, RepeatedClientIdCountsOnce) {
  append(chat::AuthorRole::visitor, "hello");
  --client_;  // the same client id again
  EXPECT_EQ(append(chat::AuthorRole::visitor, "hello").conversation.unread, 1);
  EXPECT_EQ(unread(), 1);
}

TEST(ChatUnreadMigration, CountsWhatAnOlderStoreHolds) {
  TempDir dir;
  const auto path = dir.file("v.db");
  testing::migrate_to(path, 11);
  testing::raw_exec(path,
                    "INSERT INTO sites (id, name, public_key, secret_hash, created_at, updated_at) "
                    "VALUES ('site_a', 'A', 'pk_a', 'h_a', 1, 1);"
                    "INSERT INTO chat_visitors (id, site_id, created_at, updated_at) VALUES ('vis_1', 'site_a', 1, 1);"
                    "INSERT INTO chat_conversations (id, site_id, visitor_id, kind, status, last_seq, "
                    "operator_read_seq, created_at, updated_at) VALUES ('conv_1', 'site_a', 'vis_1', 'chat', 'open', "
                    "4, 1, 1, 1);"
                    "INSERT INTO chat_messages (conversation_id, seq, author_role, author_key, client_id, text, "
                    "created_at) VALUES ('conv_1', 1, 'visitor', 'vis_1', 'a', 'x', 1), "
                    "('conv_1', 2, 'visitor', 'vis_1', 'b', 'x', 1), ('conv_1', 3, 'operator', 'op_1', 'c', 'x', 1), "
                    "('conv_1', 4, 'visitor', 'vis_1', 'd', 'x', 1);");
  auto store = open_or_die(path);
  auto c = store->find_chat_conversation("site_a", "conv_1");
  ASSERT_TRUE(c.has_value() && c->has_value());
  EXPECT_EQ((*c)->unread, 2);
}

}  // namespace
}  // namespace vitrina::store
