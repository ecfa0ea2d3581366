// Reliability: the server is killed with SIGKILL again and again during a bounded load of payment
// creates, sandbox payments, captures, cancels and refunds, and restarted on the same data
// directory each time. Clients retry what failed with the same Idempotency-Key, as a shop's
// backend does. After every restart each acknowledged payment exists with its acknowledged
// status (or a later one); at the end each state change produced exactly one outbound message
// (one webhook-id, the same body on every retry), and every message was delivered.
//
// The seed of the load's random choices is printed; VITRINA_RELIABILITY_SEED=N repeats them (the
// moments of the kills stay up to the scheduler).

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"
#include "vitrina/webhook/webhook.hpp"
#include "webhook_receiver.hpp"

namespace vitrina::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Short retries: a message refused by the receiver or cut off by a kill is sent again soon.
const std::vector<std::string> kSettings{
    "--set", "webhooks.allow_private_targets=true",
    "--set", "webhooks.retry_schedule_ms=100,100,200,200,300,300,400,400,500,500,500,500",
    "--set", "webhooks.poll_interval_ms=50",
    "--set", "webhooks.timeout_ms=3000"};

constexpr int kClients = 4;
constexpr int kMinPaymentsPerClient = 12;
constexpr int kMaxPaymentsPerClient = 150;
constexpr int kKillRounds = 5;
constexpr auto kLoadLimit = 20s;
constexpr auto kDrainLimit = 15s;
constexpr auto kRequestLimit = 10s;

// One thing a client does to a payment after creating it, and what it leads to.
struct Step {
  enum Kind { pay, capture, cancel, refund } kind;
  const char* card;    // pay only
  const char* status;  // the payment's status once the step is applied (a refund's own, for refunds)
  const char* event;   // the one webhook the step produces
  // False when a 2xx says only that the step was accepted, not that it happened.
  bool confirms = true;
};

struct Plan {
  const char* name;
  bool capture;
  int weight;
  std::vector<Step> steps;
  // The sandbox declines refunds of amounts ending in 13 (minor units); other plans avoid them.
  bool declined_refund = false;
};

constexpr const char* kSuccess = "4242424242424242";

const std::vector<Plan>& plans() {
  static const std::vector<Plan> kPlans{
      {"leave pending", true, 2, {}},
      {"succeed", true, 3, {{Step::pay, kSuccess, "succeeded", "payment.succeeded"}}},
      {"decline", true, 1, {{Step::pay, "4000000000000002", "failed", "payment.failed"}}},
      {"error", true, 1, {{Step::pay, "4000 0000 0000 9995", "failed", "payment.failed"}}},
      {"delayed", true, 1, {{Step::pay, "4000000000003220", "succeeded", "payment.succeeded", false}}},
      {"cancel", true, 1, {{Step::cancel, nullptr, "canceled", "payment.canceled"}}},
      {"hold", false, 1, {{Step::pay, kSuccess, "waiting_for_capture", "payment.waiting_for_capture"}}},
      {"hold, capture",
       false,
       2,
       {{Step::pay, kSuccess, "waiting_for_capture", "payment.waiting_for_capture"},
        {Step::capture, nullptr, "succeeded", "payment.succeeded"}}},
      {"hold, cancel",
       false,
       1,
       {{Step::pay, kSuccess, "waiting_for_capture", "payment.waiting_for_capture"},
        {Step::cancel, nullptr, "canceled", "payment.canceled"}}},
      {"succeed, refund",
       true,
       2,
       {{Step::pay, kSuccess, "succeeded", "payment.succeeded"},
        {Step::refund, nullptr, "succeeded", "refund.succeeded"}}},
      {"succeed, refund declined",
       true,
       1,
       {{Step::pay, kSuccess, "succeeded", "payment.succeeded"}, {Step::refund, nullptr, "failed", "refund.failed"}},
       true},
  };
  return kPlans;
}

