#include "chat_client.hpp"

#include <gtest/gtest.h>

#include <vitrina/protocol/chat_codec.hpp>
#include <vitrina/protocol/chat_rules.hpp>

#include "fakes.hpp"

namespace vitrina::widget {
namespace {

using testing::FakeHost;

constexpr std::string_view kUrl = "ws://127.0.0.1:1/v1/visitor/ws?site=pk_0123456789ABCDEFGHIJabcd";
constexpr std::string_view kKey = "vitrina:pk_0123456789ABCDEFGHIJabcd";
const std::string kConv = "conv_8fK2mQ7xLp0ZrT4vN6bY1cDa";
const std::string kToken = "vt1.vis_Zx8Cv7Bn6Mq5Wr4Et3Yu2Io1.site_x.1.2.mac";

struct Recorder final : ChatListener {
  std::vector<Connection> states;
  std::vector<std::pair<std::int64_t, bool>> messages;  // seq, live
  std::vector<chat::Ack> acks;
  std::vector<chat::ErrorEvent> refused;
  int sessions = 0;
  void on_connection(Connection s) override { states.push_back(s); }
  void on_session(const chat::VisitorSession&) override { ++sessions; }
  void on_message(const chat::MessageEvent& m, bool live) override { messages.emplace_back(m.seq, live); }
  void on_sent(const chat::Ack& a) override { acks.push_back(a); }
  void on_typing(const chat::TypingEvent&) override {}
  void on_read(const chat::ReadEvent&) override {}
  void on_presence(const chat::PresenceEvent&) override {}
  void on_conversation(const chat::Conversation&) override {}
  void on_refused(const chat::ErrorEvent& e) override { refused.push_back(e); }
};

chat::Conversation conversation(std::int64_t last_seq) {
  chat::Conversation c;
  c.id = kConv;
  c.status = chat::ConversationStatus::open;
  c.last_seq = last_seq;
  return c;
}

std::string welcome(std::optional<chat::Conversation> conv = std::nullopt) {
  chat::Welcome w;
  chat::VisitorSession s;
  s.visitor_id = "vis_Zx8Cv7Bn6Mq5Wr4Et3Yu2Io1";
  s.token = kToken;
  s.token_expires_at_ms = 1'900'000'000'000;
  s.conversation = std::move(conv);
  w.visitor = s;
  return chat::write_server_frame(w);
}

std::string operator_message(std::int64_t seq, std::string text = "Hello") {
  chat::MessageEvent m;
  m.conversation_id = kConv;
  m.seq = seq;
  m.client_id = "op-msg-" + std::to_string(seq);
  m.author = {chat::AuthorRole::operator_, "", "Maria"};
  m.text = std::move(text);
  m.created_at_ms = 1'800'000'000'000;
  return chat::write_server_frame(m);
}

std::string ack(const std::string& client_id, std::int64_t seq) {
  return chat::write_server_frame(chat::Ack{client_id, kConv, seq, 1'800'000'000'000});
}

// The parsed client frames sent since the last call.
std::vector<chat::ClientFrame> sent(FakeHost& host) {
  std::vector<chat::ClientFrame> out;
  for (const std::string& text : host.take_sent()) {
    auto frame = chat::parse_client_frame(text);
    EXPECT_TRUE(frame) << text;
    if (frame) out.push_back(*frame);
  }
  return out;
}

template <class T>
const T* as(const chat::ClientFrame& frame) {
  return std::get_if<T>(&frame.payload);
}

struct ChatClientTest : ::testing::Test {
  FakeHost host;
  Recorder events;
  ChatClient client{host, events, std::string(kUrl), std::string(kKey)};

  void connect_and_welcome(std::optional<chat::Conversation> conv = std::nullopt) {
    client.connect();
    client.on_socket_opened();
    client.on_socket_message(welcome(std::move(conv)));
  }
};

TEST_F(ChatClientTest, ConnectsAndSaysHelloWithoutAToken) {
  client.connect();
  EXPECT_EQ(host.opens, 1);
  EXPECT_EQ(host.socket_url, kUrl);
  EXPECT_EQ(client.connection(), Connection::kConnecting);
  client.connect();  // already connecting: nothing new
  EXPECT_EQ(host.opens, 1);
  client.on_socket_opened();
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  const auto* hello = as<chat::Hello>(frames[0]);
  ASSERT_NE(hello, nullptr);
  EXPECT_TRUE(hello->token.empty());
  client.on_socket_message(welcome());
  EXPECT_EQ(client.connection(), Connection::kReady);
  EXPECT_EQ(client.token(), kToken);
}

TEST_F(ChatClientTest, StoresTheTokenOnlyAfterTheVisitorInteracts) {
  connect_and_welcome();
  EXPECT_EQ(host.storage_writes, 0);
  EXPECT_TRUE(host.storage.empty());
  client.allow_storage();
  EXPECT_EQ(host.storage.at(std::string(kKey)), kToken);
}

TEST_F(ChatClientTest, PresentsAKeptTokenInHello) {
  FakeHost returning;
  returning.storage[std::string(kKey)] = kToken;
  Recorder listener;
  ChatClient again(returning, listener, std::string(kUrl), std::string(kKey));
  again.connect();
  again.on_socket_opened();
  auto frames = sent(returning);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(as<chat::Hello>(frames[0])->token, kToken);
}

TEST_F(ChatClientTest, AMessageWaitsForWelcomeAndIsSettledByItsAck) {
  auto id = client.send("Is the blue one in stock?");
  ASSERT_TRUE(id);
  EXPECT_EQ(host.opens, 1) << "sending connects";
  EXPECT_TRUE(host.take_sent().empty()) << "nothing is sent before welcome";
  client.on_socket_opened();
  client.on_socket_message(welcome());
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 2u);  // hello, then the message
  const auto* message = as<chat::SendMessage>(frames[1]);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->client_id, *id);
  EXPECT_EQ(message->text, "Is the blue one in stock?");
  EXPECT_EQ(client.outbox().size(), 1u);
  client.on_socket_message(ack(*id, 1));
  EXPECT_TRUE(client.outbox().empty());
  ASSERT_EQ(events.acks.size(), 1u);
  EXPECT_EQ(events.acks[0].seq, 1);
  client.on_socket_message(ack(*id, 1));  // the same ack again changes nothing
  EXPECT_EQ(events.acks.size(), 1u);
}

