#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "support.hpp"

namespace vitrina::testing {
namespace {

TEST(Shutdown, RequestInFlightFinishesThenTheServerExits) {
  TestServer server;
  const int fd = connect_to(server.port());
  ASSERT_GE(fd, 0);
  // Half a request: the server is in the middle of reading it when the signal arrives.
  send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
  std::this_thread::sleep_for(200ms);
  server.process().send_signal(SIGTERM);
  ASSERT_TRUE(server.process().wait_for_output("\"msg\":\"shutting down\"", 5s)) << server.process().output();
  // The listener closes right after that line; wait for it rather than for a fixed time.
  const auto closed_by = std::chrono::steady_clock::now() + 5s;
  for (int fd2 = connect_to(server.port()); fd2 >= 0 && std::chrono::steady_clock::now() < closed_by;
       fd2 = connect_to(server.port())) {
    ::close(fd2);
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_LT(connect_to(server.port()), 0) << "new connections must be refused";
  send_all(fd, "\r\n");
  const std::string r = read_all(fd, 5s);
  ::close(fd);
  EXPECT_EQ(status_of(r), 200) << r;
  EXPECT_EQ(header_of(r, "Connection"), "close");
  EXPECT_EQ(server.process().wait_exit(10s), 0) << server.process().output();
  EXPECT_NE(server.process().output().find("\"msg\":\"stopped\""), std::string::npos);
}

TEST(Shutdown, IdleKeepAliveConnectionsDoNotDelayExit) {
  TestServer server;
  const int fd = connect_to(server.port());
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  // The answer came: the connection is now idle, kept alive.
  ASSERT_EQ(status_of(read_response(fd, 5s)), 200);
  const auto start = std::chrono::steady_clock::now();
  server.process().send_signal(SIGINT);
  EXPECT_EQ(server.process().wait_exit(10s), 0) << server.process().output();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  ::close(fd);
}

TEST(Shutdown, GracePeriodBoundsAStuckRequest) {
  TestServer server({"--set", "shutdown.grace_ms=300", "--set", "http.request_timeout_ms=60000"});
  const int fd = connect_to(server.port());
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /healthz HTTP/1.1\r\n");  // never completed
  std::this_thread::sleep_for(200ms);
  const auto start = std::chrono::steady_clock::now();
  server.process().send_signal(SIGTERM);
  EXPECT_EQ(server.process().wait_exit(10s), 0) << server.process().output();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  ::close(fd);
}

}  // namespace
}  // namespace vitrina::testing
