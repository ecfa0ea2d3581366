#include "vitrina/protocol/chat_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::protocol::chat {
namespace {

const std::string kConv = "conv_" + std::string(24, 'a');
const std::string kVisitor = "vis_" + std::string(24, 'b');
const std::string kOperator = "op_" + std::string(24, 'c');
const std::string kSite = "site_" + std::string(24, 'd');
const std::string kHash(64, 'f');

VisitorContext full_context() {
  VisitorContext c;
  c.url = "https://shop.example/cart?x=1";
  c.title = "Корзина — Shop";
  c.referrer = "";
  c.language = "ru-RU";
  c.attributes =
      std::vector<Attribute>{{"cart_total", std::string("4 500 ₽")}, {"items", std::int64_t{3}}, {"vip", true}};
  c.name = "Анна";
  c.email = "ann@example.com";
  c.phone = "+7 999 123-45-67";
  return c;
}

Error client_error(std::string_view text, const Limits& limits = {}) {
  auto r = parse_client_frame(text, limits);
  EXPECT_FALSE(r) << text;
  return r ? Error{} : r.error();
}

// ---- round trips ----------------------------------------------------------------------------

std::vector<ClientFrame> every_client_frame() {
  Hello minimal;
  Hello full{.version = 1,
             .token = "vt1.x",
             .identity = Identity{"user-42@shop", 1893456000, kHash},
             .context = full_context()};
  return {
      ClientFrame{"", minimal},
      ClientFrame{"h-1", full},
      ClientFrame{"", SendMessage{"", "c-00000001", "Привет!\nЕсть размер M?", false}},
      ClientFrame{"", SendMessage{kConv, "c-00000002", "internal note", true}},
      ClientFrame{"r:1", Resume{kConv, 0}},
      ClientFrame{"", Resume{kConv, kMaxSeq}},
      ClientFrame{"", SetTyping{kConv, true}},
      ClientFrame{"", SetTyping{kConv, false}},
      ClientFrame{"", MarkRead{kConv, 17}},
      ClientFrame{"", UpdateContext{full_context()}},
      ClientFrame{"", UpdateContext{VisitorContext{.url = "http://localhost:3000/"}}},
      ClientFrame{"", LeaveOfflineMessage{"off-0001", "Call me back", "Ann", "ann@example.com", ""}},
      ClientFrame{"", LeaveOfflineMessage{"off-0002", "Call me back", "", "", "+79991234567"}},
      ClientFrame{"", SetPresence{OperatorStatus::away}},
      ClientFrame{"a.1", ConversationAction{ActionKind::take, kConv, ""}},
      ClientFrame{"", ConversationAction{ActionKind::assign, kConv, kOperator}},
      ClientFrame{"", ConversationAction{ActionKind::close, kConv, ""}},
      ClientFrame{"", ConversationAction{ActionKind::reopen, kConv, ""}},
      ClientFrame{"p", Ping{}},
  };
}

TEST(ClientFrames, EveryTypeRoundTrips) {
  for (const ClientFrame& frame : every_client_frame()) {
    const std::string text = write_client_frame(frame);
    auto parsed = parse_client_frame(text);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error().field << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, frame) << text;
    EXPECT_EQ(frame_type(*parsed), frame_type(frame));
  }
}

TEST(ClientFrames, WritesTheDocumentedShape) {
  EXPECT_EQ(write_client_frame(ClientFrame{"", SendMessage{kConv, "c-00000001", "hi", false}}),
            R"({"type":"message","conversation_id":")" + kConv + R"(","client_id":"c-00000001","text":"hi"})");
  EXPECT_EQ(write_client_frame(ClientFrame{"", ConversationAction{ActionKind::assign, kConv, kOperator}}),
            R"({"type":"assign","conversation_id":")" + kConv + R"(","operator_id":")" + kOperator + R"("})");
  EXPECT_EQ(write_client_frame(ClientFrame{"x", Ping{}}), R"({"type":"ping","ref":"x"})");
}

TEST(ClientFrames, ReadsMembersInAnyOrderAndNullAsAbsent) {
  auto r = parse_client_frame(R"({"text":"hi","client_id":"abcdefgh","conversation_id":null,"type":"message"})");
  ASSERT_TRUE(r) << r.error().message;
  const auto& m = std::get<SendMessage>(r->payload);
  EXPECT_EQ(m.text, "hi");
  EXPECT_TRUE(m.conversation_id.empty());
}

