// Drives the admin subcommands through CLI11 exactly as vitrina-server's main does: a root app
// with its own --data option, our commands registered on it, string streams for the terminal.

#include "admin/commands.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>
#include <string>
#include <vector>

#include "admin_support.hpp"
#include "auth/keys.hpp"
#include "auth/password.hpp"
#include "vitrina/protocol/keys.hpp"

namespace vitrina::admin {
namespace {

using testing::TempStore;

struct Outcome {
  int exit_code = 0;
  std::string out;
  std::string err;
  int opens = 0;  // how often the command opened the store
};

// Runs one command line. The store comes from --data when given, else from `temp`.
Outcome run(const TempStore& temp, const std::vector<std::string>& args, const std::string& input = "") {
  CLI::App app{"vitrina-server"};
  std::string data;
  app.add_option("--data", data, "database file");
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  Outcome outcome;
  CommandContext ctx{[&]() -> protocol::Result<std::unique_ptr<store::Store>> {
                       ++outcome.opens;
                       if (!data.empty()) return store::open_sqlite({.path = data});
                       return temp.open();
                     },
                     in, out, err};
  add_commands(app, ctx);
  std::vector<const char*> argv{"vitrina-server"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    ctx.exit_code = app.exit(e, out, err);
  }
  outcome.exit_code = ctx.exit_code;
  outcome.out = out.str();
  outcome.err = err.str();
  return outcome;
}

// The value printed after `label` on its line.
std::string field_after(const std::string& text, const std::string& label) {
  const auto at = text.find(label);
  if (at == std::string::npos) return {};
  auto start = text.find_first_not_of(' ', at + label.size());
  return text.substr(start, text.find('\n', start) - start);
}

TEST(SiteCreateCommand, PrintsKeysAndTheSecretOnce) {
  TempStore temp;
  auto r = run(temp, {"site", "create", "--name", "My Shop", "--origin", "https://shop.example", "--origin",
                      "http://localhost:8080"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = field_after(r.out, "id:");
  const std::string pk = field_after(r.out, "public key:");
  const std::string sk = field_after(r.out, "secret key:");
  EXPECT_TRUE(protocol::is_key_of(id, "site_", 24)) << r.out;
  EXPECT_TRUE(protocol::is_public_key(pk)) << r.out;
  EXPECT_TRUE(protocol::is_secret_key(sk)) << r.out;
  EXPECT_NE(r.out.find("shown only this once"), std::string::npos);
  EXPECT_EQ(r.out.find(sk), r.out.rfind(sk));  // printed exactly once

  auto store = temp.open_or_die();
  auto site = store->find_site_by_secret_hash(auth::hash_secret_key(sk));
  ASSERT_TRUE(site.has_value() && site->has_value());
  EXPECT_EQ((*site)->id, id);
  EXPECT_EQ((*site)->allowed_origins, (std::vector<std::string>{"https://shop.example", "http://localhost:8080"}));
}

TEST(SiteCreateCommand, JsonOutputIsOneObject) {
  TempStore temp;
  auto r = run(temp, {"site", "create", "--json", "--name", "Shop \"Q\"", "--origin", "https://shop.example"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  ASSERT_EQ(parser.parse(r.out).get_object().get(obj), simdjson::SUCCESS) << r.out;
  std::string_view id, name, pk, sk;
  ASSERT_EQ(obj["id"].get(id), simdjson::SUCCESS);
  ASSERT_EQ(obj["name"].get(name), simdjson::SUCCESS);
  ASSERT_EQ(obj["public_key"].get(pk), simdjson::SUCCESS);
  ASSERT_EQ(obj["secret_key"].get(sk), simdjson::SUCCESS);
  simdjson::dom::array origins;
  ASSERT_EQ(obj["allowed_origins"].get(origins), simdjson::SUCCESS);
  EXPECT_EQ(name, "Shop \"Q\"");
  EXPECT_TRUE(protocol::is_public_key(pk));
  EXPECT_TRUE(protocol::is_secret_key(sk));
  EXPECT_EQ(origins.size(), 1u);
  EXPECT_EQ(r.out.back(), '\n');
}

TEST(SiteCreateCommand, BadOriginExitsTwoNamingTheField) {
  TempStore temp;
  auto r = run(temp, {"site", "create", "--name", "Shop", "--origin", "https://shop.example/"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("origin"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("sk_"), std::string::npos);
}

TEST(SiteCreateCommand, MissingNameIsAParseErrorBeforeTheStoreOpens) {
  TempStore temp;
  auto r = run(temp, {"site", "create", "--origin", "https://shop.example"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.opens, 0);
  EXPECT_NE(r.err.find("--name"), std::string::npos) << r.err;
}

TEST(SiteCreateCommand, StoreFailureExitsOne) {
  TempStore temp;
  auto r = run(temp, {"site", "create", "--name", "Shop", "--origin", "https://shop.example", "--data",
                      "/nonexistent-dir/x/v.db"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open the store"), std::string::npos) << r.err;
}

TEST(SiteListCommand, ListsSitesWithoutSecrets) {
  TempStore temp;
  auto created = run(temp, {"site", "create", "--name", "Shop A", "--origin", "https://a.example"});
  ASSERT_EQ(created.exit_code, 0);
  const std::string sk = field_after(created.out, "secret key:");
  const std::string hash = auth::hash_secret_key(sk);

  auto text = run(temp, {"site", "list"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Shop A"), std::string::npos);
  EXPECT_NE(text.out.find(field_after(created.out, "public key:")), std::string::npos);
  auto json = run(temp, {"site", "list", "--json"});
  ASSERT_EQ(json.exit_code, 0);
  simdjson::dom::parser parser;
  simdjson::dom::array sites;
  ASSERT_EQ(parser.parse(json.out).get_array().get(sites), simdjson::SUCCESS) << json.out;
  EXPECT_EQ(sites.size(), 1u);
  for (const auto& out : {text.out, json.out}) {
    EXPECT_EQ(out.find(sk), std::string::npos);
    EXPECT_EQ(out.find("sk_"), std::string::npos);
    EXPECT_EQ(out.find(hash), std::string::npos);
  }
}

TEST(SiteListCommand, RootOptionsWorkAfterTheSubcommand) {
  TempStore elsewhere;
  TempStore unused;
  ASSERT_EQ(run(elsewhere, {"site", "create", "--name", "Far", "--origin", "https://f.example"}).exit_code, 0);
  // --data belongs to the root app; fallthrough lets it follow the subcommand.
  auto r = run(unused, {"site", "list", "--data", elsewhere.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Far"), std::string::npos) << r.out;
}

TEST(SiteListCommand, EmptyStoreSaysHowToStart) {
  TempStore temp;
  auto r = run(temp, {"site", "list"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("site create"), std::string::npos);
}

TEST(SiteRotateSecretCommand, PrintsANewWorkingKey) {
  TempStore temp;
  auto created = run(temp, {"site", "create", "--name", "Shop", "--origin", "https://a.example"});
  ASSERT_EQ(created.exit_code, 0);
  const std::string old_sk = field_after(created.out, "secret key:");
  const std::string pk = field_after(created.out, "public key:");

  auto r = run(temp, {"site", "rotate-secret", pk});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string new_sk = field_after(r.out, pk + ":");
  EXPECT_TRUE(protocol::is_secret_key(new_sk)) << r.out;
  EXPECT_NE(new_sk, old_sk);
  EXPECT_NE(r.out.find("shown only this once"), std::string::npos);

  auto store = temp.open_or_die();
  auto old_lookup = store->find_site_by_secret_hash(auth::hash_secret_key(old_sk));
  ASSERT_TRUE(old_lookup.has_value());
  EXPECT_FALSE(old_lookup->has_value());
  auto new_lookup = store->find_site_by_secret_hash(auth::hash_secret_key(new_sk));
  ASSERT_TRUE(new_lookup.has_value());
  EXPECT_TRUE(new_lookup->has_value());
}

TEST(SiteRotateSecretCommand, UnknownSiteExitsTwo) {
  TempStore temp;
  auto r = run(temp, {"site", "rotate-secret", "site_missing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("site"), std::string::npos);
  EXPECT_EQ(r.out.find("sk_"), std::string::npos);
}

class OperatorAddCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = run(temp_, {"site", "create", "--name", "Shop", "--origin", "https://a.example"});
    ASSERT_EQ(created.exit_code, 0);
    site_id_ = field_after(created.out, "id:");
  }
  TempStore temp_;
  std::string site_id_;
};

TEST_F(OperatorAddCommand, ReadsPasswordFromStdinAndNeverPrintsIt) {
  const std::string password = "correct horse battery";
  auto r =
      run(temp_,
          {"operator", "add", "--site", site_id_, "--email", "Ann@Shop.Example", "--name", "Ann", "--password-stdin"},
          password + "\r\nignored second line\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find(password), std::string::npos);
  EXPECT_EQ(r.err.find(password), std::string::npos);
  auto store = temp_.open_or_die();
  auto op = store->find_operator(site_id_, "ann@shop.example");
  ASSERT_TRUE(op.has_value() && op->has_value());
  EXPECT_EQ((*op)->name, "Ann");
  EXPECT_TRUE(auth::verify_password((*op)->password_hash, password));
}

TEST_F(OperatorAddCommand, GeneratesAndPrintsAPasswordOnce) {
  auto r = run(temp_, {"operator", "add", "--site", site_id_, "--email", "bob@shop.example", "--role", "admin"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string password = field_after(r.out, "password:");
  ASSERT_EQ(password.size(), 20u) << r.out;
  EXPECT_NE(r.out.find("shown only this once"), std::string::npos);
  auto store = temp_.open_or_die();
  auto op = store->find_operator(site_id_, "bob@shop.example");
  ASSERT_TRUE(op.has_value() && op->has_value());
  EXPECT_EQ((*op)->role, "admin");
  EXPECT_TRUE(auth::verify_password((*op)->password_hash, password));
}

TEST_F(OperatorAddCommand, ShortPasswordExitsTwoNamingTheField) {
  auto r = run(temp_, {"operator", "add", "--site", site_id_, "--email", "c@shop.example", "--password-stdin"},
               "tooshort\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("password"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("tooshort"), std::string::npos);
}

TEST_F(OperatorAddCommand, EmptyStdinExitsTwo) {
  auto r = run(temp_, {"operator", "add", "--site", site_id_, "--email", "c@shop.example", "--password-stdin"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("password"), std::string::npos);
}

TEST_F(OperatorAddCommand, BadEmailAndDuplicateExitTwo) {
  auto bad = run(temp_, {"operator", "add", "--site", site_id_, "--email", "not-an-email"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("email"), std::string::npos);
  EXPECT_EQ(bad.out.find("password:"), std::string::npos);  // nothing created, nothing shown
  ASSERT_EQ(run(temp_, {"operator", "add", "--site", site_id_, "--email", "d@shop.example"}).exit_code, 0);
  auto dup = run(temp_, {"operator", "add", "--site", site_id_, "--email", "D@shop.example"});
  EXPECT_EQ(dup.exit_code, 2);
  EXPECT_NE(dup.err.find("email"), std::string::npos);
}

TEST_F(OperatorAddCommand, UnknownRoleIsAParseError) {
  auto r = run(temp_, {"operator", "add", "--site", site_id_, "--email", "e@shop.example", "--role", "root"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.opens, 0);
}

}  // namespace
}  // namespace vitrina::admin
