#include "acquirers/sandbox_page.hpp"
#include "vitrina/protocol/form.hpp"

#include "vitrina/protocol/amount.hpp"
#include "vitrina/protocol/currency.hpp"

namespace vitrina::acquirers {

namespace {

constexpr std::string_view kHead =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<link rel=\"stylesheet\" href=\"/sandbox/sandbox.css\">"
    "<title>Vitrina sandbox payment</title></head><body>\n<main>\n"
    "<p class=\"badge\">Test mode</p>\n";
constexpr std::string_view kTail = "</main>\n</body></html>\n";

constexpr std::string_view kStylesheet = R"css(:root{color-scheme:light dark;--fg:#1d2433;--muted:#5b6475;--bg:#eef1f6;
--card:#fff;--line:#d7dce5;--accent:#2f5bea;--bad:#b42318}
@media (prefers-color-scheme:dark){:root{--fg:#e8ebf2;--muted:#a2abbd;--bg:#12151c;--card:#1b2029;--line:#303746;
--accent:#7d9bff;--bad:#ff8a80}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:24px;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{width:100%;max-width:420px;background:var(--card);border:1px solid var(--line);border-radius:14px;
padding:28px;box-shadow:0 8px 30px rgba(0,0,0,.08)}
h1{font-size:1.25rem;margin:.25rem 0 1rem}
.badge{display:inline-block;margin:0;padding:2px 10px;border-radius:999px;font-size:.75rem;font-weight:600;
letter-spacing:.04em;text-transform:uppercase;color:#7a4a00;background:#ffe7b3}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 16px;margin:0 0 20px}
dt{color:var(--muted)}dd{margin:0;text-align:right;overflow-wrap:anywhere}
#amount{font-size:1.25rem;font-weight:700}
label{display:block;font-weight:600;margin-bottom:6px}
input{width:100%;padding:12px;font:inherit;font-variant-numeric:tabular-nums;letter-spacing:.08em;color:var(--fg);
background:transparent;border:1px solid var(--line);border-radius:10px}
input:focus{outline:2px solid var(--accent);outline-offset:1px}
button{width:100%;margin-top:14px;padding:12px;font:inherit;font-weight:600;color:#fff;background:var(--accent);
border:0;border-radius:10px;cursor:pointer}
button:hover{filter:brightness(1.08)}
#error{color:var(--bad);font-weight:600}
.cards{margin-top:22px;font-size:.875rem;color:var(--muted)}
.cards table{width:100%;border-collapse:collapse}
.cards td{padding:4px 0;border-top:1px solid var(--line)}
.cards td:first-child{font-family:ui-monospace,monospace;white-space:nowrap;padding-right:12px}
a{color:var(--accent)}
)css";

constexpr std::string_view kTestCards =
    "<section class=\"cards\"><p>Test cards (nothing else is accepted):</p><table>"
    "<tr><td>4242 4242 4242 4242</td><td>succeeds (held for capture in two-stage payments)</td></tr>"
    "<tr><td>4000 0000 0000 0002</td><td>is declined</td></tr>"
    "<tr><td>4000 0000 0000 9995</td><td>fails with a processing error</td></tr>"
    "<tr><td>4000 0000 0000 3220</td><td>succeeds after a short delay</td></tr>"
    "</table></section>\n";

std::string amount_text(const store::Payment& p) {
  auto currency = protocol::find_currency(p.currency);
  if (!currency) return std::to_string(p.amount) + " " + p.currency;
  return protocol::format_amount(p.amount, *currency) + " " + p.currency;
}

}  // namespace

std::string_view sandbox_stylesheet() noexcept { return kStylesheet; }

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
  html += "<h1>Sandbox payment</h1>\n";
  html += "<dl><dt>Order</dt><dd id=\"order\">" + html_escape(payment.order_id) + "</dd>";
  html += "<dt>Description</dt><dd id=\"description\">" + html_escape(payment.description) + "</dd>";
  html += "<dt>Amount</dt><dd id=\"amount\">" + html_escape(amount_text(payment)) + "</dd></dl>\n";
  if (!error.empty()) html += "<p id=\"error\" role=\"alert\">" + html_escape(error) + "</p>\n";
  html += "<form method=\"post\" action=\"/sandbox/pay/" + html_escape(payment.id) + "\">";
  html +=
      "<label for=\"card_number\">Card number</label>"
      "<input id=\"card_number\" name=\"card_number\" inputmode=\"numeric\" autocomplete=\"off\" "
      "maxlength=\"23\" placeholder=\"4242 4242 4242 4242\" required>"
      "<button type=\"submit\">Pay " +
      html_escape(amount_text(payment)) + "</button></form>\n";
  html += kTestCards;
  html += "<p class=\"cards\">This is a test page: no money moves, and the card number is never kept.</p>\n";
  html += kTail;
  return html;
}

std::string render_closed_page(const store::Payment& payment) {
  std::string html(kHead);
  html += "<h1>Sandbox payment</h1>\n<p>This payment can no longer be paid: it is <span id=\"status\">" +
          html_escape(protocol::to_string(payment.status)) + "</span>.</p>\n";
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