std::vector<ServerFrame> every_server_frame() {
  Conversation visitor_view{.id = kConv,
                            .kind = ConversationKind::chat,
                            .status = ConversationStatus::open,
                            .assignee = Author{AuthorRole::operator_, "", "Мария"},
                            .last_seq = 12,
                            .created_at_ms = 1714564800123};
  Conversation operator_view = visitor_view;
  operator_view.assignee->id = kOperator;
  operator_view.visitor = VisitorInfo{kVisitor, "user-42", "Анна", "ann@example.com", "+79991234567"};
  operator_view.context = full_context();
  Conversation closed = operator_view;
  closed.status = ConversationStatus::closed;
  closed.kind = ConversationKind::offline;
  closed.closed_at_ms = 1714568400000;
  closed.closed_by = Author{AuthorRole::visitor, "", ""};

  Welcome visitor_welcome;
  visitor_welcome.ref = "h-1";
  visitor_welcome.visitor = VisitorSession{.visitor_id = kVisitor,
                                           .token = "vt1.token",
                                           .token_expires_at_ms = 1717156800000,
                                           .token_status = TokenStatus::rotated,
                                           .user_id = "user-42",
                                           .conversation = visitor_view,
                                           .presence = PresenceEvent{Availability::closed, 1714629600000}};
  Welcome bare_visitor;
  bare_visitor.visitor = VisitorSession{.visitor_id = kVisitor, .token = "vt1.t", .token_expires_at_ms = 1};
  Welcome operator_welcome;
  operator_welcome.operator_session =
      OperatorSession{kOperator, "Мария", OperatorRole::owner, kSite, OperatorStatus::away};
  operator_welcome.limits = Limits{1000, 500, 8192, 5};

  return {
      visitor_welcome,
      bare_visitor,
      operator_welcome,
      Ack{"c-00000001", kConv, 13, 1714564801000},
      MessageEvent{kConv, 13, "c-00000001", Author{AuthorRole::visitor, "", "Анна"}, "Привет", false, 1714564801000},
      MessageEvent{kConv, 14, "", Author{AuthorRole::operator_, kOperator, "Мария"}, "note", true, 1714564802000},
      MessageEvent{kConv, 15, "", Author{AuthorRole::system, "", ""}, "We are closed", false, 1714564803000},
      Resumed{"r:1", kConv, 100, 250, true},
      Resumed{"", kConv, 0, 0, false},
      TypingEvent{kConv, Author{AuthorRole::operator_, "", "Мария"}, true},
      ReadEvent{kConv, Author{AuthorRole::visitor, "", ""}, 12},
      PresenceEvent{Availability::online, std::nullopt},
      PresenceEvent{Availability::offline, std::nullopt},
      PresenceEvent{Availability::closed, 1714629600000},
      OperatorPresenceEvent{kOperator, "Мария", OperatorStatus::offline},
      ConversationEvent{"a.1", operator_view},
      ConversationEvent{"", closed},
      ContextEvent{kVisitor, kConv, full_context()},
      ContextEvent{kVisitor, "", VisitorContext{}},
      ErrorEvent{ErrorCode::invalid, "must be at most 2000 characters", "text", "", "c-00000001", std::nullopt},
      ErrorEvent{ErrorCode::rate_limited, "slow down", "", "p", "", 250},
      Pong{"p"},
      Pong{""},
  };
}

TEST(ServerFrames, EveryTypeRoundTrips) {
  for (const ServerFrame& frame : every_server_frame()) {
    const std::string text = write_server_frame(frame);
    auto parsed = parse_server_frame(text);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error().field << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, frame) << text;
    EXPECT_EQ(frame_type(*parsed), frame_type(frame));
  }
}

TEST(ServerFrames, WritesTheDocumentedShape) {
  EXPECT_EQ(write_server_frame(Ack{"c-00000001", kConv, 13, 1714564801000}),
            R"({"type":"ack","client_id":"c-00000001","conversation_id":")" + kConv +
                R"(","seq":13,"created_at":"2024-05-01T12:00:01.000Z"})");
  EXPECT_EQ(write_server_frame(PresenceEvent{Availability::closed, 1714629600000}),
            R"({"type":"presence","status":"closed","next_open_at":"2024-05-02T06:00:00.000Z"})");
  EXPECT_EQ(write_server_frame(ErrorEvent{ErrorCode::invalid, "is required", "text", "", "", std::nullopt}),
            R"({"type":"error","code":"invalid","message":"is required","field":"text"})");
}

