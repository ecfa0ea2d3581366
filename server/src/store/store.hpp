#pragma once
// The store: everything Vitrina keeps. Callers see this interface only, so a PostgreSQL
// implementation can replace the SQLite one without touching them.
//
// Writes are asynchronous and durable: `done` is called exactly once, after the write's
// transaction has committed to stable storage (or with the error that stopped it). Writes from
// many callers are grouped into one transaction (group commit), so callers must not assume
// `done` runs on their own thread: it runs on the store's writer thread and must be quick
// (post the result back to your own executor). Reads are synchronous and safe to call from
// any thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/acquirer_records.hpp"
#include "store/canned_records.hpp"
#include "store/chat_records.hpp"
#include "store/callback_records.hpp"
#include "store/payment_records.hpp"
#include "store/webhook_records.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::store {

using protocol::Error;
using protocol::Result;

struct Site {
  std::string id;  // site_…
  std::string name;
  std::string public_key;   // pk_…
  std::string secret_hash;  // hex BLAKE2b-256 of the sk_… secret key; the key is never stored
  std::vector<std::string> allowed_origins;
  std::string settings_json = "{}";  // a JSON object
  std::int64_t created_at = 0;       // unix milliseconds
  std::int64_t updated_at = 0;
};

struct Operator {
  std::string id;  // op_…
  std::string site_id;
  std::string email;  // lower-cased
  std::string name;
  std::string password_hash;      // argon2id, libsodium's crypto_pwhash_str format
  std::string role = "operator";  // "operator" | "admin"
  std::int64_t created_at = 0;
};

/// A signed-in operator console. The cookie carries the token; the store knows only its hash.
struct Session {
  std::string token_hash;  // hex BLAKE2b-256 of the ses_… token
  std::string operator_id;
  std::string site_id;
  std::int64_t created_at = 0;  // unix milliseconds
  std::int64_t expires_at = 0;  // unix milliseconds; the session is refused from then on
  std::string user_agent;       // at most 256 characters, for the operator's session list
};

template <class T>
using Done = std::function<void(Result<T>)>;

class Store {
 public:
  virtual ~Store() = default;

  /// Cheap check that the store answers (used by GET /readyz).
  virtual Result<void> ping() = 0;

  // Writes. Error codes: "conflict" (unique key taken, field names it), "not_found",
  // "unavailable" (the store is closed or the disk refused), "internal".
  virtual void insert_site(Site site, Done<Site> done) = 0;
  virtual void update_site_secret(std::string site_id, std::string secret_hash, std::int64_t updated_at,
                                  Done<void> done) = 0;
  /// Replaces the site's settings (a JSON object). "not_found" (field "site_id") when there is
  /// no such site.
  virtual void update_site_settings(std::string site_id, std::string settings_json, std::int64_t updated_at,
                                    Done<void> done) = 0;
  virtual void insert_operator(Operator op, Done<Operator> done) = 0;
  /// Also removes the operator's sessions that expired by `session.created_at`, so the table
  /// does not grow with every sign-in. "not_found" (field "operator_id") for an unknown operator.
  virtual void insert_session(Session session, Done<Session> done) = 0;
  /// "not_found" when no session has this hash (already signed out or expired and pruned).
  virtual void delete_session(std::string token_hash, Done<void> done) = 0;

