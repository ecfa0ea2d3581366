// Canned responses in the store: per-site shortcuts, partial changes, and no reach across sites.

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vitrina::store {
namespace {

using testing::insert_site_sync;
using testing::make_site;
using testing::open_or_die;
using testing::TempDir;

CannedResponse make_canned(const std::string& id, const std::string& site_id, const std::string& shortcut) {
  CannedResponse r;
  r.id = id;
  r.site_id = site_id;
  r.shortcut = shortcut;
  r.title = "Title " + shortcut;
  r.text = "Text of " + shortcut;
  r.created_at = r.updated_at = 1000;
  return r;
}

Result<CannedResponse> insert_sync(Store& store, CannedResponse r) {
  return wait_for<CannedResponse>(
      [&](Done<CannedResponse> done) { store.insert_canned_response(std::move(r), std::move(done)); });
}
Result<CannedResponse> update_sync(Store& store, CannedResponseChange c) {
  return wait_for<CannedResponse>(
      [&](Done<CannedResponse> done) { store.update_canned_response(std::move(c), std::move(done)); });
}
Result<void> delete_sync(Store& store, std::string id, std::string site_id) {
  return wait_for<void>(
      [&](Done<void> done) { store.delete_canned_response(std::move(id), std::move(site_id), std::move(done)); });
}

class CannedStore : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_or_die(dir_.file("v.db"));
    ASSERT_TRUE(insert_site_sync(*store_, make_site("a")).has_value());
    ASSERT_TRUE(insert_site_sync(*store_, make_site("b")).has_value());
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(CannedStore, ListsTheSitesOwnByShortcut) {
  ASSERT_TRUE(insert_sync(*store_, make_canned("cr_2", "site_a", "thanks")).has_value());
  ASSERT_TRUE(insert_sync(*store_, make_canned("cr_1", "site_a", "hello")).has_value());
  ASSERT_TRUE(insert_sync(*store_, make_canned("cr_3", "site_b", "hello")).has_value());
  auto list = store_->list_canned_responses("site_a");
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].shortcut, "hello");
  EXPECT_EQ((*list)[0].text, "Text of hello");
  EXPECT_EQ((*list)[1].shortcut, "thanks");
}

TEST_F(CannedStore, ATakenShortcutIsAConflictNamingIt) {
  ASSERT_TRUE(insert_sync(*store_, make_canned("cr_1", "site_a", "hello")).has_value());
  auto again = insert_sync(*store_, make_canned("cr_2", "site_a", "hello"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(again.error().field, "shortcut");
}

TEST_F(CannedStore, UpdateChangesOnlyTheGivenMembers) {
  ASSERT_TRUE(insert_sync(*store_, make_canned("cr_1", "site_a", "hello")).has_value());
  auto changed =
      update_sync(*store_, {.id = "cr_1", .site_id = "site_a", .text = std::string("Hi there!"), .updated_at = 2000});
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  EXPECT_EQ(changed->shortcut, "hello");
  EXPECT_EQ(changed->title, "Title hello");
  EXPECT_EQ(changed->text, "Hi there!");
  EXPECT_EQ(changed->created_at, 1000);
  EXPECT_EQ(changed->updated_at, 2000);
  auto found = store_->find_canned_response("site_a", "cr_1");
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->text, "Hi there!");
}

TEST_F(CannedStore, AnotherSitesResponseCannotBeChangedSeenOrDeleted) {
  ASSERT_TRUE(insert_sync(*store_, make_canned("cr_1", "site_a", "hello")).has_value());
  auto changed = update_sync(*store_, {.id = "cr_1", .site_id = "site_b", .text = std::string("x"), .updated_at = 2});
  ASSERT_FALSE(changed.has_value());
  EXPECT_EQ(changed.error().code, vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(changed.error().field, "id");
  auto found = store_->find_canned_response("site_b", "cr_1");
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->has_value());
  auto deleted = delete_sync(*store_, "cr_1", "site_b");
  ASSERT_FALSE(deleted.has_value());
  EXPECT_EQ(deleted.error().code, vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(store_->list_canned_responses("site_a")->size(), 1u);
}

TEST_F(CannedStore, DeleteRemovesIt) {
  ASSERT_TRUE(insert_sync(*store_, make_canned("cr_1", "site_a", "hello")).has_value());
  ASSERT_TRUE(delete_sync(*store_, "cr_1", "site_a").has_value());
  EXPECT_TRUE(store_->list_canned_responses("site_a")->empty());
  EXPECT_EQ(delete_sync(*store_, "cr_1", "site_a").error().code, vitrina::protocol::ErrorCode::not_found);
}

TEST_F(CannedStore, RenamingOntoATakenShortcutIsAConflict) {
  ASSERT_TRUE(insert_sync(*store_, make_canned("cr_1", "site_a", "hello")).has_value());
  ASSERT_TRUE(insert_sync(*store_, make_canned("cr_2", "site_a", "bye")).has_value());
  auto changed =
      update_sync(*store_, {.id = "cr_2", .site_id = "site_a", .shortcut = std::string("hello"), .updated_at = 2});
  ASSERT_FALSE(changed.has_value());
  EXPECT_EQ(changed.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(changed.error().field, "shortcut");
}

}  // namespace
}  // namespace vitrina::store