TEST(ServerFrames, EscapesVisitorTextSoItCannotBreakOutOfJsonOrHtml) {
  const std::string text =
      write_server_frame(MessageEvent{kConv, 1, "", Author{AuthorRole::visitor, "", "<img src=x onerror=alert(1)>"},
                                      "</script><script>alert(1)</script>\"", false, 0});
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  auto parsed = parse_server_frame(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(std::get<MessageEvent>(*parsed).text, "</script><script>alert(1)</script>\"");
}

TEST(ServerFrames, ClientsIgnoreUnknownMembersButNotUnknownTypes) {
  auto r = parse_server_frame(R"({"type":"pong","ref":"p","added_later":{"x":[1,2]}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<Pong>(*r).ref, "p");
  auto unknown = parse_server_frame(R"({"type":"sparkles"})");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, vitrina::protocol::ErrorCode::unknown_type);
}

TEST(ServerFrames, RefusesMissingMembersNamingThem) {
  auto r = parse_server_frame(R"({"type":"ack","client_id":"c-00000001","seq":1,"created_at":"2024-05-01T12:00:01Z"})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "conversation_id");
  auto bad_time = parse_server_frame(R"({"type":"presence","status":"closed","next_open_at":"tomorrow"})");
  ASSERT_FALSE(bad_time);
  EXPECT_EQ(bad_time.error().field, "next_open_at");
  auto nested = parse_server_frame(R"({"type":"typing","conversation_id":"c","author":{"role":"ghost"},"typing":1})");
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().field, "author.role");
}

TEST(WebhookObjects, WriteTheDocumentedData) {
  JsonWriter w;
  write_message(w, MessageEvent{kConv, 3, "c-00000001", Author{AuthorRole::operator_, kOperator, "Мария"}, "Да", false,
                                1714564801000});
  EXPECT_EQ(w.str(), R"({"conversation_id":")" + kConv +
                         R"(","seq":3,"client_id":"c-00000001","author":{"role":)"
                         R"("operator","id":")" +
                         kOperator + R"(","name":"Мария"},"text":"Да","created_at":"2024-05-01T12:00:01.000Z"})");
  JsonWriter o;
  write_offline_message(o, OfflineMessage{.conversation_id = kConv,
                                          .visitor_id = kVisitor,
                                          .client_id = "off-0001",
                                          .email = "ann@example.com",
                                          .text = "Call me",
                                          .context = VisitorContext{.url = "https://shop.example/"},
                                          .created_at_ms = 0});
  EXPECT_EQ(o.str(), R"({"conversation_id":")" + kConv + R"(","visitor_id":")" + kVisitor +
                         R"(","client_id":"off-0001","email":"ann@example.com","text":"Call me",)"
                         R"("context":{"url":"https://shop.example/"},"created_at":"1970-01-01T00:00:00.000Z"})");
}

// ---- refusals -------------------------------------------------------------------------------

TEST(ClientFrames, RefusesAnOversizedFrameBeforeParsing) {
  Limits limits;
  limits.frame_bytes = 64;
  const Error e =
      client_error(R"({"type":"message","client_id":"abcdefgh","text":")" + std::string(100, 'a') + "\"}", limits);
  EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::too_large);
  EXPECT_EQ(e.field, "frame");
}

TEST(ClientFrames, RefusesNonJsonAndNonObjectsAsMalformedFrames) {
  for (std::string_view bad : {"", "hello", "[]", "\"message\"", "{\"type\":\"ping\"", "null"}) {
    const Error e = client_error(bad);
    EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::malformed) << bad;
    EXPECT_EQ(e.field, "frame") << bad;
  }
}

TEST(ClientFrames, RefusesBadUtf8NamingTheField) {
  const Error e = client_error("{\"type\":\"message\",\"client_id\":\"abcdefgh\",\"text\":\"caf\xC3\"}");
  EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::malformed);
  EXPECT_EQ(e.field, "text");
}

TEST(ClientFrames, RefusesDeepNestingNamingWhere) {
  const Error e = client_error(R"({"type":"context","attributes":{"cart":{"items":[{"sku":1}]}}})");
  EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::malformed);
  EXPECT_EQ(e.field, "attributes.cart.items[0]");
}