  // Outbound webhooks (webhook_records.hpp). "not_found" names the missing site, endpoint or
  // message in Error::field.
  virtual void insert_webhook_endpoint(WebhookEndpoint endpoint, Done<WebhookEndpoint> done) = 0;
  /// Marks the endpoint disabled with `reason` and its pending deliveries "disabled".
  virtual void disable_webhook_endpoint(std::string endpoint_id, std::string reason, std::int64_t now,
                                        Done<void> done) = 0;
  /// The current keys become the previous ones (signing until `previous_expires_at`) and `keys`
  /// the current ones, for the schemes the endpoint signs with. A non-empty `site_id` limits
  /// the change to that site's endpoint. Answers the endpoint as it now is.
  virtual void rotate_webhook_keys(std::string endpoint_id, std::string site_id, EndpointKeys keys,
                                   std::int64_t previous_expires_at, std::int64_t now, Done<WebhookEndpoint> done) = 0;
  /// Applies `change` (disabling also stops the endpoint's pending deliveries, like a 410).
  /// Answers the endpoint as it now is.
  virtual void update_webhook_endpoint(WebhookEndpointChange change, Done<WebhookEndpoint> done) = 0;
  /// Deletes the site's endpoint with its deliveries and their attempts.
  virtual void delete_webhook_endpoint(std::string endpoint_id, std::string site_id, Done<void> done) = 0;
  /// One write: the message plus a pending delivery per matching enabled endpoint. Inside
  /// another write op use enqueue_event_in (write_ops: webhook_ops.hpp) instead, so the event
  /// commits with the change that caused it.
  virtual void enqueue_event(NewWebhookEvent event, Done<EnqueuedEvent> done) = 0;
  /// Appends the attempt to the log and updates its delivery in one write (and disables the
  /// endpoint when the record says so).
  virtual void record_attempt(AttemptRecord record, Done<void> done) = 0;
  /// Puts the message's deliveries (ResendRequest says which) back to pending, due at `now`,
  /// with the retry schedule restarted; the message (id and body) is unchanged. Answers how
  /// many deliveries were re-queued. "conflict" (field "endpoint_id") when the one endpoint
  /// named is disabled.
  virtual void resend(ResendRequest request, Done<std::int64_t> done) = 0;

  // Payments (payment_records.hpp).
  /// Inserts the idempotency record and the payment in one write. "conflict" with field
  /// "Idempotency-Key" when the site already used the key (nothing is written then).
  virtual void create_payment(Payment payment, IdempotencyRecord idempotency, Done<Payment> done) = 0;
  /// Replaces the payment's state if its version is still `expected_version` ("stale"
  /// otherwise), with the idempotency record and the webhook event in the same write.
  virtual void update_payment(PaymentUpdate update, Done<Payment> done) = 0;
  /// Records an acquirer's event as applied, with the payment change it causes (`update`, as
  /// update_payment) in the same write; nothing when the event changes nothing. "duplicate"
  /// (field "event_id") when the acquirer's event was already recorded: nothing is written then.
  virtual void apply_acquirer_event(AcquirerEventRecord record, std::optional<PaymentUpdate> update,
                                    Done<void> done) = 0;

  /// Deletes at most `limit` payments-API idempotency keys created before `before` (unix ms),
  /// oldest first, and answers how many it deleted. A key deleted this way can be used again.
  virtual void prune_idempotency(std::int64_t before, std::size_t limit, Done<std::int64_t> done) = 0;

  // Canned responses (canned_records.hpp). "conflict" (field "shortcut") when the site already
  // has the shortcut; "not_found" (field "id") for another site's or an unknown response.
  virtual void insert_canned_response(CannedResponse response, Done<CannedResponse> done) = 0;
  /// Answers the response as it now is.
  virtual void update_canned_response(CannedResponseChange change, Done<CannedResponse> done) = 0;
  virtual void delete_canned_response(std::string id, std::string site_id, Done<void> done) = 0;
  // Live chat (chat_records.hpp). Errors besides the common ones carry the chat protocol's
  // codes: "not_found" (conversation_id), "conversation_closed", "conflict", "not_allowed",
  // "invalid" (seq, last_seq).
  /// A message or offline message: seq assigned and webhook events written in one transaction;
  /// a repeated client id answers the first ack (`duplicate`) and writes nothing.
  virtual void append_chat_message(ChatAppend append, Done<ChatAppended> done) = 0;
  /// take, assign, close, reopen; unchanged state is no error (`changed` false, nothing written).
  virtual void apply_chat_action(ChatAction action, Done<ChatActed> done) = 0;
  virtual void mark_chat_read(ChatRead read, Done<ChatReadResult> done) = 0;
  /// Creates the visitor when needed; answers the whole context after the change.
  virtual void update_chat_context(ChatContextUpdate update, Done<chat::VisitorContext> done) = 0;

