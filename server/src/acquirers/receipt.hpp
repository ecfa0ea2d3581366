#pragma once
// What a 54-FZ receipt is made of, read from a payment: its items and the customer's contact.
// YooKassa and T-Bank spell receipts differently but refuse the same things, so the checks are
// made here, before either is asked: no items, no email or phone, or items that do not add up
// to the payment's amount.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/payment_records.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::acquirers {

struct ReceiptItem {
  std::string name;
  std::int64_t quantity = 0;
  std::int64_t price = 0;  // minor units per item
};

struct ReceiptSource {
  std::vector<ReceiptItem> items;
  std::string email;  // "" when not given
  std::string phone;
};

/// The payment's receipt data; errors "invalid" naming "items" or "customer", with
/// `acquirer` ("YooKassa", "T-Bank") in the message.
protocol::Result<ReceiptSource> receipt_source(const store::Payment& payment, std::string_view acquirer);

/// At most `max` code points of the valid UTF-8 `text` (names and descriptions acquirers limit).
std::string clip_utf8(std::string_view text, std::size_t max);

}  // namespace vitrina::acquirers
