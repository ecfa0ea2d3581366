#pragma once
// Callback requests and ratings in the SQLite store: the writes (as WriteOps for the writer
// thread) and the reads (on a leased read connection). Used by SqliteStore.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "store/callback_records.hpp"
#include "store/read_pool.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"

namespace vitrina::store {

std::unique_ptr<WriteOp> make_create_callback(NewCallback request, Done<CallbackCreated> done);
std::unique_ptr<WriteOp> make_update_callback(CallbackUpdate update, Done<Callback> done);
std::unique_ptr<WriteOp> make_create_rating(NewRating request, Done<RatingCreated> done);

namespace callback_reads {

Result<std::optional<Callback>> by_id(ReadConnection& conn, std::string_view site_id, std::string_view id);
Result<std::vector<Callback>> list(ReadConnection& conn, const CallbackQuery& query);
Result<std::vector<Rating>> ratings(ReadConnection& conn, const RatingQuery& query);
Result<RatedConversation> conversation(ReadConnection& conn, std::string_view site_id, std::string_view id);

}  // namespace callback_reads

}  // namespace vitrina::store
