#pragma once
// Live chat as the store keeps it: visitors, conversations and their messages. The frames'
// own types (protocol::chat) are reused; these records add what only the server knows (the
// site, the visitor and assignee ids, read positions).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/webhook_records.hpp"
#include "vitrina/protocol/chat.hpp"
#include "vitrina/protocol/chat_codec.hpp"
#include "vitrina/protocol/chat_conversation.hpp"

namespace vitrina::store {

namespace chat = protocol::chat;

struct ChatVisitor {
  std::string id;  // vis_…
  std::string site_id;
  std::string user_id;  // the verified user id, "" for anonymous visitors
  chat::VisitorContext context;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

/// A conversation with its visitor and assignee resolved. `conversation.visitor` and
/// `conversation.context` are always filled (frames to visitors drop them).
struct ChatConversation {
  std::string site_id;
  std::string visitor_id;
  std::string assignee_id;  // op_…, "" when nobody answers
  chat::Conversation conversation;
  std::int64_t operator_read_seq = 0;  // the furthest any operator has read
  std::int64_t visitor_read_seq = 0;
  std::int64_t unread = 0;           // visitor messages after operator_read_seq
  std::int64_t last_message_at = 0;  // unix ms of the newest message, 0 when none
  std::int64_t waiting_since = 0;    // unix ms the conversation started waiting, 0 unless waiting
  std::int64_t updated_at = 0;       // unix ms of the last change (message or action): the inbox order
};

/// Webhook events to write in the same transaction as a chat change, built by the caller from
/// what the change produced (the store knows nothing of their bodies).
template <class Outcome>
using ChatEvents = std::function<std::vector<NewWebhookEvent>(const Outcome&)>;

struct ChatAppended;

/// A new message (or an offline message). The store finds or starts the conversation, checks
/// the state machine, assigns the seq, and answers a repeated client id with the first ack.
struct ChatAppend {
  std::string site_id;
  std::string visitor_id;           // visitor authors: the author; else taken from the conversation
  std::string user_id;              // visitor authors: stored with a new visitor row
  std::string conversation_id;      // "" (visitors only): the open conversation or a new one
  std::string new_conversation_id;  // the id to use when one is started
  chat::Actor actor;
  std::string client_id;
  std::string text;
  bool internal = false;
  bool offline = false;            // an offline message: always a new conversation of kind offline
  std::string name, email, phone;  // offline messages: the contact, also kept in the visitor's context
  std::int64_t now_ms = 0;
  ChatEvents<ChatAppended> events;
};

struct ChatAppended {
  chat::Ack ack;
  chat::MessageEvent message;
  ChatConversation conversation;  // after the message
  bool duplicate = false;         // nothing was written: this is the first ack again
  bool conversation_created = false;
  bool conversation_changed = false;  // status or assignee changed (created included)
  std::optional<chat::OfflineMessage> offline;
};

struct ChatActed;

struct ChatAction {
  std::string site_id;
  std::string conversation_id;
  std::string visitor_id;  // set when a visitor acts: the conversation must be theirs
  chat::ActionKind kind = chat::ActionKind::close;
  chat::Actor actor;
  chat::Author target;  // assign: the new assignee (id and name)
  std::int64_t now_ms = 0;
  ChatEvents<ChatActed> events;
};

struct ChatActed {
  ChatConversation conversation;  // after the action
  bool changed = false;
};

/// A read receipt: moves the reader's side forward, never back.
struct ChatRead {
  std::string site_id;
  std::string conversation_id;
  std::string visitor_id;  // set when the visitor reads: the conversation must be theirs
  std::int64_t seq = 0;
};

struct ChatReadResult {
  std::int64_t seq = 0;
  bool moved = false;
};

/// A visitor's context changed (or the visitor is seen for the first time with one).
struct ChatContextUpdate {
  std::string site_id;
  std::string visitor_id;
  std::string user_id;
  chat::VisitorContext change;  // absent members are kept; attributes replace the set
  std::int64_t now_ms = 0;
};

/// The console's list and search. Every filter is optional; newest activity first.
struct ChatQuery {
  std::string site_id;
  std::vector<chat::ConversationStatus> statuses;  // empty: any
  std::string text;                                // a substring of a message (case-insensitive for ASCII)
  std::string email;                               // exact, case-insensitive
  std::string phone;                               // the digits must match
  std::string visitor_id;
  std::int64_t from_ms = 0;  // created at or after
  std::int64_t to_ms = 0;    // created before (0: no bound)
  std::int64_t before = 0;   // paging: last activity before this (0: from the newest)
  std::size_t limit = 50;
};

/// Merges a context change into the context kept: absent members are kept, "" clears email and
/// phone, attributes replace the whole set.
void merge_context(chat::VisitorContext& kept, const chat::VisitorContext& change);

/// The stored JSON of a context, and back ("{}" for an empty one).
std::string context_to_json(const chat::VisitorContext& context);
chat::VisitorContext context_from_json(std::string_view json);

}  // namespace vitrina::store