// A payment as a client knows it.
struct Tracked {
  const Plan* plan = nullptr;
  std::string key, order_id, id;
  std::int64_t amount = 0;
  int confirmed = 0;        // steps an answer confirmed
  bool maybe_next = false;  // step `confirmed` was sent, and may have happened without a confirming answer
  int accepted_by = 0;      // the server generation that accepted an unconfirming step, 0 if none
};

// A payment as the server has it: its status, refunded amount and its refunds' statuses
// (comma-separated; from the database, since the API does not list them yet).
struct Observed {
  std::string status;
  std::int64_t refunded = 0;
  std::string refunds;
};

// Which prefix of the plan's steps `seen` is the state after, or -1 when it is none of them.
int steps_applied(const Tracked& t, const Observed& seen) {
  std::string status = "pending", refunds;
  std::int64_t refunded = 0;
  for (int k = 0;; ++k) {
    if (status == seen.status && refunds == seen.refunds && refunded == seen.refunded) return k;
    if (k == static_cast<int>(t.plan->steps.size())) return -1;
    const Step& step = t.plan->steps[k];
    if (step.kind != Step::refund) {
      status = step.status;
      continue;
    }
    refunds += (refunds.empty() ? "" : ",") + std::string(step.status);
    if (std::string(step.status) == "succeeded") refunded = t.amount;
  }
}

std::string describe(const Tracked& t) {
  return t.order_id + " (" + t.id + ", plan \"" + t.plan->name + "\", confirmed " + std::to_string(t.confirmed) +
         (t.maybe_next ? " + maybe one more" : "") + ")";
}

// An answer from the server; status 0 when none came before the deadline.
struct Answer {
  int status = 0;
  std::string body;
  int generation = 0;  // which start of the server answered
};

// Which server process is up: its port (0 while there is none) and how many starts it took.
struct Current {
  int port = 0;
  int generation = 0;
  bool operator==(const Current&) const = default;
};

// One vitrina-server on a data directory, killed and started again; clients follow its port.
class Restarter {
 public:
  explicit Restarter(std::vector<std::string> args) : args_(std::move(args)) {}

  bool start() {
    process_ = std::make_unique<ServerProcess>(args_);
    const int port = process_->wait_listening();
    std::lock_guard lock(mu_);
    current_ = {port, current_.generation + 1};
    return port != 0;
  }
  // SIGKILL; the exit status (128 + SIGKILL when it really was killed).
  int kill() {
    {
      std::lock_guard lock(mu_);
      current_.port = 0;
    }
    process_->send_signal(SIGKILL);
    const int status = process_->wait_exit(10s);
    previous_output_ = process_->output();
    return status;
  }
  Current current() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  std::string output() const {
    return "--- before the last kill:\n" + tail(previous_output_) + "--- now:\n" + tail(process_->output());
  }

 private:
  static std::string tail(const std::string& s) { return s.size() > 3000 ? s.substr(s.size() - 3000) : s; }

  std::vector<std::string> args_;
  std::unique_ptr<ServerProcess> process_;
  mutable std::mutex mu_;
  Current current_;
  std::string previous_output_;
};

// The database file the server uses, read directly (SQLite lets another process read it).
class Db {
 public:
  explicit Db(const std::filesystem::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      db_ = nullptr;
    }
    if (db_) sqlite3_busy_timeout(db_, 5000);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    sqlite3_stmt* stmt = nullptr;
    if (!db_ || sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot run " << sql << ": " << (db_ ? sqlite3_errmsg(db_) : "no database");
      return out;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* text = sqlite3_column_text(stmt, i);
        row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return out;
  }
  std::int64_t count(const std::string& sql) {
    auto r = rows(sql);
    return r.empty() || r[0].empty() ? -1 : std::stoll(r[0][0]);
  }

 private:
  sqlite3* db_ = nullptr;
};

class ReliabilityTest : public ::testing::Test {
 protected:
  RunResult admin(std::vector<std::string> args) {
    std::vector<std::string> all{"--data", data_.str()};
    all.insert(all.end(), kSettings.begin(), kSettings.end());
    all.insert(all.end(), args.begin(), args.end());
    return run_server(all);
  }

