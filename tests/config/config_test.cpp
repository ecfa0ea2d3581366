#include "config/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vitrina::config {
namespace {

class ConfigFile : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("vitrina-config-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST(Config, DefaultsListenOnLoopback8080) {
  auto c = load({});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 8080);
  EXPECT_EQ(c->listen(), "127.0.0.1:8080");
}

TEST_F(ConfigFile, FileSetsNestedKeys) {
  auto c = load({.config_file = write("listen = \"0.0.0.0:9000\"\nio_threads = 3\n[http]\nbody_limit = 4096\n"
                                      "[log]\nrequests = false\n")});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen_host, "0.0.0.0");
  EXPECT_EQ(c->listen_port, 9000);
  EXPECT_EQ(c->io_threads, 3u);
  EXPECT_EQ(c->http.body_limit, 4096u);
  EXPECT_FALSE(c->log_requests);
}

TEST_F(ConfigFile, UnknownKeyIsRefusedNamingIt) {
  auto c = load({.config_file = write("[http]\nbodylimit = 10\n")});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field, "http.bodylimit");
  EXPECT_NE(c.error().message.find("unknown key \"http.bodylimit\""), std::string::npos);
}

TEST_F(ConfigFile, WrongTypeIsRefused) {
  auto c = load({.config_file = write("io_threads = \"two\"\n")});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field, "io_threads");
  EXPECT_NE(c.error().message.find("expected an integer"), std::string::npos);
}

TEST_F(ConfigFile, OutOfRangeIsRefused) {
  auto c = load({.config_file = write("io_threads = 0\n")});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("between 1 and 256"), std::string::npos);
}

TEST_F(ConfigFile, SyntaxErrorNamesLine) {
  auto c = load({.config_file = write("listen = \"a\"\nthis is not toml\n")});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find(":2:"), std::string::npos) << c.error().message;
}

TEST(Config, MissingFileIsRefused) {
  auto c = load({.config_file = "/nonexistent/vitrina.toml"});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("/nonexistent/vitrina.toml"), std::string::npos);
}

TEST_F(ConfigFile, EnvironmentOverridesFileAndFlagsOverrideEnvironment) {
  const auto file = write("listen = \"127.0.0.1:1000\"\ndata_dir = \"/from/file\"\n");
  auto c = load({.config_file = file,
                 .env = {{"VITRINA_LISTEN", "127.0.0.1:2000"}, {"VITRINA_DATA", "/from/env"}},
                 .flags = {{"listen", "127.0.0.1:3000"}}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen_port, 3000);
  EXPECT_EQ(c->data_dir, "/from/env");
}

TEST(Config, BadEnvironmentValueNamesTheVariable) {
  auto c = load({.env = {{"VITRINA_HTTP_BODY_LIMIT", "lots"}}});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field, "http.body_limit");
  EXPECT_NE(c.error().message.find("VITRINA_HTTP_BODY_LIMIT"), std::string::npos);
}

TEST(Config, UnrelatedVitrinaVariablesAreIgnored) {
  auto c = load({.env = {{"VITRINA_SERVER", "/usr/bin/x"}}});
  EXPECT_TRUE(c);
}

TEST(Config, UnknownFlagKeyIsRefused) {
  auto c = load({.flags = {{"http.nope", "1"}}});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field, "http.nope");
}

TEST(Config, BooleansAcceptCommonSpellings) {
  auto c = load({.flags = {{"log.requests", "off"}}});
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->log_requests);
  EXPECT_FALSE(load({.flags = {{"log.requests", "maybe"}}}));
}

TEST(Config, LogLevelAndEngineAreChecked) {
  EXPECT_FALSE(load({.flags = {{"log.level", "loud"}}}));
  EXPECT_FALSE(load({.flags = {{"store.engine", "mysql"}}}));
  EXPECT_TRUE(load({.flags = {{"log.level", "debug"}}}));
}

TEST(ParseListen, AcceptsHostPortAndIpv6) {
  auto a = parse_listen("127.0.0.1:0");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->second, 0);
  auto b = parse_listen("[::1]:8443");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->first, "::1");
  EXPECT_EQ(b->second, 8443);
}

TEST(ParseListen, RefusesMalformedAddresses) {
  EXPECT_FALSE(parse_listen("8080"));
  EXPECT_FALSE(parse_listen("host:"));
  EXPECT_FALSE(parse_listen(":80"));
  EXPECT_FALSE(parse_listen("host:65536"));
  EXPECT_FALSE(parse_listen("host:80x"));
  EXPECT_FALSE(parse_listen("[::1]8080"));
}

TEST(Config, EveryKeyHasAnEnvironmentVariable) {
  for (const auto& k : keys()) {
    EXPECT_TRUE(k.env.starts_with("VITRINA_")) << k.key;
    EXPECT_FALSE(k.description.empty()) << k.key;
  }
}

TEST(Config, ConsoleKeysHaveDefaultsAndBounds) {
  auto defaults = load({});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->console.session_ttl_ms, 12u * 60 * 60 * 1000);
  EXPECT_FALSE(defaults->console.secure_cookies);

  auto set = load({.env = {{"VITRINA_CONSOLE_SECURE_COOKIES", "true"}}, .flags = {{"console.session_ttl_ms", "1000"}}});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->console.session_ttl_ms, 1000u);
  EXPECT_TRUE(set->console.secure_cookies);

  auto too_short = load({.flags = {{"console.session_ttl_ms", "999"}}});
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().field, "console.session_ttl_ms");
}

TEST(Config, ChatLimitsHaveDefaultsAndBounds) {
  auto defaults = load({});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->chat.message_bytes, 4096u);
  EXPECT_EQ(defaults->chat.frame_bytes, 32768u);
  EXPECT_EQ(defaults->chat.frames_per_second, 20u);
  EXPECT_EQ(defaults->chat.queue_frames, 256u);
  EXPECT_EQ(defaults->chat.idle_timeout_ms, 75000u);

  auto set = load({.env = {{"VITRINA_CHAT_MAX_PER_IP", "5"}}, .flags = {{"chat.frames_per_second", "100"}}});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->chat.max_per_ip, 5u);
  EXPECT_EQ(set->chat.frames_per_second, 100u);

  auto too_small = load({.flags = {{"chat.frame_bytes", "10"}}});
  ASSERT_FALSE(too_small);
  EXPECT_EQ(too_small.error().field, "chat.frame_bytes");
}

}  // namespace
}  // namespace vitrina::config
