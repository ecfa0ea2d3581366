#pragma once
// The store's writes, as WriteOps for the writer thread. Each one runs a cached statement
// inside its savepoint and turns SQLite's answer into the store's error vocabulary.

#include <cstdint>
#include <memory>
#include <string>

#include "store/store.hpp"
#include "store/writer.hpp"

namespace vitrina::store {

std::unique_ptr<WriteOp> make_insert_site(Site site, Done<Site> done);
std::unique_ptr<WriteOp> make_update_site_secret(std::string site_id, std::string secret_hash, std::int64_t updated_at,
                                                 Done<void> done);
std::unique_ptr<WriteOp> make_update_site_settings(std::string site_id, std::string settings_json,
                                                   std::int64_t updated_at, Done<void> done);
std::unique_ptr<WriteOp> make_insert_operator(Operator op, Done<Operator> done);
std::unique_ptr<WriteOp> make_insert_session(Session session, Done<Session> done);
std::unique_ptr<WriteOp> make_delete_session(std::string token_hash, Done<void> done);

}  // namespace vitrina::store
