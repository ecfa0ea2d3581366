#include "store/payment_ops.hpp"

#include <string>
#include <utility>

#include "store/value_write.hpp"
#include "store/webhook_ops.hpp"

namespace vitrina::store {

namespace {

constexpr const char* kPaymentColumns =
    "id, site_id, status, amount, currency, order_id, description, return_url, customer, items, "
    "metadata, capture, acquirer, confirmation_url, authorized_amount, captured_amount, "
    "refunded_amount, failure_reason, expires_at, created_at, updated_at, version, acquirer_ref";
const std::string kInsertPayment = "INSERT INTO payments (" + std::string(kPaymentColumns) +
                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// Compare-and-set on the version: a change computed from a stale read never lands.
constexpr const char* kUpdatePayment =
    "UPDATE payments SET status = ?, authorized_amount = ?, captured_amount = ?, refunded_amount = ?, "
    "failure_reason = ?, updated_at = ?, version = ?, acquirer_ref = ? WHERE id = ? AND site_id = ? AND version = ?";
constexpr const char* kInsertIdempotency =
    "INSERT INTO idempotency_keys (site_id, key, request_hash, status_code, response_body, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* kInsertRefund =
    "INSERT INTO refunds (id, payment_id, site_id, status, amount, failure_reason, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
const std::string kSelectPayments = "SELECT " + std::string(kPaymentColumns) + " FROM payments ";
const std::string kPaymentById = kSelectPayments + "WHERE site_id = ? AND id = ?";
const std::string kPaymentsByOrder =
    kSelectPayments + "WHERE site_id = ? AND order_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?";
const std::string kPaymentByAcquirerRef =
    kSelectPayments + "WHERE site_id = ? AND acquirer = ? AND acquirer_ref = ? AND acquirer_ref <> '' LIMIT 1";
const std::string kToReconcile = kSelectPayments +
                                 "WHERE status = 'pending' AND updated_at <= ? AND acquirer <> 'sandbox' "
                                 "ORDER BY updated_at LIMIT ?";
const std::string kDueToExpire = kSelectPayments +
                                 "WHERE status IN ('pending', 'waiting_for_capture') AND expires_at <= ? "
                                 "ORDER BY expires_at LIMIT ?";
constexpr const char* kRefundsOfPayment =
    "SELECT id, payment_id, site_id, status, amount, failure_reason, created_at, updated_at FROM refunds "
    "WHERE site_id = ? AND payment_id = ? ORDER BY created_at, rowid";
// The oldest keys first, a bounded number per write (the index on created_at finds them).
constexpr const char* kPruneIdempotency =
    "DELETE FROM idempotency_keys WHERE rowid IN "
    "(SELECT rowid FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)";
constexpr const char* kIdempotencyByKey =
    "SELECT site_id, key, request_hash, status_code, response_body, created_at FROM idempotency_keys "
    "WHERE site_id = ? AND key = ?";

using sqlite::run_cached;

Payment read_payment(const sqlite::Statement& row) {
  Payment p;
  p.id = row.column_text(0);
  p.site_id = row.column_text(1);
  // The CHECK constraint on the column admits only the protocol's names.
  auto status = protocol::parse_payment_status(row.column_text(2));
  p.status = status ? *status : protocol::PaymentStatus::failed;
  p.amount = row.column_int(3);
  p.currency = row.column_text(4);
  p.order_id = row.column_text(5);
  p.description = row.column_text(6);
  p.return_url = row.column_text(7);
  p.customer_json = row.column_text(8);
  p.items_json = row.column_text(9);
  p.metadata_json = row.column_text(10);
  p.capture = row.column_int(11) != 0;
  p.acquirer = row.column_text(12);
  p.confirmation_url = row.column_text(13);
  p.authorized_amount = row.column_int(14);
  p.captured_amount = row.column_int(15);
  p.refunded_amount = row.column_int(16);
  p.failure_reason = row.column_text(17);
  p.expires_at = row.column_int(18);
  p.created_at = row.column_int(19);
  p.updated_at = row.column_int(20);
  p.version = row.column_int(21);
  p.acquirer_ref = row.column_text(22);
  return p;
}

// The idempotency key is the one unique thing two racing requests share: whoever inserts it
// first wins, the other's whole write rolls back in its savepoint.
Result<void> insert_idempotency(sqlite::Connection& db, const IdempotencyRecord& r) {
  auto inserted = run_cached(db, kInsertIdempotency, [&](sqlite::Statement& s) {
    s.bind(1, r.site_id);
    s.bind(2, r.key);
    s.bind(3, r.request_hash);
    s.bind(4, static_cast<std::int64_t>(r.status_code));
    s.bind(5, r.response_body);
    s.bind(6, r.created_at);
  });
  if (!inserted && inserted.error().code == protocol::ErrorCode::conflict) {
    return protocol::make_error(protocol::ErrorCode::conflict, "this Idempotency-Key has already been used",
                                "Idempotency-Key");
  }
  return inserted;
}

class CreatePayment final : public ValueWrite<Payment> {
 public:
  CreatePayment(Payment payment, IdempotencyRecord idempotency, Done<Payment> done)
      : ValueWrite(std::move(done), std::move(payment)), idempotency_(std::move(idempotency)) {}

