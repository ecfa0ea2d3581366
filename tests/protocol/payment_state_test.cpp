#include "vitrina/protocol/payment.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vitrina/protocol/amount.hpp"

namespace vitrina::protocol {
namespace {

using S = PaymentStatus;
using E = PaymentEvent;

// Every payment below asks for 1000 minor units.
PaymentState state_of(S status, std::int64_t held = 0, std::int64_t captured = 0) {
  PaymentState s;
  s.status = status;
  s.amount = 1000;
  s.authorized_amount = held;
  s.captured_amount = captured;
  return s;
}

const std::map<std::string, PaymentState>& states() {
  static const std::map<std::string, PaymentState> all = {
      {"pending", state_of(S::pending)},
      {"waiting", state_of(S::waiting_for_capture, 1000)},
      {"succeeded", state_of(S::succeeded, 0, 1000)},
      {"canceled_unheld", state_of(S::canceled)},
      {"canceled_held", state_of(S::canceled, 1000)},
      {"failed_unheld", state_of(S::failed)},
      {"failed_held", state_of(S::failed, 1000)},
      {"expired_unheld", state_of(S::expired)},
      {"expired_held", state_of(S::expired, 1000)},
  };
  return all;
}

const std::map<std::string, PaymentEvent>& events() {
  static const std::map<std::string, PaymentEvent> all = {
      {"authorized", E::authorized()},
      {"authorized_1000", E::authorized(1000)},
      {"authorized_500", E::authorized(500)},
      {"authorized_1500", E::authorized(1500)},
      {"captured", E::captured()},
      {"captured_600", E::captured(600)},
      {"captured_1500", E::captured(1500)},
      {"succeeded", E::succeeded()},
      {"succeeded_600", E::succeeded(600)},
      {"succeeded_1500", E::succeeded(1500)},
      {"canceled", E::canceled()},
      {"failed", E::failed("declined")},
      {"expired", E::expired()},
  };
  return all;
}

enum class Outcome { moves, unchanged, conflict, invalid };

struct Case {
  std::string state;
  std::string event;
  Outcome outcome;
  S to = S::pending;  // for Outcome::moves
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.state << " + " << c.event; }

Case moves(std::string state, std::string event, S to) {
  return {std::move(state), std::move(event), Outcome::moves, to};
}
Case none(std::string state, std::string event) { return {std::move(state), std::move(event), Outcome::unchanged}; }
Case conflict(std::string state, std::string event) { return {std::move(state), std::move(event), Outcome::conflict}; }
Case invalid(std::string state, std::string event) { return {std::move(state), std::move(event), Outcome::invalid}; }

// The whole table: every (state, event) pair, one line each.
std::vector<Case> all_cases() {
  std::vector<Case> cases = {
      moves("pending", "authorized", S::waiting_for_capture),
      moves("pending", "authorized_1000", S::waiting_for_capture),
      moves("pending", "authorized_500", S::waiting_for_capture),  // a partial hold
      invalid("pending", "authorized_1500"),                       // more than the payment
      conflict("pending", "captured"),                             // nothing held
      conflict("pending", "captured_600"),
      conflict("pending", "captured_1500"),
      moves("pending", "succeeded", S::succeeded),
      moves("pending", "succeeded_600", S::succeeded),
      invalid("pending", "succeeded_1500"),
      moves("pending", "canceled", S::canceled),
      moves("pending", "failed", S::failed),
      moves("pending", "expired", S::expired),

      none("waiting", "authorized"),  // the hold, reported again
      none("waiting", "authorized_1000"),
      conflict("waiting", "authorized_500"),  // a different hold
      conflict("waiting", "authorized_1500"),
      moves("waiting", "captured", S::succeeded),
      moves("waiting", "captured_600", S::succeeded),  // partial capture
      invalid("waiting", "captured_1500"),             // more than held
      moves("waiting", "succeeded", S::succeeded),     // capture reported by the acquirer
      moves("waiting", "succeeded_600", S::succeeded),
      invalid("waiting", "succeeded_1500"),
      moves("waiting", "canceled", S::canceled),
      moves("waiting", "failed", S::failed),
      moves("waiting", "expired", S::expired),

      none("succeeded", "authorized"),  // late hold
      none("succeeded", "authorized_1000"),
      none("succeeded", "authorized_500"),
      none("succeeded", "authorized_1500"),
      none("succeeded", "captured"),  // repeat
      conflict("succeeded", "captured_600"),
      conflict("succeeded", "captured_1500"),
      none("succeeded", "succeeded"),  // repeat
      conflict("succeeded", "succeeded_600"),
      conflict("succeeded", "succeeded_1500"),
      conflict("succeeded", "canceled"),  // refund instead
      none("succeeded", "failed"),        // late failure
      none("succeeded", "expired"),       // late expiry
  };
  // The three endings without money behave alike; "held" ones went through waiting_for_capture.
  for (std::string ending : {"canceled", "failed", "expired"}) {
    for (std::string held : {"_unheld", "_held"}) {
      const std::string st = ending + held;
      const bool was_held = held == "_held";
      cases.push_back(was_held ? none(st, "authorized") : conflict(st, "authorized"));
      cases.push_back(was_held ? none(st, "authorized_1000") : conflict(st, "authorized_1000"));
      cases.push_back(conflict(st, "authorized_500"));
      cases.push_back(conflict(st, "authorized_1500"));
      for (std::string ev :
           {"captured", "captured_600", "captured_1500", "succeeded", "succeeded_600", "succeeded_1500"}) {
        cases.push_back(conflict(st, ev));
      }
      for (std::string ev : {"canceled", "failed", "expired"}) cases.push_back(none(st, ev));
    }
  }
  return cases;
}

TEST(PaymentTransitionTable, CoversEveryStateEventPairExactlyOnce) {
  std::map<std::pair<std::string, std::string>, int> seen;
  for (const Case& c : all_cases()) {
    ASSERT_TRUE(states().contains(c.state)) << c.state;
    ASSERT_TRUE(events().contains(c.event)) << c.event;
    ++seen[{c.state, c.event}];
  }
  EXPECT_EQ(seen.size(), states().size() * events().size());
  for (const auto& [pair, count] : seen) EXPECT_EQ(count, 1) << pair.first << " + " << pair.second;
}

class PaymentTransition : public ::testing::TestWithParam<Case> {};

TEST_P(PaymentTransition, FollowsTheTable) {
  const Case& c = GetParam();
  const PaymentState& before = states().at(c.state);
  const auto result = apply(before, events().at(c.event));
  switch (c.outcome) {
    case Outcome::moves:
      ASSERT_TRUE(result) << result.error().message;
      EXPECT_TRUE(result->changed);
      EXPECT_EQ(result->state.status, c.to);
      EXPECT_EQ(result->state.amount, before.amount);
      EXPECT_EQ(webhook_event_type(*result), "payment." + std::string(to_string(c.to)));
      break;
    case Outcome::unchanged:
      ASSERT_TRUE(result) << result.error().message;
      EXPECT_FALSE(result->changed);
      EXPECT_EQ(result->state, before);
      EXPECT_EQ(webhook_event_type(*result), std::nullopt);
      break;
    case Outcome::conflict:
      ASSERT_FALSE(result);
      EXPECT_EQ(result.error().code, vitrina::protocol::ErrorCode::conflict);
      EXPECT_EQ(result.error().field, "");
      EXPECT_NE(result.error().message.find(to_string(before.status)), std::string::npos) << result.error().message;
      break;
    case Outcome::invalid:
      ASSERT_FALSE(result);
      EXPECT_EQ(result.error().code, vitrina::protocol::ErrorCode::invalid);
      EXPECT_EQ(result.error().field, "amount");
      break;
  }
}

INSTANTIATE_TEST_SUITE_P(AllPairs, PaymentTransition, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& param) {
                           return param.param.state + "__" + param.param.event;
                         });

TEST(PaymentApply, RefusesBadEventAmountsInEveryState) {
  for (const auto& [name, state] : states()) {
    for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-1}, kMaxAmount + 1}) {
      for (const PaymentEvent& ev : {E::authorized(bad), E::captured(bad), E::succeeded(bad)}) {
        const auto r = apply(state, ev);
        ASSERT_FALSE(r) << name << " + " << to_string(ev.kind) << "(" << bad << ")";
        EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
        EXPECT_EQ(r.error().field, "amount");
      }
    }
  }
}

