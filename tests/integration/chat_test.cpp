// The live chat over real WebSocket connections to the real server: a visitor and an operator
// talk, reconnect and resume, repeat client ids, survive kill -9; and the server refuses bad
// origins, bad frames, bad identities and clients that do not read.

#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>

#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"
#include "ws_client.hpp"

namespace vitrina::testing {
namespace {

constexpr const char* kOrigin = "http://shop.test";
constexpr const char* kEmail = "maria@shop.test";
constexpr const char* kPassword = "correct horse battery";

// hex(HMAC-SHA256(secret, message)), as a shop's backend computes an identity hash.
std::string identity_hash(const std::string& secret, const std::string& message) {
  crypto_auth_hmacsha256_state state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

std::string frame_value(const std::string& frame, const std::string& key) {
  auto s = capture_first(frame, "\"" + key + "\":\"([^\"]*)\"");
  if (!s.empty()) return s;
  return capture_first(frame, "\"" + key + "\":(-?[0-9]+|true|false)");
}

class ChatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = run_server({"--data", data_.str(), "site", "create", "--name", "Shop", "--origin", kOrigin, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    site_id_ = capture_first(r.output, R"re("id":"(site_[0-9A-Za-z]+)")re");
    public_key_ = capture_first(r.output, R"re("public_key":"(pk_[0-9A-Za-z]+)")re");
    auto a = run_server_with_input(
        {"--data", data_.str(), "operator", "add", "--site", site_id_, "--email", kEmail, "--password-stdin"},
        std::string(kPassword) + "\n");
    ASSERT_EQ(a.exit_code, 0) << a.output;
  }

  void set_chat_settings(const std::string& json) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((data_.str() + "/vitrina.db").c_str(), &db), SQLITE_OK);
    const std::string sql =
        "UPDATE sites SET settings = json_object('chat', json('" + json + "')) WHERE id = '" + site_id_ + "'";
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  void start(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data", data_.str()};
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ServerProcess>(args);
    port_ = server_->wait_listening();
    ASSERT_NE(port_, 0) << server_->output();
  }

  std::string login(const std::string& email = kEmail) {
    const std::string body = R"({"email":")" + email + R"(","password":")" + kPassword + "\"}";
    auto r = raw_exchange(port_,
                          "POST /v1/console/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                          "Content-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body);
    return capture_first(header_of(r, "Set-Cookie"), "^(vitrina_session=[^;]+);");
  }

  // A welcomed operator connection.
  std::unique_ptr<WsClient> operator_client(const std::string& email = kEmail) {
    auto c = std::make_unique<WsClient>();
    const auto cookie = login(email);
    EXPECT_FALSE(cookie.empty());
    EXPECT_EQ(c->connect(port_, "/v1/console/ws", "http://127.0.0.1:" + std::to_string(port_), cookie), 101);
    c->send(R"({"type":"hello","v":1})");
    auto w = c->read_type("welcome");
    EXPECT_TRUE(w) << "no welcome for the operator";
    return c;
  }

  // A welcomed visitor connection; `welcome` receives the welcome frame.
  std::unique_ptr<WsClient> visitor_client(const std::string& hello = R"({"type":"hello","v":1})",
                                           std::string* welcome = nullptr) {
    auto c = std::make_unique<WsClient>();
    EXPECT_EQ(c->connect(port_, "/v1/visitor/ws?site=" + public_key_, kOrigin), 101);
    c->send(hello);
    auto w = c->read();
    EXPECT_TRUE(w && w->find("\"type\":\"welcome\"") != std::string::npos) << w.value_or("(nothing)");
    if (welcome != nullptr) *welcome = w.value_or("");
    return c;
  }

  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // One console HTTP request with the session cookie; `with_origin` adds the console's Origin.
  std::string console(const std::string& method, const std::string& target, const std::string& cookie,
                      const std::string& body = {}, bool with_origin = true) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                      "\r\nConnection: close\r\nCookie: " + cookie + "\r\n";
    if (with_origin) req += "Origin: " + origin() + "\r\n";
    if (!body.empty()) req += "Content-Type: application/json\r\n";
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return raw_exchange(port_, req);
  }

