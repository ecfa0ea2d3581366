#include "widget.hpp"

#include <gtest/gtest.h>

#include <vitrina/protocol/chat_codec.hpp>

#include "fakes.hpp"

namespace vitrina::widget {
namespace {

using testing::FakeDom;
using testing::FakeHost;

const std::string kConfig =
    R"({"site":"pk_0123456789ABCDEFGHIJabcd","lang":"en","ws":"ws://127.0.0.1:1/v1/visitor/ws?site=pk_0123456789ABCDEFGHIJabcd",
        "api":"http://127.0.0.1:1/v1/widget/pk_0123456789ABCDEFGHIJabcd/",
        "page":{"url":"https://shop.example/catalog/tea","title":"Tea"}})";
const std::string kConv = "conv_8fK2mQ7xLp0ZrT4vN6bY1cDa";

std::string with(const std::string& extra) { return kConfig.substr(0, kConfig.size() - 1) + "," + extra + "}"; }

std::string welcome(chat::Availability presence, std::optional<chat::Conversation> conv = std::nullopt) {
  chat::Welcome w;
  chat::VisitorSession s;
  s.visitor_id = "vis_Zx8Cv7Bn6Mq5Wr4Et3Yu2Io1";
  s.token = "vt1.token";
  s.conversation = std::move(conv);
  s.presence.status = presence;
  w.visitor = s;
  return chat::write_server_frame(w);
}

chat::Conversation conversation(chat::ConversationStatus status, std::int64_t last_seq = 0) {
  chat::Conversation c;
  c.id = kConv;
  c.status = status;
  c.last_seq = last_seq;
  if (status != chat::ConversationStatus::waiting) c.assignee = chat::Author{chat::AuthorRole::operator_, "", "Maria"};
  return c;
}

std::string operator_says(std::int64_t seq, const std::string& text, const std::string& name = "Maria") {
  chat::MessageEvent m{kConv, seq, "op-" + std::to_string(seq), {chat::AuthorRole::operator_, "", name}, text,
                       false, 1};
  return chat::write_server_frame(m);
}

std::vector<chat::ClientFrame> sent(FakeHost& host) {
  std::vector<chat::ClientFrame> out;
  for (const std::string& text : host.take_sent()) {
    if (auto frame = chat::parse_client_frame(text)) out.push_back(*frame);
  }
  return out;
}

struct WidgetTest : ::testing::Test {
  FakeDom dom;
  FakeHost host;
  Widget widget{dom, host};

  void mount(const std::string& config = kConfig) { ASSERT_TRUE(widget.mount(config)); }
  // Opens the panel and completes the handshake with `presence`.
  void open_and_connect(chat::Availability presence = chat::Availability::online,
                        std::optional<chat::Conversation> conv = std::nullopt) {
    ASSERT_TRUE(widget.command("open", ""));
    widget.client()->on_socket_opened();
    widget.client()->on_socket_message(welcome(presence, std::move(conv)));
  }
  void type_and_press_enter(const std::string& text) {
    dom.node(dom.find("vitrina-input")).value = text;
    EXPECT_TRUE(widget.on_event(kComposerKey, Key::kEnter));
  }
  std::vector<std::string> bubbles() {
    std::vector<std::string> out;
    for (NodeHandle n : dom.find_all("vitrina-text")) out.push_back(dom.text_content(n));
    return out;
  }
};

TEST_F(WidgetTest, MountingBuildsAHiddenPanelAndTouchesNoStorageOrNetwork) {
  mount();
  const NodeHandle panel = dom.find("vitrina-panel");
  ASSERT_NE(panel, kNoNode);
  EXPECT_EQ(dom.attr(panel, "role"), "dialog");
  EXPECT_EQ(dom.attr(panel, "aria-label"), "Chat with us");
  EXPECT_FALSE(dom.visible(panel));
  EXPECT_EQ(host.opens, 0) << "no connection before the visitor asks";
  EXPECT_EQ(host.storage_writes, 0);
  EXPECT_TRUE(host.events.empty());
}

