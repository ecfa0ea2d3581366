// The SQLite implementation of Store: one writer thread (writer.hpp) for every write, a pool of
// read-only connections (read_pool.hpp) for every read.

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include "store/acquirer_event_ops.hpp"
#include "store/callback_ops.hpp"
#include "store/canned_ops.hpp"
#include "store/chat_ops.hpp"
#include "store/chat_reads.hpp"
#include "store/checkpointer.hpp"
#include "store/codec.hpp"
#include "store/migrations.hpp"
#include "store/payment_ops.hpp"
#include "store/read_pool.hpp"
#include "store/store.hpp"
#include "store/webhook_ops.hpp"
#include "store/webhook_reads.hpp"
#include "store/write_ops.hpp"
#include "store/writer.hpp"

namespace vitrina::store {

namespace {

const std::string kSelectSites = "SELECT " + std::string(kSiteColumns) + " FROM sites ";
const std::string kSiteById = kSelectSites + "WHERE id = ?";
const std::string kSiteByPublicKey = kSelectSites + "WHERE public_key = ?";
const std::string kSiteBySecretHash = kSelectSites + "WHERE secret_hash = ?";
const std::string kAllSites = kSelectSites + "ORDER BY created_at, id";
const std::string kSelectOperators = "SELECT " + std::string(kOperatorColumns) + " FROM operators ";
const std::string kOperatorByEmail = kSelectOperators + "WHERE site_id = ? AND email = ?";
const std::string kOperatorsOfSite = kSelectOperators + "WHERE site_id = ? ORDER BY created_at, email";
const std::string kOperatorById = kSelectOperators + "WHERE id = ?";
const std::string kOperatorsByEmail = kSelectOperators + "WHERE email = ? ORDER BY created_at, site_id";
const std::string kSessionByHash =
    "SELECT " + std::string(kSessionColumns) + " FROM operator_sessions WHERE token_hash = ?";
constexpr const char* kPing = "SELECT count(*) FROM schema_migrations";

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Writer> writer, std::unique_ptr<Checkpointer> checkpointer,
              std::unique_ptr<ReadPool> reads)
      : writer_(std::move(writer)), checkpointer_(std::move(checkpointer)), reads_(std::move(reads)) {}
  ~SqliteStore() override {
    // Every accepted write is committed first; then the checkpointer goes (no commit can call
    // it any more) and its connection closes before the writer's, which checkpoints last.
    writer_->close();
    checkpointer_.reset();
  }

  Result<void> ping() override {
    auto lease = reads_->acquire();
    auto stmt = lease->db.cached(kPing);
    if (!stmt) return std::move(stmt).error();
    sqlite::ScopedStatement scoped(**stmt);
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    return {};
  }

  void insert_site(Site site, Done<Site> done) override {
    writer_->submit(make_insert_site(std::move(site), std::move(done)));
  }
  void update_site_secret(std::string site_id, std::string secret_hash, std::int64_t updated_at,
                          Done<void> done) override {
    writer_->submit(make_update_site_secret(std::move(site_id), std::move(secret_hash), updated_at, std::move(done)));
  }
  void update_site_settings(std::string site_id, std::string settings_json, std::int64_t updated_at,
                            Done<void> done) override {
    writer_->submit(
        make_update_site_settings(std::move(site_id), std::move(settings_json), updated_at, std::move(done)));
  }
  void insert_operator(Operator op, Done<Operator> done) override {
    writer_->submit(make_insert_operator(std::move(op), std::move(done)));
  }
  void insert_session(Session session, Done<Session> done) override {
    writer_->submit(make_insert_session(std::move(session), std::move(done)));
  }
  void delete_session(std::string token_hash, Done<void> done) override {
    writer_->submit(make_delete_session(std::move(token_hash), std::move(done)));
  }