TEST(ClientFrames, RefusesDuplicateMembers) {
  const Error e = client_error(R"({"type":"message","client_id":"abcdefgh","text":"a","text":"b"})");
  EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::malformed);
  EXPECT_EQ(e.field, "text");
  const Error t = client_error(R"({"type":"ping","type":"message"})");
  EXPECT_EQ(t.field, "type");
}

TEST(ClientFrames, RefusesMissingOrUnknownType) {
  EXPECT_EQ(client_error(R"({"ref":"x"})").field, "type");
  EXPECT_EQ(client_error(R"({"type":7})").field, "type");
  const Error unknown = client_error(R"({"type":"subscribe"})");
  EXPECT_EQ(unknown.code, vitrina::protocol::ErrorCode::unknown_type);
  EXPECT_EQ(unknown.field, "type");
}

TEST(ClientFrames, RefusesUnknownMembersNamingThem) {
  const Error e = client_error(R"({"type":"ping","colour":"red"})");
  EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(e.field, "colour");
  EXPECT_EQ(client_error(R"({"type":"hello","v":1,"identity":{"user_id":"u","expires_at":1,"hash":")" + kHash +
                         R"(","name":"x"}})")
                .field,
            "identity.name");
  EXPECT_EQ(
      client_error(R"({"type":"take","conversation_id":")" + kConv + R"(","operator_id":")" + kOperator + "\"}").field,
      "operator_id");
}

struct BadField {
  std::string json;
  std::string field;
};

TEST(ClientFrames, RefusesWrongTypesNamingTheField) {
  const std::vector<BadField> cases = {
      {R"({"type":"hello","v":"1"})", "v"},
      {R"({"type":"hello","v":1.0})", "v"},
      {R"({"type":"hello","v":1,"token":5})", "token"},
      {R"({"type":"hello","v":1,"identity":"x"})", "identity"},
      {R"({"type":"hello","v":1,"identity":{"user_id":"u","expires_at":"1","hash":")" + kHash + "\"}}",
       "identity.expires_at"},
      {R"({"type":"hello","v":1,"context":{"url":["https://a.example/"]}})", "context.url"},
      {R"({"type":"message","client_id":12345678,"text":"hi"})", "client_id"},
      {R"({"type":"message","client_id":"abcdefgh","text":{"t":"hi"}})", "text"},
      {R"({"type":"message","client_id":"abcdefgh","text":"hi","internal":"yes"})", "internal"},
      {R"({"type":"resume","conversation_id":")" + kConv + R"(","last_seen":"5"})", "last_seen"},
      {R"({"type":"typing","conversation_id":")" + kConv + R"(","typing":1})", "typing"},
      {R"({"type":"read","conversation_id":")" + kConv + R"(","seq":true})", "seq"},
      {R"({"type":"context","attributes":["a"]})", "attributes"},
      {R"({"type":"context","attributes":{"cart":1.5}})", "attributes.cart"},
      {R"({"type":"context","attributes":{"cart":null}})", "attributes.cart"},
      {R"({"type":"presence","status":true})", "status"},
      {R"({"type":"ping","ref":1})", "ref"},
  };
  for (const BadField& c : cases) {
    const Error e = client_error(c.json);
    EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::invalid) << c.json;
    EXPECT_EQ(e.field, c.field) << c.json;
  }
}