  Result<void> apply(sqlite::Connection& db) override {
    if (auto r = insert_idempotency(db, idempotency_); !r) return r;
    const Payment& p = out_;
    auto r = run_cached(db, kInsertPayment, [&](sqlite::Statement& s) {
      s.bind(1, p.id);
      s.bind(2, p.site_id);
      s.bind(3, protocol::to_string(p.status));
      s.bind(4, p.amount);
      s.bind(5, p.currency);
      s.bind(6, p.order_id);
      s.bind(7, p.description);
      s.bind(8, p.return_url);
      s.bind(9, p.customer_json);
      s.bind(10, p.items_json);
      s.bind(11, p.metadata_json);
      s.bind(12, std::int64_t{p.capture ? 1 : 0});
      s.bind(13, p.acquirer);
      s.bind(14, p.confirmation_url);
      s.bind(15, p.authorized_amount);
      s.bind(16, p.captured_amount);
      s.bind(17, p.refunded_amount);
      s.bind(18, p.failure_reason);
      s.bind(19, p.expires_at);
      s.bind(20, p.created_at);
      s.bind(21, p.updated_at);
      s.bind(22, p.version);
      s.bind(23, p.acquirer_ref);
    });
    if (!r && r.error().code == protocol::ErrorCode::not_found) {
      return protocol::make_error(protocol::ErrorCode::not_found, "no site with id " + p.site_id, "site_id");
    }
    return r;
  }

 private:
  IdempotencyRecord idempotency_;
};

class UpdatePayment final : public ValueWrite<Payment> {
 public:
  UpdatePayment(PaymentUpdate update, Done<Payment> done)
      : ValueWrite(std::move(done), std::move(update.payment)), update_(std::move(update)) {}

  Result<void> apply(sqlite::Connection& db) override {
    if (update_.idempotency) {
      if (auto r = insert_idempotency(db, *update_.idempotency); !r) return r;
    }
    const Payment& p = out_;
    auto r = run_cached(db, kUpdatePayment, [&](sqlite::Statement& s) {
      s.bind(1, protocol::to_string(p.status));
      s.bind(2, p.authorized_amount);
      s.bind(3, p.captured_amount);
      s.bind(4, p.refunded_amount);
      s.bind(5, p.failure_reason);
      s.bind(6, p.updated_at);
      s.bind(7, p.version);
      s.bind(8, p.acquirer_ref);
      s.bind(9, p.id);
      s.bind(10, p.site_id);
      s.bind(11, update_.expected_version);
    });
    if (!r) return r;
    if (db.changes() == 0) {
      return protocol::make_error(protocol::ErrorCode::stale, "payment " + p.id + " changed meanwhile", "version");
    }
    if (update_.refund) {
      const store::Refund& f = *update_.refund;
      auto inserted = run_cached(db, kInsertRefund, [&](sqlite::Statement& s) {
        s.bind(1, f.id);
        s.bind(2, f.payment_id);
        s.bind(3, f.site_id);
        s.bind(4, protocol::to_string(f.status));
        s.bind(5, f.amount);
        s.bind(6, f.failure_reason);
        s.bind(7, f.created_at);
        s.bind(8, f.updated_at);
      });
      if (!inserted) return inserted;
    }
    if (update_.event) {
      auto queued = enqueue_event_in(db, *update_.event);
      if (!queued) return std::move(queued).error();
    }
    return {};
  }

 private:
  PaymentUpdate update_;  // its payment moved to out_
};

class PruneIdempotency final : public ValueWrite<std::int64_t> {
 public:
  PruneIdempotency(std::int64_t before, std::size_t limit, Done<std::int64_t> done)
      : ValueWrite(std::move(done)), before_(before), limit_(limit) {}

  Result<void> apply(sqlite::Connection& db) override {
    auto r = run_cached(db, kPruneIdempotency, [&](sqlite::Statement& s) {
      s.bind(1, before_);
      s.bind(2, static_cast<std::int64_t>(limit_));
    });
    if (!r) return r;
    out_ = db.changes();
    return {};
  }