TEST_F(ChatClientTest, ClientIdsAreWellFormedAndDistinct) {
  auto a = client.send("one");
  auto b = client.send("two");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(chat::check_client_id(*a));
}

TEST_F(ChatClientTest, RefusesATextTheServerWouldRefuse) {
  EXPECT_FALSE(client.send(""));
  EXPECT_FALSE(client.send(std::string(2001, 'a')));
  auto bad = client.send("bell\x07");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "text");
  EXPECT_TRUE(client.outbox().empty());
}

TEST_F(ChatClientTest, AfterADropResendsUnacknowledgedWithTheSameIdAndResumes) {
  connect_and_welcome(conversation(0));
  client.on_socket_message(operator_message(1));
  client.on_socket_message(operator_message(2));
  auto id = client.send("still there?");
  ASSERT_TRUE(id);
  host.take_sent();

  client.on_socket_closed(1006);
  EXPECT_EQ(client.connection(), Connection::kWaiting);
  ASSERT_TRUE(host.timer_running(TimerId::kReconnect));
  const std::int64_t delay = host.timers[TimerId::kReconnect] - host.now;
  EXPECT_GE(delay, 500);
  EXPECT_LE(delay, 1000);
  client.on_timer(TimerId::kReconnect);
  EXPECT_EQ(host.opens, 2);
  client.on_socket_opened();
  client.on_socket_message(welcome(conversation(3)));
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 3u);  // hello, resume, the message again
  const auto* resume = as<chat::Resume>(frames[1]);
  ASSERT_NE(resume, nullptr);
  EXPECT_EQ(resume->last_seen, 2);
  EXPECT_EQ(as<chat::SendMessage>(frames[2])->client_id, *id);
}

TEST_F(ChatClientTest, ShowsEachMessageOnceAcrossLiveAndResume) {
  connect_and_welcome(conversation(0));
  client.on_socket_message(operator_message(1));
  client.on_socket_message(operator_message(2));
  client.on_socket_message(operator_message(2));
  client.on_socket_message(operator_message(1));
  client.on_socket_message(operator_message(4));  // a gap (an internal note) is not a loss
  ASSERT_EQ(events.messages.size(), 3u);
  EXPECT_EQ(events.messages[2].first, 4);
}

TEST_F(ChatClientTest, HistoryFromAResumeIsNotLive) {
  connect_and_welcome(conversation(2));
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(as<chat::Resume>(frames[1])->last_seen, 0);
  client.on_socket_message(operator_message(1));
  client.on_socket_message(operator_message(2));
  client.on_socket_message(chat::write_server_frame(chat::Resumed{"resume", kConv, 2, 2, false}));
  client.on_socket_message(operator_message(3));
  ASSERT_EQ(events.messages.size(), 3u);
  EXPECT_FALSE(events.messages[0].second);
  EXPECT_FALSE(events.messages[1].second);
  EXPECT_TRUE(events.messages[2].second);
}

TEST_F(ChatClientTest, AskesForTheNextBatchWhileMoreRemain) {
  connect_and_welcome(conversation(250));
  host.take_sent();
  client.on_socket_message(chat::write_server_frame(chat::Resumed{"resume", kConv, 100, 250, true}));
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(as<chat::Resume>(frames[0])->last_seen, 100);
}

TEST_F(ChatClientTest, OwnMessageSeenInAResumeSettlesItsSend) {
  connect_and_welcome(conversation(0));
  auto id = client.send("hello");
  ASSERT_TRUE(id);
  client.on_socket_closed(1006);
  client.on_timer(TimerId::kReconnect);
  client.on_socket_opened();
  client.on_socket_message(welcome(conversation(1)));
  chat::MessageEvent own{kConv, 1, *id, {chat::AuthorRole::visitor, "", ""}, "hello", false, 1};
  client.on_socket_message(chat::write_server_frame(own));
  EXPECT_TRUE(client.outbox().empty());
  ASSERT_EQ(events.acks.size(), 1u);
  EXPECT_EQ(events.acks[0].seq, 1);
  EXPECT_TRUE(events.messages.empty()) << "not shown a second time";
}