TEST(ClientFrames, RefusesOutOfBoundsValuesNamingTheField) {
  const std::string conv = "\"conversation_id\":\"" + kConv + "\"";
  const std::vector<BadField> cases = {
      {R"({"type":"hello"})", "v"},
      {R"({"type":"hello","v":0})", "v"},
      {R"({"type":"hello","v":1,"token":""})", "token"},
      {R"({"type":"hello","v":1,"token":"a b"})", "token"},
      {R"({"type":"hello","v":1,"identity":{"user_id":"","expires_at":1,"hash":")" + kHash + "\"}}",
       "identity.user_id"},
      {R"({"type":"hello","v":1,"identity":{"user_id":"u","expires_at":-1,"hash":")" + kHash + "\"}}",
       "identity.expires_at"},
      {R"({"type":"hello","v":1,"identity":{"user_id":"u","expires_at":1,"hash":"abc"}})", "identity.hash"},
      {R"({"type":"hello","v":1,"identity":{"user_id":"u","expires_at":1}})", "identity.hash"},
      {R"j({"type":"hello","v":1,"context":{"url":"javascript:alert(1)"}})j", "context.url"},
      {R"({"type":"hello","v":1,"context":{"language":"ru_RU"}})", "context.language"},
      {R"({"type":"message","client_id":"short","text":"hi"})", "client_id"},
      {R"({"type":"message","client_id":"abc defgh","text":"hi"})", "client_id"},
      {R"({"type":"message","client_id":")" + std::string(65, 'a') + R"(","text":"hi"})", "client_id"},
      {R"({"type":"message","client_id":"abcdefgh","text":""})", "text"},
      {R"({"type":"message","client_id":"abcdefgh","text":" \n "})", "text"},
      {R"({"type":"message","client_id":"abcdefgh","text":"a\u0000b"})", "text"},
      {R"({"type":"message","client_id":"abcdefgh","text":"a\u001bb"})", "text"},
      {R"({"type":"message","conversation_id":"conv_1","client_id":"abcdefgh","text":"hi"})", "conversation_id"},
      {R"({"type":"message","client_id":"abcdefgh"})", "text"},
      {R"({"type":"resume",)" + conv + R"(,"last_seen":-1})", "last_seen"},
      {R"({"type":"resume",)" + conv + R"(,"last_seen":9007199254740992})", "last_seen"},
      {R"({"type":"resume","last_seen":0})", "conversation_id"},
      {R"({"type":"read",)" + conv + R"(,"seq":-5})", "seq"},
      {R"({"type":"read",)" + conv + "}", "seq"},
      {R"({"type":"typing",)" + conv + "}", "typing"},
      {R"({"type":"context","url":")" + std::string("https://a.example/") + std::string(2040, 'x') + "\"}", "url"},
      {R"({"type":"context","title":")" + std::string(301, 'x') + "\"}", "title"},
      {R"({"type":"context","title":"a\nb"})", "title"},
      {R"({"type":"context","referrer":"ftp://a.example/"})", "referrer"},
      {R"({"type":"context","email":"not-an-email"})", "email"},
      {R"({"type":"context","phone":"12-34"})", "phone"},
      {R"({"type":"context","name":")" + std::string(101, 'x') + "\"}", "name"},
      {R"({"type":"context","attributes":{"bad key":"x"}})", "attributes.bad key"},
      {R"({"type":"context","attributes":{"":"x"}})", "attributes."},
      {R"({"type":"context","attributes":{"note":")" + std::string(501, 'x') + "\"}}", "attributes.note"},
      {R"({"type":"context","attributes":{"big":9007199254740992}})", "attributes.big"},
      {R"({"type":"offline_message","client_id":"abcdefgh","text":"call me"})", "email"},
      {R"({"type":"offline_message","client_id":"abcdefgh","text":"call me","email":"a@b"})", "email"},
      {R"({"type":"offline_message","client_id":"abcdefgh","text":"call me","phone":"+7 (999) 1x"})", "phone"},
      {R"({"type":"presence","status":"offline"})", "status"},
      {R"({"type":"presence","status":"busy"})", "status"},
      {R"({"type":"assign",)" + conv + "}", "operator_id"},
      {R"({"type":"assign",)" + conv + R"(,"operator_id":"op_1"})", "operator_id"},
      {R"({"type":"close"})", "conversation_id"},
      {R"({"type":"ping","ref":""})", "ref"},
      {R"({"type":"ping","ref":"a/b"})", "ref"},
  };
  for (const BadField& c : cases) {
    const Error e = client_error(c.json);
    EXPECT_EQ(e.code, vitrina::protocol::ErrorCode::invalid) << c.json << " -> " << e.message;
    EXPECT_EQ(e.field, c.field) << c.json << " -> " << e.message;
  }
}

TEST(ClientFrames, RefusesTooManyAttributes) {
  std::string json = R"({"type":"context","attributes":{)";
  for (int i = 0; i <= static_cast<int>(kMaxAttributes); ++i) {
    json += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":1";
  }
  json += "}}";
  EXPECT_EQ(client_error(json).field, "attributes");
}