TEST_F(WidgetTest, RefusesABadConfigAndTouchesNothing) {
  for (std::string config :
       {std::string("{}"), std::string(R"({"site":"sk_0123456789ABCDEFGHIJabcd","ws":"ws://a/","api":"http://a/"})"),
        std::string("nonsense")}) {
    FakeDom fresh;
    FakeHost quiet;
    Widget w(fresh, quiet);
    EXPECT_FALSE(w.mount(config)) << config;
    EXPECT_EQ(fresh.calls, 0) << config;
    EXPECT_FALSE(w.mounted());
  }
}

TEST_F(WidgetTest, MountingTwiceIsRefused) {
  mount();
  const int calls = dom.calls;
  auto again = widget.mount(kConfig);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(dom.calls, calls);
}

TEST_F(WidgetTest, OpeningShowsThePanelFocusesTheComposerAndConnects) {
  mount();
  ASSERT_TRUE(widget.command("toggle", ""));
  EXPECT_TRUE(widget.open());
  EXPECT_TRUE(dom.visible(dom.find("vitrina-panel")));
  EXPECT_EQ(dom.attr(kLauncherButton, "aria-expanded"), "true");
  EXPECT_EQ(dom.focused, dom.find("vitrina-input"));
  EXPECT_EQ(host.opens, 1);
  ASSERT_EQ(host.events.size(), 1u);
  EXPECT_EQ(host.events[0].first, "open");
}

TEST_F(WidgetTest, EscapeClosesThePanelAndReturnsFocusToTheLauncher) {
  mount();
  open_and_connect();
  EXPECT_FALSE(widget.on_event(kPanelKey, Key::kEnter));
  EXPECT_TRUE(widget.on_event(kPanelKey, Key::kEscape));
  EXPECT_FALSE(widget.open());
  EXPECT_FALSE(dom.visible(dom.find("vitrina-panel")));
  EXPECT_EQ(dom.focused, kLauncherButton);
  EXPECT_EQ(dom.attr(kLauncherButton, "aria-expanded"), "false");
}

TEST_F(WidgetTest, TheTokenIsKeptOnceTheVisitorOpensTheChat) {
  mount();
  open_and_connect();
  EXPECT_EQ(host.storage.at("vitrina:pk_0123456789ABCDEFGHIJabcd"), "vt1.token");
}

TEST_F(WidgetTest, EnterSendsAndTheBubbleGoesFromSendingToSentToRead) {
  mount();
  open_and_connect();
  host.take_sent();
  type_and_press_enter("Do you ship to Kazan?");
  EXPECT_EQ(dom.node(dom.find("vitrina-input")).value, "");
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  const auto* message = std::get_if<chat::SendMessage>(&frames[0].payload);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->text, "Do you ship to Kazan?");
  const NodeHandle meta = dom.find("vitrina-meta");
  EXPECT_EQ(dom.text_content(meta), "Sending…");

  widget.client()->on_socket_message(
      chat::write_server_frame(chat::ConversationEvent{"", conversation(chat::ConversationStatus::waiting, 1)}));
  widget.client()->on_socket_message(chat::write_server_frame(chat::Ack{message->client_id, kConv, 1, 5}));
  EXPECT_EQ(dom.text_content(meta), "Sent");
  ASSERT_FALSE(host.events.empty());
  EXPECT_EQ(host.events.back().first, "message");
  EXPECT_NE(host.events.back().second.find("Do you ship to Kazan?"), std::string::npos);

  chat::ReadEvent read{kConv, {chat::AuthorRole::operator_, "", "Maria"}, 1};
  widget.client()->on_socket_message(chat::write_server_frame(read));
  EXPECT_EQ(dom.text_content(meta), "Read");
}

TEST_F(WidgetTest, ShiftEnterAndBlankTextSendNothing) {
  mount();
  open_and_connect();
  host.take_sent();
  dom.node(dom.find("vitrina-input")).value = "line one";
  EXPECT_FALSE(widget.on_event(kComposerKey, Key::kShiftEnter));
  type_and_press_enter("   \n ");
  EXPECT_TRUE(sent(host).empty());
  EXPECT_TRUE(bubbles().empty());
}

TEST_F(WidgetTest, OperatorTextIsRenderedAsTextNeverMarkup) {
  mount();
  open_and_connect(chat::Availability::online, conversation(chat::ConversationStatus::open));
  const std::string payloads[] = {"<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
                                  "\"><svg onload=alert(1)>", "javascript:alert(1)"};
  std::int64_t seq = 0;
  for (const std::string& p : payloads) widget.client()->on_socket_message(operator_says(++seq, p, "<b>Eve</b>"));
  auto shown = bubbles();
  ASSERT_EQ(shown.size(), 4u);
  for (std::size_t i = 0; i < shown.size(); ++i) EXPECT_EQ(shown[i], payloads[i]);
  // Every node under the shadow root is an element the widget chose or a text node.
  for (const auto& node : dom.nodes) {
    EXPECT_NE(node.tag, "img");
    EXPECT_NE(node.tag, "script");
    EXPECT_NE(node.tag, "svg");
    for (const auto& [name, value] : node.attributes) EXPECT_NE(name.rfind("on", 0), 0u) << name;
  }
  EXPECT_EQ(dom.text_content(dom.find("vitrina-author")), "<b>Eve</b>");
}

