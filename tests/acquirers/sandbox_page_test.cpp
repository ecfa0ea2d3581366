// The sandbox page's HTML: the shop's description and every other stored string are escaped;
// the form posts back without script; form fields and return URL origins parse strictly.

#include <gtest/gtest.h>

#include "acquirers/sandbox_page.hpp"

namespace vitrina::acquirers {
namespace {

store::Payment payment() {
  store::Payment p;
  p.id = "pay_abc";
  p.amount = 123450;
  p.currency = "RUB";
  p.description = "Tea";
  p.return_url = "https://shop.example/back?a=1&b=2";
  return p;
}

TEST(SandboxPage, EscapesEveryHtmlSpecialCharacter) {
  EXPECT_EQ(html_escape(R"(<a href="x" onclick='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain"), "plain");
}

TEST(SandboxPage, EscapesTheDescription) {
  auto p = payment();
  p.description = R"(<script>alert("x")</script> & 'tea')";
  const std::string html = render_pay_page(p);
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;tea&#39;"), std::string::npos)
      << html;
}

TEST(SandboxPage, ShowsAmountAndPostsToItself) {
  const std::string html = render_pay_page(payment());
  EXPECT_NE(html.find("1234.50 RUB"), std::string::npos) << html;
  EXPECT_NE(html.find(R"(<form method="post" action="/sandbox/pay/pay_abc">)"), std::string::npos) << html;
  EXPECT_NE(html.find(R"(name="card_number")"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("style="), std::string::npos);
}

TEST(SandboxPage, EscapesErrorAndReturnUrl) {
  auto p = payment();
  EXPECT_NE(render_pay_page(p, "<b>").find("&lt;b&gt;"), std::string::npos);
  p.return_url = R"(https://shop.example/"><script>)";
  const std::string closed = render_closed_page(p);
  EXPECT_EQ(closed.find("<script"), std::string::npos) << closed;
  EXPECT_NE(render_submitted_page(payment(), "4242").find("https://shop.example/back?a=1&amp;b=2"), std::string::npos);
}

TEST(SandboxPage, FormFieldDecodesAndRefusesBadEscapes) {
  EXPECT_EQ(form_field("a=1&card_number=4242+4242%204242", "card_number"), "4242 4242 4242");
  EXPECT_EQ(form_field("card_number=%4", "card_number"), std::nullopt);
  EXPECT_EQ(form_field("card_number=%zz", "card_number"), std::nullopt);
  EXPECT_EQ(form_field("other=1", "card_number"), std::nullopt);
  EXPECT_EQ(form_field("card_number", "card_number"), "");
}

TEST(SandboxPage, UrlOriginIsSchemeHostAndPortOnly) {
  EXPECT_EQ(url_origin("https://shop.example/back?a=1"), "https://shop.example");
  EXPECT_EQ(url_origin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(url_origin("javascript:alert(1)"), "");
  EXPECT_EQ(url_origin("https://a b/"), "");
  EXPECT_EQ(url_origin("https://x;script-src *"), "");
  EXPECT_EQ(url_origin("https:///path"), "");
}

}  // namespace
}  // namespace vitrina::acquirers