TEST(PaymentApply, HoldRecordsTheHeldAmount) {
  const auto r = apply(state_of(S::pending), E::authorized(700));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state.authorized_amount, 700);
  EXPECT_EQ(r->state.captured_amount, 0);
  const auto full = apply(state_of(S::pending), E::authorized());
  ASSERT_TRUE(full);
  EXPECT_EQ(full->state.authorized_amount, 1000);
}

TEST(PaymentApply, PartialCaptureTakesLessThanHeld) {
  const auto r = apply(state_of(S::waiting_for_capture, 1000), E::captured(600));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state.status, S::succeeded);
  EXPECT_EQ(r->state.authorized_amount, 1000);
  EXPECT_EQ(r->state.captured_amount, 600);
}

TEST(PaymentApply, CaptureWithoutAmountTakesAllThatIsHeld) {
  const auto r = apply(state_of(S::waiting_for_capture, 800), E::captured());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state.captured_amount, 800);
}

TEST(PaymentApply, CaptureOfExactlyTheHeldAmountIsAllowedAndOneMoreIsNot) {
  EXPECT_TRUE(apply(state_of(S::waiting_for_capture, 800), E::captured(800)));
  const auto over = apply(state_of(S::waiting_for_capture, 800), E::captured(801));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().field, "amount");
  EXPECT_NE(over.error().message.find("held amount 800"), std::string::npos) << over.error().message;
}

