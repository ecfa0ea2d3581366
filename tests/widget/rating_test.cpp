#include "rating_widget.hpp"

#include <gtest/gtest.h>

#include <vitrina/protocol/chat_codec.hpp>
#include <vitrina/protocol/json_reader.hpp>

#include "fakes.hpp"
#include "widget.hpp"

namespace vitrina::widget {
namespace {

using testing::FakeDom;
using testing::FakeHost;

const std::string kApi = "http://127.0.0.1:1/v1/widget/pk_0123456789ABCDEFGHIJabcd/";
const std::string kConv = "conv_8fK2mQ7xLp0ZrT4vN6bY1cDa";

std::string config(const std::string& widgets) {
  return R"({"site":"pk_0123456789ABCDEFGHIJabcd","lang":"en","widgets":")" + widgets +
         R"(","ws":"ws://127.0.0.1:1/v1/visitor/ws?site=pk_0123456789ABCDEFGHIJabcd","api":")" + kApi +
         R"(","page":{"url":"https://shop.example/delivery?x=1"}})";
}

std::string conversation_frame(chat::ConversationStatus status) {
  chat::Conversation c;
  c.id = kConv;
  c.status = status;
  return chat::write_server_frame(chat::ConversationEvent{"", c});
}

struct CsatTest : ::testing::Test {
  FakeDom dom;
  FakeHost host;
  Widget widget{dom, host};

  void SetUp() override {
    ASSERT_TRUE(widget.mount(config("chat")));
    ASSERT_TRUE(widget.command("open", ""));
    widget.client()->on_socket_opened();
    chat::Welcome w;
    w.visitor = chat::VisitorSession{};
    w.visitor->token = "vt1.x";
    widget.client()->on_socket_message(chat::write_server_frame(w));
    widget.client()->on_socket_message(conversation_frame(chat::ConversationStatus::open));
  }
};

TEST_F(CsatTest, AskedOnceWhenTheConversationCloses) {
  EXPECT_EQ(dom.find("vitrina-rating"), kNoNode);
  widget.client()->on_socket_message(conversation_frame(chat::ConversationStatus::closed));
  const NodeHandle card = dom.find("vitrina-rating");
  ASSERT_NE(card, kNoNode);
  EXPECT_EQ(dom.attr(card, "aria-label"), "How did we do?");
  EXPECT_EQ(dom.find_all("vitrina-score").size(), 5u);
  EXPECT_EQ(dom.attr(card, "role"), "group");
  // Closed again (a repeated frame): no second card.
  widget.client()->on_socket_message(conversation_frame(chat::ConversationStatus::closed));
  EXPECT_EQ(dom.find_all("vitrina-rating").size(), 1u);
}

TEST_F(CsatTest, ScoreAndCommentArePostedAndThanked) {
  widget.client()->on_socket_message(conversation_frame(chat::ConversationStatus::closed));
  const auto scores = dom.find_all("vitrina-score");
  EXPECT_EQ(dom.attr(scores[3], "aria-label"), "4 of 5");
  widget.on_event(dom.node(scores[3]).listeners.at("click"), Key::kNone);
  EXPECT_EQ(dom.attr(scores[3], "aria-pressed"), "true");
  EXPECT_EQ(dom.attr(scores[0], "aria-pressed"), "false");
  const NodeHandle card = dom.find("vitrina-rating");
  NodeHandle comment = kNoNode;
  for (NodeHandle n : dom.find_all("vitrina-input")) {
    if (dom.node(n).tag == "textarea" && n > card) comment = n;
  }
  ASSERT_NE(comment, kNoNode);
  dom.node(comment).value = "Quick <b>and</b> kind";
  widget.on_event(kCsatSubmit, Key::kNone);
  ASSERT_FALSE(host.requests.empty());
  const auto& request = host.requests.back();
  EXPECT_EQ(request.url, kApi + "ratings");
  auto body = protocol::parse_json(request.body);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->find("kind")->text, "csat");
  EXPECT_EQ(body->find("conversation_id")->text, kConv);
  EXPECT_EQ(body->find("score")->as_int64(), 4);
  EXPECT_EQ(body->find("comment")->text, "Quick <b>and</b> kind");
  widget.on_http(RequestId::kRatingSend, 201, R"({"id":"rt_1"})");
  EXPECT_EQ(dom.text_content(card), "Thank you for your rating!");
  EXPECT_EQ(host.events.back().first, "rating");
}

TEST_F(CsatTest, NothingIsSentWithoutAScore) {
  widget.client()->on_socket_message(conversation_frame(chat::ConversationStatus::closed));
  const std::size_t before = host.requests.size();
  widget.on_event(kCsatSubmit, Key::kNone);
  EXPECT_EQ(host.requests.size(), before);
}

TEST(PageRating, AsksTheServerAndShowsNps) {
  FakeDom dom;
  FakeHost host;
  Widget widget(dom, host);
  ASSERT_TRUE(widget.mount(config("chat,rating")));
  ASSERT_EQ(host.requests.size(), 1u);
  EXPECT_EQ(host.requests[0].url, kApi + "ratings/options?page=https%3A%2F%2Fshop.example%2Fdelivery%3Fx%3D1");
  EXPECT_EQ(host.opens, 0);
  EXPECT_EQ(host.storage_writes, 0);
  widget.on_http(RequestId::kPageRatingOptions, 200, R"({"page":{"kind":"nps"}})");
  const NodeHandle card = dom.find("vitrina-page-rating");
  ASSERT_NE(card, kNoNode);
  const auto scores = dom.find_all("vitrina-score");
  ASSERT_EQ(scores.size(), 11u);
  EXPECT_EQ(dom.text_content(scores[0]), "0");
  widget.on_event(dom.node(scores[9]).listeners.at("click"), Key::kNone);
  auto body = protocol::parse_json(host.requests.back().body);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->find("kind")->text, "nps");
  EXPECT_EQ(body->find("score")->as_int64(), 9);
  EXPECT_EQ(body->find("page_url")->text, "https://shop.example/delivery?x=1");
  widget.on_http(RequestId::kPageRatingSend, 201, "{}");
  EXPECT_EQ(dom.text_content(card), "Thank you for your rating!");
}

TEST(PageRating, NothingShownWhenThePageHasNone) {
  FakeDom dom;
  FakeHost host;
  Widget widget(dom, host);
  ASSERT_TRUE(widget.mount(config("rating")));
  widget.on_http(RequestId::kPageRatingOptions, 200, R"({"page":null})");
  EXPECT_EQ(dom.find("vitrina-page-rating"), kNoNode);
  FakeDom plain_dom;
  FakeHost plain_host;
  Widget plain(plain_dom, plain_host);
  ASSERT_TRUE(plain.mount(config("chat")));
  EXPECT_TRUE(plain_host.requests.empty());
}

}  // namespace
}  // namespace vitrina::widget
