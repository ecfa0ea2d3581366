// The telephony example end to end: the real server delivers `callback.requested` to
// examples/telephony/callback_dialer.py, which verifies it and sends an AMI Originate to a
// stand-in Asterisk manager; a forged webhook dials nobody.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "widget_api.hpp"

namespace vitrina::testing {
namespace {

// Accepts AMI connections on 127.0.0.1, answers every action with Success and records them.
class FakeAmi {
 public:
  FakeAmi() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::listen(fd_, 4);
    thread_ = std::thread([this] { run(); });
  }
  ~FakeAmi() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<std::string> actions() {
    std::lock_guard lock(mu_);
    return actions_;
  }

 private:
  void run() {
    while (!stop_) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      send_all(c, "Asterisk Call Manager/7.0.3\r\n");
      std::string buffer;
      char chunk[1024];
      for (;;) {
        const auto n = ::read(c, chunk, sizeof chunk);
        if (n <= 0) break;
        buffer.append(chunk, static_cast<std::size_t>(n));
        for (auto end = buffer.find("\r\n\r\n"); end != std::string::npos; end = buffer.find("\r\n\r\n")) {
          {
            std::lock_guard lock(mu_);
            actions_.push_back(buffer.substr(0, end));
          }
          buffer.erase(0, end + 4);
          send_all(c, "Response: Success\r\nMessage: ok\r\n\r\n");
        }
      }
      ::close(c);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> actions_;
  std::thread thread_;
};

// The dialer as a child process; its port from its "listening" line.
class Dialer {
 public:
  Dialer(const std::string& secret, int ami_port) {
    int out[2];
    EXPECT_EQ(::pipe(out), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::setenv("VITRINA_WEBHOOK_SECRET", secret.c_str(), 1);
      ::setenv("LISTEN", "127.0.0.1:0", 1);
      ::setenv("AMI_PORT", std::to_string(ami_port).c_str(), 1);
      ::setenv("AMI_SECRET", "test", 1);
      const std::string script = std::string(VITRINA_SOURCE_DIR) + "/examples/telephony/callback_dialer.py";
      ::execlp("python3", "python3", script.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = ::fdopen(out[0], "r");
    char line[256];
    if (std::fgets(line, sizeof line, out_) != nullptr) {
      const std::string text(line);
      const auto at = text.find("\"port\": ");
      if (at != std::string::npos) port_ = std::stoi(text.substr(at + 8));
    }
  }
  ~Dialer() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    std::fclose(out_);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  int port_ = 0;
};

using TelephonyTest = WidgetApiTest;

TEST_F(TelephonyTest, DialerOriginatesOnASignedRequestOnly) {
  FakeAmi ami;
  // The endpoint's secret exists once the endpoint does, and the dialer's port once it runs:
  // add the endpoint first, start the dialer with its secret, then point the endpoint at it.
  auto added = admin({"webhook", "add", "--site", site_id_, "--url", "http://127.0.0.1:9/hook", "--event",
                      "callback.requested", "--json"});
  ASSERT_EQ(added.exit_code, 0) << added.output;
  const std::string endpoint = capture(added.output, R"re("id":"(we_[0-9A-Za-z]+)")re");
  const std::string secret = capture(added.output, R"re("secret":"(whsec_[^"]+)")re");
  Dialer dialer(secret, ami.port());
  ASSERT_NE(dialer.port(), 0);
  start();
  auto pointed =
      client().Patch("/v1/webhook_endpoints/" + endpoint, httplib::Headers{{"Authorization", "Bearer " + sk_}},
                     R"({"url":"http://127.0.0.1:)" + std::to_string(dialer.port()) + R"(/hook"})", "application/json");
  ASSERT_TRUE(pointed);
  ASSERT_EQ(pointed->status, 200) << pointed->body;

  // A forged webhook (signed with another key) dials nobody.
  httplib::Client direct("127.0.0.1", dialer.port());
  const std::string forged_body =
      R"({"type":"callback.requested","timestamp":"2026-01-01T00:00:00Z","data":{"id":"cb_x","status":"new","phone":"+79000000000"}})";
  auto forged = direct.Post("/hook",
                            httplib::Headers{{"webhook-id", "msg_x"},
                                             {"webhook-timestamp", std::to_string(std::time(nullptr))},
                                             {"webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}},
                            forged_body, "application/json");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401);

  auto made = widget_post("/callbacks", R"({"phone":"8 (912) 345-67-89","pow":)" + solved_pow() + "}");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string id = json_string(made->body, "id");
  std::string originate;
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& a : ami.actions()) {
          if (a.find("Action: Originate") != std::string::npos) originate = a;
        }
        return !originate.empty();
      },
      15s))
      << server_->output();
  EXPECT_NE(originate.find("Exten: +79123456789"), std::string::npos) << originate;
  EXPECT_NE(originate.find("ActionID: " + id), std::string::npos) << originate;
  EXPECT_NE(originate.find("Variable: VITRINA_CALLBACK_ID=" + id), std::string::npos) << originate;
  EXPECT_EQ(ami.actions().front().find("Action: Login"), 0u);
  std::size_t originates = 0;
  for (const auto& a : ami.actions()) originates += a.find("Action: Originate") != std::string::npos;
  EXPECT_EQ(originates, 1u) << "only the signed request was dialled";
}

}  // namespace
}  // namespace vitrina::testing