TEST_F(ChatClientTest, BackoffDoublesFromOneSecondToThirty) {
  EXPECT_EQ(ChatClient::backoff_ms(1), 1000);
  EXPECT_EQ(ChatClient::backoff_ms(2), 2000);
  EXPECT_EQ(ChatClient::backoff_ms(5), 16000);
  EXPECT_EQ(ChatClient::backoff_ms(6), 30000);
  EXPECT_EQ(ChatClient::backoff_ms(60), 30000);
}

TEST_F(ChatClientTest, RefusedIdentityStopsReconnecting) {
  connect_and_welcome();
  client.on_socket_closed(4401);
  EXPECT_EQ(client.connection(), Connection::kRefused);
  EXPECT_FALSE(host.timer_running(TimerId::kReconnect));
  // A fresh identity from the page tries again.
  client.set_identity({"user-42", 1'900'000'000, std::string(64, 'a')});
  EXPECT_EQ(host.opens, 2);
  client.on_socket_opened();
  auto frames = sent(host);
  ASSERT_FALSE(frames.empty());
  const auto* hello = as<chat::Hello>(frames.back());
  ASSERT_NE(hello, nullptr);
  ASSERT_TRUE(hello->identity);
  EXPECT_EQ(hello->identity->user_id, "user-42");
}

TEST_F(ChatClientTest, PingsAQuietConnectionAndDropsADeadOne) {
  connect_and_welcome();
  host.take_sent();
  ASSERT_TRUE(host.timer_running(TimerId::kPing));
  EXPECT_EQ(host.timers[TimerId::kPing] - host.now, 25'000);
  client.on_timer(TimerId::kPing);
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_NE(as<chat::Ping>(frames[0]), nullptr);
  ASSERT_TRUE(host.timer_running(TimerId::kPongDeadline));
  client.on_timer(TimerId::kPongDeadline);
  EXPECT_EQ(host.closes, 1);
  EXPECT_EQ(client.connection(), Connection::kWaiting);
}

TEST_F(ChatClientTest, APongKeepsTheConnection) {
  connect_and_welcome();
  client.on_timer(TimerId::kPing);
  client.on_socket_message(chat::write_server_frame(chat::Pong{}));
  EXPECT_FALSE(host.timer_running(TimerId::kPongDeadline));
}

TEST_F(ChatClientTest, TypingIsRenewedAtMostEveryThreeSecondsAndStops) {
  connect_and_welcome(conversation(0));
  host.take_sent();
  client.set_typing(true);
  client.set_typing(true);
  host.now += 1000;
  client.set_typing(true);
  EXPECT_EQ(sent(host).size(), 1u);
  host.now += 2500;
  client.set_typing(true);
  EXPECT_EQ(sent(host).size(), 1u);
  client.on_timer(TimerId::kOwnTypingStop);
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_FALSE(as<chat::SetTyping>(frames[0])->typing);
}

TEST_F(ChatClientTest, ARefusedMessageIsDroppedAndReported) {
  connect_and_welcome();
  auto id = client.send("hello");
  ASSERT_TRUE(id);
  chat::ErrorEvent error{
      protocol::ErrorCode::invalid, "must be at most 2000 characters", "text", "", *id, std::nullopt};
  client.on_socket_message(chat::write_server_frame(error));
  EXPECT_TRUE(client.outbox().empty());
  ASSERT_EQ(events.refused.size(), 1u);
  EXPECT_EQ(events.refused[0].client_id, *id);
}

TEST_F(ChatClientTest, AnUnavailableServerGetsTheSameMessageLater) {
  connect_and_welcome();
  auto id = client.send("hello");
  ASSERT_TRUE(id);
  chat::ErrorEvent error{protocol::ErrorCode::unavailable, "try again", "", "", *id, std::nullopt};
  client.on_socket_message(chat::write_server_frame(error));
  EXPECT_EQ(client.outbox().size(), 1u);
  EXPECT_TRUE(events.refused.empty());
  EXPECT_TRUE(host.timer_running(TimerId::kReconnect));
}

TEST_F(ChatClientTest, ReadReceiptsOnlyMoveForward) {
  connect_and_welcome(conversation(0));
  host.take_sent();
  client.mark_read(3);
  client.mark_read(3);
  client.mark_read(2);
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(as<chat::MarkRead>(frames[0])->seq, 3);
}

TEST_F(ChatClientTest, IgnoresGarbageAndUnknownFrames) {
  connect_and_welcome();
  client.on_socket_message("not json");
  client.on_socket_message(R"({"type":"something_new","x":1})");
  EXPECT_EQ(client.connection(), Connection::kReady);
}

}  // namespace
}  // namespace vitrina::widget
