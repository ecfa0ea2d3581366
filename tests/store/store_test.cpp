#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

namespace vitrina::store {
namespace {

using testing::insert_operator_sync;
using testing::insert_site_sync;
using testing::make_operator;
using testing::make_site;
using testing::open_or_die;
using testing::TempDir;

TEST(SqliteStore, OpensAndAnswersPing) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  EXPECT_TRUE(store->ping().has_value());
}

TEST(SqliteStore, OpenFailsWithMessageNamingTheFile) {
  auto store = open_sqlite({.path = "/nonexistent-dir/sub/v.db"});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, vitrina::protocol::ErrorCode::unavailable);
  EXPECT_NE(store.error().message.find("/nonexistent-dir/sub/v.db"), std::string::npos);
}

TEST(SqliteStore, SiteRoundTripsThroughEveryLookup) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  Site site = make_site("a");
  site.allowed_origins = {"https://a.example", "https://b.example:8443", "odd \"quoted\" <x>"};
  auto inserted = insert_site_sync(*store, site);
  ASSERT_TRUE(inserted.has_value()) << inserted.error().message;
  EXPECT_EQ(inserted->id, site.id);

  for (auto found : {store->find_site_by_id("site_a"), store->find_site_by_public_key("pk_a"),
                     store->find_site_by_secret_hash("hash_a")}) {
    ASSERT_TRUE(found.has_value()) << found.error().message;
    ASSERT_TRUE(found->has_value());
    const Site& got = **found;
    EXPECT_EQ(got.id, site.id);
    EXPECT_EQ(got.name, site.name);
    EXPECT_EQ(got.public_key, site.public_key);
    EXPECT_EQ(got.secret_hash, site.secret_hash);
    EXPECT_EQ(got.allowed_origins, site.allowed_origins);
    EXPECT_EQ(got.settings_json, site.settings_json);
    EXPECT_EQ(got.created_at, site.created_at);
    EXPECT_EQ(got.updated_at, site.updated_at);
  }
}

TEST(SqliteStore, MissingSiteIsEmptyNotError) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  auto found = store->find_site_by_id("site_nope");
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->has_value());
  auto op = store->find_operator("site_nope", "a@b.c");
  ASSERT_TRUE(op.has_value());
  EXPECT_FALSE(op->has_value());
}

TEST(SqliteStore, ListSitesReturnsAllInCreationOrder) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  Site second = make_site("b");
  second.created_at += 10;
  ASSERT_TRUE(insert_site_sync(*store, second));
  ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
  auto sites = store->list_sites();
  ASSERT_TRUE(sites.has_value());
  ASSERT_EQ(sites->size(), 2u);
  EXPECT_EQ((*sites)[0].id, "site_a");
  EXPECT_EQ((*sites)[1].id, "site_b");
}

TEST(SqliteStore, DuplicatePublicKeyIsConflictNamingTheField) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
  Site dup = make_site("b");
  dup.public_key = "pk_a";
  auto r = insert_site_sync(*store, dup);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(r.error().field, "public_key");
}

TEST(SqliteStore, DuplicateSecretHashAndIdAreConflicts) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
  Site dup_hash = make_site("b");
  dup_hash.secret_hash = "hash_a";
  auto r1 = insert_site_sync(*store, dup_hash);
  ASSERT_FALSE(r1.has_value());
  EXPECT_EQ(r1.error().field, "secret_hash");
  Site dup_id = make_site("c");
  dup_id.id = "site_a";
  auto r2 = insert_site_sync(*store, dup_id);
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(r2.error().field, "id");
}

TEST(SqliteStore, InvalidSettingsJsonIsRejectedNamingTheField) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  Site site = make_site("a");
  site.settings_json = "{not json";
  auto r = insert_site_sync(*store, site);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(r.error().field, "settings");
}

TEST(SqliteStore, UpdateSiteSecretReplacesTheHash) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
  auto r = wait_for<void>(
      [&](Done<void> done) { store->update_site_secret("site_a", "hash_new", 1'800'000'000'000, std::move(done)); });
  ASSERT_TRUE(r.has_value()) << r.error().message;
  auto old_lookup = store->find_site_by_secret_hash("hash_a");
  ASSERT_TRUE(old_lookup.has_value());
  EXPECT_FALSE(old_lookup->has_value());
  auto found = store->find_site_by_secret_hash("hash_new");
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->id, "site_a");
  EXPECT_EQ((*found)->updated_at, 1'800'000'000'000);
}

