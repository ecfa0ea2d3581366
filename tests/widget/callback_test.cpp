#include "callback_widget.hpp"

#include <gtest/gtest.h>

#include <vitrina/protocol/json_reader.hpp>
#include <vitrina/protocol/pow.hpp>

#include "fakes.hpp"
#include "widget.hpp"

namespace vitrina::widget {
namespace {

using testing::FakeDom;
using testing::FakeHost;

const std::string kApi = "http://127.0.0.1:1/v1/widget/pk_0123456789ABCDEFGHIJabcd/";
const std::string kConfig = R"({"site":"pk_0123456789ABCDEFGHIJabcd","lang":"en","widgets":"chat,callback",
  "ws":"ws://127.0.0.1:1/v1/visitor/ws?site=pk_0123456789ABCDEFGHIJabcd","api":")" +
                            kApi + R"(","page":{"url":"https://shop.example/cart"}})";
const std::string kChallenge =
    "pow1.site_0123456789ABCDEFGHIJabcd.AAAAAAAAAAAAAAAAAAAAAA.1900000000.6."
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

std::string options(bool open, int difficulty = 6) {
  return std::string(R"({"open":)") + (open ? "true" : "false") +
         R"(,"window_s":30,"time_zone":"Europe/Moscow","slots":[)" +
         (open ? ""
               : R"({"start":"2026-11-23T07:00:00.000Z","end":"2026-11-23T07:30:00.000Z"},)"
                 R"({"start":"2026-11-23T07:30:00.000Z","end":"2026-11-23T08:00:00.000Z"})") +
         R"(],"challenge":{"challenge":")" + kChallenge + R"(","difficulty":)" + std::to_string(difficulty) +
         R"(,"expires_at":"2030-01-01T00:00:00.000Z"}})";
}

struct CallbackTest : ::testing::Test {
  FakeDom dom;
  FakeHost host;
  Widget widget{dom, host};

  void SetUp() override {
    ASSERT_TRUE(widget.mount(kConfig));
    ASSERT_TRUE(widget.command("open", ""));
  }
  CallbackWidget& cb() { return *widget.callback(); }
  void show(bool open) {
    widget.on_event(kCallbackToggle, Key::kNone);
    ASSERT_EQ(host.requests.size(), 1u);
    EXPECT_EQ(host.requests[0].url, kApi + "callbacks/options");
    widget.on_http(RequestId::kCallbackOptions, 200, options(open));
  }
  // Runs the proof of work's slices until it sends (bounded).
  void solve() {
    for (int i = 0; i < 1000 && cb().state() == CallbackWidget::State::kSolving; ++i) widget.on_timer(TimerId::kPow);
  }
  protocol::JsonValue last_body() {
    auto json = protocol::parse_json(host.requests.back().body);
    EXPECT_TRUE(json);
    return json ? *json : protocol::JsonValue{};
  }
};

TEST_F(CallbackTest, TheHeaderButtonSwitchesToTheFormAndBack) {
  const NodeHandle box = dom.find("vitrina-callback");
  ASSERT_NE(box, kNoNode);
  EXPECT_FALSE(dom.visible(box));
  show(true);
  EXPECT_TRUE(dom.visible(box));
  EXPECT_FALSE(dom.visible(dom.find("vitrina-compose")));
  EXPECT_EQ(dom.text_content(dom.find("vitrina-title")), "Request a call");
  EXPECT_EQ(dom.text_content(dom.find("vitrina-call")), "Back to chat");
  EXPECT_NE(dom.text_content(box).find("within 30 seconds"), std::string::npos);
  EXPECT_TRUE(dom.visible(cb().phone().input));
  EXPECT_EQ(dom.attr(cb().phone().input, "type"), "tel");
  EXPECT_EQ(dom.attr(cb().phone().input, "autocomplete"), "tel");
  widget.on_event(kCallbackToggle, Key::kNone);
  EXPECT_FALSE(dom.visible(box));
  EXPECT_TRUE(dom.visible(dom.find("vitrina-compose")));
}

TEST_F(CallbackTest, RefusesAnInvalidNumberBeforeSending) {
  show(true);
  for (const char* bad : {"12345", "+7 912 345", "8 (912) 345-67-89-00", "call me"}) {
    dom.node(cb().phone().input).value = bad;
    widget.on_event(kCallbackSubmit, Key::kNone);
    EXPECT_EQ(dom.attr(cb().phone().input, "aria-invalid"), "true") << bad;
    EXPECT_FALSE(dom.text_content(cb().phone().error).empty()) << bad;
    EXPECT_EQ(host.requests.size(), 1u) << bad;
  }
}

