#include "store/migrations.hpp"

#include <array>
#include <chrono>

namespace vitrina::store {

namespace {

struct Migration {
  std::int64_t version;
  const char* sql;
};

// Append-only: a released migration is never edited, a change is a new entry. CHECK constraints
// are named after their column because SQLite's error message names the constraint, and that
// name becomes the Error's field.
constexpr std::array
    kMigrations{
        Migration{1, R"sql(
CREATE TABLE sites (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  public_key      TEXT NOT NULL UNIQUE,
  secret_hash     TEXT NOT NULL UNIQUE,
  allowed_origins TEXT NOT NULL DEFAULT '[]'
                  CONSTRAINT allowed_origins CHECK (json_valid(allowed_origins)),
  settings        TEXT NOT NULL DEFAULT '{}' CONSTRAINT settings CHECK (json_valid(settings)),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE operators (
  id            TEXT PRIMARY KEY,
  site_id       TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  email         TEXT NOT NULL,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL DEFAULT 'operator'
                CONSTRAINT role CHECK (role IN ('operator', 'admin')),
  created_at    INTEGER NOT NULL,
  UNIQUE (site_id, email)
) STRICT;
)sql"},
        // Operator console sign-in. The token itself is never stored, only its BLAKE2b hash, so a
        // copy of the database does not let anyone sign in. Logging in by e-mail alone needs the
        // operators(email) index; pruning an operator's expired sessions needs the other.
        Migration{2, R"sql(
CREATE TABLE operator_sessions (
  token_hash  TEXT PRIMARY KEY,
  operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
  site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  user_agent  TEXT NOT NULL DEFAULT ''
              CONSTRAINT user_agent CHECK (length(user_agent) <= 256)
) STRICT;
CREATE INDEX operator_sessions_by_operator ON operator_sessions (operator_id, expires_at);
CREATE INDEX operators_by_email ON operators (email);
)sql"},
        // Outbound webhooks: endpoints, the outbox (messages whose id and body never change, so
        // every retry is the same webhook), one delivery per message and endpoint, and an attempt
        // log. The signing secret is stored as is because it is needed to sign; the partial index
        // keeps the worker's "what is due" query small however much history accumulates.
        Migration{3, R"sql(
CREATE TABLE webhook_endpoints (
  id                         TEXT PRIMARY KEY,
  site_id                    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  url                        TEXT NOT NULL CONSTRAINT url CHECK (length(url) BETWEEN 1 AND 2048),
  event_types                TEXT NOT NULL DEFAULT '[]'
                             CONSTRAINT event_types CHECK (json_valid(event_types)),
  secret                     TEXT NOT NULL,
  previous_secret            TEXT NOT NULL DEFAULT '',
  previous_secret_expires_at INTEGER NOT NULL DEFAULT 0,
  disabled                   INTEGER NOT NULL DEFAULT 0,
  disabled_reason            TEXT NOT NULL DEFAULT '',
  created_at                 INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_endpoints_by_site ON webhook_endpoints (site_id, created_at);

CREATE TABLE webhook_messages (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  event_type TEXT NOT NULL,
  payload    TEXT NOT NULL CONSTRAINT payload CHECK (json_valid(payload)),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE webhook_deliveries (
  message_id       TEXT NOT NULL REFERENCES webhook_messages(id) ON DELETE CASCADE,
  endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  status           TEXT NOT NULL DEFAULT 'pending'
                   CONSTRAINT status CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_status_code INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (message_id, endpoint_id)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, status);

CREATE TABLE webhook_attempts (
  id               INTEGER PRIMARY KEY,
  message_id       TEXT NOT NULL,
  endpoint_id      TEXT NOT NULL,
  attempted_at     INTEGER NOT NULL,
  status_code      INTEGER NOT NULL DEFAULT 0,
  error            TEXT NOT NULL DEFAULT '',
  duration_ms      INTEGER NOT NULL DEFAULT 0,
  response_snippet TEXT NOT NULL DEFAULT ''
                   CONSTRAINT response_snippet CHECK (length(CAST(response_snippet AS BLOB)) <= 256),
  FOREIGN KEY (message_id, endpoint_id)
    REFERENCES webhook_deliveries(message_id, endpoint_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX webhook_attempts_by_message ON webhook_attempts (message_id, id);
)sql"},
        // Payments, their refunds and the payments API's idempotency keys. A create inserts its key and its payment
        // in one write, so the unique (site_id, key) decides any race; the stored answer is replayed
        // byte for byte. Keys are kept (no pruning yet), which satisfies "at least 24 hours".
        Migration{4, R"sql(
CREATE TABLE payments (
  id                TEXT PRIMARY KEY,
  site_id           TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  status            TEXT NOT NULL CONSTRAINT status CHECK (status IN
                      ('pending', 'waiting_for_capture', 'succeeded', 'canceled', 'failed', 'expired')),
  amount            INTEGER NOT NULL CONSTRAINT amount CHECK (amount > 0),
  currency          TEXT NOT NULL,
  order_id          TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  return_url        TEXT NOT NULL,
  customer          TEXT NOT NULL DEFAULT 'null' CONSTRAINT customer CHECK (json_valid(customer)),
  items             TEXT NOT NULL DEFAULT '[]' CONSTRAINT items CHECK (json_valid(items)),
  metadata          TEXT NOT NULL DEFAULT '{}' CONSTRAINT metadata CHECK (json_valid(metadata)),
  capture           INTEGER NOT NULL DEFAULT 1,
  acquirer          TEXT NOT NULL,
  confirmation_url  TEXT NOT NULL,
  authorized_amount INTEGER NOT NULL DEFAULT 0,
  captured_amount   INTEGER NOT NULL DEFAULT 0,
  refunded_amount   INTEGER NOT NULL DEFAULT 0,
  failure_reason    TEXT NOT NULL DEFAULT '',
  expires_at        INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX payments_by_order ON payments (site_id, order_id, created_at);
CREATE INDEX payments_to_expire ON payments (expires_at)
  WHERE status IN ('pending', 'waiting_for_capture');

CREATE TABLE refunds (
  id             TEXT PRIMARY KEY,
  payment_id     TEXT NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
  site_id        TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  status         TEXT NOT NULL CONSTRAINT status CHECK (status IN ('pending', 'succeeded', 'failed')),
  amount         INTEGER NOT NULL CONSTRAINT amount CHECK (amount > 0),
  failure_reason TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX refunds_by_payment ON refunds (payment_id, created_at);

CREATE TABLE idempotency_keys (
  site_id       TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status_code   INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (site_id, key)
) STRICT;
)sql"},
        // Acquirer callbacks already applied, keyed by the acquirer's own event id: a callback
        // delivered twice finds its row and changes nothing.
        Migration{5, R"sql(
CREATE TABLE acquirer_events (
  acquirer    TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  payment_id  TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (acquirer, event_id)
) STRICT;
)sql"},
        // Webhook endpoints managed through the API: an optional Ed25519 key pair per endpoint
        // (v1a; the whsk_ key signs, its whpk_ public key is what the shop verifies with), the key
        // before the last rotation (signing until previous_secret_expires_at, like previous_secret),
        // a description and an update time. An endpoint signs v1 when `secret` is set and v1a when
        // `signing_key` is. Each attempt records when the next one was scheduled, and a site's
        // messages are listed newest first.
        Migration{6, R"sql(
ALTER TABLE webhook_endpoints ADD COLUMN signing_key TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_endpoints ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_endpoints ADD COLUMN previous_signing_key TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_endpoints ADD COLUMN description TEXT NOT NULL DEFAULT ''
  CONSTRAINT description CHECK (length(description) <= 256);
ALTER TABLE webhook_endpoints ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE webhook_endpoints SET updated_at = created_at;
ALTER TABLE webhook_attempts ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX webhook_messages_by_site ON webhook_messages (site_id, created_at);
)sql"},
        // Payments-API idempotency keys are pruned oldest first once past their retention.
        Migration{7, R"sql(
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
)sql"},
        // The acquirer's own reference of a payment (its payment, order or session id): callbacks
        // that name only that find the payment by it, and the reconciliation worker looks for
        // payments still pending long after their last change.
        Migration{8, R"sql(
ALTER TABLE payments ADD COLUMN acquirer_ref TEXT NOT NULL DEFAULT '';
CREATE INDEX payments_by_acquirer_ref ON payments (acquirer, acquirer_ref) WHERE acquirer_ref <> '';
CREATE INDEX payments_to_reconcile ON payments (updated_at) WHERE status = 'pending';
)sql"},
        // Live chat. A visitor row appears with the visitor's first message or context; a verified
        // user keeps one visitor per site (by user_id). At most one open conversation per visitor,
        // enforced by a partial unique index (offline conversations do not count). Messages are numbered per
        // conversation; a client id names one message of one author (author_key: the visitor's or operator's id), so a
        // repeat finds the first one. Offline messages keep the contact and the context they were sent with.
        Migration{9, R"sql(
CREATE TABLE chat_visitors (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL DEFAULT '',
  context    TEXT NOT NULL DEFAULT '{}' CONSTRAINT context CHECK (json_valid(context)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX chat_visitors_by_user ON chat_visitors (site_id, user_id) WHERE user_id != '';

CREATE TABLE chat_conversations (
  id                TEXT PRIMARY KEY,
  site_id           TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  visitor_id        TEXT NOT NULL REFERENCES chat_visitors(id) ON DELETE CASCADE,
  kind              TEXT NOT NULL CONSTRAINT kind CHECK (kind IN ('chat', 'offline')),
  status            TEXT NOT NULL CONSTRAINT status CHECK (status IN ('waiting', 'open', 'closed')),
  assignee_id       TEXT NOT NULL DEFAULT '',
  last_seq          INTEGER NOT NULL DEFAULT 0,
  operator_read_seq INTEGER NOT NULL DEFAULT 0,
  visitor_read_seq  INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  last_message_at   INTEGER NOT NULL DEFAULT 0,
  waiting_since     INTEGER NOT NULL DEFAULT 0,
  closed_at         INTEGER NOT NULL DEFAULT 0,
  closed_by_role    TEXT NOT NULL DEFAULT '',
  closed_by_id      TEXT NOT NULL DEFAULT '',
  closed_by_name    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX chat_conversations_open ON chat_conversations (visitor_id)
  WHERE status != 'closed' AND kind = 'chat';
CREATE INDEX chat_conversations_by_site ON chat_conversations (site_id, updated_at);

CREATE TABLE chat_messages (
  conversation_id TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  author_role     TEXT NOT NULL CONSTRAINT author_role CHECK (author_role IN ('visitor', 'operator', 'system')),
  author_key      TEXT NOT NULL,
  author_name     TEXT NOT NULL DEFAULT '',
  client_id       TEXT NOT NULL,
  text            TEXT NOT NULL,
  internal        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, seq),
  UNIQUE (conversation_id, author_key, client_id)
) STRICT;
CREATE INDEX chat_messages_by_author ON chat_messages (author_key, client_id);

CREATE TABLE chat_offline_messages (
  conversation_id TEXT PRIMARY KEY REFERENCES chat_conversations(id) ON DELETE CASCADE,
  name            TEXT NOT NULL DEFAULT '',
  email           TEXT NOT NULL DEFAULT '',
  phone           TEXT NOT NULL DEFAULT '',
  context         TEXT NOT NULL DEFAULT '{}',
  created_at      INTEGER NOT NULL
) STRICT;
)sql"},
        // Callback requests and ratings. A proof-of-work challenge is redeemed in the same write as
        // the request it paid for (its id is the key, so a second use conflicts) and kept until it
        // expires. The per-number and per-address limits count requests through the two indexes.
        // A conversation gets one CSAT rating.
        Migration{10, R"sql(
CREATE TABLE callbacks (
  id            TEXT PRIMARY KEY,
  site_id       TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  phone         TEXT NOT NULL,
  name          TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL
    CONSTRAINT status CHECK (status IN ('new', 'calling', 'done', 'missed', 'scheduled')),
  page_url      TEXT NOT NULL DEFAULT '',
  ip            TEXT NOT NULL DEFAULT '',
  call_by       INTEGER NOT NULL DEFAULT 0,
  scheduled_for INTEGER NOT NULL DEFAULT 0,
  operator_id   TEXT NOT NULL DEFAULT '',
  note          TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX callbacks_by_site ON callbacks (site_id, created_at);
CREATE INDEX callbacks_by_phone ON callbacks (site_id, phone, created_at);
CREATE INDEX callbacks_by_ip ON callbacks (site_id, ip, created_at);

CREATE TABLE pow_redemptions (
  id         TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX pow_redemptions_by_expiry ON pow_redemptions (expires_at);

CREATE TABLE ratings (
  id              TEXT PRIMARY KEY,
  site_id         TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CONSTRAINT kind CHECK (kind IN ('csat', 'page', 'nps')),
  score           INTEGER NOT NULL CONSTRAINT score
    CHECK ((kind = 'nps' AND score BETWEEN 0 AND 10) OR (kind != 'nps' AND score BETWEEN 1 AND 5)),
  comment         TEXT NOT NULL DEFAULT '',
  conversation_id TEXT NOT NULL DEFAULT '',
  operator_id     TEXT NOT NULL DEFAULT '',
  page_url        TEXT NOT NULL DEFAULT '',
  ip              TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX ratings_once_per_conversation ON ratings (site_id, conversation_id) WHERE kind = 'csat';
CREATE INDEX ratings_by_site ON ratings (site_id, kind, created_at);
CREATE INDEX ratings_by_ip ON ratings (site_id, ip, created_at);
)sql"},
        // Canned responses: a site's prepared replies, found in the console by a shortcut that is
        // unique per site (the UNIQUE index also serves the by-shortcut listing).
        Migration{11, R"sql(
CREATE TABLE canned_responses (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  shortcut   TEXT NOT NULL CONSTRAINT shortcut CHECK (length(shortcut) BETWEEN 1 AND 32),
  title      TEXT NOT NULL DEFAULT '' CONSTRAINT title CHECK (length(title) <= 100),
  text       TEXT NOT NULL CONSTRAINT text CHECK (length(text) BETWEEN 1 AND 4096),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (site_id, shortcut)
) STRICT;
)sql"},
        // The count of a conversation's visitor messages no operator has read, kept with the
        // conversation instead of counted on every read: every append reads the conversation, and
        // counting walked all unread messages each time.
        Migration{12, R"sql(
ALTER TABLE chat_conversations ADD COLUMN visitor_unread INTEGER NOT NULL DEFAULT 0;
UPDATE chat_conversations SET visitor_unread = (SELECT count(*) FROM chat_messages m
  WHERE m.conversation_id = chat_conversations.id AND m.author_role = 'visitor'
  AND m.seq > chat_conversations.operator_read_seq);
)sql"},
    };

constexpr const char* kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  applied_at INTEGER NOT NULL
) STRICT;
)sql";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<void> apply_pending(sqlite::Connection& db, const std::string& path, std::int64_t up_to) {
  if (auto r = db.exec(kCreateMigrationsTable); !r) return r;
  // Read the version inside the transaction: another process may have migrated meanwhile.
  auto current = current_schema_version(db);
  if (!current) return std::move(current).error();
  if (*current > latest_schema_version()) {
    return protocol::make_error(protocol::ErrorCode::unavailable,
                                "database " + path + " has schema version " + std::to_string(*current) +
                                    ", newer than this binary supports (" + std::to_string(latest_schema_version()) +
                                    "); upgrade vitrina");
  }
  for (const auto& migration : kMigrations) {
    if (migration.version <= *current) continue;
    if (migration.version > up_to) break;
    if (auto r = db.exec(migration.sql); !r) {
      auto error = std::move(r).error();
      error.message = "migration " + std::to_string(migration.version) + " failed on " + path + ": " + error.message;
      return error;
    }
    auto record = db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
    if (!record) return std::move(record).error();
    record->bind(1, migration.version);
    record->bind(2, now_ms());
    if (auto r = record->run(); !r) return r;
  }
  return {};
}

}  // namespace

std::int64_t latest_schema_version() noexcept { return kMigrations.back().version; }

std::size_t migration_count() noexcept { return kMigrations.size(); }

Result<std::int64_t> current_schema_version(sqlite::Connection& db) {
  auto stmt = db.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!stmt) return std::move(stmt).error();
  auto row = stmt->step();
  if (!row) return std::move(row).error();
  return *row ? stmt->column_int(0) : std::int64_t{0};
}

Result<void> apply_migrations(sqlite::Connection& db, const std::string& path) {
  return apply_migrations(db, path, latest_schema_version());
}

Result<void> apply_migrations(sqlite::Connection& db, const std::string& path, std::int64_t up_to) {
  // IMMEDIATE takes the write lock up front, so two processes opening a fresh file at once
  // migrate one after the other instead of both trying.
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r;
  auto applied = apply_pending(db, path, up_to);
  if (!applied) {
    (void)db.exec("ROLLBACK");
    return applied;
  }
  if (auto r = db.exec("COMMIT"); !r) {
    (void)db.exec("ROLLBACK");
    return r;
  }
  return {};
}

}  // namespace vitrina::store
