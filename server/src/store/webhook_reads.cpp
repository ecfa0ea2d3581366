#include "store/webhook_reads.hpp"

#include <string>
#include <utility>

#include "store/codec.hpp"

namespace vitrina::store::webhook_reads {

namespace {

constexpr std::string_view kEndpointColumns =
    "e.id, e.site_id, e.url, e.event_types, e.secret, e.previous_secret, "
    "e.previous_secret_expires_at, e.disabled, e.disabled_reason, e.created_at, e.signing_key, e.public_key, "
    "e.previous_signing_key, e.description, e.updated_at";
constexpr int kEndpointColumnCount = 15;
constexpr std::string_view kDeliveryColumns =
    "d.message_id, d.endpoint_id, d.status, d.attempts, d.next_attempt_at, d.last_status_code, "
    "d.last_error, d.updated_at";

const std::string kSelectEndpoints = "SELECT " + std::string(kEndpointColumns) + " FROM webhook_endpoints e ";
const std::string kEndpointsOfSite = kSelectEndpoints + "WHERE e.site_id = ? ORDER BY e.created_at, e.id";
const std::string kEndpointById = kSelectEndpoints + "WHERE e.id = ?";
constexpr const char* kMessageById =
    "SELECT id, site_id, event_type, payload, created_at FROM webhook_messages WHERE id = ?";
// The index on (site_id, created_at) serves this newest-first listing.
constexpr const char* kMessagesOfSite =
    "SELECT id, site_id, event_type, payload, created_at FROM webhook_messages WHERE site_id = ? "
    "ORDER BY created_at DESC, id DESC LIMIT ?";
// The partial index on pending deliveries keeps this cheap however long the history grows.
const std::string kDue = "SELECT " + std::string(kDeliveryColumns) + ", " + std::string(kEndpointColumns) +
                         ", m.event_type, m.payload FROM webhook_deliveries d "
                         "JOIN webhook_endpoints e ON e.id = d.endpoint_id "
                         "JOIN webhook_messages m ON m.id = d.message_id "
                         "WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND e.disabled = 0 "
                         "ORDER BY d.next_attempt_at, d.message_id LIMIT ?";
const std::string kDeliveriesOf = "SELECT " + std::string(kDeliveryColumns) +
                                  " FROM webhook_deliveries d WHERE d.message_id = ? ORDER BY d.endpoint_id";
constexpr const char* kAttemptsOf =
    "SELECT id, message_id, endpoint_id, attempted_at, status_code, error, duration_ms, "
    "response_snippet, next_attempt_at FROM webhook_attempts WHERE message_id = ? ORDER BY id";

Result<WebhookEndpoint> read_endpoint(const sqlite::Statement& row, int first, simdjson::dom::parser& parser) {
  WebhookEndpoint e;
  e.id = row.column_text(first);
  e.site_id = row.column_text(first + 1);
  e.url = row.column_text(first + 2);
  auto events = origins_from_json(parser, row.column_text(first + 3));
  if (!events) return std::move(events).error();
  e.event_types = std::move(*events);
  e.secret = row.column_text(first + 4);
  e.previous_secret = row.column_text(first + 5);
  e.previous_secret_expires_at = row.column_int(first + 6);
  e.disabled = row.column_int(first + 7) != 0;
  e.disabled_reason = row.column_text(first + 8);
  e.created_at = row.column_int(first + 9);
  e.signing_key = row.column_text(first + 10);
  e.public_key = row.column_text(first + 11);
  e.previous_signing_key = row.column_text(first + 12);
  e.description = row.column_text(first + 13);
  e.updated_at = row.column_int(first + 14);
  return e;
}

Result<WebhookMessage> read_message(const sqlite::Statement& row) {
  WebhookMessage m;
  m.id = row.column_text(0);
  m.site_id = row.column_text(1);
  m.event_type = row.column_text(2);
  m.payload = row.column_text(3);
  m.created_at = row.column_int(4);
  return m;
}

WebhookDelivery read_delivery(const sqlite::Statement& row) {
  WebhookDelivery d;
  d.message_id = row.column_text(0);
  d.endpoint_id = row.column_text(1);
  d.status = row.column_text(2);
  d.attempts = row.column_int(3);
  d.next_attempt_at = row.column_int(4);
  d.last_status_code = row.column_int(5);
  d.last_error = row.column_text(6);
  d.updated_at = row.column_int(7);
  return d;
}

// Steps `stmt` (already bound) to the end, turning each row into a T with `read`.
template <class T, class Read>
Result<std::vector<T>> collect(sqlite::Statement& stmt, Read&& read) {
  std::vector<T> out;
  for (;;) {
    auto row = stmt.step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    Result<T> item = read(stmt);
    if (!item) return std::move(item).error();
    out.push_back(std::move(*item));
  }
}

}  // namespace

Result<std::vector<WebhookEndpoint>> endpoints_of_site(ReadConnection& conn, std::string_view site_id) {
  auto stmt = conn.db.cached(kEndpointsOfSite);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, site_id);
  return collect<WebhookEndpoint>(*scoped,
                                  [&](const sqlite::Statement& s) { return read_endpoint(s, 0, conn.parser); });
}

