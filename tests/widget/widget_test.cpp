#include "widget.hpp"

#include <gtest/gtest.h>

#include "fake_dom.hpp"

namespace vitrina::widget {
namespace {

using testing::FakeDom;

constexpr std::string_view kSite = "pk_0123456789ABCDEFGHIJabcd";

TEST(Widget, MountsTheLauncherForAValidSiteKey) {
  FakeDom dom;
  Widget widget(dom);
  ASSERT_TRUE(widget.mount(kSite, "ru-RU"));
  const Launcher* launcher = widget.launcher();
  ASSERT_NE(launcher, nullptr);
  EXPECT_EQ(dom.node(launcher->button()).attributes.at("aria-label"), "Открыть чат");
}

TEST(Widget, RefusesAMalformedSiteKeyAndTouchesNothing) {
  for (std::string_view key :
       {"", "pk_short", "sk_0123456789ABCDEFGHIJabcd", "pk_0123456789ABCDEFGHIJab<d", "pk_0123456789ABCDEFGHIJabcde"}) {
    FakeDom dom;
    Widget widget(dom);
    const auto mounted = widget.mount(key, "en");
    ASSERT_FALSE(mounted) << key;
    EXPECT_EQ(mounted.error().code, "invalid");
    EXPECT_EQ(mounted.error().field, "site");
    EXPECT_FALSE(widget.mounted());
    EXPECT_EQ(dom.calls, 0) << key;
  }
}

TEST(Widget, MountingTwiceIsRefused) {
  FakeDom dom;
  Widget widget(dom);
  ASSERT_TRUE(widget.mount(kSite, "en"));
  const int calls = dom.calls;
  const auto again = widget.mount(kSite, "en");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "conflict");
  EXPECT_EQ(dom.calls, calls);
  EXPECT_EQ(dom.element_children(kShadowRoot).size(), 1u);
}

TEST(Widget, LauncherClickTogglesThePanelState) {
  FakeDom dom;
  Widget widget(dom);
  ASSERT_TRUE(widget.mount(kSite, "en"));
  const Launcher* launcher = widget.launcher();
  ASSERT_NE(launcher, nullptr);
  widget.on_event(dom.node(launcher->button()).listeners.at("click"));
  EXPECT_TRUE(launcher->expanded());
  EXPECT_EQ(dom.node(launcher->button()).attributes.at("aria-expanded"), "true");
}

TEST(Widget, IgnoresUnknownAndEarlyEvents) {
  FakeDom dom;
  Widget widget(dom);
  widget.on_event(kLauncherClick);  // before mount
  EXPECT_EQ(dom.calls, 0);
  ASSERT_TRUE(widget.mount(kSite, "en"));
  const Launcher* launcher = widget.launcher();
  ASSERT_NE(launcher, nullptr);
  widget.on_event(9999);
  EXPECT_FALSE(launcher->expanded());
}

}  // namespace
}  // namespace vitrina::widget