  virtual Result<std::optional<ChatConversation>> find_chat_conversation(std::string_view site_id,
                                                                         std::string_view id) = 0;
  virtual Result<std::optional<ChatConversation>> find_open_chat_conversation(std::string_view site_id,
                                                                              std::string_view visitor_id) = 0;
  virtual Result<std::optional<ChatVisitor>> find_chat_visitor_by_user(std::string_view site_id,
                                                                       std::string_view user_id) = 0;
  /// Messages with seq > after_seq, oldest first, at most `limit`.
  virtual Result<std::vector<chat::MessageEvent>> list_chat_messages(std::string_view conversation_id,
                                                                     std::int64_t after_seq, std::size_t limit,
                                                                     bool include_internal) = 0;
  virtual Result<std::vector<ChatConversation>> list_chat_conversations(const ChatQuery& query) = 0;
  // Callback requests and ratings (callback_records.hpp).
  /// Checks the limits, redeems the challenge, inserts the request and its event in one write.
  /// Refused by a limit: `callback` empty, nothing written. "conflict" (field "pow.challenge")
  /// when the challenge was redeemed before.
  virtual void create_callback(NewCallback request, Done<CallbackCreated> done) = 0;
  /// Compare-and-set on the version ("stale" otherwise), with the event in the same write.
  virtual void update_callback(CallbackUpdate update, Done<Callback> done) = 0;
  /// Checks the address limit, inserts the rating and its event in one write. "conflict"
  /// (field "conversation_id") when the conversation already has a CSAT rating.
  virtual void create_rating(NewRating request, Done<RatingCreated> done) = 0;
  virtual Result<std::optional<Callback>> find_callback(std::string_view site_id, std::string_view id) = 0;
  /// Newest first.
  virtual Result<std::vector<Callback>> list_callbacks(const CallbackQuery& query) = 0;
  /// Newest first, at most query.limit.
  virtual Result<std::vector<Rating>> list_ratings(const RatingQuery& query) = 0;
  /// What the live chat knows of the conversation a CSAT rating names.
  virtual Result<RatedConversation> find_rated_conversation(std::string_view site_id, std::string_view id) = 0;

  // Reads.
  virtual Result<std::optional<Site>> find_site_by_id(std::string_view id) = 0;
  virtual Result<std::optional<Site>> find_site_by_public_key(std::string_view public_key) = 0;
  virtual Result<std::optional<Site>> find_site_by_secret_hash(std::string_view secret_hash) = 0;
  virtual Result<std::vector<Site>> list_sites() = 0;
  virtual Result<std::optional<Operator>> find_operator(std::string_view site_id, std::string_view email) = 0;
  virtual Result<std::vector<Operator>> list_operators(std::string_view site_id) = 0;
  virtual Result<std::optional<Operator>> find_operator_by_id(std::string_view id) = 0;
  /// Every operator with this (lower-cased) e-mail, on any site, oldest first.
  virtual Result<std::vector<Operator>> find_operators_by_email(std::string_view email) = 0;
  /// The session with this token hash, expired or not: the caller compares expires_at.
  virtual Result<std::optional<Session>> find_session(std::string_view token_hash) = 0;
  /// Oldest first. Includes secrets: callers must not print or log them.
  virtual Result<std::vector<WebhookEndpoint>> list_webhook_endpoints(std::string_view site_id) = 0;
  virtual Result<std::optional<WebhookEndpoint>> find_webhook_endpoint(std::string_view id) = 0;
  virtual Result<std::optional<WebhookMessage>> find_webhook_message(std::string_view id) = 0;
  /// The site's messages, newest first, at most `limit`.
  virtual Result<std::vector<WebhookMessage>> list_webhook_messages(std::string_view site_id, std::size_t limit) = 0;
  /// Pending deliveries to enabled endpoints due at `now` (unix ms) or earlier, oldest first.
  virtual Result<std::vector<DueDelivery>> due_deliveries(std::int64_t now, std::size_t limit) = 0;
  virtual Result<std::vector<WebhookDelivery>> list_deliveries(std::string_view message_id) = 0;
  /// Every attempt at the message, to any endpoint, in the order they were recorded.
  virtual Result<std::vector<WebhookAttempt>> list_attempts(std::string_view message_id) = 0;

