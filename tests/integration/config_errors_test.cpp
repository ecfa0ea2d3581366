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