  void SetUp() override {
    const char* seed = std::getenv("VITRINA_RELIABILITY_SEED");
    seed_ = seed ? static_cast<std::uint32_t>(std::strtoul(seed, nullptr, 10)) : std::random_device{}();
    std::cout << "VITRINA_RELIABILITY_SEED=" << seed_ << std::endl;
    RecordProperty("seed", std::to_string(seed_));

    auto site = admin({"site", "create", "--name", "S", "--origin", "http://127.0.0.1", "--json"});
    ASSERT_EQ(site.exit_code, 0) << site.output;
    const auto site_id = capture(site.output, R"re("id":"(site_[0-9A-Za-z]+)")re");
    secret_ = capture(site.output, R"re("secret_key":"(sk_[0-9A-Za-z]+)")re");
    ASSERT_FALSE(secret_.empty()) << site.output;
    const std::string url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook";
    auto added = admin({"webhook", "add", "--site", site_id, "--url", url, "--json"});
    ASSERT_EQ(added.exit_code, 0) << added.output;
    auto key = webhook::verify_key_parse(capture(added.output, R"re("secret":"(whsec_[^"]+)")re"));
    ASSERT_TRUE(key) << added.output;
    hook_key_ = *key;

    // Every delivery is checked as it arrives. The first attempt of every fifth message is
    // refused, so that retries (and kills between them) are part of the run.
    receiver_.judge([this](const webhook::Headers& headers, const std::string& body) {
      if (!webhook::verify(headers, body, *hook_key_, webhook::unix_now())) {
        ++bad_signatures_;
        return 400;
      }
      if (first_attempts_.insert(headers.id).second && first_attempts_.size() % 5 == 0) return 500;
      return 204;
    });

    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data", data_.str()};
    args.insert(args.end(), kSettings.begin(), kSettings.end());
    server_ = std::make_unique<Restarter>(args);
    ASSERT_TRUE(server_->start()) << server_->output();
    db_ = std::make_unique<Db>(data_.path() / "vitrina.db");
  }

  void TearDown() override {
    db_.reset();
    server_.reset();
    receiver_.judge(nullptr);
  }

  void fail(std::string what) {
    std::lock_guard lock(mu_);
    errors_.push_back(std::move(what));
  }

  // Sends the request to whichever server is up until one that is still the current server
  // answers it (an answer from a port that has changed hands since is not trusted), or until
  // `deadline`. Refusals that say "try again" (503, 409 request-in-flight) are tried again.
  Answer send(const std::string& method, const std::string& path, const std::string& key, const std::string& body,
              const std::string& content_type, Clock::time_point deadline) {
    while (Clock::now() < deadline) {
      const Current server = server_->current();
      if (server.port == 0) {
        std::this_thread::sleep_for(10ms);
        continue;
      }
      httplib::Client c("127.0.0.1", server.port);
      c.set_connection_timeout(1s);
      c.set_read_timeout(5s);
      httplib::Headers headers;
      if (!path.starts_with("/sandbox/")) headers.emplace("Authorization", "Bearer " + secret_);
      if (!key.empty()) headers.emplace("Idempotency-Key", key);
      ++in_flight_;
      auto r = method == "GET" ? c.Get(path, headers) : c.Post(path, headers, body, content_type);
      --in_flight_;
      if (!r || server_->current() != server) {
        ++transport_retries_;
        std::this_thread::sleep_for(10ms);
        continue;
      }
      if (r->status == 503 || (r->status == 409 && r->body.find("request-in-flight") != std::string::npos)) {
        std::this_thread::sleep_for(100ms);
        continue;
      }
      if (r->get_header_value("Idempotent-Replayed") == "true") ++replays_;
      return {r->status, r->body, server.generation};
    }
    return {};
  }

  // Every payment as the database has it, by id.
  std::map<std::string, Observed> observe_all() {
    std::lock_guard lock(db_mu_);
    std::map<std::string, Observed> out;
    for (const auto& row : db_->rows("SELECT id, status, refunded_amount FROM payments")) {
      out[row[0]] = Observed{row[1], std::stoll(row[2]), ""};
    }
    for (const auto& row : db_->rows("SELECT payment_id, status FROM refunds ORDER BY created_at, rowid")) {
      auto& refunds = out[row[0]].refunds;
      refunds += (refunds.empty() ? "" : ",") + row[1];
    }
    return out;
  }

  // A payment as the API answers it (the first in `body`), with its refunds from the database.
  Observed observed_in(const std::string& body, const std::string& id) {
    const auto refunded = capture(body, R"re("refunded_amount":(\d+))re");
    Observed seen{capture(body, R"re("status":"([a-z_]+)")re"), refunded.empty() ? -1 : std::stoll(refunded), ""};
    std::lock_guard lock(db_mu_);
    for (const auto& row :
         db_->rows("SELECT status FROM refunds WHERE payment_id = '" + id + "' ORDER BY created_at, rowid")) {
      seen.refunds += (seen.refunds.empty() ? "" : ",") + row[0];
    }
    return seen;
  }

  std::optional<Observed> observe(const std::string& id) {
    const Answer a = send("GET", "/v1/payments/" + id, "", "", "", Clock::now() + kRequestLimit);
    if (a.status != 200) {
      fail("GET /v1/payments/" + id + ": " + std::to_string(a.status) + " " + a.body);
      return std::nullopt;
    }
    return observed_in(a.body, id);
  }

  // Under mu_.
  void confirm(Tracked& t) {
    ++t.confirmed;
    t.maybe_next = false;
  }

  // Runs one step of `t`'s plan; false when it could not be confirmed (the load is over).
  bool run_step(Tracked& t, const Step& step, Clock::time_point deadline) {
    {
      std::lock_guard lock(mu_);
      t.maybe_next = true;
    }
    const std::string where = " for " + t.order_id + " (" + t.plan->name + ")";
    if (step.kind == Step::pay) {
      std::string form = "card_number=";
      for (const char* c = step.card; *c; ++c) form += *c == ' ' ? '+' : *c;
      const Answer a = send("POST", "/sandbox/pay/" + t.id, "", form, "application/x-www-form-urlencoded", deadline);
      if (a.status == 0) return false;
      if (a.status == 303) {
        std::lock_guard lock(mu_);
        if (step.confirms) {
          confirm(t);
        } else {
          t.accepted_by = a.generation;
        }
        return true;
      }
      if (a.status == 409) {
        // An earlier try went through but its answer was lost to a kill: the payment has moved.
        ++lost_pay_answers_;
        const auto seen = observe(t.id);
        if (seen && seen->status == step.status) {
          std::lock_guard lock(mu_);
          confirm(t);
          return true;
        }
        fail("sandbox page answered 409 but the payment is " + (seen ? seen->status : "?") + where);
        return false;
      }
      fail("sandbox page answered " + std::to_string(a.status) + where + ": " + a.body.substr(0, 300));
      return false;
    }
    static constexpr const char* kPaths[] = {"", "/capture", "/cancel", "/refunds"};
    const std::string key = std::string(kPaths[step.kind] + 1) + "-" + t.key;
    const Answer a = send("POST", "/v1/payments/" + t.id + kPaths[step.kind], key, "", "application/json", deadline);
    if (a.status == 0) return false;
    const int expected = step.kind == Step::refund ? 201 : 200;
    const std::string status = capture(a.body, R"re("status":"([a-z_]+)")re");
    if (a.status != expected || status != step.status) {
      fail(std::string(kPaths[step.kind]) + " answered " + std::to_string(a.status) + where + ": " + a.body);
      return false;
    }
    std::lock_guard lock(mu_);
    confirm(t);
    return true;
  }

  void run_client(int client, Clock::time_point deadline) {
    std::mt19937 rng(seed_ + static_cast<std::uint32_t>(client));
    int total_weight = 0;
    for (const auto& p : plans()) total_weight += p.weight;
    for (int i = 0; i < kMaxPaymentsPerClient && Clock::now() < deadline; ++i) {
      if (i >= kMinPaymentsPerClient && killer_done_.load()) break;
      int pick = std::uniform_int_distribution<int>(0, total_weight - 1)(rng);
      const Plan* plan = &plans().front();
      for (const auto& p : plans()) {
        if (pick < p.weight) {
          plan = &p;
          break;
        }
        pick -= p.weight;
      }
      Tracked* t = nullptr;
      {
        std::lock_guard lock(mu_);
        t = &tracked_[client].emplace_back();
        t->plan = plan;
        t->key = "rel-" + std::to_string(seed_) + "-" + std::to_string(client) + "-" + std::to_string(i);
        t->order_id = "order-" + std::to_string(client) + "-" + std::to_string(i);
        t->amount = std::uniform_int_distribution<std::int64_t>(1, 10000)(rng) * 100 + (plan->declined_refund ? 13 : 0);
      }
      const std::string body = R"({"amount":)" + std::to_string(t->amount) + R"(,"currency":"RUB","order_id":")" +
                               t->order_id +
                               R"(","description":"Reliability","return_url":"https://shop.example/back",)" +
                               R"("metadata":{"client":")" + std::to_string(client) + R"(","n":")" + std::to_string(i) +
                               R"("},"capture":)" + (plan->capture ? "true" : "false") + "}";
      const Answer created = send("POST", "/v1/payments", t->key, body, "application/json", deadline);
      if (created.status == 0) return;
      if (created.status != 201) {
        fail("create " + t->order_id + " answered " + std::to_string(created.status) + ": " + created.body);
        return;
      }
      {
        std::lock_guard lock(mu_);
        t->id = capture(created.body, R"re("id":"(pay_[0-9A-Za-z]+)")re");
      }
      for (const auto& step : plan->steps) {
        if (!run_step(*t, step, deadline)) return;
        if (!step.confirms) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(10, 50)(rng)));
    }
  }

  // The payments clients know right now, with how many of their steps were confirmed.
  std::vector<std::pair<const Tracked*, int>> confirmed_now() {
    std::lock_guard lock(mu_);
    std::vector<std::pair<const Tracked*, int>> out;
    for (const auto& list : tracked_) {
      for (const auto& t : list) {
        if (!t.id.empty()) out.emplace_back(&t, t.confirmed);
      }
    }
    return out;
  }

  void run_killer() {
    std::mt19937 rng(seed_ ^ 0x9e3779b9U);
    for (int round = 1; round <= kKillRounds; ++round) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(250, 900)(rng)));
      const auto before = confirmed_now();
      // Kill while a client waits for an answer (unless none is sent within 200 ms).
      for (auto until = Clock::now() + 200ms; in_flight_.load() == 0 && Clock::now() < until;) {
        std::this_thread::sleep_for(200us);
      }
      const int flying = in_flight_.load();
      const int status = server_->kill();
      in_flight_at_kills_ += (round > 1 ? "," : "") + std::to_string(flying);
      if (status != 128 + SIGKILL) fail("round " + std::to_string(round) + ": exit status " + std::to_string(status));
      if (!server_->start()) {
        fail("round " + std::to_string(round) + ": the server did not come back\n" + server_->output());
        break;
      }
      ++kills_;
      // Everything acknowledged before the kill is still stored, in that state or a later one.
      const auto stored = observe_all();
      std::lock_guard lock(mu_);
      for (const auto& [t, confirmed] : before) {
        const auto it = stored.find(t->id);
        if (it == stored.end()) {
          errors_.push_back("after kill " + std::to_string(round) + ": " + describe(*t) + " is gone");
        } else if (steps_applied(*t, it->second) < confirmed) {
          errors_.push_back("after kill " + std::to_string(round) + ": " + describe(*t) + " is " + it->second.status);
        }
      }
    }
    killer_done_.store(true);
  }

  TempDir data_;
  std::uint32_t seed_ = 0;
  std::string secret_;
  std::optional<webhook::VerifyKey> hook_key_;
  // Touched by the receiver's judge, under the receiver's lock.
  std::atomic<int> bad_signatures_{0};
  std::set<std::string> first_attempts_;
  Receiver receiver_;
  std::unique_ptr<Restarter> server_;
  std::mutex db_mu_;
  std::unique_ptr<Db> db_;

  std::mutex mu_;
  std::vector<std::vector<Tracked>> tracked_ = std::vector<std::vector<Tracked>>(kClients);
  std::vector<std::string> errors_;
  std::atomic<int> transport_retries_{0};
  std::atomic<int> kills_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int> replays_{0};
  std::string in_flight_at_kills_;  // the killer's
  std::atomic<int> lost_pay_answers_{0};
  std::atomic<bool> killer_done_{false};
};

