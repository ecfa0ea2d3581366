#pragma once
// Canned responses in SQLite: the writes as WriteOps for the writer thread, and the reads.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/read_pool.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"

namespace vitrina::store {

std::unique_ptr<WriteOp> make_insert_canned_response(CannedResponse response, Done<CannedResponse> done);
std::unique_ptr<WriteOp> make_update_canned_response(CannedResponseChange change, Done<CannedResponse> done);
std::unique_ptr<WriteOp> make_delete_canned_response(std::string id, std::string site_id, Done<void> done);

namespace canned_reads {

/// The site's canned responses, by shortcut.
Result<std::vector<CannedResponse>> of_site(sqlite::Connection& db, std::string_view site_id);
/// Only the site's own response.
Result<std::optional<CannedResponse>> by_id(sqlite::Connection& db, std::string_view site_id, std::string_view id);

}  // namespace canned_reads

}  // namespace vitrina::store
