#include "chat/webhook_events.hpp"

#include <utility>
#include <vector>

#include "vitrina/protocol/chat_codec.hpp"
#include "vitrina/protocol/json.hpp"
#include "webhooks/event.hpp"

namespace vitrina::chat {

namespace pc = protocol::chat;

store::ChatEvents<store::ChatAppended> message_events(std::string site_id, std::int64_t now_ms) {
  return [site_id = std::move(site_id), now_ms](const store::ChatAppended& r) {
    std::vector<store::NewWebhookEvent> events;
    if (r.conversation_created) {
      protocol::JsonWriter w;
      pc::write_conversation(w, r.conversation.conversation);
      events.push_back(webhooks::make_event(site_id, "conversation.created", w.str(), now_ms));
    }
    if (!r.message.internal) {
      protocol::JsonWriter w;
      pc::write_message(w, r.message);
      events.push_back(webhooks::make_event(site_id, "message.created", w.str(), now_ms));
    }
    return events;
  };
}

store::ChatEvents<store::ChatAppended> offline_events(std::string site_id, std::int64_t now_ms) {
  return [site_id = std::move(site_id), now_ms](const store::ChatAppended& r) {
    std::vector<store::NewWebhookEvent> events;
    protocol::JsonWriter c;
    pc::write_conversation(c, r.conversation.conversation);
    events.push_back(webhooks::make_event(site_id, "conversation.created", c.str(), now_ms));
    if (r.offline) {
      protocol::JsonWriter w;
      pc::write_offline_message(w, *r.offline);
      events.push_back(webhooks::make_event(site_id, "offline_message.created", w.str(), now_ms));
    }
    return events;
  };
}

store::ChatEvents<store::ChatActed> action_events(std::string site_id, std::int64_t now_ms) {
  return [site_id = std::move(site_id), now_ms](const store::ChatActed& r) {
    std::vector<store::NewWebhookEvent> events;
    if (r.conversation.conversation.status == pc::ConversationStatus::closed) {
      protocol::JsonWriter w;
      pc::write_conversation(w, r.conversation.conversation);
      events.push_back(webhooks::make_event(site_id, "conversation.closed", w.str(), now_ms));
    }
    return events;
  };
}

}  // namespace vitrina::chat