TEST_F(WidgetTest, RepliesWhileClosedCountAsUnreadAndChime) {
  mount();
  open_and_connect(chat::Availability::online, conversation(chat::ConversationStatus::open));
  ASSERT_TRUE(widget.command("close", ""));
  widget.client()->on_socket_message(operator_says(1, "Yes, we do"));
  widget.client()->on_socket_message(operator_says(2, "Anything else?"));
  EXPECT_EQ(widget.unread(), 2);
  EXPECT_EQ(dom.text_content(kLauncherBadge), "2");
  EXPECT_EQ(host.sounds, 2);
  host.take_sent();
  ASSERT_TRUE(widget.command("open", ""));
  EXPECT_EQ(widget.unread(), 0);
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  const auto* read = std::get_if<chat::MarkRead>(&frames[0].payload);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->seq, 2);
}

TEST_F(WidgetTest, HistoryIsShownWithoutChimeOrUnread) {
  mount();
  ASSERT_TRUE(widget.command("open", ""));
  ASSERT_TRUE(widget.command("close", ""));
  widget.client()->on_socket_opened();
  widget.client()->on_socket_message(
      welcome(chat::Availability::online, conversation(chat::ConversationStatus::open, 2)));
  widget.client()->on_socket_message(operator_says(1, "earlier"));
  widget.client()->on_socket_message(operator_says(2, "reply"));
  EXPECT_EQ(bubbles().size(), 2u);
  EXPECT_EQ(host.sounds, 0);
  EXPECT_EQ(widget.unread(), 0);
}

TEST_F(WidgetTest, TypingIndicatorShowsTheOperatorAndExpires) {
  mount();
  open_and_connect(chat::Availability::online, conversation(chat::ConversationStatus::open));
  chat::TypingEvent typing{kConv, {chat::AuthorRole::operator_, "", "Maria"}, true};
  widget.client()->on_socket_message(chat::write_server_frame(typing));
  const NodeHandle indicator = dom.find("vitrina-typing");
  EXPECT_TRUE(dom.visible(indicator));
  EXPECT_EQ(dom.text_content(indicator), "Maria is typing…");
  widget.on_timer(TimerId::kOperatorTyping);
  EXPECT_FALSE(dom.visible(indicator));
}

TEST_F(WidgetTest, NobodyOnlineShowsTheOfflineFormWhichValidatesAndSends) {
  mount();
  open_and_connect(chat::Availability::offline);
  const NodeHandle offline = dom.find("vitrina-offline");
  ASSERT_NE(offline, kNoNode);
  EXPECT_TRUE(dom.visible(offline));
  EXPECT_FALSE(dom.visible(dom.find("vitrina-compose")));
  EXPECT_EQ(dom.text_content(dom.find("vitrina-status")), "Nobody is online right now");

  auto inputs = dom.find_all("vitrina-input");
  // compose textarea, then the offline form's name, email, phone, text
  ASSERT_GE(inputs.size(), 5u);
  const NodeHandle name = inputs[1], email = inputs[2], text = inputs[4];
  dom.node(text).value = "Is the samovar in stock?";
  host.take_sent();
  widget.on_event(kOfflineSend, Key::kNone);
  EXPECT_TRUE(sent(host).empty()) << "no contact: refused before sending";
  EXPECT_NE(dom.text_content(offline).find("Please give an e-mail or a phone number."), std::string::npos);

  dom.node(email).value = "not-an-email";
  widget.on_event(kOfflineSend, Key::kNone);
  EXPECT_EQ(dom.attr(email, "aria-invalid"), "true");
  EXPECT_TRUE(sent(host).empty());

  dom.node(name).value = "Anna";
  dom.node(email).value = "anna@example.com";
  widget.on_event(kOfflineSend, Key::kNone);
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  const auto* offline_message = std::get_if<chat::LeaveOfflineMessage>(&frames[0].payload);
  ASSERT_NE(offline_message, nullptr);
  EXPECT_EQ(offline_message->email, "anna@example.com");
  EXPECT_EQ(offline_message->name, "Anna");
  widget.client()->on_socket_message(chat::write_server_frame(chat::Ack{offline_message->client_id, kConv, 1, 1}));
  EXPECT_TRUE(dom.visible(dom.find("vitrina-done")));
  EXPECT_FALSE(dom.visible(offline));
}

