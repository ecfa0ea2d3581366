#pragma once
// Internal to vitrina::sdk: the payments API's JSON, both ways. Bodies are written with
// protocol::JsonWriter; answers are read with parse_answer and checked member by member, so an
// answer missing a required member or carrying one of the wrong type is reported, not guessed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vitrina/protocol/result.hpp"
#include "vitrina/sdk/payments.hpp"

namespace vitrina::sdk::detail {

/// The body of POST /v1/payments; unset optionals and empty collections are left out.
std::string write_payment_request(const PaymentRequest& request);

/// `{"amount": n}`, or an empty body when `amount` is absent (capture or refund everything).
std::string write_amount_body(std::optional<std::int64_t> amount);

/// Errors have code `invalid_response`, with `field` naming the member at fault. An answer that
/// is not valid JSON, or names one member twice anywhere, is refused (see parse_answer).
protocol::Result<Payment> parse_payment(std::string_view json);
protocol::Result<Refund> parse_refund(std::string_view json);
/// `{"items":[payment, …]}`.
protocol::Result<std::vector<Payment>> parse_payment_list(std::string_view json);

/// The problem type prefix of every Vitrina problem.
inline constexpr std::string_view kProblemTypePrefix = "urn:vitrina:problem:";

/// An RFC 9457 problem body from Vitrina as an Error {slug, detail or title, field}; nothing
/// when `json` is not such a problem, a body that names one member twice included. The message
/// is cut to `max_message` bytes.
std::optional<protocol::Error> parse_problem(std::string_view json, std::size_t max_message);

}  // namespace vitrina::sdk::detail