  // The webhook events the outbox holds for the site, oldest first: "type payload" lines.
  std::vector<std::string> outbox() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((data_.str() + "/vitrina.db").c_str(), &db), SQLITE_OK);
    std::vector<std::string> out;
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT event_type || ' ' || payload FROM webhook_messages WHERE site_id = '" + site_id_ +
                            "' ORDER BY created_at, rowid";
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }

  TempDir data_;
  std::string site_id_, public_key_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(ChatTest, VisitorAndOperatorTalkBothWays) {
  start();
  auto op = operator_client();
  std::string welcome;
  auto visitor =
      visitor_client(R"({"type":"hello","v":1,"context":{"url":"https://shop.test/cart","title":"Cart"}})", &welcome);
  EXPECT_EQ(frame_value(welcome, "token_status"), "issued") << welcome;
  EXPECT_NE(welcome.find(R"("presence":{"status":"online"})"), std::string::npos) << welcome;

  visitor->send(R"({"type":"message","client_id":"visitor-msg-0001","text":"Есть размер M? <b>hi</b>"})");
  auto conversation = visitor->read();
  ASSERT_TRUE(conversation);
  EXPECT_EQ(frame_value(*conversation, "type"), "conversation") << *conversation;
  EXPECT_EQ(frame_value(*conversation, "status"), "waiting");
  EXPECT_EQ(conversation->find("\"visitor\""), std::string::npos) << "visitors never see their own record";
  auto ack = visitor->read();
  ASSERT_TRUE(ack);
  EXPECT_EQ(frame_value(*ack, "type"), "ack") << *ack;
  EXPECT_EQ(frame_value(*ack, "seq"), "1");
  const std::string conv = frame_value(*ack, "conversation_id");
  ASSERT_EQ(conv.size(), 29u) << *ack;

  auto seen = op->read_type("message");
  ASSERT_TRUE(seen);
  EXPECT_NE(seen->find(R"(\u003cb\u003ehi\u003c/b\u003e)"), std::string::npos) << *seen;
  EXPECT_EQ(frame_value(*seen, "conversation_id"), conv);

  op->send(R"({"type":"message","ref":"r1","conversation_id":")" + conv +
           R"(","client_id":"operator-msg-01","text":"Да, есть."})");
  auto op_ack = op->read_type("ack");
  ASSERT_TRUE(op_ack);
  EXPECT_EQ(frame_value(*op_ack, "seq"), "2");
  auto taken = visitor->read_type("conversation");
  ASSERT_TRUE(taken);
  EXPECT_EQ(frame_value(*taken, "status"), "open");
  EXPECT_EQ(taken->find("op_"), std::string::npos) << "no operator ids to visitors: " << *taken;
  auto reply = visitor->read_type("message");
  ASSERT_TRUE(reply);
  EXPECT_EQ(frame_value(*reply, "text"), "Да, есть.");
  EXPECT_EQ(frame_value(*reply, "seq"), "2");
  EXPECT_EQ(reply->find("op_"), std::string::npos) << *reply;

  // Typing and read receipts reach the other side.
  visitor->send(R"({"type":"typing","conversation_id":")" + conv + R"(","typing":true})");
  auto typing = op->read_type("typing");
  ASSERT_TRUE(typing);
  EXPECT_EQ(frame_value(*typing, "typing"), "true");
  op->send(R"({"type":"read","conversation_id":")" + conv + R"(","seq":1})");
  visitor->send(R"({"type":"read","conversation_id":")" + conv + R"(","seq":2})");
  auto receipt = op->read_type("read");
  ASSERT_TRUE(receipt);
  EXPECT_EQ(frame_value(*receipt, "seq"), "2");

  // The operator closes; both sides hear it.
  op->send(R"({"type":"close","ref":"c1","conversation_id":")" + conv + R"("})");
  auto closed = op->read_type("conversation");
  ASSERT_TRUE(closed);
  EXPECT_EQ(frame_value(*closed, "ref"), "c1");
  EXPECT_EQ(frame_value(*closed, "status"), "closed");
  auto closed_v = visitor->read_type("conversation");
  ASSERT_TRUE(closed_v);
  EXPECT_EQ(frame_value(*closed_v, "status"), "closed");
}

