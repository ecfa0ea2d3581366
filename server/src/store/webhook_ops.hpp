#pragma once
// Writes for outbound webhooks, as WriteOps for the writer thread, and the outbox insert as a
// plain function so that another write (a payment's state change) can put its event in the same
// transaction: call enqueue_event_in from that op's apply() with the connection it was given.

#include <cstdint>
#include <memory>
#include <string>

#include "store/store.hpp"
#include "store/writer.hpp"

namespace vitrina::store {

/// Inserts the message and one pending delivery (due at once) for every enabled endpoint of
/// the site whose filter takes the event type (or only `event.only_endpoint_id`, which must be
/// an enabled endpoint of the site: "not_found" otherwise). Runs inside the caller's
/// transaction and savepoint, on the writer thread; a failure leaves the caller to roll back.
Result<EnqueuedEvent> enqueue_event_in(sqlite::Connection& db, const NewWebhookEvent& event);

std::unique_ptr<WriteOp> make_insert_webhook_endpoint(WebhookEndpoint endpoint, Done<WebhookEndpoint> done);
std::unique_ptr<WriteOp> make_disable_webhook_endpoint(std::string endpoint_id, std::string reason, std::int64_t now,
                                                       Done<void> done);
std::unique_ptr<WriteOp> make_rotate_webhook_keys(std::string endpoint_id, std::string site_id, EndpointKeys keys,
                                                  std::int64_t previous_expires_at, std::int64_t now,
                                                  Done<WebhookEndpoint> done);
std::unique_ptr<WriteOp> make_update_webhook_endpoint(WebhookEndpointChange change, Done<WebhookEndpoint> done);
std::unique_ptr<WriteOp> make_delete_webhook_endpoint(std::string endpoint_id, std::string site_id, Done<void> done);
std::unique_ptr<WriteOp> make_enqueue_event(NewWebhookEvent event, Done<EnqueuedEvent> done);
std::unique_ptr<WriteOp> make_record_attempt(AttemptRecord record, Done<void> done);
std::unique_ptr<WriteOp> make_resend(ResendRequest request, Done<std::int64_t> done);

}  // namespace vitrina::store