TEST(PaymentApply, OneStageSuccessTakesThePaymentAmount) {
  const auto r = apply(state_of(S::pending), E::succeeded());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->state.captured_amount, 1000);
  EXPECT_EQ(r->state.authorized_amount, 0);
}

TEST(PaymentApply, FailureKeepsTheFirstReason) {
  const auto first = apply(state_of(S::pending), E::failed("insufficient_funds"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->state.failure_reason, "insufficient_funds");
  const auto again = apply(first->state, E::failed("card_expired"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->state.failure_reason, "insufficient_funds");
}

TEST(PaymentApply, ConflictMessageNamesStatusAndEvent) {
  const auto r = apply(state_of(S::succeeded, 0, 1000), E::canceled());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "cannot apply \"canceled\" to a succeeded payment: the money is taken; refund it instead");
}

TEST(PaymentApply, EveryEventTwiceChangesNothingTheSecondTime) {
  for (const auto& [state_name, state] : states()) {
    for (const auto& [event_name, event] : events()) {
      const auto first = apply(state, event);
      if (!first) continue;
      const auto second = apply(first->state, event);
      ASSERT_TRUE(second) << state_name << " + " << event_name << " twice: " << second.error().message;
      EXPECT_FALSE(second->changed) << state_name << " + " << event_name << " twice";
      EXPECT_EQ(second->state, first->state);
    }
  }
}

TEST(PaymentApply, TwoStageFlowWithDuplicatesAndLateEvents) {
  PaymentState s = state_of(S::pending);
  std::vector<std::string> emitted;
  const auto step = [&](const PaymentEvent& ev) {
    auto r = apply(s, ev);
    ASSERT_TRUE(r) << to_string(ev.kind) << ": " << r.error().message;
    if (auto type = webhook_event_type(*r)) emitted.emplace_back(*type);
    s = r->state;
  };
  step(E::authorized(1000));
  step(E::authorized(1000));  // the acquirer's callback repeats
  step(E::captured(600));     // our capture call
  step(E::succeeded(600));    // the acquirer's callback about the same capture
  step(E::authorized(1000));  // a hold callback that lost its way
  step(E::expired());         // the expiry timer fired late
  step(E::failed("late"));    // an old failed attempt
  EXPECT_EQ(s.status, S::succeeded);
  EXPECT_EQ(s.captured_amount, 600);
  EXPECT_EQ(s.failure_reason, "");
  EXPECT_EQ(emitted, (std::vector<std::string>{"payment.waiting_for_capture", "payment.succeeded"}));
}

TEST(PaymentApply, AcquirerCallbackOvertakingOurCaptureIsAcceptedOnce) {
  const auto by_callback = apply(state_of(S::waiting_for_capture, 1000), E::succeeded(600));
  ASSERT_TRUE(by_callback);
  EXPECT_TRUE(by_callback->changed);
  const auto our_capture = apply(by_callback->state, E::captured(600));
  ASSERT_TRUE(our_capture);
  EXPECT_FALSE(our_capture->changed);
  const auto other = apply(by_callback->state, E::captured(700));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, vitrina::protocol::ErrorCode::conflict);
}

TEST(PaymentApply, SucceededNeverLeavesSucceeded) {
  // Every sequence of up to three events from a succeeded payment: the status stays succeeded and
  // the captured amount stays put, whatever is accepted or refused on the way.
  std::vector<PaymentEvent> evs;
  for (const auto& [name, ev] : events()) evs.push_back(ev);
  for (const auto& a : evs) {
    for (const auto& b : evs) {
      for (const auto& c : evs) {
        PaymentState s = state_of(S::succeeded, 1000, 600);
        for (const PaymentEvent* ev : {&a, &b, &c}) {
          if (auto r = apply(s, *ev)) s = r->state;
        }
        ASSERT_EQ(s.status, S::succeeded);
        ASSERT_EQ(s.captured_amount, 600);
      }
    }
  }
}

