#include "admin/sites.hpp"

#include <gtest/gtest.h>

#include "admin_support.hpp"
#include "auth/keys.hpp"
#include "vitrina/protocol/keys.hpp"

namespace vitrina::admin {
namespace {

using testing::kNow;
using testing::TempStore;

TEST(CreateSite, StoresSiteWithHashedSecretAndReturnsTheKeyOnce) {
  TempStore temp;
  auto store = temp.open_or_die();
  auto created = create_site(*store, "My Shop", {"https://shop.example"}, kNow);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_TRUE(protocol::is_secret_key(created->secret_key));
  EXPECT_TRUE(protocol::is_public_key(created->site.public_key));
  EXPECT_TRUE(protocol::is_key_of(created->site.id, "site_", 24));

  auto stored = store->find_site_by_id(created->site.id);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  const store::Site& site = **stored;
  EXPECT_EQ(site.name, "My Shop");
  EXPECT_EQ(site.allowed_origins, std::vector<std::string>{"https://shop.example"});
  EXPECT_EQ(site.secret_hash, auth::hash_secret_key(created->secret_key));
  EXPECT_EQ(site.secret_hash.find("sk_"), std::string::npos);
  EXPECT_EQ(site.created_at, kNow);
  // The secret key authenticates: lookup by its hash finds the site.
  auto by_hash = store->find_site_by_secret_hash(auth::hash_secret_key(created->secret_key));
  ASSERT_TRUE(by_hash.has_value() && by_hash->has_value());
  EXPECT_EQ((*by_hash)->id, site.id);
}

TEST(CreateSite, NormalisesAndDeduplicatesOrigins) {
  TempStore temp;
  auto store = temp.open_or_die();
  auto created =
      create_site(*store, "  Shop  ", {"HTTPS://Shop.Example", "https://shop.example", "http://localhost:3000"}, kNow);
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->site.name, "Shop");
  EXPECT_EQ(created->site.allowed_origins, (std::vector<std::string>{"https://shop.example", "http://localhost:3000"}));
}

TEST(CreateSite, RejectsBadNames) {
  TempStore temp;
  auto store = temp.open_or_die();
  for (const std::string& name : {std::string(), std::string("   "), std::string(201, 'x'), std::string("bad\nname")}) {
    auto r = create_site(*store, name, {"https://shop.example"}, kNow);
    ASSERT_FALSE(r.has_value()) << name;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "name");
  }
  EXPECT_TRUE(create_site(*store, std::string(200, 'x'), {"https://shop.example"}, kNow));
}

TEST(CreateSite, RejectsBadOriginsNamingTheField) {
  TempStore temp;
  auto store = temp.open_or_die();
  for (const char* origin : {"shop.example", "https://shop.example/", "ftp://shop.example", "https://shop.example/path",
                             "https://user@shop.example", ""}) {
    auto r = create_site(*store, "Shop", {"https://ok.example", origin}, kNow);
    ASSERT_FALSE(r.has_value()) << origin;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "origin");
  }
  auto none = create_site(*store, "Shop", {}, kNow);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().field, "origin");
  auto sites = store->list_sites();
  ASSERT_TRUE(sites.has_value());
  EXPECT_TRUE(sites->empty());
}

TEST(FindSite, AcceptsIdOrPublicKey) {
  TempStore temp;
  auto store = temp.open_or_die();
  auto created = create_site(*store, "Shop", {"https://shop.example"}, kNow);
  ASSERT_TRUE(created.has_value());
  auto by_id = find_site(*store, created->site.id);
  auto by_pk = find_site(*store, created->site.public_key);
  ASSERT_TRUE(by_id && by_pk);
  EXPECT_EQ(by_id->id, by_pk->id);
  auto missing = find_site(*store, "pk_doesnotexist");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(missing.error().field, "site");
}

TEST(RotateSecret, OldKeyStopsWorkingNewKeyWorks) {
  TempStore temp;
  auto store = temp.open_or_die();
  auto created = create_site(*store, "Shop", {"https://shop.example"}, kNow);
  ASSERT_TRUE(created.has_value());
  auto rotated = rotate_secret(*store, created->site.public_key, kNow + 5);
  ASSERT_TRUE(rotated.has_value()) << rotated.error().message;
  EXPECT_TRUE(protocol::is_secret_key(*rotated));
  EXPECT_NE(*rotated, created->secret_key);

  auto old_lookup = store->find_site_by_secret_hash(auth::hash_secret_key(created->secret_key));
  ASSERT_TRUE(old_lookup.has_value());
  EXPECT_FALSE(old_lookup->has_value());
  auto new_lookup = store->find_site_by_secret_hash(auth::hash_secret_key(*rotated));
  ASSERT_TRUE(new_lookup.has_value() && new_lookup->has_value());
  EXPECT_EQ((*new_lookup)->id, created->site.id);
  EXPECT_EQ((*new_lookup)->updated_at, kNow + 5);
}

TEST(RotateSecret, UnknownSiteIsNotFound) {
  TempStore temp;
  auto store = temp.open_or_die();
  auto r = rotate_secret(*store, "site_nope", kNow);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(r.error().field, "site");
}

}  // namespace
}  // namespace vitrina::admin