TEST_F(WidgetTest, FocusMovesToTheOfflineFormWhenTheServerSaysNobodyIsOnline) {
  mount();
  ASSERT_TRUE(widget.command("open", ""));
  EXPECT_EQ(dom.focused, dom.find("vitrina-input"));  // the message box, before the welcome
  widget.client()->on_socket_opened();
  widget.client()->on_socket_message(welcome(chat::Availability::offline));
  const auto inputs = dom.find_all("vitrina-input");
  ASSERT_GE(inputs.size(), 2u);
  EXPECT_EQ(dom.focused, inputs[1]);  // the offline form's first field
}

TEST_F(WidgetTest, PrechatFormComesFirstAndFillsTheContext) {
  mount(with(R"("prechat":"name,email")"));
  open_and_connect();
  const NodeHandle prechat = dom.find("vitrina-prechat");
  ASSERT_NE(prechat, kNoNode);
  EXPECT_TRUE(dom.visible(prechat));
  EXPECT_FALSE(dom.visible(dom.find("vitrina-compose")));
  auto inputs = dom.find_all("vitrina-input");
  const NodeHandle name = inputs[inputs.size() - 2], email = inputs[inputs.size() - 1];
  widget.on_event(kPrechatStart, Key::kNone);
  EXPECT_EQ(dom.attr(name, "aria-invalid"), "true");
  EXPECT_TRUE(dom.visible(prechat));
  dom.node(name).value = "Anna";
  dom.node(email).value = "anna@example.com";
  host.take_sent();
  widget.on_event(kPrechatStart, Key::kNone);
  EXPECT_FALSE(dom.visible(prechat));
  EXPECT_TRUE(dom.visible(dom.find("vitrina-compose")));
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  const auto* context = std::get_if<chat::UpdateContext>(&frames[0].payload);
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(context->context.name, "Anna");
  EXPECT_EQ(context->context.email, "anna@example.com");
}

TEST_F(WidgetTest, AClosedConversationSaysSoAndTheNextMessageStartsAnother) {
  mount();
  open_and_connect(chat::Availability::online, conversation(chat::ConversationStatus::open));
  EXPECT_TRUE(dom.visible(dom.find("vitrina-end")));
  auto closed = conversation(chat::ConversationStatus::closed);
  widget.client()->on_socket_message(chat::write_server_frame(chat::ConversationEvent{"", closed}));
  EXPECT_NE(dom.text_content(dom.find("vitrina-log")).find("The conversation has ended."), std::string::npos);
  EXPECT_FALSE(dom.visible(dom.find("vitrina-end")));
  EXPECT_TRUE(dom.visible(dom.find("vitrina-compose")));
}

TEST_F(WidgetTest, EndChatClosesTheConversation) {
  mount();
  open_and_connect(chat::Availability::online, conversation(chat::ConversationStatus::open));
  host.take_sent();
  widget.on_event(kEndChatClick, Key::kNone);
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 1u);
  const auto* action = std::get_if<chat::ConversationAction>(&frames[0].payload);
  ASSERT_NE(action, nullptr);
  EXPECT_EQ(action->kind, chat::ActionKind::close);
}

TEST_F(WidgetTest, IdentifyChecksItsArgumentAndReconnectsWithIt) {
  mount();
  EXPECT_EQ(widget.command("identify", R"({"user_id":"u 1","expires_at":1893456000,"hash":"ab"})").error().field,
            "user_id");
  EXPECT_EQ(
      widget
          .command("identify", R"({"user_id":"user-42","expires_at":"soon","hash":")" + std::string(64, 'a') + R"("})")
          .error()
          .field,
      "expires_at");
  EXPECT_EQ(widget.command("identify", R"({"email":"nope"})").error().field, "email");
  open_and_connect();
  host.take_sent();
  ASSERT_TRUE(widget.command("identify", R"({"user_id":"user-42","expires_at":1893456000,"hash":")" +
                                             std::string(64, 'a') + R"(","name":"Anna"})"));
  EXPECT_EQ(host.opens, 2) << "a new hello presents the identity";
  widget.client()->on_socket_opened();
  auto frames = sent(host);
  ASSERT_FALSE(frames.empty());
  const auto* hello = std::get_if<chat::Hello>(&frames.back().payload);
  ASSERT_NE(hello, nullptr);
  ASSERT_TRUE(hello->identity);
  EXPECT_EQ(hello->identity->user_id, "user-42");
  ASSERT_TRUE(hello->context);
  EXPECT_EQ(hello->context->name, "Anna");
  EXPECT_EQ(hello->context->url, "https://shop.example/catalog/tea");
}

