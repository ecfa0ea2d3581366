// Operator sessions and the operator lookups sign-in needs.

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vitrina::store {
namespace {

using testing::insert_operator_sync;
using testing::insert_site_sync;
using testing::make_operator;
using testing::make_site;
using testing::open_or_die;
using testing::TempDir;

Session make_session(const std::string& hash, const Operator& op, std::int64_t created_at, std::int64_t ttl = 1000) {
  Session s;
  s.token_hash = hash;
  s.operator_id = op.id;
  s.site_id = op.site_id;
  s.created_at = created_at;
  s.expires_at = created_at + ttl;
  s.user_agent = "test-agent/1.0";
  return s;
}

Result<Session> insert_session_sync(Store& store, Session s) {
  return wait_for<Session>([&](Done<Session> done) { store.insert_session(std::move(s), std::move(done)); });
}

Result<void> delete_session_sync(Store& store, std::string hash) {
  return wait_for<void>([&](Done<void> done) { store.delete_session(std::move(hash), std::move(done)); });
}

class SessionStore : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_or_die(dir_.file("v.db"));
    ASSERT_TRUE(insert_site_sync(*store_, make_site("a")).has_value());
    auto op = insert_operator_sync(*store_, make_operator("site_a", "ann@a.example"));
    ASSERT_TRUE(op.has_value()) << op.error().message;
    op_ = *op;
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
  Operator op_;
};

TEST_F(SessionStore, InsertedSessionIsFoundByItsHash) {
  auto inserted = insert_session_sync(*store_, make_session("hash1", op_, 5000));
  ASSERT_TRUE(inserted.has_value()) << inserted.error().message;
  EXPECT_EQ(inserted->token_hash, "hash1");

  auto found = store_->find_session("hash1");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  const Session& s = **found;
  EXPECT_EQ(s.operator_id, op_.id);
  EXPECT_EQ(s.site_id, "site_a");
  EXPECT_EQ(s.created_at, 5000);
  EXPECT_EQ(s.expires_at, 6000);
  EXPECT_EQ(s.user_agent, "test-agent/1.0");

  auto missing = store_->find_session("nope");
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(SessionStore, SessionSurvivesReopening) {
  ASSERT_TRUE(insert_session_sync(*store_, make_session("durable", op_, 5000)).has_value());
  store_.reset();
  store_ = open_or_die(dir_.file("v.db"));
  auto found = store_->find_session("durable");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->has_value());
}

TEST_F(SessionStore, DuplicateHashIsAConflict) {
  ASSERT_TRUE(insert_session_sync(*store_, make_session("same", op_, 5000)).has_value());
  auto again = insert_session_sync(*store_, make_session("same", op_, 5001));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, vitrina::protocol::ErrorCode::conflict);
}

TEST_F(SessionStore, UnknownOperatorIsNotFound) {
  Operator ghost = op_;
  ghost.id = "op_ghost";
  auto r = insert_session_sync(*store_, make_session("h", ghost, 5000));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(r.error().field, "operator_id");
}

TEST_F(SessionStore, OverlongUserAgentIsRefused) {
  Session s = make_session("h", op_, 5000);
  s.user_agent = std::string(257, 'x');
  auto r = insert_session_sync(*store_, s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(r.error().field, "user_agent");
}

TEST_F(SessionStore, DeleteRemovesTheSessionAndReportsAMissingOne) {
  ASSERT_TRUE(insert_session_sync(*store_, make_session("bye", op_, 5000)).has_value());
  auto deleted = delete_session_sync(*store_, "bye");
  EXPECT_TRUE(deleted.has_value()) << deleted.error().message;
  auto found = store_->find_session("bye");
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->has_value());
  auto again = delete_session_sync(*store_, "bye");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, vitrina::protocol::ErrorCode::not_found);
}

TEST_F(SessionStore, SigningInPrunesTheOperatorsExpiredSessions) {
  ASSERT_TRUE(insert_session_sync(*store_, make_session("expired", op_, 1000, 100)).has_value());
  ASSERT_TRUE(insert_session_sync(*store_, make_session("live", op_, 1000, 100000)).has_value());
  ASSERT_TRUE(insert_session_sync(*store_, make_session("new", op_, 5000)).has_value());
  EXPECT_FALSE(store_->find_session("expired")->has_value());
  EXPECT_TRUE(store_->find_session("live")->has_value());
  EXPECT_TRUE(store_->find_session("new")->has_value());
}

TEST_F(SessionStore, DeletingTheSiteDeletesItsSessions) {
  ASSERT_TRUE(insert_session_sync(*store_, make_session("h", op_, 5000)).has_value());
  store_.reset();
  testing::raw_exec(dir_.file("v.db"), "PRAGMA foreign_keys = ON; DELETE FROM sites;");
  store_ = open_or_die(dir_.file("v.db"));
  EXPECT_FALSE(store_->find_session("h")->has_value());
}

TEST_F(SessionStore, OperatorsAreFoundByIdAndByEmailAcrossSites) {
  ASSERT_TRUE(insert_site_sync(*store_, make_site("b")).has_value());
  Operator second = make_operator("site_b", "ann@a.example");
  second.id = "op_second";
  second.created_at = op_.created_at + 1;
  ASSERT_TRUE(insert_operator_sync(*store_, second).has_value());
  ASSERT_TRUE(insert_operator_sync(*store_, make_operator("site_b", "bob@a.example")).has_value());

  auto by_email = store_->find_operators_by_email("ann@a.example");
  ASSERT_TRUE(by_email.has_value()) << by_email.error().message;
  ASSERT_EQ(by_email->size(), 2u);
  EXPECT_EQ((*by_email)[0].site_id, "site_a") << "oldest first";
  EXPECT_EQ((*by_email)[1].site_id, "site_b");
  EXPECT_EQ((*by_email)[0].password_hash, op_.password_hash);
  EXPECT_TRUE(store_->find_operators_by_email("nobody@a.example")->empty());

  auto by_id = store_->find_operator_by_id("op_second");
  ASSERT_TRUE(by_id.has_value());
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->email, "ann@a.example");
  EXPECT_EQ((*by_id)->site_id, "site_b");
  EXPECT_FALSE(store_->find_operator_by_id("op_none")->has_value());
}

}  // namespace
}  // namespace vitrina::store
