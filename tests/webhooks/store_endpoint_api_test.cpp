// The store's writes behind the webhook API: Ed25519 keys kept and rotated per scheme, changes
// and re-enabling, deletion with its deliveries, resends scoped to a site or one endpoint, the
// newest-first message list, the next attempt time in the attempt log, and migration 6 on a
// database written before it.

#include <gtest/gtest.h>

#include "../store/test_support.hpp"
#include "store/migrations.hpp"

namespace vitrina::store {
namespace {

using testing::TempDir;

WebhookEndpoint endpoint(const std::string& id, const std::string& site, std::string secret, std::string signing_key,
                         std::vector<std::string> events = {}) {
  std::string public_key = signing_key.empty() ? "" : "whpk_of_" + id;
  return {.id = id,
          .site_id = site,
          .url = "https://hooks.example/" + id,
          .event_types = std::move(events),
          .secret = std::move(secret),
          .created_at = 1'000,
          .signing_key = std::move(signing_key),
          .public_key = std::move(public_key),
          .description = "hook " + id,
          .updated_at = 1'000};
}

NewWebhookEvent event(const std::string& id, const std::string& site, const std::string& type, std::int64_t at) {
  return {.message_id = id,
          .site_id = site,
          .event_type = type,
          .payload = R"({"type":")" + type + R"(","timestamp":"x","data":{}})",
          .created_at = at};
}

class StoreEndpointApi : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::open_or_die(dir_.file("v.db"));
    ASSERT_TRUE(testing::insert_site_sync(*store_, testing::make_site("a")));
    ASSERT_TRUE(testing::insert_site_sync(*store_, testing::make_site("b")));
    ASSERT_TRUE(add(endpoint("we_hmac", "site_a", "whsec_a", "")));
    ASSERT_TRUE(add(endpoint("we_ed", "site_a", "", "whsk_a", {"payment.*"})));
    ASSERT_TRUE(add(endpoint("we_both", "site_a", "whsec_b", "whsk_b")));
    ASSERT_TRUE(add(endpoint("we_other", "site_b", "whsec_o", "")));
  }
  Result<WebhookEndpoint> add(WebhookEndpoint e) {
    return wait_for<WebhookEndpoint>([&](Done<WebhookEndpoint> d) { store_->insert_webhook_endpoint(e, d); });
  }
  Result<WebhookEndpoint> rotate(const std::string& id, const std::string& site, std::int64_t now) {
    return wait_for<WebhookEndpoint>([&](Done<WebhookEndpoint> d) {
      store_->rotate_webhook_keys(
          id, site, {.secret = "whsec_new", .signing_key = "whsk_new", .public_key = "whpk_new"}, now + 100, now, d);
    });
  }
  Result<WebhookEndpoint> change(WebhookEndpointChange c) {
    return wait_for<WebhookEndpoint>([&](Done<WebhookEndpoint> d) { store_->update_webhook_endpoint(c, d); });
  }
  Result<void> remove(const std::string& id, const std::string& site) {
    return wait_for<void>([&](Done<void> d) { store_->delete_webhook_endpoint(id, site, d); });
  }
  Result<EnqueuedEvent> enqueue(NewWebhookEvent e) {
    return wait_for<EnqueuedEvent>([&](Done<EnqueuedEvent> d) { store_->enqueue_event(e, d); });
  }
  Result<std::int64_t> resend(ResendRequest r) {
    return wait_for<std::int64_t>([&](Done<std::int64_t> d) { store_->resend(r, d); });
  }
  Result<void> record(AttemptRecord r) {
    return wait_for<void>([&](Done<void> d) { store_->record_attempt(r, d); });
  }
  std::string status(const std::string& message, const std::string& endpoint_id) {
    auto deliveries = store_->list_deliveries(message);
    if (!deliveries) return "error";
    for (const auto& d : *deliveries) {
      if (d.endpoint_id == endpoint_id) return d.status;
    }
    return "none";
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreEndpointApi, EndpointsKeepTheirKeysAndDescription) {
  auto e = store_->find_webhook_endpoint("we_both").value();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->secret, "whsec_b");
  EXPECT_EQ(e->signing_key, "whsk_b");
  EXPECT_EQ(e->public_key, "whpk_of_we_both");
  EXPECT_EQ(e->description, "hook we_both");
  EXPECT_EQ(e->updated_at, 1'000);
  auto due_ed = enqueue(event("msg_1", "site_a", "payment.succeeded", 2'000));
  ASSERT_TRUE(due_ed);
  auto due = store_->due_deliveries(2'000, 10).value();
  ASSERT_EQ(due.size(), 3u);
  for (const auto& d : due) {
    if (d.endpoint.id == "we_ed") {
      EXPECT_EQ(d.endpoint.signing_key, "whsk_a");
    }
  }
}

TEST_F(StoreEndpointApi, RotationKeepsEachEndpointsSchemes) {
  auto ed = rotate("we_ed", "site_a", 5'000);
  ASSERT_TRUE(ed) << ed.error().message;
  EXPECT_EQ(ed->secret, "");
  EXPECT_EQ(ed->previous_secret, "");
  EXPECT_EQ(ed->signing_key, "whsk_new");
  EXPECT_EQ(ed->public_key, "whpk_new");
  EXPECT_EQ(ed->previous_signing_key, "whsk_a");
  EXPECT_EQ(ed->previous_secret_expires_at, 5'100);
  EXPECT_EQ(ed->updated_at, 5'000);

  auto both = rotate("we_both", "site_a", 6'000);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->secret, "whsec_new");
  EXPECT_EQ(both->previous_secret, "whsec_b");
  EXPECT_EQ(both->signing_key, "whsk_new");
  EXPECT_EQ(both->previous_signing_key, "whsk_b");
}

TEST_F(StoreEndpointApi, AnotherSitesEndpointIsNotFoundForEveryChange) {
  EXPECT_EQ(rotate("we_other", "site_a", 1).error().code, vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(change({.endpoint_id = "we_other", .site_id = "site_a", .url = "https://x.example"}).error().code,
            vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(remove("we_other", "site_a").error().code, vitrina::protocol::ErrorCode::not_found);
  auto other = store_->find_webhook_endpoint("we_other").value();
  EXPECT_EQ(other->secret, "whsec_o");
  EXPECT_EQ(other->url, "https://hooks.example/we_other");
  EXPECT_EQ(remove("we_missing", "site_a").error().code, vitrina::protocol::ErrorCode::not_found);
}

TEST_F(StoreEndpointApi, ChangeSetsOnlyWhatItNames) {
  auto changed =
      change({.endpoint_id = "we_ed", .site_id = "site_a", .event_types = std::vector<std::string>{}, .now = 7});
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_TRUE(changed->event_types.empty());
  EXPECT_EQ(changed->url, "https://hooks.example/we_ed");
  EXPECT_EQ(changed->description, "hook we_ed");
  EXPECT_EQ(changed->updated_at, 7);
  changed = change(
      {.endpoint_id = "we_ed", .site_id = "site_a", .url = "https://new.example/h", .description = "", .now = 8});
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->url, "https://new.example/h");
  EXPECT_EQ(changed->description, "");
  EXPECT_TRUE(changed->event_types.empty());
}

TEST_F(StoreEndpointApi, DisablingStopsDeliveriesAndEnablingResumesNewOnes) {
  ASSERT_TRUE(enqueue(event("msg_1", "site_a", "chat.message", 2'000)));
  auto off =
      change({.endpoint_id = "we_hmac", .site_id = "site_a", .enabled = false, .disable_reason = "by hand", .now = 3});
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->disabled);
  EXPECT_EQ(off->disabled_reason, "by hand");
  EXPECT_EQ(status("msg_1", "we_hmac"), "disabled");
  EXPECT_EQ(status("msg_1", "we_both"), "pending");
  // Disabling again keeps the first reason (a 410's stays too).
  EXPECT_EQ(change({.endpoint_id = "we_hmac", .site_id = "site_a", .enabled = false, .disable_reason = "again"})
                ->disabled_reason,
            "by hand");

  auto on = change({.endpoint_id = "we_hmac", .site_id = "site_a", .enabled = true, .now = 4});
  ASSERT_TRUE(on);
  EXPECT_FALSE(on->disabled);
  EXPECT_EQ(on->disabled_reason, "");
  EXPECT_EQ(status("msg_1", "we_hmac"), "disabled") << "what it missed stays missed until resent";
  auto next = enqueue(event("msg_2", "site_a", "chat.message", 5'000));
  EXPECT_EQ(next->endpoint_ids, (std::vector<std::string>{"we_both", "we_hmac"}));
  EXPECT_EQ(resend({.message_id = "msg_1", .site_id = "site_a", .endpoint_id = "we_hmac", .now = 6'000}).value(), 1);
  EXPECT_EQ(status("msg_1", "we_hmac"), "pending");
}

TEST_F(StoreEndpointApi, DeleteTakesDeliveriesAndAttemptsAlong) {
  ASSERT_TRUE(enqueue(event("msg_1", "site_a", "chat.message", 2'000)));
  ASSERT_TRUE(
      record({.attempt = {.message_id = "msg_1", .endpoint_id = "we_hmac", .attempted_at = 3'000, .status_code = 500},
              .new_status = "pending",
              .next_attempt_at = 8'000}));
  ASSERT_TRUE(remove("we_hmac", "site_a"));
  EXPECT_FALSE(store_->find_webhook_endpoint("we_hmac").value());
  EXPECT_EQ(status("msg_1", "we_hmac"), "none");
  EXPECT_EQ(status("msg_1", "we_both"), "pending");
  EXPECT_TRUE(store_->list_attempts("msg_1")->empty());
  // An attempt that was in flight finds its delivery gone.
  EXPECT_EQ(record({.attempt = {.message_id = "msg_1", .endpoint_id = "we_hmac", .attempted_at = 9'000}}).error().code,
            vitrina::protocol::ErrorCode::not_found);
}

TEST_F(StoreEndpointApi, AttemptLogKeepsWhenTheNextTryIsDue) {
  ASSERT_TRUE(enqueue(event("msg_1", "site_a", "payment.failed", 2'000)));
  ASSERT_TRUE(
      record({.attempt = {.message_id = "msg_1", .endpoint_id = "we_ed", .attempted_at = 3'000, .status_code = 503},
              .new_status = "pending",
              .next_attempt_at = 8'000}));
  ASSERT_TRUE(
      record({.attempt = {.message_id = "msg_1", .endpoint_id = "we_ed", .attempted_at = 8'000, .status_code = 204},
              .new_status = "delivered",
              .next_attempt_at = 99'000}));
  auto attempts = store_->list_attempts("msg_1").value();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].next_attempt_at, 8'000);
  EXPECT_EQ(attempts[1].next_attempt_at, 0) << "a delivered message has no next attempt";
}

TEST_F(StoreEndpointApi, ResendIsScopedToTheSite) {
  ASSERT_TRUE(enqueue(event("msg_b", "site_b", "chat.message", 2'000)));
  EXPECT_EQ(resend({.message_id = "msg_b", .site_id = "site_a", .now = 3}).error().code,
            vitrina::protocol::ErrorCode::not_found);
  EXPECT_EQ(resend({.message_id = "msg_b", .site_id = "site_b", .endpoint_id = "we_hmac", .now = 3}).error().field,
            "endpoint_id");
  EXPECT_EQ(resend({.message_id = "msg_b", .site_id = "site_b", .now = 3}).value(), 1);
  EXPECT_EQ(resend({.message_id = "msg_b", .now = 3}).value(), 1) << "no site: the admin CLI";
}

TEST_F(StoreEndpointApi, ResendToOneEndpointMakesItsDeliveryOnce) {
  ASSERT_TRUE(enqueue(event("msg_1", "site_a", "chat.message", 2'000)));
  EXPECT_EQ(status("msg_1", "we_ed"), "none") << "its filter took only payment.*";
  EXPECT_EQ(resend({.message_id = "msg_1", .site_id = "site_a", .endpoint_id = "we_ed", .now = 3'000}).value(), 1);
  EXPECT_EQ(status("msg_1", "we_ed"), "pending");
  EXPECT_EQ(resend({.message_id = "msg_1", .site_id = "site_a", .endpoint_id = "we_ed", .now = 4'000}).value(), 1);
  EXPECT_EQ(store_->list_deliveries("msg_1")->size(), 3u);
  auto due = store_->due_deliveries(4'000, 10).value();
  std::size_t to_ed = 0;
  for (const auto& d : due) to_ed += d.delivery.endpoint_id == "we_ed" ? 1 : 0;
  EXPECT_EQ(to_ed, 1u);
}

TEST_F(StoreEndpointApi, ResendToADisabledEndpointIsAConflict) {
  ASSERT_TRUE(enqueue(event("msg_1", "site_a", "chat.message", 2'000)));
  ASSERT_TRUE(wait_for<void>([&](Done<void> d) { store_->disable_webhook_endpoint("we_both", "410", 3, d); }));
  auto r = resend({.message_id = "msg_1", .site_id = "site_a", .endpoint_id = "we_both", .now = 4});
  EXPECT_EQ(r.error().code, vitrina::protocol::ErrorCode::conflict);
  EXPECT_EQ(r.error().field, "endpoint_id");
  EXPECT_EQ(status("msg_1", "we_both"), "disabled");
}

TEST_F(StoreEndpointApi, MessagesNewestFirstPerSite) {
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(enqueue(event("msg_" + std::to_string(i), "site_a", "chat.x", 1'000 * i)));
  ASSERT_TRUE(enqueue(event("msg_b", "site_b", "chat.x", 9'000)));
  auto page = store_->list_webhook_messages("site_a", 3).value();
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].id, "msg_5");
  EXPECT_EQ(page[2].id, "msg_3");
  EXPECT_EQ(store_->list_webhook_messages("site_b", 10)->size(), 1u);
  EXPECT_TRUE(store_->list_webhook_messages("site_none", 10)->empty());
}

TEST(WebhookMigration, EndpointsWrittenBeforeItSignWithTheirSecret) {
  TempDir dir;
  const auto path = dir.file("v.db");
  // The schema before migration 6, with an endpoint written then.
  testing::migrate_to(path, 5);
  testing::raw_exec(path,
                    "INSERT INTO sites (id, name, public_key, secret_hash, created_at, updated_at) "
                    "VALUES ('site_a', 'A', 'pk_a', 'h_a', 1, 1);"
                    "INSERT INTO webhook_endpoints (id, site_id, url, secret, created_at) "
                    "VALUES ('we_old', 'site_a', 'https://a.example/h', 'whsec_old', 1234);");
  auto store = testing::open_or_die(path);
  auto e = store->find_webhook_endpoint("we_old").value();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->secret, "whsec_old");
  EXPECT_EQ(e->signing_key, "");
  EXPECT_EQ(e->description, "");
  EXPECT_EQ(e->updated_at, 1234);
}

}  // namespace
}  // namespace vitrina::store
