// The chat service with no server: a real temporary store, fake peers, a manual clock, and a
// hub that runs posted work only when the test says so.

#include "chat/service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "chat/visitor_token.hpp"
#include "clock/clock.hpp"
#include "service_support.hpp"
#include "store/wait_for.hpp"
#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::chat {
namespace {

namespace pc = protocol::chat;
using testing::FakePeer;
using testing::ManualExecutor;

// 2023-11-14 22:13:20 UTC, a Tuesday: inside the site's hours below, which end at 23:00.
constexpr std::int64_t kTuesday2213 = 1'700'000'000'000;
constexpr std::int64_t kMinute = 60'000;
constexpr std::size_t kMaxRefused = 3;

class ChatServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "vitrina-chat-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    auto opened = store::open_sqlite({.path = (dir_ / "vitrina.db").string()});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    store::Site site;
    site.id = "site_a";
    site.name = "Shop";
    site.public_key = "pk_a";
    site.secret_hash = "hash_a";
    site.allowed_origins = {"https://a.example"};
    site.settings_json = R"({"chat":{"business_hours":{"time_zone":"UTC","weekly":{"tue":["22:00-23:00"]}}}})";
    site.created_at = site.updated_at = kTuesday2213;
    auto inserted = store::wait_for<store::Site>(
        [&](store::Done<store::Site> done) { store_->insert_site(std::move(site), std::move(done)); });
    ASSERT_TRUE(inserted) << inserted.error().message;
    service_ = std::make_unique<Service>(*store_, VisitorTokens(TokenKeys{generate_token_key(), std::nullopt}), clock_,
                                         ServiceOptions{.max_refused_per_minute = kMaxRefused,
                                                        .post_hub = [this](auto work) { hub_.post(std::move(work)); },
                                                        .new_id =
                                                            [this](std::string_view prefix) {
                                                              std::string body = std::to_string(++ids_);
                                                              body.insert(0, pc::kIdBodyLength - body.size(), '0');
                                                              return std::string(prefix) + body;
                                                            }});
  }

  void TearDown() override {
    service_.reset();
    if (store_) store_->flush();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::shared_ptr<FakePeer> connect(pc::Role role, const std::string& operator_id = {}) {
    auto peer = std::make_shared<FakePeer>();
    peer->state.role = role;
    auto site = service_->site_by_id("site_a");
    EXPECT_TRUE(site && *site);
    peer->state.site = *site;
    if (role == pc::Role::operator_) {
      peer->state.operator_id = operator_id;
      peer->state.operator_name = "Ann " + operator_id;
    }
    service_->on_frame(peer, R"({"type":"hello","v":1})");
    hub_.run();
    EXPECT_EQ(peer->of_type<pc::Welcome>().size(), 1u);
    return peer;
  }

  // A message from `peer`, committed and fanned out; its ack.
  pc::Ack say(const std::shared_ptr<FakePeer>& peer, const std::string& text) {
    const std::string client_id = "client-" + std::to_string(++ids_);
    service_->on_frame(peer, R"({"type":"message","client_id":")" + client_id + R"(","text":")" + text + R"("})");
    EXPECT_TRUE(hub_.wait_queued(1));
    hub_.run();
    auto acks = peer->of_type<pc::Ack>();
    EXPECT_FALSE(acks.empty());
    return acks.empty() ? pc::Ack{} : acks.back();
  }

  static std::vector<std::int64_t> seqs(const std::shared_ptr<FakePeer>& peer) {
    std::vector<std::int64_t> out;
    for (const auto& m : peer->of_type<pc::MessageEvent>()) out.push_back(m.seq);
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  clock::ManualClock clock_{kTuesday2213};
  ManualExecutor hub_;
  int ids_ = 0;
  std::unique_ptr<Service> service_;
};

TEST_F(ChatServiceTest, MessagesFanOutToOperatorsInCommitOrder) {
  auto op = connect(pc::Role::operator_, "op_1");
  auto visitor = connect(pc::Role::visitor);
  // Five frames in a row: the writer commits them in order and the hub fans out in that order.
  for (int i = 0; i < 5; ++i) {
    service_->on_frame(visitor, R"({"type":"message","client_id":"message-)" + std::to_string(i) + R"(","text":"hi"})");
  }
  ASSERT_TRUE(hub_.wait_queued(5));
  hub_.run();
  EXPECT_EQ(seqs(op), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  std::vector<std::int64_t> acked;
  for (const auto& a : visitor->of_type<pc::Ack>()) acked.push_back(a.seq);
  EXPECT_EQ(acked, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  // The sender gets acks, not its own messages back.
  EXPECT_TRUE(seqs(visitor).empty());
}

TEST_F(ChatServiceTest, ResumeWhileMessagesArriveHasNoGapsOrDuplicates) {
  auto visitor = connect(pc::Role::visitor);
  const std::string conversation = say(visitor, "one").conversation_id;
  say(visitor, "two");
  say(visitor, "three");
  auto op = connect(pc::Role::operator_, "op_2");
  op->clear();

  service_->on_frame(op, R"({"type":"resume","ref":"r1","conversation_id":")" + conversation + R"(","last_seen":0})");
  // The hub sees the resume and hands the read to the connection; the read has not run yet.
  hub_.run();
  ASSERT_EQ(op->executor.queued(), 1u);
  // A message commits and is fanned out before the batch is read: it waits for the batch.
  service_->on_frame(visitor, R"({"type":"message","client_id":"client-four","text":"four"})");
  ASSERT_TRUE(hub_.wait_queued(1));
  hub_.run();
  EXPECT_TRUE(op->frames().empty());
  // The read sees seq 1-4; another message commits after it.
  op->executor.run();
  service_->on_frame(visitor, R"({"type":"message","client_id":"client-five","text":"five"})");
  ASSERT_TRUE(hub_.wait_queued(2));
  hub_.run();

  EXPECT_EQ(seqs(op), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  auto resumed = op->of_type<pc::Resumed>();
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].through, 4);
  EXPECT_FALSE(resumed[0].more);
  // The batch, then resumed, then the live stream.
  const auto frames = op->frames();
  const auto resumed_at = std::find_if(frames.begin(), frames.end(),
                                       [](const std::string& f) { return f.find("\"resumed\"") != std::string::npos; });
  ASSERT_NE(resumed_at, frames.end());
  EXPECT_NE(resumed_at[1].find("\"five\""), std::string::npos) << resumed_at[1];
}

TEST_F(ChatServiceTest, RefusedFramesCloseTheConnectionWithinAMinuteOnly) {
  auto visitor = connect(pc::Role::visitor);
  // Refusals counted on the connection: a malformed frame and a resume of nobody's conversation
  // (refused after the read the hub handed back to the connection).
  service_->on_frame(visitor, "{");
  service_->on_frame(visitor,
                     R"({"type":"resume","ref":"r1","conversation_id":"conv_8fK2mQ7xLp0ZrT4vN6bY1cDa","last_seen":0})");
  EXPECT_EQ(hub_.run(), 1u);
  EXPECT_EQ(visitor->executor.run(), 1u);
  EXPECT_EQ(visitor->of_type<pc::ErrorEvent>().size(), 2u);
  EXPECT_FALSE(visitor->closed());

  // A minute later the count starts again.
  clock_.advance_ms(kMinute);
  service_->on_frame(visitor, "{");
  service_->on_frame(visitor, "{");
  EXPECT_FALSE(visitor->closed());
  service_->on_frame(visitor, "{");
  EXPECT_EQ(visitor->closed(), pc::kCloseProtocolError);
}

TEST_F(ChatServiceTest, PresenceFollowsBusinessHoursAsTheClockMoves) {
  auto op = connect(pc::Role::operator_, "op_3");
  auto visitor = connect(pc::Role::visitor);
  auto welcome = visitor->of_type<pc::Welcome>();
  ASSERT_EQ(welcome.size(), 1u);
  EXPECT_EQ(welcome[0].visitor->presence.status, pc::Availability::online);

  // Still open: the tick tells nobody anything.
  clock_.advance_ms(30 * kMinute);
  service_->refresh_presence();
  hub_.run();
  EXPECT_TRUE(visitor->of_type<pc::PresenceEvent>().empty());

  // 23:00 has passed: closed until next Tuesday 22:00.
  clock_.advance_ms(20 * kMinute);
  service_->refresh_presence();
  hub_.run();
  auto presence = visitor->of_type<pc::PresenceEvent>();
  ASSERT_EQ(presence.size(), 1u);
  EXPECT_EQ(presence[0].status, pc::Availability::closed);
  const std::int64_t next_tuesday_2200 = kTuesday2213 - 13 * kMinute - 20'000 + 7 * 24 * 60 * kMinute;
  EXPECT_EQ(presence[0].next_open_at_ms, next_tuesday_2200);

  // A week on, open again, with the operator still online.
  clock_.set_now_ms(next_tuesday_2200 + kMinute);
  service_->refresh_presence();
  hub_.run();
  presence = visitor->of_type<pc::PresenceEvent>();
  ASSERT_EQ(presence.size(), 2u);
  EXPECT_EQ(presence[1].status, pc::Availability::online);
}

}  // namespace
}  // namespace vitrina::chat