TEST_F(ChatTest, ReconnectResumesAndRepeatedClientIdGetsTheSameAck) {
  start();
  auto op = operator_client();
  std::string welcome;
  auto visitor = visitor_client(R"({"type":"hello","v":1})", &welcome);
  const std::string token = frame_value(welcome, "token");
  const std::string visitor_id = frame_value(welcome, "id");
  visitor->send(R"({"type":"message","client_id":"first-message-1","text":"hello"})");
  auto first_ack = visitor->read_type("ack");
  ASSERT_TRUE(first_ack);
  const std::string conv = frame_value(*first_ack, "conversation_id");
  visitor->drop();

  for (int i = 0; i < 3; ++i) {
    op->send(R"({"type":"message","conversation_id":")" + conv + R"(","client_id":"op-while-away-)" +
             std::to_string(i) + R"(","text":"reply )" + std::to_string(i) + "\"}");
    ASSERT_TRUE(op->read_type("ack"));
  }

  auto again = visitor_client(R"({"type":"hello","v":1,"token":")" + token + "\"}", &welcome);
  EXPECT_EQ(frame_value(welcome, "token_status"), "valid") << welcome;
  EXPECT_NE(welcome.find("\"id\":\"" + visitor_id + "\""), std::string::npos) << welcome;
  EXPECT_EQ(frame_value(welcome, "last_seq"), "4") << welcome;

  again->send(R"({"type":"resume","ref":"r1","conversation_id":")" + conv + R"(","last_seen":1})");
  std::vector<std::string> seqs;
  for (;;) {
    auto f = again->read();
    ASSERT_TRUE(f);
    if (frame_value(*f, "type") == "resumed") {
      EXPECT_EQ(frame_value(*f, "through"), "4") << *f;
      EXPECT_EQ(frame_value(*f, "more"), "false") << *f;
      break;
    }
    if (frame_value(*f, "type") == "message") seqs.push_back(frame_value(*f, "seq"));
  }
  EXPECT_EQ(seqs, (std::vector<std::string>{"2", "3", "4"}));

  // The first message again, as after a lost ack: the same ack, nothing new.
  again->send(R"({"type":"message","client_id":"first-message-1","text":"hello, resent"})");
  auto repeat = again->read_type("ack");
  ASSERT_TRUE(repeat);
  EXPECT_EQ(*repeat, *first_ack);
  again->send(R"({"type":"resume","conversation_id":")" + conv + R"(","last_seen":0})");
  auto resumed = again->read_type("resumed");
  ASSERT_TRUE(resumed);
  EXPECT_EQ(frame_value(*resumed, "last_seq"), "4") << "the repeat stored nothing";

  // A last_seen the conversation never had is refused.
  again->send(R"({"type":"resume","conversation_id":")" + conv + R"(","last_seen":99})");
  auto refused = again->read_type("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(frame_value(*refused, "field"), "last_seen");
}

TEST_F(ChatTest, RefusesWrongOriginUnknownSiteAndMissingSession) {
  start();
  WsClient wrong_origin;
  EXPECT_EQ(wrong_origin.connect(port_, "/v1/visitor/ws?site=" + public_key_, "http://evil.test"), 403);
  WsClient no_origin;
  EXPECT_EQ(no_origin.connect(port_, "/v1/visitor/ws?site=" + public_key_, ""), 403);
  WsClient no_site;
  EXPECT_EQ(no_site.connect(port_, "/v1/visitor/ws", kOrigin), 400);
  WsClient unknown;
  EXPECT_EQ(unknown.connect(port_, "/v1/visitor/ws?site=pk_unknown000000000000000000", kOrigin), 404);
  WsClient no_cookie;
  EXPECT_EQ(no_cookie.connect(port_, "/v1/console/ws", "http://127.0.0.1:" + std::to_string(port_)), 401);
  WsClient cross_site;
  EXPECT_EQ(cross_site.connect(port_, "/v1/console/ws", "http://evil.test", login()), 403);
}

TEST_F(ChatTest, MalformedFramesGetErrorsAndRepeatedOnesClose4400) {
  start();
  auto visitor = visitor_client();
  visitor->send("not json");
  auto e = visitor->read();
  ASSERT_TRUE(e);
  EXPECT_EQ(frame_value(*e, "code"), "malformed") << *e;
  visitor->send(R"({"type":"message","client_id":"short","text":"x"})");
  e = visitor->read();
  ASSERT_TRUE(e);
  EXPECT_EQ(frame_value(*e, "code"), "invalid") << *e;
  EXPECT_EQ(frame_value(*e, "field"), "client_id") << *e;
  visitor->send(R"({"type":"take","conversation_id":"conv_000000000000000000000000"})");
  e = visitor->read();
  ASSERT_TRUE(e);
  EXPECT_EQ(frame_value(*e, "code"), "not_allowed") << *e;
  for (int i = 0; i < 10; ++i) visitor->send("{");
  while (visitor->read()) {
  }
  EXPECT_FALSE(visitor->timed_out());
  EXPECT_EQ(visitor->close_code(), 4400);

  // The server is still there for everyone else.
  auto other = visitor_client();
  other->send(R"({"type":"ping","ref":"p"})");
  auto pong = other->read();
  ASSERT_TRUE(pong);
  EXPECT_EQ(frame_value(*pong, "type"), "pong");
}

