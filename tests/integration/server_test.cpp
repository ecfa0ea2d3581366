#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include "support.hpp"

namespace vitrina::testing {
namespace {

TEST(Server, HealthzAndReadyzAnswerJson) {
  TestServer server;
  httplib::Client client("127.0.0.1", server.port());
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, R"({"status":"ok"})");
  EXPECT_EQ(health->get_header_value("Content-Type"), "application/json");
  auto ready = client.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(ready->body, R"({"status":"ready"})");
}

TEST(Server, LogsOneJsonLinePerRequestWithItsId) {
  TestServer server;
  const std::string response = server.get("/healthz?token=secret-value");
  ASSERT_EQ(status_of(response), 200);
  const std::string rid = header_of(response, "X-Request-Id");
  ASSERT_EQ(rid.size(), 15u);
  ASSERT_TRUE(server.process().wait_for_output("\"rid\":\"" + rid + "\"", 5s)) << server.process().output();
  const std::string out = server.process().output();
  const auto line_start = out.rfind('\n', out.find("\"rid\":\"" + rid + "\"")) + 1;
  const std::string line = out.substr(line_start, out.find('\n', line_start) - line_start);
  EXPECT_NE(line.find("\"msg\":\"request\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"method\":\"GET\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"path\":\"/healthz\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"status\":200"), std::string::npos) << line;
  EXPECT_NE(line.find("\"ms\":"), std::string::npos) << line;
  // The query string can carry tokens: it is not logged.
  EXPECT_EQ(out.find("secret-value"), std::string::npos);
}

TEST(Server, KeepsAClientRequestIdThatIsPlain) {
  TestServer server;
  EXPECT_EQ(header_of(server.get("/healthz", "X-Request-Id: abc-123\r\n"), "X-Request-Id"), "abc-123");
  EXPECT_NE(header_of(server.get("/healthz", "X-Request-Id: <script>\r\n"), "X-Request-Id"), "<script>");
}

TEST(Server, UnknownPathIsProblem404AndWrongMethodIs405) {
  TestServer server;
  const std::string missing = server.get("/nope");
  EXPECT_EQ(status_of(missing), 404);
  EXPECT_EQ(header_of(missing, "Content-Type"), "application/problem+json");
  const std::string post = raw_exchange(server.port(),
                                        "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                                        "Connection: close\r\n\r\n");
  EXPECT_EQ(status_of(post), 405);
  EXPECT_EQ(header_of(post, "Allow"), "GET, HEAD");
}

TEST(Server, KeepAliveServesSeveralRequestsOnOneConnection) {
  TestServer server;
  const int fd = connect_to(server.port());
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string both = read_all(fd, 5s);
  ::close(fd);
  EXPECT_NE(both.find(R"({"status":"ok"})"), std::string::npos) << both;
  EXPECT_NE(both.find(R"({"status":"ready"})"), std::string::npos) << both;
}

TEST(Server, HeadGivesLengthWithoutBody) {
  TestServer server;
  const std::string r =
      raw_exchange(server.port(), "HEAD /v1/big.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(r), 200);
  EXPECT_EQ(header_of(r, "Content-Length"), std::to_string(100 * 1024));
  EXPECT_EQ(r.substr(r.find("\r\n\r\n") + 4), "");
}

}  // namespace
}  // namespace vitrina::testing