  void insert_webhook_endpoint(WebhookEndpoint endpoint, Done<WebhookEndpoint> done) override {
    writer_->submit(make_insert_webhook_endpoint(std::move(endpoint), std::move(done)));
  }
  void disable_webhook_endpoint(std::string endpoint_id, std::string reason, std::int64_t now,
                                Done<void> done) override {
    writer_->submit(make_disable_webhook_endpoint(std::move(endpoint_id), std::move(reason), now, std::move(done)));
  }
  void rotate_webhook_keys(std::string endpoint_id, std::string site_id, EndpointKeys keys,
                           std::int64_t previous_expires_at, std::int64_t now, Done<WebhookEndpoint> done) override {
    writer_->submit(make_rotate_webhook_keys(std::move(endpoint_id), std::move(site_id), std::move(keys),
                                             previous_expires_at, now, std::move(done)));
  }
  void update_webhook_endpoint(WebhookEndpointChange change, Done<WebhookEndpoint> done) override {
    writer_->submit(make_update_webhook_endpoint(std::move(change), std::move(done)));
  }
  void delete_webhook_endpoint(std::string endpoint_id, std::string site_id, Done<void> done) override {
    writer_->submit(make_delete_webhook_endpoint(std::move(endpoint_id), std::move(site_id), std::move(done)));
  }
  void enqueue_event(NewWebhookEvent event, Done<EnqueuedEvent> done) override {
    writer_->submit(make_enqueue_event(std::move(event), std::move(done)));
  }
  void record_attempt(AttemptRecord record, Done<void> done) override {
    writer_->submit(make_record_attempt(std::move(record), std::move(done)));
  }
  void resend(ResendRequest request, Done<std::int64_t> done) override {
    writer_->submit(make_resend(std::move(request), std::move(done)));
  }

  void insert_canned_response(CannedResponse response, Done<CannedResponse> done) override {
    writer_->submit(make_insert_canned_response(std::move(response), std::move(done)));
  }
  void update_canned_response(CannedResponseChange change, Done<CannedResponse> done) override {
    writer_->submit(make_update_canned_response(std::move(change), std::move(done)));
  }
  void delete_canned_response(std::string id, std::string site_id, Done<void> done) override {
    writer_->submit(make_delete_canned_response(std::move(id), std::move(site_id), std::move(done)));
  }
  Result<std::vector<CannedResponse>> list_canned_responses(std::string_view site_id) override {
    auto lease = reads_->acquire();
    return canned_reads::of_site(lease->db, site_id);
  }
  Result<std::optional<CannedResponse>> find_canned_response(std::string_view site_id, std::string_view id) override {
    auto lease = reads_->acquire();
    return canned_reads::by_id(lease->db, site_id, id);
  }

  void create_payment(Payment payment, IdempotencyRecord idempotency, Done<Payment> done) override {
    writer_->submit(make_create_payment(std::move(payment), std::move(idempotency), std::move(done)));
  }
  void update_payment(PaymentUpdate update, Done<Payment> done) override {
    writer_->submit(make_update_payment(std::move(update), std::move(done)));
  }
  void prune_idempotency(std::int64_t before, std::size_t limit, Done<std::int64_t> done) override {
    writer_->submit(make_prune_idempotency(before, limit, std::move(done)));
  }
  void apply_acquirer_event(AcquirerEventRecord record, std::optional<PaymentUpdate> update, Done<void> done) override {
    writer_->submit(make_apply_acquirer_event(std::move(record), std::move(update), std::move(done)));
  }
  void append_chat_message(ChatAppend append, Done<ChatAppended> done) override {
    writer_->submit(make_chat_append(std::move(append), std::move(done)));
  }
  void apply_chat_action(ChatAction action, Done<ChatActed> done) override {
    writer_->submit(make_chat_action(std::move(action), std::move(done)));
  }
  void mark_chat_read(ChatRead read, Done<ChatReadResult> done) override {
    writer_->submit(make_chat_read(std::move(read), std::move(done)));
  }
  void update_chat_context(ChatContextUpdate update, Done<chat::VisitorContext> done) override {
    writer_->submit(make_chat_context(std::move(update), std::move(done)));
  }
  Result<std::optional<ChatConversation>> find_chat_conversation(std::string_view site_id,
                                                                 std::string_view id) override {
    auto lease = reads_->acquire();
    return chat_reads::conversation(lease->db, site_id, id);
  }
  Result<std::optional<ChatConversation>> find_open_chat_conversation(std::string_view site_id,
                                                                      std::string_view visitor_id) override {
    auto lease = reads_->acquire();
    return chat_reads::open_conversation(lease->db, site_id, visitor_id);
  }
  Result<std::optional<ChatVisitor>> find_chat_visitor_by_user(std::string_view site_id,
                                                               std::string_view user_id) override {
    auto lease = reads_->acquire();
    return chat_reads::visitor_by_user(lease->db, site_id, user_id);
  }
  Result<std::vector<chat::MessageEvent>> list_chat_messages(std::string_view conversation_id, std::int64_t after_seq,
                                                             std::size_t limit, bool include_internal) override {
    auto lease = reads_->acquire();
    return chat_reads::messages(lease->db, conversation_id, after_seq, limit, include_internal);
  }
  Result<std::vector<ChatConversation>> list_chat_conversations(const ChatQuery& query) override {
    auto lease = reads_->acquire();
    return chat_reads::list(lease->db, query);
  }