TEST_F(ChatTest, OversizedAndBinaryFramesClose) {
  start();
  auto big = visitor_client();
  big->send(R"({"type":"message","client_id":"oversized-01","text":")" + std::string(40000, 'a') + "\"}");
  auto e = big->read();
  ASSERT_TRUE(e) << big->error().message() << ", closed " << big->close_code();
  EXPECT_EQ(frame_value(*e, "code"), "too_large") << *e;
  while (big->read()) {
  }
  EXPECT_EQ(big->close_code(), 1009) << big->error().message();
  auto binary = visitor_client();
  binary->send_binary("\x01\x02");
  while (binary->read()) {
  }
  EXPECT_EQ(binary->close_code(), 1003);
}

TEST_F(ChatTest, FramesBeforeHelloAreRefusedAndSilenceCloses) {
  start();
  WsClient c;
  ASSERT_EQ(c.connect(port_, "/v1/visitor/ws?site=" + public_key_, kOrigin), 101);
  c.send(R"({"type":"ping"})");
  auto e = c.read();
  ASSERT_TRUE(e);
  EXPECT_EQ(frame_value(*e, "code"), "not_allowed") << *e;
  c.send(R"({"type":"hello","v":2})");
  e = c.read();
  ASSERT_TRUE(e);
  EXPECT_EQ(frame_value(*e, "code"), "unsupported_version") << *e;
  while (c.read()) {
  }
  EXPECT_EQ(c.close_code(), 4400);
}

TEST_F(ChatTest, IdentityRequiredExpiredAndWrongAreRefusedWith4401) {
  set_chat_settings(R"({"identity_secret":"ids_4eC39HqLyjWDarjtT1zdp7dc","require_identity":true})");
  start();
  auto refused = [&](const std::string& hello) {
    WsClient c;
    EXPECT_EQ(c.connect(port_, "/v1/visitor/ws?site=" + public_key_, kOrigin), 101);
    c.send(hello);
    auto e = c.read();
    while (c.read()) {
    }
    EXPECT_EQ(c.close_code(), 4401);
    return e.value_or("");
  };
  EXPECT_EQ(frame_value(refused(R"({"type":"hello","v":1})"), "code"), "identity_required");
  // The documented vector, expired long ago (expires_at 1893456000 is in 2030: still valid).
  const std::string good_hash = "24008d3df0cbd36a7cfb4c423e55f497ca90e7a891e417f3db30a0b991efe5a7";
  auto wrong = refused(R"({"type":"hello","v":1,"identity":{"user_id":"user-43","expires_at":1893456000,"hash":")" +
                       good_hash + "\"}}");
  EXPECT_EQ(frame_value(wrong, "code"), "identity_invalid") << wrong;
  auto expired = refused(R"({"type":"hello","v":1,"identity":{"user_id":"user-42","expires_at":1000,"hash":")" +
                         identity_hash("ids_4eC39HqLyjWDarjtT1zdp7dc", "user-42.1000") + "\"}}");
  EXPECT_EQ(frame_value(expired, "code"), "identity_expired") << expired;

  std::string welcome;
  auto ok = visitor_client(
      R"({"type":"hello","v":1,"identity":{"user_id":"user-42","expires_at":1893456000,"hash":")" + good_hash + "\"}}",
      &welcome);
  EXPECT_EQ(frame_value(welcome, "user_id"), "user-42") << welcome;
  // The same user on another device is the same visitor.
  ok->send(R"({"type":"message","client_id":"device-one-01","text":"from the phone"})");
  auto ack = ok->read_type("ack");
  ASSERT_TRUE(ack);
  std::string welcome2;
  auto other = visitor_client(
      R"({"type":"hello","v":1,"identity":{"user_id":"user-42","expires_at":1893456000,"hash":")" + good_hash + "\"}}",
      &welcome2);
  EXPECT_EQ(frame_value(welcome2, "id"), frame_value(welcome, "id")) << welcome2;
  EXPECT_NE(welcome2.find(frame_value(*ack, "conversation_id")), std::string::npos) << welcome2;
}