TEST_F(WidgetTest, SetFlattensTheCartIntoAttributesAndMergesCalls) {
  mount();
  open_and_connect();
  host.take_sent();
  ASSERT_TRUE(widget.command("set", R"({"cart":{"total":"4500 RUB","items":3},"vip":true})"));
  ASSERT_TRUE(widget.command("set", R"({"coupon":"TEA10","vip":false})"));
  auto frames = sent(host);
  ASSERT_EQ(frames.size(), 2u);
  const auto* context = std::get_if<chat::UpdateContext>(&frames[1].payload);
  ASSERT_NE(context, nullptr);
  ASSERT_TRUE(context->context.attributes);
  const auto& a = *context->context.attributes;
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].key, "cart.total");
  EXPECT_EQ(a[1].key, "cart.items");
  EXPECT_EQ(std::get<std::int64_t>(a[1].value), 3);
  EXPECT_EQ(a[2].key, "vip");
  EXPECT_EQ(std::get<bool>(a[2].value), false);
  EXPECT_EQ(a[3].key, "coupon");
  EXPECT_FALSE(widget.command("set", R"({"list":[1,2]})"));
  EXPECT_FALSE(widget.command("set", R"("text")"));
  EXPECT_FALSE(widget.command("fly", ""));
}

TEST_F(WidgetTest, ProactiveGreetingOnMatchingPagesOnly) {
  mount(with(R"("greeting":"Need help choosing a tea?","greeting_after":"20","greeting_pages":"/catalog/*")"));
  ASSERT_TRUE(host.timer_running(TimerId::kGreeting));
  EXPECT_EQ(host.timers[TimerId::kGreeting] - host.now, 20'000);
  widget.on_timer(TimerId::kGreeting);
  const NodeHandle greeting = dom.find("vitrina-greeting");
  ASSERT_NE(greeting, kNoNode);
  EXPECT_EQ(dom.text_content(greeting), "Need help choosing a tea?");
  EXPECT_EQ(host.opens, 0) << "a greeting alone connects nothing";
  EXPECT_EQ(host.storage_writes, 0);
  widget.on_event(kGreetingClick, Key::kNone);
  EXPECT_TRUE(widget.open());
  EXPECT_EQ(dom.find("vitrina-greeting"), kNoNode);

  FakeDom other_dom;
  FakeHost other_host;
  Widget other(other_dom, other_host);
  ASSERT_TRUE(other.mount(with(R"("greeting":"Hi","greeting_pages":"/cart")")));
  EXPECT_FALSE(other_host.timer_running(TimerId::kGreeting));

  // Several patterns, as the site's widget_greeting_pages serves them: any one matching will do.
  FakeDom listed_dom;
  FakeHost listed_host;
  Widget listed(listed_dom, listed_host);
  ASSERT_TRUE(listed.mount(with(R"("greeting":"Hi","greeting_pages":"/cart, /catalog/*")")));
  EXPECT_TRUE(listed_host.timer_running(TimerId::kGreeting));
}

TEST_F(WidgetTest, AReturningVisitorReconnectsAtOnce) {
  host.storage["vitrina:pk_0123456789ABCDEFGHIJabcd"] = "vt1.kept";
  mount();
  EXPECT_EQ(host.opens, 1);
  EXPECT_FALSE(widget.open());
}

TEST_F(WidgetTest, StatusFollowsConnectionPresenceAndAssignee) {
  mount();
  ASSERT_TRUE(widget.command("open", ""));
  const NodeHandle status = dom.find("vitrina-status");
  EXPECT_EQ(dom.text_content(status), "Connecting…");
  widget.client()->on_socket_opened();
  widget.client()->on_socket_message(welcome(chat::Availability::closed));
  EXPECT_EQ(dom.text_content(status), "We are closed now");
  widget.client()->on_socket_message(
      chat::write_server_frame(chat::ConversationEvent{"", conversation(chat::ConversationStatus::open)}));
  EXPECT_EQ(dom.text_content(status), "Maria");
}

TEST_F(WidgetTest, RussianWords) {
  mount(with(R"("lang":"ru")").replace(kConfig.find(R"("lang":"en")"), 12, ""));
  ASSERT_TRUE(widget.command("open", ""));
  EXPECT_EQ(dom.attr(dom.find("vitrina-panel"), "aria-label"), "Чат с нами");
  EXPECT_EQ(dom.attr(kLauncherButton, "aria-label"), "Закрыть чат");
}

TEST_F(WidgetTest, IgnoresUnknownAndEarlyEvents) {
  EXPECT_FALSE(widget.on_event(kSendClick, Key::kNone));
  EXPECT_FALSE(widget.command("open", ""));
  EXPECT_EQ(dom.calls, 0);
  mount();
  EXPECT_FALSE(widget.on_event(9999, Key::kEnter));
}

}  // namespace
}  // namespace vitrina::widget