TEST_F(ReliabilityTest, Kill9DuringPaymentsLosesNothingAndSendsEachMessageOnce) {
  const auto started = Clock::now();
  const auto load_deadline = started + kLoadLimit;
  // Clients keep pointers into their lists while the killer reads them: no reallocation.
  for (auto& list : tracked_) list.reserve(kMaxPaymentsPerClient);
  {
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) clients.emplace_back([this, c, load_deadline] { run_client(c, load_deadline); });
    std::thread killer([this] { run_killer(); });
    killer.join();
    for (auto& t : clients) t.join();
  }
  const auto load_done = Clock::now();
  EXPECT_EQ(kills_.load(), kKillRounds);

  // The delayed card's result comes from a timer in the server that accepted the card: one
  // killed since lost it, the one still running must deliver it.
  const int last = server_->current().generation;
  for (const auto& list : tracked_) {
    for (const auto& t : list) {
      if (t.accepted_by != last) continue;
      EXPECT_TRUE(wait_until(
          [&] {
            const auto seen = observe(t.id);
            return !seen || seen->status != "pending";
          },
          kDrainLimit))
          << describe(t) << " is still pending";
    }
  }
  // Nothing changes any more: drain the outbox.
  Db& db = *db_;
  const auto drained =
      wait_until([&] { return db.count("SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'") == 0; },
                 kDrainLimit);
  EXPECT_TRUE(drained) << "undelivered: "
                       << ::testing::PrintToString(
                              db.rows("SELECT message_id, status, attempts, last_status_code, last_error FROM "
                                      "webhook_deliveries WHERE status <> 'delivered' LIMIT 10"))
                       << "\n"
                       << server_->output();

  // What the receiver got: per payment and event type, the distinct webhook-ids.
  const auto received = receiver_.received();
  std::map<std::string, std::string> body_of;
  std::map<std::string, std::map<std::string, std::set<std::string>>> ids_of;  // payment -> type -> ids
  int redeliveries = 0;
  for (const auto& [headers, body] : received) {
    auto [it, first] = body_of.emplace(headers.id, body);
    if (!first) {
      ++redeliveries;
      EXPECT_EQ(it->second, body) << "two bodies under webhook-id " << headers.id;
      continue;
    }
    const auto type = capture(body, R"re("type":"([a-z_.]+)")re");
    const auto payment = type.starts_with("refund.") ? capture(body, R"re("payment_id":"(pay_[0-9A-Za-z]+)")re")
                                                     : capture(body, R"re("id":"(pay_[0-9A-Za-z]+)")re");
    ids_of[payment][type].insert(headers.id);
    if (type.starts_with("payment.")) {
      EXPECT_EQ("payment." + capture(body, R"re("status":"([a-z_]+)")re"), type) << body;
    }
    EXPECT_NE(body.find(R"("metadata":{"client":")"), std::string::npos) << body;
  }

  // Every payment: its state follows from what was acknowledged, and its messages are exactly
  // one per state change it went through.
  const auto stored = observe_all();
  std::set<std::string> known;
  int payments = 0, states = 0;
  for (const auto& list : tracked_) {
    for (const auto& t : list) {
      const std::string orders_path = "/v1/payments?order_id=" + t.order_id;
      const Answer listed = send("GET", orders_path, "", "", "", Clock::now() + kRequestLimit);
      std::size_t found = 0;
      for (std::size_t at = 0; (at = listed.body.find("\"id\":\"pay_", at)) != std::string::npos; ++at) ++found;
      if (t.id.empty()) {
        // The create never got an answer: it may or may not have happened, but once at most.
        EXPECT_LE(found, 1u) << describe(t);
        if (found == 1) {
          const auto id = capture(listed.body, R"re("id":"(pay_[0-9A-Za-z]+)")re");
          known.insert(id);
          EXPECT_NE(listed.body.find(R"("status":"pending")"), std::string::npos) << listed.body;
          EXPECT_FALSE(ids_of.contains(id)) << describe(t);
        }
        continue;
      }
      ++payments;
      known.insert(t.id);
      EXPECT_EQ(found, 1u) << "payments for " << describe(t) << ": " << listed.body;
      if (found != 1) continue;
      const auto seen = observed_in(listed.body, t.id);
      EXPECT_EQ(capture(listed.body, R"re("id":"(pay_[0-9A-Za-z]+)")re"), t.id);
      const auto it = stored.find(t.id);
      EXPECT_TRUE(it != stored.end() && it->second.status == seen.status && it->second.refunded == seen.refunded)
          << describe(t) << ": the API and the database disagree";
      const int k = steps_applied(t, seen);
      EXPECT_TRUE(k == t.confirmed || (t.maybe_next && k == t.confirmed + 1))
          << describe(t) << " is " << seen.status << " with " << seen.refunded << " refunded, refunds \""
          << seen.refunds << "\"";
      if (k < 0) continue;
      states += k;
      std::map<std::string, std::set<std::string>> expected;
      for (int i = 0; i < k; ++i) expected[t.plan->steps[i].event];
      const auto got = ids_of.contains(t.id) ? ids_of.at(t.id) : std::map<std::string, std::set<std::string>>{};
      std::vector<std::string> expected_types, got_types;
      for (const auto& [type, ids] : expected) expected_types.push_back(type);
      for (const auto& [type, ids] : got) {
        got_types.push_back(type);
        EXPECT_EQ(ids.size(), 1u) << describe(t) << ": " << type << " sent under " << ids.size() << " webhook-ids";
      }
      EXPECT_EQ(got_types, expected_types) << describe(t) << " is " << seen.status;
    }
  }
  for (const auto& [payment, types] : ids_of) EXPECT_TRUE(known.contains(payment)) << "message for " << payment;

  // The same from the database: one payment per key, one message per change, all delivered,
  // and what the receiver got is what the outbox holds.
  EXPECT_EQ(stored.size(), known.size());
  EXPECT_TRUE(db.rows("SELECT order_id FROM payments GROUP BY order_id HAVING count(*) > 1").empty());
  EXPECT_TRUE(db.rows("SELECT json_extract(payload, '$.data.id'), event_type FROM webhook_messages "
                      "GROUP BY 1, 2 HAVING count(*) > 1")
                  .empty());
  const auto messages = db.rows("SELECT id, payload FROM webhook_messages");
  EXPECT_EQ(messages.size(), body_of.size());
  for (const auto& m : messages) {
    const auto it = body_of.find(m[0]);
    if (it == body_of.end()) {
      ADD_FAILURE() << "never received: " << m[1];
    } else {
      EXPECT_EQ(it->second, m[1]);
    }
  }
  EXPECT_EQ(bad_signatures_.load(), 0);

  {
    std::lock_guard lock(mu_);
    if (!errors_.empty()) {
      ADD_FAILURE() << errors_.size() << " errors, first: " << errors_.front() << "\n" << server_->output();
    }
  }
  EXPECT_GE(payments, kClients);
  std::cout << "payments " << payments << ", state changes " << states << ", messages " << body_of.size()
            << ", redeliveries " << redeliveries << ", kills " << kills_.load() << " (requests in flight "
            << in_flight_at_kills_ << "), transport retries " << transport_retries_.load() << ", replayed answers "
            << replays_.load() << ", sandbox answers lost " << lost_pay_answers_.load() << ", load "
            << std::chrono::duration_cast<std::chrono::milliseconds>(load_done - started).count() << " ms, total "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count() << " ms"
            << std::endl;
}

}  // namespace
}  // namespace vitrina::testing