TEST_F(ChatTest, OutsideBusinessHoursVisitorsLeaveOfflineMessages) {
  // Open only one minute a week, on a day and time that is not now is not guaranteed; a
  // schedule with no open day at all is closed always.
  set_chat_settings(R"({"business_hours":{"time_zone":"Europe/Berlin","weekly":{}}})");
  start();
  auto op = operator_client();
  std::string welcome;
  auto visitor = visitor_client(R"({"type":"hello","v":1})", &welcome);
  EXPECT_NE(welcome.find(R"("presence":{"status":"closed")"), std::string::npos) << welcome;
  visitor->send(R"({"type":"offline_message","client_id":"offline-0001","text":"Call me back",)"
                R"("name":"Anna","phone":"+7 999 123-45-67"})");
  auto ack = visitor->read_type("ack");
  ASSERT_TRUE(ack);
  auto conv = op->read_type("conversation");
  ASSERT_TRUE(conv);
  EXPECT_EQ(frame_value(*conv, "kind"), "offline") << *conv;
  EXPECT_EQ(frame_value(*conv, "phone"), "+7 999 123-45-67") << *conv;
  auto message = op->read_type("message");
  ASSERT_TRUE(message);
  EXPECT_EQ(frame_value(*message, "text"), "Call me back");
  visitor->send(R"({"type":"offline_message","client_id":"offline-0002","text":"no contact"})");
  auto e = visitor->read_type("error");
  ASSERT_TRUE(e);
  EXPECT_EQ(frame_value(*e, "field"), "email") << *e;
}

TEST_F(ChatTest, EveryAcknowledgedMessageSurvivesKill9) {
  start();
  std::string welcome;
  auto visitor = visitor_client(R"({"type":"hello","v":1})", &welcome);
  const std::string token = frame_value(welcome, "token");
  for (int i = 0; i < 40; ++i) {
    visitor->send(R"({"type":"message","client_id":"kill-test-)" + std::to_string(1000 + i) + R"(","text":"m)" +
                  std::to_string(i) + "\"}");
  }
  std::set<std::string> acked;
  std::string conv;
  // Kill while acks are still coming.
  for (int i = 0; i < 20; ++i) {
    auto ack = visitor->read_type("ack");
    if (!ack) break;
    acked.insert(frame_value(*ack, "seq"));
    conv = frame_value(*ack, "conversation_id");
  }
  server_->send_signal(SIGKILL);
  while (auto f = visitor->read(std::chrono::seconds(2))) {
    if (frame_value(*f, "type") == "ack") acked.insert(frame_value(*f, "seq"));
  }
  server_->wait_exit(5s);
  ASSERT_GE(acked.size(), 20u);
  start();
  auto again = visitor_client(R"({"type":"hello","v":1,"token":")" + token + "\"}", &welcome);
  again->send(R"({"type":"resume","conversation_id":")" + conv + R"(","last_seen":0})");
  std::set<std::string> stored;
  for (;;) {
    auto f = again->read();
    ASSERT_TRUE(f);
    if (frame_value(*f, "type") == "resumed") break;
    if (frame_value(*f, "type") == "message") stored.insert(frame_value(*f, "seq"));
  }
  for (const auto& seq : acked) EXPECT_TRUE(stored.count(seq)) << "acknowledged seq " << seq << " was lost";
}

TEST_F(ChatTest, ANonReadingClientIsClosedAndOthersCarryOn) {
  // The operator floods faster than the default frame rate allows.
  start({"--set", "chat.frames_per_second=100000", "--set", "chat.frame_burst=100000"});
  auto op = operator_client();
  // A visitor that stops reading, with a small receive buffer so the server's queue fills.
  auto slow = std::make_unique<WsClient>();
  ASSERT_EQ(slow->connect(port_, "/v1/visitor/ws?site=" + public_key_, kOrigin, {}, 4096), 101);
  slow->send(R"({"type":"hello","v":1})");
  ASSERT_TRUE(slow->read_type("welcome"));
  slow->send(R"({"type":"message","client_id":"slow-visitor-1","text":"hi"})");
  auto ack = slow->read_type("ack");
  ASSERT_TRUE(ack);
  const std::string conv = frame_value(*ack, "conversation_id");
  auto fast = visitor_client();
  fast->send(R"({"type":"message","client_id":"fast-visitor-1","text":"hi"})");
  auto fast_ack = fast->read_type("ack");
  ASSERT_TRUE(fast_ack);
  const std::string fast_conv = frame_value(*fast_ack, "conversation_id");

  // 4000-byte messages (1000 four-byte characters), 8 MB in all: more than the kernel buffers
  // (4 MB of send buffer at most) and the server's queue (1 MiB) hold between them.
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "\xF0\x9F\x98\x80";
  constexpr int kCount = 2000;
  // The operator reads its acks as it goes: it is a well-behaved client.
  constexpr int kBatch = 50;
  for (int i = 0; i < kCount; i += kBatch) {
    for (int j = i; j < i + kBatch; ++j) {
      op->send(R"({"type":"message","conversation_id":")" + conv + R"(","client_id":"flood-)" +
               std::to_string(10000 + j) + R"(","text":")" + text + "\"}");
    }
    for (int acks = 0; acks < kBatch;) {
      auto f = op->read(std::chrono::seconds(20));
      ASSERT_TRUE(f) << "operator stalled at message " << i + acks << ", closed " << op->close_code();
      if (frame_value(*f, "type") == "ack") ++acks;
    }
  }
  op->send(R"({"type":"message","conversation_id":")" + fast_conv +
           R"(","client_id":"to-the-fast-one","text":"still here"})");
  ASSERT_TRUE(op->read_type("ack"));
  auto reply = fast->read_type("message", std::chrono::seconds(5));
  ASSERT_TRUE(reply);
  EXPECT_EQ(frame_value(*reply, "text"), "still here");
  int received = 0;
  while (slow->read(std::chrono::seconds(10))) ++received;
  EXPECT_FALSE(slow->timed_out()) << "the non-reading client was not disconnected after " << received;
  EXPECT_LT(received, kCount) << "it was sent everything";
}