 private:
  std::int64_t before_;
  std::size_t limit_;
};

template <class Bind>
Result<std::vector<Payment>> select_payments(ReadConnection& conn, const std::string& sql, Bind&& bind) {
  auto stmt = conn.db.cached(sql);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  bind(*scoped);
  std::vector<Payment> out;
  for (;;) {
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back(read_payment(*scoped));
  }
}

}  // namespace

std::unique_ptr<WriteOp> make_create_payment(Payment payment, IdempotencyRecord idempotency, Done<Payment> done) {
  return std::make_unique<CreatePayment>(std::move(payment), std::move(idempotency), std::move(done));
}

std::unique_ptr<WriteOp> make_update_payment(PaymentUpdate update, Done<Payment> done) {
  return std::make_unique<UpdatePayment>(std::move(update), std::move(done));
}

std::unique_ptr<WriteOp> make_prune_idempotency(std::int64_t before, std::size_t limit, Done<std::int64_t> done) {
  return std::make_unique<PruneIdempotency>(before, limit, std::move(done));
}

namespace payment_reads {

Result<std::optional<Payment>> by_id(ReadConnection& conn, std::string_view site_id, std::string_view id) {
  auto found = select_payments(conn, kPaymentById, [&](sqlite::Statement& s) {
    s.bind(1, site_id);
    s.bind(2, id);
  });
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<Payment>{};
  return std::optional<Payment>{std::move(found->front())};
}

Result<std::vector<Payment>> by_order(ReadConnection& conn, std::string_view site_id, std::string_view order_id,
                                      std::size_t limit) {
  return select_payments(conn, kPaymentsByOrder, [&](sqlite::Statement& s) {
    s.bind(1, site_id);
    s.bind(2, order_id);
    s.bind(3, static_cast<std::int64_t>(limit));
  });
}

Result<std::optional<Payment>> by_acquirer_ref(ReadConnection& conn, std::string_view site_id,
                                               std::string_view acquirer, std::string_view ref) {
  auto found = select_payments(conn, kPaymentByAcquirerRef, [&](sqlite::Statement& s) {
    s.bind(1, site_id);
    s.bind(2, acquirer);
    s.bind(3, ref);
  });
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<Payment>{};
  return std::optional<Payment>{std::move(found->front())};
}

Result<std::vector<Payment>> to_reconcile(ReadConnection& conn, std::int64_t changed_before, std::size_t limit) {
  return select_payments(conn, kToReconcile, [&](sqlite::Statement& s) {
    s.bind(1, changed_before);
    s.bind(2, static_cast<std::int64_t>(limit));
  });
}

Result<std::vector<Payment>> due_to_expire(ReadConnection& conn, std::int64_t now, std::size_t limit) {
  return select_payments(conn, kDueToExpire, [&](sqlite::Statement& s) {
    s.bind(1, now);
    s.bind(2, static_cast<std::int64_t>(limit));
  });
}

Result<std::vector<Refund>> refunds_of(ReadConnection& conn, std::string_view site_id, std::string_view payment_id) {
  auto stmt = conn.db.cached(kRefundsOfPayment);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, site_id);
  scoped->bind(2, payment_id);
  std::vector<Refund> out;
  for (;;) {
    auto row = scoped->step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    Refund r;
    r.id = scoped->column_text(0);
    r.payment_id = scoped->column_text(1);
    r.site_id = scoped->column_text(2);
    // The CHECK constraint on the column admits only the protocol's names.
    auto status = protocol::parse_refund_status(scoped->column_text(3));
    r.status = status ? *status : protocol::RefundStatus::failed;
    r.amount = scoped->column_int(4);
    r.failure_reason = scoped->column_text(5);
    r.created_at = scoped->column_int(6);
    r.updated_at = scoped->column_int(7);
    out.push_back(std::move(r));
  }
}

Result<std::optional<IdempotencyRecord>> idempotency(ReadConnection& conn, std::string_view site_id,
                                                     std::string_view key) {
  auto stmt = conn.db.cached(kIdempotencyByKey);
  if (!stmt) return std::move(stmt).error();
  sqlite::ScopedStatement scoped(**stmt);
  scoped->bind(1, site_id);
  scoped->bind(2, key);
  auto row = scoped->step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<IdempotencyRecord>{};
  IdempotencyRecord r;
  r.site_id = scoped->column_text(0);
  r.key = scoped->column_text(1);
  r.request_hash = scoped->column_text(2);
  r.status_code = static_cast<int>(scoped->column_int(3));
  r.response_body = scoped->column_text(4);
  r.created_at = scoped->column_int(5);
  return std::optional<IdempotencyRecord>{std::move(r)};
}

}  // namespace payment_reads

}  // namespace vitrina::store
