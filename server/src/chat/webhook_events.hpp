#pragma once
// The webhook events a chat change puts in the outbox, in the same transaction as the change
// (docs/webhooks.md): built from what the store committed, stamped with the site and the time.

#include <cstdint>
#include <string>

#include "store/chat_records.hpp"

namespace vitrina::chat {

/// conversation.created for a new conversation, message.created unless the message is internal.
store::ChatEvents<store::ChatAppended> message_events(std::string site_id, std::int64_t now_ms);
/// conversation.created and offline_message.created.
store::ChatEvents<store::ChatAppended> offline_events(std::string site_id, std::int64_t now_ms);
/// conversation.closed when the action closed the conversation.
store::ChatEvents<store::ChatActed> action_events(std::string site_id, std::int64_t now_ms);

}  // namespace vitrina::chat
