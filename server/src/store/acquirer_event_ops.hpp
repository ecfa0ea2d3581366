#pragma once
// Acquirer callbacks in the SQLite store: recording an applied event together with the payment
// change it caused, and the payment lookup the hosted page needs. Used by SqliteStore.

#include <memory>
#include <optional>
#include <string_view>

#include "store/acquirer_records.hpp"
#include "store/read_pool.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"

namespace vitrina::store {

std::unique_ptr<WriteOp> make_apply_acquirer_event(AcquirerEventRecord record, std::optional<PaymentUpdate> update,
                                                   Done<void> done);

namespace acquirer_reads {

Result<std::optional<Payment>> payment_by_id(ReadConnection& conn, std::string_view id);

}  // namespace acquirer_reads

}  // namespace vitrina::store
