#include "acquirers/sandbox_page.hpp"
#include "vitrina/protocol/form.hpp"

#include "vitrina/protocol/amount.hpp"
#include "vitrina/protocol/currency.hpp"

namespace vitrina::acquirers {

namespace {

constexpr std::string_view kHead =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>Vitrina sandbox payment</title></head><body>\n";
constexpr std::string_view kTail = "</body></html>\n";

std::string amount_text(const store::Payment& p) {
  auto currency = protocol::find_currency(p.currency);
  if (!currency) return std::to_string(p.amount) + " " + p.currency;
  return protocol::format_amount(p.amount, *currency) + " " + p.currency;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_pay_page(const store::Payment& payment, std::string_view error) {
  std::string html(kHead);
  html += "<h1>Sandbox payment</h1>\n<p>This is a test page: no money moves.</p>\n";
  html += "<dl><dt>Description</dt><dd id=\"description\">" + html_escape(payment.description) + "</dd>";
  html += "<dt>Amount</dt><dd id=\"amount\">" + html_escape(amount_text(payment)) + "</dd></dl>\n";
  if (!error.empty()) html += "<p id=\"error\" role=\"alert\">" + html_escape(error) + "</p>\n";
  html += "<form method=\"post\" action=\"/sandbox/pay/" + html_escape(payment.id) + "\">";
  html +=
      "<label for=\"card_number\">Card number</label> "
      "<input id=\"card_number\" name=\"card_number\" inputmode=\"numeric\" autocomplete=\"off\" "
      "maxlength=\"23\" required> <button type=\"submit\">Pay</button></form>\n";
  html +=
      "<p>Test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, "
      "4000 0000 0000 9995 fails with an error, 4000 0000 0000 3220 answers after a delay.</p>\n";
  html += kTail;
  return html;
}

std::string render_closed_page(const store::Payment& payment) {
  std::string html(kHead);
  html += "<h1>Sandbox payment</h1>\n<p>This payment can no longer be paid: it is <span id=\"status\">" +
          html_escape(payment.status) + "</span>.</p>\n";
  html += "<p><a href=\"" + html_escape(payment.return_url) + "\">Back to the shop</a></p>\n";
  html += kTail;
  return html;
}

std::string render_submitted_page(const store::Payment& payment, std::string_view last4) {
  std::string html(kHead);
  html += "<p>Card ending " + html_escape(last4) + " submitted. <a href=\"" + html_escape(payment.return_url) +
          "\">Back to the shop</a></p>\n";
  html += kTail;
  return html;
}

std::optional<std::string> form_field(std::string_view body, std::string_view name) {
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    return protocol::form_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::string url_origin(std::string_view url) {
  std::size_t start = 0;
  if (url.starts_with("https://")) {
    start = 8;
  } else if (url.starts_with("http://")) {
    start = 7;
  } else {
    return {};
  }
  const auto end = url.find_first_of("/?#", start);
  const std::string_view origin = url.substr(0, end);
  if (origin.size() == start) return {};
  // Only characters a host and port use: anything else never reaches a header.
  for (char c : origin.substr(start)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return {};
  }
  return std::string(origin);
}

}  // namespace vitrina::acquirers
