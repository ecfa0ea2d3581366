#pragma once
// Reads for outbound webhooks, on a leased read connection. Used by SqliteStore (and, for one
// endpoint, by the writer's ops).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/read_pool.hpp"
#include "store/store.hpp"

namespace vitrina::store::webhook_reads {

Result<std::vector<WebhookEndpoint>> endpoints_of_site(ReadConnection& conn, std::string_view site_id);
Result<std::optional<WebhookEndpoint>> endpoint_by_id(ReadConnection& conn, std::string_view id);
/// The same read on any connection: the writer uses it to answer a change with the endpoint
/// as it now is, inside the write's transaction.
Result<std::optional<WebhookEndpoint>> endpoint_by_id(sqlite::Connection& db, simdjson::dom::parser& parser,
                                                      std::string_view id);
Result<std::optional<WebhookMessage>> message_by_id(ReadConnection& conn, std::string_view id);
Result<std::vector<WebhookMessage>> messages_of_site(ReadConnection& conn, std::string_view site_id, std::size_t limit);
Result<std::vector<DueDelivery>> due(ReadConnection& conn, std::int64_t now, std::size_t limit);
Result<std::vector<WebhookDelivery>> deliveries_of(ReadConnection& conn, std::string_view message_id);
Result<std::vector<WebhookAttempt>> attempts_of(ReadConnection& conn, std::string_view message_id);

}  // namespace vitrina::store::webhook_reads