TEST_F(ChatTest, ConsoleHttpSearchesActsAndKeepsNotesFromTheVisitor) {
  start();
  auto op = operator_client();
  const std::string cookie = login();
  auto visitor = visitor_client(
      R"({"type":"hello","v":1,"context":{"email":"ann@example.com","phone":"+7 999 123-45-67","name":"Anna"}})");
  visitor->send(R"({"type":"message","client_id":"http-visitor-01","text":"Is the blue dress in M?"})");
  auto ack = visitor->read_type("ack");
  ASSERT_TRUE(ack);
  const std::string conv = frame_value(*ack, "conversation_id");
  ASSERT_TRUE(op->read_type("message"));

  auto listed = console("GET", "/v1/console/conversations?status=waiting", cookie);
  EXPECT_EQ(status_of(listed), 200) << listed;
  EXPECT_NE(listed.find(conv), std::string::npos) << listed;
  EXPECT_NE(listed.find(R"("unread":1)"), std::string::npos) << listed;
  EXPECT_NE(listed.find(R"("waiting_since":")"), std::string::npos) << listed;
  // Search by text, e-mail (any case), phone digits and date.
  for (const std::string query : {"q=blue%20dress", "email=ANN@example.com", "phone=79991234567",
                                  "from=2020-01-01T00:00:00Z&status=waiting,open"}) {
    auto found = console("GET", "/v1/console/conversations?" + query, cookie);
    EXPECT_NE(found.find(conv), std::string::npos) << query << ": " << found;
  }
  for (const std::string query :
       {"q=red", "email=bob@example.com", "phone=70000000000", "from=2100-01-01T00:00:00Z", "status=closed"}) {
    auto found = console("GET", "/v1/console/conversations?" + query, cookie);
    EXPECT_EQ(status_of(found), 200) << found;
    EXPECT_EQ(found.find(conv), std::string::npos) << query << ": " << found;
  }
  auto bad = console("GET", "/v1/console/conversations?status=lost", cookie);
  EXPECT_EQ(status_of(bad), 422) << bad;
  EXPECT_NE(bad.find(R"("field":"status")"), std::string::npos) << bad;
  EXPECT_EQ(status_of(console("GET", "/v1/console/conversations", "vitrina_session=nothing")), 401);

  // Actions need the console's own Origin (CSRF) and change nothing without it.
  auto forged = console("POST", "/v1/console/conversations/" + conv + "/take", cookie, {}, false);
  EXPECT_EQ(status_of(forged), 403) << forged;
  auto taken = console("POST", "/v1/console/conversations/" + conv + "/take", cookie);
  EXPECT_EQ(status_of(taken), 200) << taken;
  EXPECT_EQ(frame_value(taken, "status"), "open") << taken;
  auto seen = visitor->read_type("conversation");
  ASSERT_TRUE(seen);
  EXPECT_EQ(frame_value(*seen, "status"), "open") << *seen;

  // An internal note: operators see it live and in history; the visitor never does.
  auto note = console("POST", "/v1/console/conversations/" + conv + "/notes", cookie,
                      R"({"client_id":"note-client-01","text":"VIP customer, be nice"})");
  EXPECT_EQ(status_of(note), 200) << note;
  EXPECT_EQ(frame_value(note, "seq"), "2") << note;
  auto again = console("POST", "/v1/console/conversations/" + conv + "/notes", cookie,
                       R"({"client_id":"note-client-01","text":"VIP customer, be nice"})");
  EXPECT_EQ(frame_value(again, "seq"), "2") << "a repeated client id stores nothing: " << again;
  auto live_note = op->read_type("message");
  ASSERT_TRUE(live_note);
  EXPECT_EQ(frame_value(*live_note, "internal"), "true") << *live_note;
  op->send(R"({"type":"message","conversation_id":")" + conv + R"(","client_id":"http-op-reply","text":"Yes"})");
  ASSERT_TRUE(op->read_type("ack"));
  auto reply = visitor->read_type("message");
  ASSERT_TRUE(reply);
  EXPECT_EQ(frame_value(*reply, "seq"), "3") << "the note must not reach the visitor: " << *reply;
  visitor->send(R"({"type":"resume","conversation_id":")" + conv + R"(","last_seen":0})");
  std::vector<std::string> seqs;
  for (auto f = visitor->read(); f && frame_value(*f, "type") != "resumed"; f = visitor->read()) {
    seqs.push_back(frame_value(*f, "seq"));
  }
  EXPECT_EQ(seqs, (std::vector<std::string>{"1", "3"}));
  auto history = console("GET", "/v1/console/conversations/" + conv + "/messages", cookie);
  EXPECT_EQ(status_of(history), 200) << history;
  EXPECT_NE(history.find("VIP customer"), std::string::npos) << history;
  EXPECT_NE(history.find(R"("last_seq":3)"), std::string::npos) << history;

  auto closed = console("POST", "/v1/console/conversations/" + conv + "/close", cookie);
  EXPECT_EQ(frame_value(closed, "status"), "closed") << closed;
  auto reopened = console("POST", "/v1/console/conversations/" + conv + "/reopen", cookie);
  EXPECT_EQ(frame_value(reopened, "status"), "open") << reopened;
  auto nobody = console("POST", "/v1/console/conversations/" + conv + "/assign", cookie,
                        R"({"operator_id":"op_000000000000000000000000"})");
  EXPECT_EQ(status_of(nobody), 404) << nobody;
  EXPECT_EQ(status_of(console("GET", "/v1/console/conversations/conv_000000000000000000000000", cookie)), 404);

  // Webhook events, written with the changes: one per committed change, none for the note or
  // the repeat.
  std::vector<std::string> types;
  for (const auto& event : outbox()) types.push_back(event.substr(0, event.find(' ')));
  EXPECT_EQ(types, (std::vector<std::string>{"conversation.created", "message.created", "message.created",
                                             "conversation.closed"}));
  for (const auto& event : outbox()) EXPECT_EQ(event.find("VIP customer"), std::string::npos) << event;
}

TEST_F(ChatTest, OfflineMessageWebhooksCarryTheContact) {
  set_chat_settings(R"({"business_hours":{"time_zone":"UTC","weekly":{}}})");
  start();
  auto visitor = visitor_client(R"({"type":"hello","v":1,"context":{"url":"https://shop.test/p/42"}})");
  visitor->send(R"({"type":"offline_message","client_id":"offline-hook-1","text":"Do you have it in M?",)"
                R"("email":"ann@example.com"})");
  ASSERT_TRUE(visitor->read_type("ack"));
  const auto events = outbox();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].starts_with("conversation.created ")) << events[0];
  EXPECT_TRUE(events[1].starts_with("offline_message.created ")) << events[1];
  EXPECT_NE(events[1].find(R"("email":"ann@example.com")"), std::string::npos) << events[1];
  EXPECT_NE(events[1].find("https://shop.test/p/42"), std::string::npos) << events[1];
}

