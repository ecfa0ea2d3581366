#include "store/acquirer_event_ops.hpp"

#include <string>
#include <utility>

#include "store/payment_ops.hpp"
#include "store/value_write.hpp"

namespace vitrina::store {

namespace {

constexpr const char* kInsertEvent =
    "INSERT INTO acquirer_events (acquirer, event_id, site_id, payment_id, received_at) VALUES (?, ?, ?, ?, ?)";
constexpr const char* kSiteOfPayment = "SELECT site_id FROM payments WHERE id = ?";

class ApplyAcquirerEvent final : public ValueWrite<void> {
 public:
  ApplyAcquirerEvent(AcquirerEventRecord record, std::optional<PaymentUpdate> update, Done<void> done)
      : ValueWrite(std::move(done)), record_(std::move(record)) {
    // The payment change reuses the payments path, so its version check and its webhook event
    // commit with the event's row or not at all.
    if (update) change_ = make_update_payment(std::move(*update), nullptr);
  }

  Result<void> apply(sqlite::Connection& db) override {
    auto stmt = db.cached(kInsertEvent);
    if (!stmt) return std::move(stmt).error();
    {
      sqlite::ScopedStatement s(**stmt);
      s->bind(1, record_.acquirer);
      s->bind(2, record_.event_id);
      s->bind(3, record_.site_id);
      s->bind(4, record_.payment_id);
      s->bind(5, record_.received_at);
      auto inserted = s->run();
      if (!inserted && inserted.error().code == protocol::ErrorCode::conflict) {
        return protocol::make_error(protocol::ErrorCode::duplicate,
                                    "acquirer event " + record_.event_id + " was already applied", "event_id");
      }
      if (!inserted) return inserted;
    }
    if (change_) return change_->apply(db);
    return {};
  }

 private:
  AcquirerEventRecord record_;
  std::unique_ptr<WriteOp> change_;
};

}  // namespace

std::unique_ptr<WriteOp> make_apply_acquirer_event(AcquirerEventRecord record, std::optional<PaymentUpdate> update,
                                                   Done<void> done) {
  return std::make_unique<ApplyAcquirerEvent>(std::move(record), std::move(update), std::move(done));
}

namespace acquirer_reads {

Result<std::optional<Payment>> payment_by_id(ReadConnection& conn, std::string_view id) {
  std::string site_id;
  {
    auto stmt = conn.db.cached(kSiteOfPayment);
    if (!stmt) return std::move(stmt).error();
    sqlite::ScopedStatement s(**stmt);
    s->bind(1, id);
    auto row = s->step();
    if (!row) return std::move(row).error();
    if (!*row) return std::optional<Payment>{};
    site_id = s->column_text(0);
  }
  return payment_reads::by_id(conn, site_id, id);
}

}  // namespace acquirer_reads

}  // namespace vitrina::store