Result<std::optional<WebhookEndpoint>> endpoint_by_id(ReadConnection& conn, std::string_view id) {
  return endpoint_by_id(conn.db, conn.parser, id);
}

Result<std::optional<WebhookEndpoint>> endpoint_by_id(sqlite::Connection& db, simdjson::dom::parser& parser,
                                                      std::string_view id) {
  auto stmt = db.cached(kEndpointById);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, id);
  auto found =
      collect<WebhookEndpoint>(*scoped, [&](const sqlite::Statement& s) { return read_endpoint(s, 0, parser); });
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<WebhookEndpoint>{};
  return std::optional<WebhookEndpoint>{std::move(found->front())};
}

Result<std::optional<WebhookMessage>> message_by_id(ReadConnection& conn, std::string_view id) {
  auto stmt = conn.db.cached(kMessageById);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, id);
  auto found = collect<WebhookMessage>(*scoped, read_message);
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<WebhookMessage>{};
  return std::optional<WebhookMessage>{std::move(found->front())};
}

Result<std::vector<WebhookMessage>> messages_of_site(ReadConnection& conn, std::string_view site_id,
                                                     std::size_t limit) {
  auto stmt = conn.db.cached(kMessagesOfSite);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, site_id);
  scoped->bind(2, static_cast<std::int64_t>(limit));
  return collect<WebhookMessage>(*scoped, read_message);
}

Result<std::vector<DueDelivery>> due(ReadConnection& conn, std::int64_t now, std::size_t limit) {
  auto stmt = conn.db.cached(kDue);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, now);
  scoped->bind(2, static_cast<std::int64_t>(limit));
  return collect<DueDelivery>(*scoped, [&](const sqlite::Statement& s) -> Result<DueDelivery> {
    DueDelivery d;
    d.delivery = read_delivery(s);
    auto endpoint = read_endpoint(s, 8, conn.parser);
    if (!endpoint) return std::move(endpoint).error();
    d.endpoint = std::move(*endpoint);
    d.event_type = s.column_text(8 + kEndpointColumnCount);
    d.payload = s.column_text(9 + kEndpointColumnCount);
    return d;
  });
}

Result<std::vector<WebhookDelivery>> deliveries_of(ReadConnection& conn, std::string_view message_id) {
  auto stmt = conn.db.cached(kDeliveriesOf);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, message_id);
  return collect<WebhookDelivery>(*scoped,
                                  [](const sqlite::Statement& s) { return Result<WebhookDelivery>(read_delivery(s)); });
}

Result<std::vector<WebhookAttempt>> attempts_of(ReadConnection& conn, std::string_view message_id) {
  auto stmt = conn.db.cached(kAttemptsOf);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, message_id);
  return collect<WebhookAttempt>(*scoped, [](const sqlite::Statement& s) {
    WebhookAttempt a;
    a.id = s.column_int(0);
    a.message_id = s.column_text(1);
    a.endpoint_id = s.column_text(2);
    a.attempted_at = s.column_int(3);
    a.status_code = s.column_int(4);
    a.error = s.column_text(5);
    a.duration_ms = s.column_int(6);
    a.response_snippet = s.column_text(7);
    a.next_attempt_at = s.column_int(8);
    return Result<WebhookAttempt>(std::move(a));
  });
}

}  // namespace vitrina::store::webhook_reads
