#pragma once
// Reads for outbound webhooks, on a leased read connection. Used by SqliteStore.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/read_pool.hpp"
#include "store/store.hpp"

namespace vitrina::store::webhook_reads {

Result<std::vector<WebhookEndpoint>> endpoints_of_site(ReadConnection& conn, std::string_view site_id);
Result<std::optional<WebhookEndpoint>> endpoint_by_id(ReadConnection& conn, std::string_view id);
Result<std::optional<WebhookMessage>> message_by_id(ReadConnection& conn, std::string_view id);
Result<std::vector<DueDelivery>> due(ReadConnection& conn, std::int64_t now, std::size_t limit);
Result<std::vector<WebhookDelivery>> deliveries_of(ReadConnection& conn, std::string_view message_id);
Result<std::vector<WebhookAttempt>> attempts_of(ReadConnection& conn, std::string_view message_id);

}  // namespace vitrina::store::webhook_reads