TEST_F(ChatTest, ConnectionsPerAddressAreLimited) {
  start({"--set", "chat.max_per_ip=2"});
  auto a = visitor_client();
  auto b = visitor_client();
  WsClient third;
  EXPECT_EQ(third.connect(port_, "/v1/visitor/ws?site=" + public_key_, kOrigin), 429);
  b->drop();
  // The slot is freed once the server has seen the connection end.
  int status = 0;
  for (int i = 0; i < 50 && status != 101; ++i) {
    WsClient retry;
    status = retry.connect(port_, "/v1/visitor/ws?site=" + public_key_, kOrigin);
    if (status != 101) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 101);
}

TEST_F(ChatTest, OperatorPresenceAndVisitorContextReachTheOtherSide) {
  auto added = run_server_with_input(
      {"--data", data_.str(), "operator", "add", "--site", site_id_, "--email", "ivan@shop.test", "--password-stdin"},
      std::string(kPassword) + "\n");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  start();
  std::string welcome;
  auto visitor = visitor_client(R"({"type":"hello","v":1})", &welcome);
  EXPECT_NE(welcome.find(R"("presence":{"status":"offline"})"), std::string::npos) << "nobody online: " << welcome;
  auto op = operator_client();
  auto online = visitor->read_type("presence");
  ASSERT_TRUE(online);
  EXPECT_EQ(frame_value(*online, "status"), "online") << *online;

  op->send(R"({"type":"presence","status":"away"})");
  auto away = visitor->read_type("presence");
  ASSERT_TRUE(away);
  EXPECT_EQ(frame_value(*away, "status"), "offline") << "an away operator takes no chats: " << *away;
  op->send(R"({"type":"presence","status":"online"})");
  ASSERT_TRUE(visitor->read_type("presence"));

  // A colleague sees the operator, and sees them leave.
  auto colleague = operator_client("ivan@shop.test");
  auto seen = colleague->read_type("operator_presence");
  ASSERT_TRUE(seen);
  EXPECT_EQ(frame_value(*seen, "status"), "online") << *seen;

  // The page's context goes to operators, never back to the visitor.
  visitor->send(R"({"type":"context","url":"https://shop.test/p/42","title":"Blue dress",)"
                R"("attributes":{"cart_total":"4500 RUB","items":3}})");
  auto context = colleague->read_type("visitor_context");
  ASSERT_TRUE(context);
  EXPECT_EQ(frame_value(*context, "title"), "Blue dress") << *context;
  EXPECT_EQ(frame_value(*context, "items"), "3") << *context;

  // Maria leaves, then Ivan steps away: nobody answers any more.
  op.reset();
  auto left = colleague->read_type("operator_presence");
  ASSERT_TRUE(left);
  EXPECT_EQ(frame_value(*left, "status"), "offline") << *left;
  colleague->send(R"({"type":"presence","status":"away"})");
  auto offline = visitor->read_type("presence");
  ASSERT_TRUE(offline);
  EXPECT_EQ(frame_value(*offline, "status"), "offline") << *offline;
}