  Result<std::optional<Payment>> find_payment_by_id(std::string_view id) override {
    auto lease = reads_->acquire();
    return acquirer_reads::payment_by_id(*lease.operator->(), id);
  }
  Result<std::optional<Payment>> find_payment(std::string_view site_id, std::string_view id) override {
    auto lease = reads_->acquire();
    return payment_reads::by_id(*lease.operator->(), site_id, id);
  }
  Result<std::vector<Payment>> list_payments_by_order(std::string_view site_id, std::string_view order_id,
                                                      std::size_t limit) override {
    auto lease = reads_->acquire();
    return payment_reads::by_order(*lease.operator->(), site_id, order_id, limit);
  }
  Result<std::optional<Payment>> find_payment_by_acquirer_ref(std::string_view site_id, std::string_view acquirer,
                                                              std::string_view ref) override {
    auto lease = reads_->acquire();
    return payment_reads::by_acquirer_ref(*lease.operator->(), site_id, acquirer, ref);
  }
  Result<std::vector<Payment>> payments_to_reconcile(std::int64_t changed_before, std::size_t limit) override {
    auto lease = reads_->acquire();
    return payment_reads::to_reconcile(*lease.operator->(), changed_before, limit);
  }
  Result<std::vector<Payment>> payments_to_expire(std::int64_t now, std::size_t limit) override {
    auto lease = reads_->acquire();
    return payment_reads::due_to_expire(*lease.operator->(), now, limit);
  }
  Result<std::vector<Refund>> list_refunds(std::string_view site_id, std::string_view payment_id) override {
    auto lease = reads_->acquire();
    return payment_reads::refunds_of(*lease.operator->(), site_id, payment_id);
  }
  Result<std::optional<IdempotencyRecord>> find_idempotency(std::string_view site_id, std::string_view key) override {
    auto lease = reads_->acquire();
    return payment_reads::idempotency(*lease.operator->(), site_id, key);
  }

  void create_callback(NewCallback request, Done<CallbackCreated> done) override {
    writer_->submit(make_create_callback(std::move(request), std::move(done)));
  }
  void update_callback(CallbackUpdate update, Done<Callback> done) override {
    writer_->submit(make_update_callback(std::move(update), std::move(done)));
  }
  void create_rating(NewRating request, Done<RatingCreated> done) override {
    writer_->submit(make_create_rating(std::move(request), std::move(done)));
  }
  Result<std::optional<Callback>> find_callback(std::string_view site_id, std::string_view id) override {
    auto lease = reads_->acquire();
    return callback_reads::by_id(*lease.operator->(), site_id, id);
  }
  Result<std::vector<Callback>> list_callbacks(const CallbackQuery& query) override {
    auto lease = reads_->acquire();
    return callback_reads::list(*lease.operator->(), query);
  }
  Result<std::vector<Rating>> list_ratings(const RatingQuery& query) override {
    auto lease = reads_->acquire();
    return callback_reads::ratings(*lease.operator->(), query);
  }
  Result<RatedConversation> find_rated_conversation(std::string_view site_id, std::string_view id) override {
    auto lease = reads_->acquire();
    return callback_reads::conversation(*lease.operator->(), site_id, id);
  }

