#include <gtest/gtest.h>

#include "support.hpp"

namespace vitrina::testing {
namespace {

TEST(ConfigErrors, UnknownKeyInFileIsRefusedNamingIt) {
  TempDir dir;
  dir.write("vitrina.toml", "listen = \"127.0.0.1:0\"\n[http]\nbody_limt = 10\n");
  const auto r = run_server({"--config", dir.str() + "/vitrina.toml", "--data", dir.str()});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown key \"http.body_limt\""), std::string::npos) << r.output;
}

TEST(ConfigErrors, AcquirerMistakesStopTheServerNamingTheKeyNotTheSecret) {
  TempDir dir;
  dir.write("vitrina.toml",
            "listen = \"127.0.0.1:0\"\n[acquirers.yookassa.sites.site_a]\nshop_id = \"1\"\nsecret_kee = "
            "\"live_hidden\"\n");
  auto r = run_server({"--config", dir.str() + "/vitrina.toml", "--data", dir.str()});
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("acquirers.yookassa.sites.site_a.secret_kee"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("live_hidden"), std::string::npos) << r.output;

  r = run_server({"--listen", "127.0.0.1:0", "--data", dir.str(), "--set", "acquirers.tbank.sites.site_a.password=pw"});
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("acquirers.tbank.sites.site_a.terminal_key is required"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("=pw"), std::string::npos) << r.output;

  r = run_server({"--listen", "127.0.0.1:0", "--data", dir.str(), "--set", "acquirers.nopay.key=x"});
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("acquirers.nopay: no such acquirer"), std::string::npos) << r.output;

  r = run_server(
      {"--listen", "127.0.0.1:0", "--data", dir.str(), "--set", "acquirers.yookassa.base_url=http://api.yookassa.ru/v3",
       "--set", "acquirers.yookassa.sites.site_a.shop_id=1", "--set", "acquirers.yookassa.sites.site_a.secret_key=s"});
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("acquirers.yookassa.base_url must use https"), std::string::npos) << r.output;
}

TEST(ConfigErrors, BadValueFromEnvironmentNamesTheVariable) {
  TempDir dir;
  const auto r = run_server({"--data", dir.str()}, {{"VITRINA_IO_THREADS", "many"}});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("VITRINA_IO_THREADS"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("io_threads"), std::string::npos) << r.output;
}

TEST(ConfigErrors, MissingConfigFileIsRefused) {
  TempDir dir;
  const auto r = run_server({"--data", dir.str()}, {{"VITRINA_CONFIG", dir.str() + "/absent.toml"}});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("absent.toml does not exist"), std::string::npos) << r.output;
}

TEST(ConfigErrors, BadFlagsAreRefused) {
  TempDir dir;
  auto r = run_server({"--data", dir.str(), "--listen", "localhost"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("listen"), std::string::npos) << r.output;
  r = run_server({"--data", dir.str(), "--set", "http.body_limit"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = run_server({"--data", dir.str(), "--set", "http.body_limit=-1"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("http.body_limit"), std::string::npos) << r.output;
  r = run_server({"--data", dir.str(), "--no-such-flag"});
  EXPECT_NE(r.exit_code, 0) << r.output;
}

TEST(ConfigErrors, BusyPortIsReportedAsSuch) {
  TestServer first;
  TempDir dir;
  const auto r = run_server({"--data", dir.str(), "--listen", "127.0.0.1:" + std::to_string(first.port())});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("already in use"), std::string::npos) << r.output;
  EXPECT_TRUE(first.process().running());
}

TEST(ConfigErrors, MissingWidgetDirectoryIsRefusedWhenConfigured) {
  TempDir dir;
  const auto r =
      run_server({"--data", dir.str(), "--listen", "127.0.0.1:0", "--set", "static.widget_dir=" + dir.str() + "/nope"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("nope"), std::string::npos) << r.output;
}

TEST(ConfigErrors, UnwritableDataDirectoryIsRefused) {
  TempDir dir;
  dir.write("file", "not a directory");
  const auto r = run_server({"--data", dir.str() + "/file/sub", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("data directory"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace vitrina::testing
