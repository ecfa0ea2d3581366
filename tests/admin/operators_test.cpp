#include "admin/operators.hpp"

#include <gtest/gtest.h>

#include "admin/sites.hpp"
#include "admin_support.hpp"
#include "auth/password.hpp"

namespace vitrina::admin {
namespace {

using testing::kNow;
using testing::TempStore;

const OperatorOptions kFast{.role = "operator", .cost = auth::kMinimumCost};

TEST(NormalizeEmail, LowerCasesAndTrims) {
  auto r = normalize_email("  Ann.Smith+Chat@Shop.EXAMPLE ");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, "ann.smith+chat@shop.example");
}

TEST(NormalizeEmail, RejectsWhatIsNotAnAddress) {
  for (const char* email :
       {"", "ann", "ann@", "@shop.example", "ann@shop", "ann@@shop.example", "ann@shop..example", "ann@.shop.example",
        "ann smith@shop.example", "ann@shop.example.", "<ann@shop.example>", "a@b@shop.example"}) {
    auto r = normalize_email(email);
    ASSERT_FALSE(r.has_value()) << email;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "email");
  }
  EXPECT_FALSE(normalize_email(std::string(250, 'a') + "@b.example").has_value());
}

class AddOperator : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = temp_.open_or_die();
    auto created = create_site(*store_, "Shop", {"https://shop.example"}, kNow);
    ASSERT_TRUE(created.has_value());
    site_ = created->site;
  }
  TempStore temp_;
  std::unique_ptr<store::Store> store_;
  store::Site site_;
};

TEST_F(AddOperator, StoresArgon2idHashThatVerifies) {
  auto op = add_operator(*store_, site_.id, "Ann@Shop.Example", "Ann", "a long password", kNow, kFast);
  ASSERT_TRUE(op.has_value()) << op.error().message;
  auto stored = store_->find_operator(site_.id, "ann@shop.example");
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ((*stored)->name, "Ann");
  EXPECT_EQ((*stored)->role, "operator");
  EXPECT_TRUE((*stored)->password_hash.starts_with("$argon2id$"));
  EXPECT_TRUE(auth::verify_password((*stored)->password_hash, "a long password"));
  EXPECT_FALSE(auth::verify_password((*stored)->password_hash, "a long passwore"));
}

TEST_F(AddOperator, DefaultsUseInteractiveCost) {
  auto op = add_operator(*store_, site_.public_key, "ann@shop.example", "", "a long password", kNow);
  ASSERT_TRUE(op.has_value());
  EXPECT_NE(op->password_hash.find("m=65536"), std::string::npos);
  EXPECT_EQ(op->name, "ann");  // from the email
  EXPECT_EQ(op->site_id, site_.id);
}

TEST_F(AddOperator, RejectsShortPasswordWithoutEchoingIt) {
  auto op = add_operator(*store_, site_.id, "ann@shop.example", "Ann", "short9chr", kNow, kFast);
  ASSERT_FALSE(op.has_value());
  EXPECT_EQ(op.error().code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(op.error().field, "password");
  EXPECT_EQ(op.error().message.find("short9chr"), std::string::npos);
}

TEST_F(AddOperator, DuplicateEmailOnSameSiteIsConflict) {
  ASSERT_TRUE(add_operator(*store_, site_.id, "ann@shop.example", "Ann", "a long password", kNow, kFast));
  auto dup = add_operator(*store_, site_.id, "ANN@shop.example", "Ann 2", "another password", kNow, kFast);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(dup.error().field, "email");
}

TEST_F(AddOperator, UnknownSiteIsNotFound) {
  auto op = add_operator(*store_, "site_nope", "ann@shop.example", "Ann", "a long password", kNow, kFast);
  ASSERT_FALSE(op.has_value());
  EXPECT_EQ(op.error().code, vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(op.error().field, "site");
}

TEST_F(AddOperator, RoleMustBeKnown) {
  auto admin = add_operator(*store_, site_.id, "boss@shop.example", "Boss", "a long password", kNow,
                            {.role = "admin", .cost = auth::kMinimumCost});
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->role, "admin");
  auto bad = add_operator(*store_, site_.id, "x@shop.example", "X", "a long password", kNow,
                          {.role = "root", .cost = auth::kMinimumCost});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "role");
}

}  // namespace
}  // namespace vitrina::admin