TEST(PaymentApply, RandomSequencesKeepTheInvariants) {
  // A fixed-seed walk over all events from a fresh payment, many times: a final status never
  // changes, nothing is captured beyond what may be taken, and a webhook type is emitted exactly
  // when the status changes.
  std::vector<PaymentEvent> evs;
  for (const auto& [name, ev] : events()) evs.push_back(ev);
  std::uint64_t seed = 0x9E3779B97F4A7C15ULL;
  const auto next = [&seed] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(seed >> 33);
  };
  for (int walk = 0; walk < 2000; ++walk) {
    PaymentState s = state_of(S::pending);
    for (int i = 0; i < 8; ++i) {
      const auto r = apply(s, evs[next() % evs.size()]);
      if (!r) continue;
      if (is_final(s.status)) {
        ASSERT_EQ(r->state.status, s.status);
      }
      ASSERT_EQ(r->changed, r->state.status != s.status);
      ASSERT_EQ(webhook_event_type(*r).has_value(), r->changed);
      ASSERT_LE(r->state.captured_amount, r->state.amount);
      if (r->state.authorized_amount > 0) {
        ASSERT_LE(r->state.captured_amount, r->state.authorized_amount);
      }
      if (r->state.status == S::succeeded) {
        ASSERT_GT(r->state.captured_amount, 0);
      }
      ASSERT_NE(r->state.status, S::pending);
      s = r->state;
    }
  }
}

TEST(PaymentExpiry, ExpiresAtTheDeadlineNotBefore) {
  PaymentState s = state_of(S::pending);
  s.expires_at_ms = 1'700'000'000'000;
  EXPECT_FALSE(is_expired(s, 1'699'999'999'999));
  EXPECT_TRUE(is_expired(s, 1'700'000'000'000));
  EXPECT_TRUE(is_expired(s, 1'700'000'000'001));
  s.status = S::waiting_for_capture;
  EXPECT_FALSE(is_expired(s, 1'699'999'999'999));
  EXPECT_TRUE(is_expired(s, 1'700'000'000'000));
}

TEST(PaymentExpiry, FinishedPaymentsAndPaymentsWithoutDeadlineNeverExpire) {
  PaymentState s = state_of(S::pending);
  EXPECT_FALSE(is_expired(s, std::numeric_limits<std::int64_t>::max()));
  s.expires_at_ms = 1000;
  for (S status : {S::succeeded, S::canceled, S::failed, S::expired}) {
    s.status = status;
    EXPECT_FALSE(is_expired(s, 2000)) << to_string(status);
  }
}

TEST(PaymentExpiry, ExpiringThenSucceedingLateIsAConflictNotASilentFlip) {
  PaymentState s = state_of(S::pending);
  s.expires_at_ms = 1000;
  ASSERT_TRUE(is_expired(s, 1000));
  const auto expired = apply(s, E::expired());
  ASSERT_TRUE(expired);
  EXPECT_EQ(webhook_event_type(*expired), "payment.expired");
  const auto late = apply(expired->state, E::succeeded());
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, vitrina::protocol::ErrorCode::conflict);
}

TEST(PaymentStatusNames, RoundTripAndRefuseOtherSpellings) {
  for (S status : {S::pending, S::waiting_for_capture, S::succeeded, S::canceled, S::failed, S::expired}) {
    const auto parsed = parse_payment_status(to_string(status));
    ASSERT_TRUE(parsed) << to_string(status);
    EXPECT_EQ(*parsed, status);
  }
  EXPECT_EQ(to_string(S::waiting_for_capture), "waiting_for_capture");
  for (std::string_view bad : {"", "Pending", "SUCCEEDED", "succeeded ", "cancelled", "refunded", "unknown"}) {
    const auto r = parse_payment_status(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::invalid);
    EXPECT_EQ(r.error().field, "status");
  }
}

TEST(PaymentStatusNames, FinalStatuses) {
  EXPECT_FALSE(is_final(S::pending));
  EXPECT_FALSE(is_final(S::waiting_for_capture));
  EXPECT_TRUE(is_final(S::succeeded));
  EXPECT_TRUE(is_final(S::canceled));
  EXPECT_TRUE(is_final(S::failed));
  EXPECT_TRUE(is_final(S::expired));
}

TEST(PaymentWebhookTypes, AreTheSevenFromTheIssue) {
  const auto types = payment_webhook_event_types();
  EXPECT_EQ(std::vector<std::string_view>(types.begin(), types.end()),
            (std::vector<std::string_view>{"payment.waiting_for_capture", "payment.succeeded", "payment.canceled",
                                           "payment.failed", "payment.expired", "refund.succeeded", "refund.failed"}));
}

TEST(PaymentWebhookTypes, NoneForAnUnchangedTransition) {
  Transition t{state_of(S::succeeded, 0, 1000), false};
  EXPECT_EQ(webhook_event_type(t), std::nullopt);
  t.changed = true;
  EXPECT_EQ(webhook_event_type(t), "payment.succeeded");
  t.state.status = S::pending;  // nothing moves into pending; no event for it
  EXPECT_EQ(webhook_event_type(t), std::nullopt);
}

}  // namespace
}  // namespace vitrina::protocol
