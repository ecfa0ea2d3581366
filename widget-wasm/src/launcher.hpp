#pragma once
// The launcher: the round button in the corner. The loader draws it (so that it shows before
// the module is fetched) and hands it over as kLauncherButton with its badge kLauncherBadge;
// from then on the module keeps its state: expanded or not, and the unread count.

#include "dom.hpp"
#include "texts.hpp"

namespace vitrina::widget {

inline constexpr int kMaxUnreadShown = 99;  // more shows as "99+"

class Launcher {
 public:
  Launcher(Dom& dom, const Texts& texts) : dom_(dom), texts_(texts) {}

  // Mirrors the panel's state in aria-expanded and the accessible name.
  void set_expanded(bool expanded);
  // Shows `count` unread messages on the badge (hidden at 0) and in the accessible name.
  void set_unread(int count);

  bool expanded() const noexcept { return expanded_; }
  int unread() const noexcept { return unread_; }

 private:
  void relabel();

  Dom& dom_;
  const Texts& texts_;
  bool expanded_ = false;
  int unread_ = 0;
};

}  // namespace vitrina::widget