  /// Only the site's own payment.
  virtual Result<std::optional<Payment>> find_payment(std::string_view site_id, std::string_view id) = 0;
  /// Any site's payment, for pages that know the payment only by its (unguessable) id.
  virtual Result<std::optional<Payment>> find_payment_by_id(std::string_view id) = 0;
  /// Newest first, at most `limit`.
  virtual Result<std::vector<Payment>> list_payments_by_order(std::string_view site_id, std::string_view order_id,
                                                              std::size_t limit) = 0;
  /// The site's payment whose acquirer reference (Payment::acquirer_ref) is `ref`.
  virtual Result<std::optional<Payment>> find_payment_by_acquirer_ref(std::string_view site_id,
                                                                      std::string_view acquirer,
                                                                      std::string_view ref) = 0;
  /// Pending payments of acquirers other than the sandbox whose last change is
  /// `changed_before` or earlier, least recently changed first.
  virtual Result<std::vector<Payment>> payments_to_reconcile(std::int64_t changed_before, std::size_t limit) = 0;
  /// Pending or waiting_for_capture payments whose expires_at is `now` or earlier, oldest first.
  virtual Result<std::vector<Payment>> payments_to_expire(std::int64_t now, std::size_t limit) = 0;
  /// The site's payment's refunds, oldest first (none for another site's payment).
  virtual Result<std::vector<Refund>> list_refunds(std::string_view site_id, std::string_view payment_id) = 0;
  virtual Result<std::optional<IdempotencyRecord>> find_idempotency(std::string_view site_id, std::string_view key) = 0;

  /// The site's canned responses, by shortcut.
  virtual Result<std::vector<CannedResponse>> list_canned_responses(std::string_view site_id) = 0;
  /// Only the site's own response.
  virtual Result<std::optional<CannedResponse>> find_canned_response(std::string_view site_id, std::string_view id) = 0;

  /// Waits until every write submitted before this call has committed. Used at shutdown.
  virtual void flush() = 0;

  /// Stops accepting writes and commits everything already queued. Later writes complete at
  /// once, on the caller's thread, with "unavailable"; reads keep working until destruction.
  /// Idempotent; the destructor calls it, so a clean shutdown loses no queued write.
  virtual void close() = 0;
};

struct SqliteOptions {
  std::string path;             // the database file; its directory must exist
  std::size_t max_batch = 512;  // most writes grouped into one transaction
  std::size_t read_connections = 4;
  // How long to wait for another process's write lock (a second server, the admin CLI) before
  // failing with "unavailable".
  std::chrono::milliseconds busy_timeout{5000};
  // The most memory the writer's page cache may hold. Appends land all over the indexes of
  // growing tables; with SQLite's default 2 MiB the writer rereads pages from the WAL and the
  // file on every batch. The cache grows only as pages are used.
  std::size_t writer_cache_kib = 64 * 1024;
  // Pages the WAL holds before a checkpoint (on its own thread, see checkpointer.hpp) copies
  // them back into the database file. A page changed again before then is copied once, so a
  // longer WAL saves writes when the same index pages change in every batch, but every read
  // then searches a longer WAL index (payment creation measured slower at 8,000 than at 1,000).
  // The WAL file grows to about this many pages (4 KiB each).
  std::size_t wal_checkpoint_pages = 1000;
};

/// Opens (creating if needed) the SQLite store, in WAL mode with synchronous=FULL, and applies
/// pending migrations. Fails with a message naming the file when it cannot.
Result<std::unique_ptr<Store>> open_sqlite(const SqliteOptions& options);

/// Blocking helper for callers that have no executor (the admin CLI, tests): submits the write
/// and waits for its commit.
template <class T, class Submit>
Result<T> wait_for(Submit&& submit);

}  // namespace vitrina::store

#include "store/wait_for.hpp"
