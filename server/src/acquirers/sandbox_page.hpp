#pragma once
// The sandbox's hosted payment page as plain functions: HTML built only through html_escape,
// and the form body it posts back. No script: a plain <form method="post"> works without JS.

#include <optional>
#include <string>
#include <string_view>

#include "store/payment_records.hpp"

namespace vitrina::acquirers {

/// The pages' stylesheet, served at /sandbox/sandbox.css (the pages' CSP allows no inline style).
std::string_view sandbox_stylesheet() noexcept;

/// Escapes & < > " ' for use in HTML text and double-quoted attribute values.
std::string html_escape(std::string_view text);

/// The page for a payment: shop's description, amount and currency, and the card field.
/// `error` (already human text, escaped here) is shown above the form when not empty.
std::string render_pay_page(const store::Payment& payment, std::string_view error = {});

/// The page for a payment that can no longer be paid (its status is shown).
std::string render_closed_page(const store::Payment& payment);

/// The short answer after a card was submitted, for clients that do not follow the redirect:
/// the card's last four digits and a link back to the shop.
std::string render_submitted_page(const store::Payment& payment, std::string_view last4);

/// The first value of `name` in an application/x-www-form-urlencoded body; nullopt when it is
/// absent or badly percent-encoded.
std::optional<std::string> form_field(std::string_view body, std::string_view name);

/// "scheme://host[:port]" of an http(s) URL, for the CSP form-action the redirect needs; empty
/// when the URL is not a plain http(s) URL.
std::string url_origin(std::string_view url);

}  // namespace vitrina::acquirers
