#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support.hpp"

namespace vitrina::testing {
namespace {

std::vector<std::string> tight_limits() {
  return {"--set", "http.header_limit=4096",      "--set", "http.body_limit=1024",
          "--set", "http.request_timeout_ms=400", "--set", "http.idle_timeout_ms=400"};
}

TEST(Limits, OversizedHeadersGet431) {
  TestServer server(tight_limits());
  const std::string r = server.get("/healthz", "X-Big: " + std::string(8000, 'a') + "\r\n");
  EXPECT_EQ(status_of(r), 431);
  EXPECT_EQ(header_of(r, "Content-Type"), "application/problem+json");
  EXPECT_EQ(status_of(server.get("/healthz")), 200);
}

TEST(Limits, DeclaredOversizedBodyGets413BeforeItIsSent) {
  TestServer server(tight_limits());
  const std::string r =
      raw_exchange(server.port(), "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  EXPECT_EQ(status_of(r), 413);
  EXPECT_NE(r.find("\"field\":\"body\""), std::string::npos) << r;
}

TEST(Limits, ChunkedBodyOverTheLimitGets413) {
  TestServer server(tight_limits());
  std::string req = "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) req += "200\r\n" + std::string(512, 'z') + "\r\n";
  req += "0\r\n\r\n";
  EXPECT_EQ(status_of(raw_exchange(server.port(), req)), 413);
}

TEST(Limits, MalformedRequestsGet400AndTheServerCarriesOn) {
  TestServer server(tight_limits());
  for (const std::string& req :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTX/1.1\r\n\r\n"),
        std::string("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n"), std::string("GET /he\0lthz HTTP/1.1\r\n\r\n", 25),
        std::string("POST /healthz HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
        std::string("POST /healthz HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
        std::string("POST /healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")}) {
    const std::string r = raw_exchange(server.port(), req);
    EXPECT_EQ(status_of(r), 400) << req;
  }
  EXPECT_EQ(status_of(server.get("/healthz")), 200);
  EXPECT_TRUE(server.process().running());
}

TEST(Limits, SlowRequestGets408) {
  TestServer server(tight_limits());
  const auto start = std::chrono::steady_clock::now();
  const std::string r = raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n", 5s);
  EXPECT_EQ(status_of(r), 408);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(Limits, IdleConnectionIsClosedWithoutAResponse) {
  TestServer server(tight_limits());
  const int fd = connect_to(server.port());
  ASSERT_GE(fd, 0);
  const auto start = std::chrono::steady_clock::now();
  const std::string r = read_all(fd, 5s);
  ::close(fd);
  EXPECT_EQ(r, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(Limits, ExpectContinueIsAnswered) {
  TestServer server(tight_limits());
  const int fd = connect_to(server.port());
  ASSERT_GE(fd, 0);
  send_all(
      fd,
      "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
  pollfd p{fd, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 3000), 1);
  char buf[64];
  const auto n = ::recv(fd, buf, sizeof buf, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)).substr(0, 25), "HTTP/1.1 100 Continue\r\n\r\n");
  send_all(fd, "abc");
  const std::string rest = read_all(fd, 3s);
  ::close(fd);
  EXPECT_EQ(status_of(rest), 405);
}

}  // namespace
}  // namespace vitrina::testing