TEST_F(ChatTest, VisitorsAreToldWhenBusinessHoursClose) {
  start({"--set", "chat.presence_refresh_ms=200"});
  auto op = operator_client();
  std::string welcome;
  auto visitor = visitor_client(R"({"type":"hello","v":1})", &welcome);
  EXPECT_NE(welcome.find(R"("presence":{"status":"online"})"), std::string::npos) << welcome;
  // The shop closes (no open day at all) while the visitor is connected.
  set_chat_settings(R"({"business_hours":{"time_zone":"Europe/Berlin","weekly":{}}})");
  auto closed = visitor->read_type("presence", std::chrono::seconds(10));
  ASSERT_TRUE(closed);
  EXPECT_EQ(frame_value(*closed, "status"), "closed") << *closed;
}

TEST_F(ChatTest, SigningOutClosesTheOperatorsConnectionWith4401) {
  start({"--set", "chat.ping_interval_ms=200"});
  const std::string cookie = login();
  WsClient op;
  ASSERT_EQ(op.connect(port_, "/v1/console/ws", origin(), cookie), 101);
  op.send(R"({"type":"hello","v":1})");
  ASSERT_TRUE(op.read_type("welcome"));
  // Signing out takes the session's CSRF token, which /v1/console/me hands out.
  const auto me = console("GET", "/v1/console/me", cookie);
  const auto at = me.find("\"csrf_token\":\"");
  ASSERT_NE(at, std::string::npos) << me;
  const auto begin = at + 14;
  const auto csrf = me.substr(begin, me.find('"', begin) - begin);
  auto out = console("POST", "/v1/console/logout", cookie + "\r\nX-CSRF-Token: " + csrf);
  ASSERT_EQ(status_of(out), 204) << out;
  while (op.read(std::chrono::seconds(3))) {
  }
  EXPECT_EQ(op.close_code(), 4401);
}

TEST_F(ChatTest, SilentConnectionsAreClosedWith4408) {
  start({"--set", "chat.hello_timeout_ms=300", "--set", "chat.idle_timeout_ms=600", "--set",
         "chat.ping_interval_ms=200"});
  WsClient no_hello;
  ASSERT_EQ(no_hello.connect(port_, "/v1/visitor/ws?site=" + public_key_, kOrigin), 101);
  while (no_hello.read(std::chrono::seconds(3))) {
  }
  EXPECT_EQ(no_hello.close_code(), 4408);

  // A client that keeps sending stays past the idle timeout; a silent one is closed.
  auto talking = visitor_client();
  for (int i = 0; i < 8; ++i) {
    talking->send(R"({"type":"ping","ref":"keep-alive"})");
    auto pong = talking->read_type("pong", std::chrono::seconds(2));
    ASSERT_TRUE(pong) << "closed although it kept talking: " << talking->close_code();
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  auto silent = visitor_client();
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  while (silent->read(std::chrono::seconds(3))) {
  }
  EXPECT_EQ(silent->close_code(), 4408);
}

}  // namespace
}  // namespace vitrina::testing
