#pragma once
// What the console's integration tests share: a data directory with a site and an operator made
// with the admin CLI, sign-in, and raw requests carrying the session cookie.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "support.hpp"

namespace vitrina::testing {

inline constexpr const char* kEmail = "anna@shop.example";
inline constexpr const char* kPassword = "correct horse battery";

inline std::string capture(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return {};
  return m[1].str();
}

inline std::string body_of(const std::string& response) {
  const auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

// True when the whole response arrived: the body is as long as Content-Length says.
inline bool complete(const std::string& response) {
  const auto length = header_of(response, "Content-Length");
  return !length.empty() && body_of(response).size() == std::stoul(length);
}

inline std::string login_body(const std::string& email, const std::string& password, const std::string& site = {}) {
  std::string body = R"({"email":")" + email + R"(","password":")" + password + "\"";
  if (!site.empty()) body += R"(,"site":")" + site + "\"";
  return body + "}";
}

inline std::string post(int port, const std::string& path, const std::string& body,
                        const std::string& headers = "Content-Type: application/json\r\n") {
  return raw_exchange(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers +
                                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

inline std::string login(int port, const std::string& email = kEmail, const std::string& password = kPassword,
                         const std::string& site = {}) {
  return post(port, "/v1/console/login", login_body(email, password, site));
}

// The session token a response's Set-Cookie carries, "" if none.
inline std::string token_of(const std::string& response) {
  return capture(header_of(response, "Set-Cookie"), "^vitrina_session=(ses_[0-9A-Za-z]{43});");
}

inline std::string me(int port, const std::string& token, const std::string& other_cookies = {}) {
  return raw_exchange(port,
                      "GET /v1/console/me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      "Cookie: " +
                          other_cookies + "vitrina_session=" + token + "\r\n\r\n");
}

// The csrf_token of a sign-in or /v1/console/me answer, "" if none.
inline std::string csrf_of(const std::string& response) {
  return capture(body_of(response), R"re("csrf_token":"([0-9a-f]{64})")re");
}

// The headers a signed-in console request carries.
inline std::string session_headers(const std::string& token, const std::string& csrf = {}) {
  std::string h = "Cookie: vitrina_session=" + token + "\r\n";
  if (!csrf.empty()) h += "X-CSRF-Token: " + csrf + "\r\n";
  return h;
}

// A data directory with one site and one operator, made with the admin CLI.
class ConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_id_ = create_site("S", &public_key_);
    ASSERT_FALSE(site_id_.empty());
    add_operator(site_id_, kEmail, kPassword);
  }

  std::string create_site(const std::string& name, std::string* public_key = nullptr) {
    auto r =
        run_server({"--data", data_.str(), "site", "create", "--name", name, "--origin", "http://127.0.0.1", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    if (public_key != nullptr) *public_key = capture(r.output, R"re("public_key":"(pk_[0-9A-Za-z]+)")re");
    return capture(r.output, R"re("id":"(site_[0-9A-Za-z]+)")re");
  }

  void add_operator(const std::string& site, const std::string& email, const std::string& password,
                    const std::string& role = "operator") {
    auto r = run_server_with_input({"--data", data_.str(), "operator", "add", "--site", site, "--email", email,
                                    "--password-stdin", "--role", role},
                                   password + "\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  std::unique_ptr<ServerProcess> start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data", data_.str()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto server = std::make_unique<ServerProcess>(std::move(args));
    if (server->wait_listening() == 0) ADD_FAILURE() << "server did not start: " << server->output();
    return server;
  }

  TempDir data_;
  std::string site_id_;
  std::string public_key_;
};

}  // namespace vitrina::testing
