#pragma once
// Payments in the SQLite store: the writes (as WriteOps for the writer thread) and the reads
// (on a leased read connection). Used by SqliteStore.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "store/payment_records.hpp"
#include "store/read_pool.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"

namespace vitrina::store {

std::unique_ptr<WriteOp> make_create_payment(Payment payment, IdempotencyRecord idempotency, Done<Payment> done);
std::unique_ptr<WriteOp> make_update_payment(PaymentUpdate update, Done<Payment> done);
/// Deletes at most `limit` idempotency keys created before `before` (unix ms), oldest first;
/// answers how many went.
std::unique_ptr<WriteOp> make_prune_idempotency(std::int64_t before, std::size_t limit, Done<std::int64_t> done);

namespace payment_reads {

Result<std::optional<Payment>> by_id(ReadConnection& conn, std::string_view site_id, std::string_view id);
Result<std::vector<Payment>> by_order(ReadConnection& conn, std::string_view site_id, std::string_view order_id,
                                      std::size_t limit);
/// The payment's refunds, oldest first.
Result<std::vector<Refund>> refunds_of(ReadConnection& conn, std::string_view site_id, std::string_view payment_id);
Result<std::vector<Payment>> due_to_expire(ReadConnection& conn, std::int64_t now, std::size_t limit);
Result<std::optional<IdempotencyRecord>> idempotency(ReadConnection& conn, std::string_view site_id,
                                                     std::string_view key);

}  // namespace payment_reads

}  // namespace vitrina::store