TEST(ClientFrames, AppliesMessageLimitsInBytesAndInCharacters) {
  Limits limits;
  limits.message_bytes = 12;
  limits.message_chars = 5;
  const auto message = [](const std::string& text) {
    return R"({"type":"message","client_id":"abcdefgh","text":")" + text + "\"}";
  };
  EXPECT_TRUE(parse_client_frame(message("abcde"), limits));
  EXPECT_TRUE(parse_client_frame(message("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5"), limits));  // 5 chars, 10 bytes
  const Error chars = client_error(message("abcdef"), limits);
  EXPECT_EQ(chars.field, "text");
  EXPECT_NE(chars.message.find("characters"), std::string::npos);
  // 4 characters, but 16 bytes.
  const Error bytes = client_error(message("\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80"), limits);
  EXPECT_EQ(bytes.field, "text");
  EXPECT_NE(bytes.message.find("bytes"), std::string::npos);
  // The default: 4 KB and 2000 characters.
  EXPECT_TRUE(parse_client_frame(message(std::string(2000, 'a'))));
  EXPECT_EQ(client_error(message(std::string(2001, 'a'))).field, "text");
}

TEST(ClientFrames, AcceptsEmptyReferrerAndUnicodeTitles) {
  auto r = parse_client_frame(R"({"type":"context","referrer":"","title":"Купить — 😀"})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(std::get<UpdateContext>(r->payload).context.referrer, "");
}

TEST(RecoverFrameIds, FindsRefAndClientIdOfARefusedFrame) {
  const std::string text = R"({"type":"message","ref":"m-1","client_id":"abcdefgh","text":""})";
  ASSERT_FALSE(parse_client_frame(text));
  const FrameIds ids = recover_frame_ids(text);
  EXPECT_EQ(ids.ref, "m-1");
  EXPECT_EQ(ids.client_id, "abcdefgh");
  EXPECT_TRUE(recover_frame_ids("{not json").ref.empty());
  EXPECT_TRUE(recover_frame_ids(R"({"ref":"bad ref","client_id":"x"})").ref.empty());
}

// ---- roles ----------------------------------------------------------------------------------

Error role_error(Role role, const ClientPayload& payload) {
  auto r = check_client_frame(role, ClientFrame{"", payload});
  EXPECT_FALSE(r);
  return r ? Error{} : r.error();
}

TEST(CheckClientFrame, KeepsOperatorFramesFromVisitors) {
  EXPECT_EQ(role_error(Role::visitor, SetPresence{}).code, vitrina::protocol::ErrorCode::not_allowed);
  EXPECT_EQ(role_error(Role::visitor, ConversationAction{ActionKind::take, kConv, ""}).field, "type");
  EXPECT_EQ(role_error(Role::visitor, ConversationAction{ActionKind::assign, kConv, kOperator}).code,
            vitrina::protocol::ErrorCode::not_allowed);
  EXPECT_EQ(role_error(Role::visitor, ConversationAction{ActionKind::reopen, kConv, ""}).code,
            vitrina::protocol::ErrorCode::not_allowed);
  EXPECT_EQ(role_error(Role::visitor, SendMessage{kConv, "abcdefgh", "x", true}).field, "internal");
  EXPECT_TRUE(check_client_frame(Role::visitor, ClientFrame{"", ConversationAction{ActionKind::close, kConv, ""}}));
  EXPECT_TRUE(check_client_frame(Role::visitor, ClientFrame{"", SendMessage{"", "abcdefgh", "x", false}}));
  EXPECT_TRUE(check_client_frame(Role::visitor, ClientFrame{"", UpdateContext{}}));
}

TEST(CheckClientFrame, KeepsVisitorFramesFromOperators) {
  EXPECT_EQ(role_error(Role::operator_, UpdateContext{}).code, vitrina::protocol::ErrorCode::not_allowed);
  EXPECT_EQ(role_error(Role::operator_, LeaveOfflineMessage{}).code, vitrina::protocol::ErrorCode::not_allowed);
  EXPECT_EQ(role_error(Role::operator_, Hello{1, "vt1.x", std::nullopt, std::nullopt}).field, "token");
  EXPECT_EQ(role_error(Role::operator_, Hello{1, "", Identity{}, std::nullopt}).field, "identity");
  EXPECT_EQ(role_error(Role::operator_, Hello{1, "", std::nullopt, VisitorContext{}}).field, "context");
  const Error no_conversation = role_error(Role::operator_, SendMessage{"", "abcdefgh", "x", false});
  EXPECT_EQ(no_conversation.code, vitrina::protocol::ErrorCode::invalid);
  EXPECT_EQ(no_conversation.field, "conversation_id");
  EXPECT_TRUE(check_client_frame(Role::operator_, ClientFrame{"", SendMessage{kConv, "abcdefgh", "x", true}}));
  EXPECT_TRUE(check_client_frame(Role::operator_, ClientFrame{"", Hello{}}));
}

}  // namespace
}  // namespace vitrina::protocol::chat
