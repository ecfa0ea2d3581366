#include "launcher.hpp"

#include <gtest/gtest.h>

#include "fakes.hpp"

namespace vitrina::widget {
namespace {

using testing::FakeDom;

TEST(Launcher, ExpandedStateIsInAriaExpandedAndTheLabel) {
  FakeDom dom;
  Launcher launcher(dom, texts(Language::kEnglish));
  launcher.set_expanded(true);
  EXPECT_EQ(dom.attr(kLauncherButton, "aria-expanded"), "true");
  EXPECT_EQ(dom.attr(kLauncherButton, "aria-label"), "Close chat");
  launcher.set_expanded(false);
  EXPECT_EQ(dom.attr(kLauncherButton, "aria-expanded"), "false");
  EXPECT_EQ(dom.attr(kLauncherButton, "aria-label"), "Open chat");
}

TEST(Launcher, UnreadCountShowsOnTheBadgeAndInTheLabel) {
  FakeDom dom;
  Launcher launcher(dom, texts(Language::kRussian));
  launcher.set_unread(3);
  EXPECT_EQ(dom.text_content(kLauncherBadge), "3");
  EXPECT_FALSE(dom.has_attr(kLauncherBadge, "hidden"));
  EXPECT_EQ(dom.attr(kLauncherButton, "aria-label"), "Открыть чат, непрочитанных сообщений: 3");
  launcher.set_unread(250);
  EXPECT_EQ(dom.text_content(kLauncherBadge), "99+");
  launcher.set_unread(0);
  EXPECT_TRUE(dom.has_attr(kLauncherBadge, "hidden"));
  EXPECT_EQ(dom.attr(kLauncherButton, "aria-label"), "Открыть чат");
}

TEST(Texts, EveryStringIsPresentAndPlainInBothLanguages) {
  for (Language language : {Language::kEnglish, Language::kRussian}) {
    const Texts& t = texts(language);
    for (std::string_view s :
         {t.open_chat,     t.close_chat,  t.unread,   t.title,       t.online,        t.offline,      t.closed,
          t.connecting,    t.close_panel, t.end_chat, t.log_label,   t.message_label, t.placeholder,  t.send,
          t.sending,       t.sent,        t.read,     t.not_sent,    t.you,           t.operator_,    t.is_typing,
          t.offline_intro, t.name,        t.email,    t.phone,       t.offline_send,  t.offline_done, t.prechat_intro,
          t.prechat_start, t.ended,       t.new_chat, t.check_field, t.need_contact}) {
      EXPECT_FALSE(s.empty());
      EXPECT_EQ(s.find_first_of("<>&"), std::string_view::npos) << s;
    }
  }
  EXPECT_NE(texts(Language::kEnglish).send, texts(Language::kRussian).send);
}

}  // namespace
}  // namespace vitrina::widget