  Result<std::vector<WebhookEndpoint>> list_webhook_endpoints(std::string_view site_id) override {
    auto lease = reads_->acquire();
    return webhook_reads::endpoints_of_site(*lease.operator->(), site_id);
  }
  Result<std::optional<WebhookEndpoint>> find_webhook_endpoint(std::string_view id) override {
    auto lease = reads_->acquire();
    return webhook_reads::endpoint_by_id(*lease.operator->(), id);
  }
  Result<std::optional<WebhookMessage>> find_webhook_message(std::string_view id) override {
    auto lease = reads_->acquire();
    return webhook_reads::message_by_id(*lease.operator->(), id);
  }
  Result<std::vector<WebhookMessage>> list_webhook_messages(std::string_view site_id, std::size_t limit) override {
    auto lease = reads_->acquire();
    return webhook_reads::messages_of_site(*lease.operator->(), site_id, limit);
  }
  Result<std::vector<DueDelivery>> due_deliveries(std::int64_t now, std::size_t limit) override {
    auto lease = reads_->acquire();
    return webhook_reads::due(*lease.operator->(), now, limit);
  }
  Result<std::vector<WebhookDelivery>> list_deliveries(std::string_view message_id) override {
    auto lease = reads_->acquire();
    return webhook_reads::deliveries_of(*lease.operator->(), message_id);
  }
  Result<std::vector<WebhookAttempt>> list_attempts(std::string_view message_id) override {
    auto lease = reads_->acquire();
    return webhook_reads::attempts_of(*lease.operator->(), message_id);
  }

  Result<std::optional<Site>> find_site_by_id(std::string_view id) override { return find_site(kSiteById, id); }
  Result<std::optional<Site>> find_site_by_public_key(std::string_view public_key) override {
    return find_site(kSiteByPublicKey, public_key);
  }
  Result<std::optional<Site>> find_site_by_secret_hash(std::string_view secret_hash) override {
    return find_site(kSiteBySecretHash, secret_hash);
  }

  Result<std::vector<Site>> list_sites() override {
    auto lease = reads_->acquire();
    auto stmt = lease->db.cached(kAllSites);
    if (!stmt) return std::move(stmt).error();
    sqlite::ScopedStatement scoped(**stmt);
    std::vector<Site> sites;
    for (;;) {
      auto row = scoped->step();
      if (!row) return std::move(row).error();
      if (!*row) return sites;
      auto site = read_site(*scoped, lease->parser);
      if (!site) return std::move(site).error();
      sites.push_back(std::move(*site));
    }
  }

  Result<std::optional<Operator>> find_operator(std::string_view site_id, std::string_view email) override {
    auto found = select_operators(kOperatorByEmail, {site_id, email});
    if (!found) return std::move(found).error();
    if (found->empty()) return std::optional<Operator>{};
    return std::optional<Operator>{std::move(found->front())};
  }

  Result<std::vector<Operator>> list_operators(std::string_view site_id) override {
    return select_operators(kOperatorsOfSite, {site_id});
  }

  Result<std::optional<Operator>> find_operator_by_id(std::string_view id) override {
    auto found = select_operators(kOperatorById, {id});
    if (!found) return std::move(found).error();
    if (found->empty()) return std::optional<Operator>{};
    return std::optional<Operator>{std::move(found->front())};
  }

