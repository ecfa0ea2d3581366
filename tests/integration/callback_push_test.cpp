// Callback requests pushed live to the console's operators: over a real console WebSocket, an
// operator of the site gets a `callback` frame when a visitor asks for a call and each time the
// request changes status (through the API or the console); another site's operator and the
// site's visitors get nothing.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "widget_api.hpp"
#include "ws_client.hpp"

namespace vitrina::testing {
namespace {

constexpr const char* kPassword = "correct horse battery";

class CallbackPushTest : public WidgetApiTest {
 protected:
  void add_operator(const std::string& site_id, const std::string& email) {
    auto r = run_server_with_input({"--data", data_.str(), "operator", "add", "--site", site_id, "--email", email,
                                    "--name", "Maria", "--password-stdin"},
                                   std::string(kPassword) + "\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The session cookie ("vitrina_session=…") of a console sign-in.
  std::string login(const std::string& email) {
    auto r = client().Post("/v1/console/login",
                           R"({"email":")" + email + R"(","password":")" + std::string(kPassword) + "\"}",
                           "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    if (!r) return {};
    return capture(r->get_header_value("Set-Cookie"), "^(vitrina_session=[^;]+);");
  }

  // A welcomed console connection of the operator signed in as `email`.
  std::unique_ptr<WsClient> operator_client(const std::string& email, std::string* cookie_out = nullptr) {
    auto c = std::make_unique<WsClient>();
    const std::string cookie = login(email);
    EXPECT_FALSE(cookie.empty());
    EXPECT_EQ(c->connect(port_, "/v1/console/ws", origin(), cookie), 101);
    c->send(R"({"type":"hello","v":1})");
    EXPECT_TRUE(c->read_type("welcome")) << "no welcome for " << email;
    if (cookie_out != nullptr) *cookie_out = cookie;
    return c;
  }

  std::unique_ptr<WsClient> visitor_client() {
    auto c = std::make_unique<WsClient>();
    EXPECT_EQ(c->connect(port_, "/v1/visitor/ws?site=" + pk_, kShopOrigin), 101);
    c->send(R"({"type":"hello","v":1})");
    EXPECT_TRUE(c->read_type("welcome")) << "no welcome for the visitor";
    return c;
  }

  // The member `key` of the frame's callback object.
  static std::string in_callback(const std::string& frame, const std::string& key) {
    const auto at = frame.find(R"("callback":{)");
    return at == std::string::npos ? std::string() : json_string(frame.substr(at), key);
  }
};

TEST_F(CallbackPushTest, OperatorsOfTheSiteGetEachRequestAndStatusChangeLive) {
  add_operator(site_id_, "maria@shop.example");
  auto other = admin({"site", "create", "--name", "Other shop", "--origin", "https://other.example", "--json"});
  ASSERT_EQ(other.exit_code, 0) << other.output;
  add_operator(capture(other.output, R"re("id":"(site_[0-9A-Za-z]+)")re"), "boris@other.example");
  start();

  std::string cookie;
  auto maria = operator_client("maria@shop.example", &cookie);
  auto boris = operator_client("boris@other.example");
  auto visitor = visitor_client();

  // A visitor asks for a call: the site's operator sees the stored request.
  auto made = widget_post("/callbacks", R"({"phone":"8 (912) 345-67-89","name":"Anna",)"
                                        R"("page_url":"https://shop.example/cart","pow":)" +
                                            solved_pow() + "}");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string id = json_string(made->body, "id");
  auto requested = maria->read_type("callback");
  ASSERT_TRUE(requested) << "no callback frame for the operator";
  EXPECT_NE(requested->find(R"("event":"requested")"), std::string::npos) << *requested;
  EXPECT_EQ(requested->find("previous_status"), std::string::npos) << *requested;
  EXPECT_EQ(in_callback(*requested, "id"), id);
  EXPECT_EQ(in_callback(*requested, "object"), "callback");
  EXPECT_EQ(in_callback(*requested, "status"), "new");
  EXPECT_EQ(in_callback(*requested, "phone"), "+79123456789");
  EXPECT_EQ(in_callback(*requested, "name"), "Anna");
  EXPECT_EQ(in_callback(*requested, "page_url"), "https://shop.example/cart");
  EXPECT_FALSE(in_callback(*requested, "call_by").empty()) << *requested;

  // The shop's backend moves it on through the API: the same object the API answers with.
  auto calling = api_post("/v1/callback_requests/" + id + "/status", R"({"status":"calling"})");
  ASSERT_TRUE(calling);
  ASSERT_EQ(calling->status, 200) << calling->body;
  auto changed = maria->read_type("callback");
  ASSERT_TRUE(changed) << "no callback frame for the status change";
  EXPECT_NE(changed->find(R"("event":"status_changed","previous_status":"new")"), std::string::npos) << *changed;
  EXPECT_EQ(changed->substr(changed->find(R"("callback":{)") + 11), calling->body + "}");

  // A repeat changes nothing and announces nothing; the operator's own change in the console
  // is announced with the operator's id.
  auto again = api_post("/v1/callback_requests/" + id + "/status", R"({"status":"calling"})");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  httplib::Headers console{{"Cookie", cookie}, {"Origin", origin()}};
  auto done = client().Post("/v1/callback_requests/" + id + "/status", console,
                            R"({"status":"done","note":"ordered the sofa"})", "application/json");
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 200) << done->body;
  auto finished = maria->read_type("callback");
  ASSERT_TRUE(finished);
  EXPECT_NE(finished->find(R"("previous_status":"calling")"), std::string::npos)
      << "the repeat was announced: " << *finished;
  EXPECT_EQ(in_callback(*finished, "status"), "done");
  EXPECT_EQ(in_callback(*finished, "note"), "ordered the sofa");
  EXPECT_EQ(in_callback(*finished, "operator_id").substr(0, 3), "op_") << *finished;

  // The hub sent each frame to every connection of the site at once, so by now anything meant
  // for the others would have arrived too.
  EXPECT_FALSE(boris->read_type("callback", std::chrono::milliseconds(500))) << "another site's operator got the frame";
  EXPECT_TRUE(boris->timed_out()) << "the other operator's connection ended";
  EXPECT_FALSE(visitor->read_type("callback", std::chrono::milliseconds(500))) << "a visitor got the frame";
  EXPECT_TRUE(visitor->timed_out()) << "the visitor's connection ended";
}

TEST_F(CallbackPushTest, OnlyConnectedOperatorsAreToldAndARequestIsNeverLost) {
  add_operator(site_id_, "maria@shop.example");
  start();
  // Nobody connected: the request is stored and listed, and a console that connects later
  // finds it through the API (frames are not replayed).
  auto made = widget_post("/callbacks", R"({"phone":"+7 912 345 67 80","pow":)" + solved_pow() + "}");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  auto maria = operator_client("maria@shop.example");
  auto list = api_get("/v1/callback_requests?status=new");
  ASSERT_TRUE(list);
  EXPECT_NE(list->body.find(json_string(made->body, "id")), std::string::npos) << list->body;
  EXPECT_FALSE(maria->read_type("callback", std::chrono::milliseconds(300))) << "a frame was replayed";
}

}  // namespace
}  // namespace vitrina::testing