TEST_F(CallbackTest, SendsTheNumberWithAProofOfWorkAndCountsDown) {
  show(true);
  dom.node(cb().phone().input).value = "8 (912) 345-67-89";
  dom.node(cb().name().input).value = "Anna";
  widget.on_event(kCallbackSubmit, Key::kNone);
  solve();
  ASSERT_EQ(cb().state(), CallbackWidget::State::kSending);
  ASSERT_EQ(host.requests.size(), 2u);
  EXPECT_EQ(host.requests[1].method, "POST");
  EXPECT_EQ(host.requests[1].url, kApi + "callbacks");
  const auto body = last_body();
  EXPECT_EQ(body.find("phone")->text, "8 (912) 345-67-89");
  EXPECT_EQ(body.find("name")->text, "Anna");
  EXPECT_EQ(body.find("page_url")->text, "https://shop.example/cart");
  EXPECT_EQ(body.find("slot"), nullptr);
  const auto* pow = body.find("pow");
  ASSERT_NE(pow, nullptr);
  EXPECT_EQ(pow->find("challenge")->text, kChallenge);
  EXPECT_TRUE(protocol::pow_satisfied(kChallenge, pow->find("nonce")->text, 6));

  // 30 s from "now" in the fake host's clock (1 800 000 000 000 ms = 2027-01-15T08:00:00Z).
  widget.on_http(RequestId::kCallbackSend, 201,
                 R"({"id":"cb_1","status":"new","phone":"+79123456789","created_at":"2027-01-15T08:00:00.000Z",)"
                 R"("call_within_s":30,"call_by":"2027-01-15T08:00:30.000Z"})");
  EXPECT_EQ(cb().state(), CallbackWidget::State::kDone);
  const NodeHandle done = dom.find_all("vitrina-done").back();
  EXPECT_EQ(dom.text_content(done), "We will call you within 0:30");
  host.now += 1000;
  widget.on_timer(TimerId::kCountdown);
  EXPECT_EQ(dom.text_content(done), "We will call you within 0:29");
  host.now += 29'000;
  widget.on_timer(TimerId::kCountdown);
  EXPECT_EQ(dom.text_content(done), "We are calling you now.");
  ASSERT_FALSE(host.events.empty());
  EXPECT_EQ(host.events.back().first, "callback");
}

TEST_F(CallbackTest, OutsideHoursOffersSlotsInTheSiteTimeZone) {
  show(false);
  EXPECT_NE(dom.text_content(dom.find("vitrina-callback")).find("choose when we should call"), std::string::npos);
  std::vector<std::string> shown;
  for (const auto& n : dom.nodes) {
    if (n.tag == "option") shown.push_back(n.children.empty() ? "" : dom.nodes[n.children[0]].text);
  }
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0], "1795417200000@Europe/Moscow");
  dom.node(cb().phone().input).value = "+49 30 1234567";
  // The second slot.
  for (std::size_t i = 0; i < dom.nodes.size(); ++i) {
    if (dom.nodes[i].tag == "select") dom.nodes[i].value = "1";
  }
  widget.on_event(kCallbackSubmit, Key::kNone);
  solve();
  EXPECT_EQ(last_body().find("slot")->text, "2026-11-23T07:30:00.000Z");
  widget.on_http(
      RequestId::kCallbackSend, 201,
      R"({"id":"cb_2","status":"scheduled","phone":"+49301234567","scheduled_for":"2026-11-23T07:30:00.000Z"})");
  EXPECT_EQ(dom.text_content(dom.find_all("vitrina-done").back()), "We will call you at 1795419000000@Europe/Moscow");
}

TEST_F(CallbackTest, AUsedChallengeIsReplacedAndTheRequestSentAgain) {
  show(true);
  dom.node(cb().phone().input).value = "+7 912 345 67 89";
  widget.on_event(kCallbackSubmit, Key::kNone);
  solve();
  widget.on_http(RequestId::kCallbackSend, 409,
                 R"({"type":"urn:vitrina:problem:pow-replayed","status":409,"detail":"used","field":"pow.challenge"})");
  ASSERT_EQ(host.requests.back().id, RequestId::kCallbackOptions);
  widget.on_http(RequestId::kCallbackOptions, 200, options(true));
  solve();
  EXPECT_EQ(host.requests.back().id, RequestId::kCallbackSend);
}

TEST_F(CallbackTest, ServerRefusalsNameTheField) {
  show(true);
  dom.node(cb().phone().input).value = "+7 912 345 67 89";
  widget.on_event(kCallbackSubmit, Key::kNone);
  solve();
  widget.on_http(
      RequestId::kCallbackSend, 422,
      R"({"type":"urn:vitrina:problem:phone-refused","status":422,"detail":"this number is refused","field":"phone"})");
  EXPECT_EQ(cb().state(), CallbackWidget::State::kForm);
  EXPECT_NE(dom.text_content(cb().phone().error).find("this number is refused"), std::string::npos);
  widget.on_event(kCallbackSubmit, Key::kNone);
  solve();
  widget.on_http(RequestId::kCallbackSend, 429, R"({"status":429,"detail":"too many","field":"phone"})");
  EXPECT_NE(dom.text_content(dom.find("vitrina-callback")).find("Too many requests"), std::string::npos);
}

TEST_F(CallbackTest, UnavailableWhenTheOptionsCannotBeLoaded) {
  widget.on_event(kCallbackToggle, Key::kNone);
  widget.on_http(RequestId::kCallbackOptions, 0, "");
  EXPECT_EQ(cb().state(), CallbackWidget::State::kUnavailable);
  EXPECT_FALSE(dom.visible(cb().phone().wrap));
}

TEST(CallbackOnly, OpensStraightIntoTheFormWithoutAChatConnection) {
  FakeDom dom;
  FakeHost host;
  Widget widget(dom, host);
  std::string config = kConfig;
  config.replace(config.find("chat,callback"), 13, "callback");
  ASSERT_TRUE(widget.mount(config));
  ASSERT_TRUE(widget.command("open", ""));
  EXPECT_TRUE(dom.visible(dom.find("vitrina-callback")));
  EXPECT_EQ(host.opens, 0);
  ASSERT_EQ(host.requests.size(), 1u);
  EXPECT_FALSE(dom.visible(dom.find("vitrina-call")));
}

}  // namespace
}  // namespace vitrina::widget