  Result<std::vector<Operator>> find_operators_by_email(std::string_view email) override {
    return select_operators(kOperatorsByEmail, {email});
  }

  Result<std::optional<Session>> find_session(std::string_view token_hash) override {
    auto lease = reads_->acquire();
    auto stmt = lease->db.cached(kSessionByHash);
    if (!stmt) return std::move(stmt).error();
    sqlite::ScopedStatement scoped(**stmt);
    scoped->bind(1, token_hash);
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return std::optional<Session>{};
    return std::optional<Session>{read_session(*scoped)};
  }

  void flush() override { writer_->flush(); }
  void close() override { writer_->close(); }

 private:
  // Every operator row `sql` selects, its parameters bound in order.
  Result<std::vector<Operator>> select_operators(const std::string& sql,
                                                 std::initializer_list<std::string_view> params) {
    auto lease = reads_->acquire();
    auto stmt = lease->db.cached(sql);
    if (!stmt) return std::move(stmt).error();
    sqlite::ScopedStatement scoped(**stmt);
    int index = 1;
    for (auto param : params) scoped->bind(index++, param);
    std::vector<Operator> operators;
    for (;;) {
      auto row = scoped->step();
      if (!row) return std::move(row).error();
      if (!*row) return operators;
      operators.push_back(read_operator(*scoped));
    }
  }

  Result<std::optional<Site>> find_site(const std::string& sql, std::string_view value) {
    auto lease = reads_->acquire();
    auto stmt = lease->db.cached(sql);
    if (!stmt) return std::move(stmt).error();
    sqlite::ScopedStatement scoped(**stmt);
    scoped->bind(1, value);
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return std::optional<Site>{};
    auto site = read_site(*scoped, lease->parser);
    if (!site) return std::move(site).error();
    return std::optional<Site>{std::move(*site)};
  }

  // The writer is declared first so it is destroyed last: the last connection to close
  // checkpoints the WAL into the main file and removes it, leaving one self-contained file.
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<ReadPool> reads_;
};

// journal_mode is a property of the file, so only the read-write connection sets it; it
// answers with the mode actually in force, which is not WAL on filesystems that cannot share
// memory between processes.
Result<void> enable_wal(sqlite::Connection& db, const std::string& path) {
  auto stmt = db.prepare("PRAGMA journal_mode = WAL");
  if (!stmt) return std::move(stmt).error();
  auto row = stmt->step();
  if (!row) return std::move(row).error();
  if (!*row || stmt->column_text(0) != "wal") {
    return protocol::make_error(protocol::ErrorCode::unavailable, "cannot enable WAL mode on database " + path);
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite(const SqliteOptions& options) {
  if (options.path.empty()) {
    return protocol::make_error(protocol::ErrorCode::invalid, "the database path is empty", "path");
  }
  auto db = sqlite::Connection::open(options.path, sqlite::OpenMode::kReadWrite, options.busy_timeout);
  if (!db) return std::move(db).error();
  if (auto r = enable_wal(*db, options.path); !r) return std::move(r).error();
  const std::string cache = "PRAGMA cache_size = -" + std::to_string(options.writer_cache_kib);
  if (auto r = db->exec(cache.c_str()); !r) return std::move(r).error();
  if (auto r = apply_migrations(*db, options.path); !r) return std::move(r).error();
  // Readers open after the writer has created the file and switched it to WAL.
  auto reads = ReadPool::open(options.path, options.read_connections, options.busy_timeout);
  if (!reads) return std::move(reads).error();
  auto checkpointer = Checkpointer::start(*db, options.path, options.wal_checkpoint_pages, options.busy_timeout);
  if (!checkpointer) return std::move(checkpointer).error();
  auto writer = std::make_unique<Writer>(std::move(*db), options.max_batch);
  return std::unique_ptr<Store>(
      std::make_unique<SqliteStore>(std::move(writer), std::move(*checkpointer), std::move(*reads)));
}

}  // namespace vitrina::store
