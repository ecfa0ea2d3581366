#include "launcher.hpp"

#include <gtest/gtest.h>

#include "fake_dom.hpp"

namespace vitrina::widget {
namespace {

using testing::FakeDom;

constexpr CallbackId kClick = 7;

TEST(Launcher, MountsOneButtonInTheShadowRoot) {
  FakeDom dom;
  const Launcher launcher = Launcher::mount(dom, kShadowRoot, Language::kEnglish, kClick);

  const auto top = dom.element_children(kShadowRoot);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0], launcher.button());
  const auto& button = dom.node(launcher.button());
  EXPECT_EQ(button.tag, "button");
  EXPECT_EQ(button.attributes.at("class"), "vitrina-launcher");
  // Not a submit button, so a page that wraps everything in a <form> is not submitted.
  EXPECT_EQ(button.attributes.at("type"), "button");
  EXPECT_EQ(button.attributes.at("aria-expanded"), "false");
}

TEST(Launcher, LabelIsEnglishOrRussian) {
  FakeDom en;
  const Launcher en_launcher = Launcher::mount(en, kShadowRoot, Language::kEnglish, kClick);
  EXPECT_EQ(en.node(en_launcher.button()).attributes.at("aria-label"), "Open chat");

  FakeDom ru;
  const Launcher ru_launcher = Launcher::mount(ru, kShadowRoot, Language::kRussian, kClick);
  EXPECT_EQ(ru.node(ru_launcher.button()).attributes.at("aria-label"), "Открыть чат");
}

TEST(Launcher, TooltipTextGoesInAsATextNode) {
  FakeDom dom;
  Launcher::mount(dom, kShadowRoot, Language::kRussian, kClick);

  const NodeHandle tooltip = dom.find_by_class("vitrina-launcher-tooltip");
  ASSERT_NE(tooltip, kNoNode);
  const auto& children = dom.node(tooltip).children;
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(dom.nodes[children[0]].tag, "#text");
  EXPECT_EQ(dom.nodes[children[0]].text, launcher_text(Language::kRussian).tooltip);
  // The tooltip repeats the label for sighted users; assistive technology reads aria-label.
  EXPECT_EQ(dom.node(tooltip).attributes.at("aria-hidden"), "true");
}

TEST(Launcher, NoStringLooksLikeMarkup) {
  // Every string the launcher hands to the Dom is plain text: nothing that would mean
  // something if a bridge ever parsed it as HTML.
  for (Language language : {Language::kEnglish, Language::kRussian}) {
    FakeDom dom;
    Launcher::mount(dom, kShadowRoot, language, kClick);
    for (const auto& node : dom.nodes) {
      EXPECT_EQ(node.text.find_first_of("<>&"), std::string::npos) << node.text;
      for (const auto& [name, value] : node.attributes) {
        EXPECT_NE(name.rfind("on", 0), 0u) << name;
        EXPECT_NE(name, "style");
        EXPECT_EQ(value.find_first_of("<>"), std::string::npos) << value;
      }
    }
  }
}

TEST(Launcher, IconIsHiddenFromAssistiveTechnology) {
  FakeDom dom;
  Launcher::mount(dom, kShadowRoot, Language::kEnglish, kClick);
  const NodeHandle icon = dom.find_by_class("vitrina-launcher-icon");
  ASSERT_NE(icon, kNoNode);
  EXPECT_EQ(dom.node(icon).attributes.at("aria-hidden"), "true");
  EXPECT_TRUE(dom.node(icon).children.empty());
}

TEST(Launcher, ListensForClicksWithTheGivenCallback) {
  FakeDom dom;
  const Launcher launcher = Launcher::mount(dom, kShadowRoot, Language::kEnglish, kClick);
  EXPECT_EQ(dom.node(launcher.button()).listeners.at("click"), kClick);
}

TEST(Launcher, ToggleFlipsAriaExpanded) {
  FakeDom dom;
  Launcher launcher = Launcher::mount(dom, kShadowRoot, Language::kEnglish, kClick);
  launcher.toggle(dom);
  EXPECT_TRUE(launcher.expanded());
  EXPECT_EQ(dom.node(launcher.button()).attributes.at("aria-expanded"), "true");
  launcher.toggle(dom);
  EXPECT_FALSE(launcher.expanded());
  EXPECT_EQ(dom.node(launcher.button()).attributes.at("aria-expanded"), "false");
}

}  // namespace
}  // namespace vitrina::widget
