#pragma once
// Live chat in the SQLite store: reads shared by the write ops (on the writer's connection,
// inside their transaction) and by the read pool.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/chat_records.hpp"
#include "store/sqlite.hpp"

namespace vitrina::store::chat_reads {

Result<std::optional<ChatConversation>> conversation(sqlite::Connection& db, std::string_view site_id,
                                                     std::string_view id);
/// The visitor's open (waiting or open) chat conversation.
Result<std::optional<ChatConversation>> open_conversation(sqlite::Connection& db, std::string_view site_id,
                                                          std::string_view visitor_id);
Result<std::optional<ChatVisitor>> visitor(sqlite::Connection& db, std::string_view site_id, std::string_view id);
/// The oldest visitor of the site with this verified user id.
Result<std::optional<ChatVisitor>> visitor_by_user(sqlite::Connection& db, std::string_view site_id,
                                                   std::string_view user_id);
/// Messages with seq > after_seq, oldest first, at most `limit`; internal notes only when asked.
Result<std::vector<chat::MessageEvent>> messages(sqlite::Connection& db, std::string_view conversation_id,
                                                 std::int64_t after_seq, std::size_t limit, bool include_internal);
Result<std::vector<ChatConversation>> list(sqlite::Connection& db, const ChatQuery& query);

}  // namespace vitrina::store::chat_reads