TEST(SqliteStore, UpdateSecretOfMissingSiteIsNotFound) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  auto r =
      wait_for<void>([&](Done<void> done) { store->update_site_secret("site_nope", "hash_new", 1, std::move(done)); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(r.error().field, "site_id");
}

TEST(SqliteStore, OperatorRoundTripsAndListsPerSite) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
  ASSERT_TRUE(insert_site_sync(*store, make_site("b")));
  Operator admin = make_operator("site_a", "boss@a.example");
  admin.role = "admin";
  ASSERT_TRUE(insert_operator_sync(*store, admin));
  ASSERT_TRUE(insert_operator_sync(*store, make_operator("site_a", "ann@a.example")));
  ASSERT_TRUE(insert_operator_sync(*store, make_operator("site_b", "bob@b.example")));

  auto found = store->find_operator("site_a", "boss@a.example");
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->id, admin.id);
  EXPECT_EQ((*found)->name, admin.name);
  EXPECT_EQ((*found)->password_hash, admin.password_hash);
  EXPECT_EQ((*found)->role, "admin");
  EXPECT_EQ((*found)->created_at, admin.created_at);

  auto listed = store->list_operators("site_a");
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].email, "ann@a.example");  // same created_at: ordered by email
}

TEST(SqliteStore, DuplicateOperatorEmailIsConflictOnEmail) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
  ASSERT_TRUE(insert_site_sync(*store, make_site("b")));
  ASSERT_TRUE(insert_operator_sync(*store, make_operator("site_a", "ann@x.example")));
  Operator dup = make_operator("site_a", "ann@x.example");
  dup.id = "op_other";
  auto r = insert_operator_sync(*store, dup);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(r.error().field, "email");
  // The same email on another site is a different operator.
  Operator other_site = make_operator("site_b", "ann@x.example");
  other_site.id = "op_b";
  EXPECT_TRUE(insert_operator_sync(*store, other_site));
}

TEST(SqliteStore, OperatorOfUnknownSiteIsNotFound) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  auto r = insert_operator_sync(*store, make_operator("site_nope", "a@b.example"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(r.error().field, "site_id");
}

TEST(SqliteStore, UnknownRoleIsInvalid) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
  Operator op = make_operator("site_a", "a@b.example");
  op.role = "root";
  auto r = insert_operator_sync(*store, op);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(r.error().field, "role");
}

TEST(SqliteStore, CorruptedOriginsReadAsInternalError) {
  TempDir dir;
  const auto path = dir.file("v.db");
  auto store = open_or_die(path);
  ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
  testing::raw_exec(path, R"(UPDATE sites SET allowed_origins = '["ok", 3]')");
  auto found = store->find_site_by_id("site_a");
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, vitrina::protocol::ErrorCode::internal);
  EXPECT_EQ(found.error().field, "allowed_origins");
}

TEST(SqliteStore, WritesAfterCloseAreUnavailableButReadsStillWork) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
  store->close();
  store->close();  // idempotent
  auto r = insert_site_sync(*store, make_site("b"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::unavailable);
  auto found = store->find_site_by_id("site_a");
  ASSERT_TRUE(found.has_value() && found->has_value());
}

TEST(SqliteStore, DestructorCommitsEverythingQueued) {
  TempDir dir;
  const auto path = dir.file("v.db");
  constexpr int kWrites = 1000;
  std::atomic<int> acknowledged{0};
  {
    auto store = open_or_die(path, 16);  // small batches, so plenty is still queued at exit
    for (int i = 0; i < kWrites; ++i) {
      store->insert_site(make_site(std::to_string(i)), [&](Result<Site> r) {
        if (r) ++acknowledged;
      });
    }
  }
  EXPECT_EQ(acknowledged.load(), kWrites);
  auto store = open_or_die(path);
  auto sites = store->list_sites();
  ASSERT_TRUE(sites.has_value());
  EXPECT_EQ(sites->size(), static_cast<std::size_t>(kWrites));
}

TEST(SqliteStore, CleanShutdownLeavesOneCheckpointedFile) {
  TempDir dir;
  const auto path = dir.file("v.db");
  {
    auto store = open_or_die(path);
    ASSERT_TRUE(insert_site_sync(*store, make_site("a")));
    EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
  }
  // The file can be copied as a backup on its own.
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  auto store = open_or_die(path);
  auto found = store->find_site_by_id("site_a");
  ASSERT_TRUE(found.has_value() && found->has_value());
}

TEST(SqliteStore, FlushWaitsForEarlierWrites) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"), 8);
  std::atomic<int> acknowledged{0};
  for (int i = 0; i < 500; ++i) {
    store->insert_site(make_site(std::to_string(i)), [&](Result<Site> r) {
      if (r) ++acknowledged;
    });
  }
  store->flush();
  EXPECT_EQ(acknowledged.load(), 500);
  auto sites = store->list_sites();
  ASSERT_TRUE(sites.has_value());
  EXPECT_EQ(sites->size(), 500u);
}

TEST(SqliteStore, FlushOnIdleStoreReturns) {
  TempDir dir;
  auto store = open_or_die(dir.file("v.db"));
  store->flush();
  store->close();
  store->flush();
}

}  // namespace
}  // namespace vitrina::store
