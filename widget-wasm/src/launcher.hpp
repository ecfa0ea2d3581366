#pragma once
// The launcher: the round button in the corner that opens the chat. It is the first piece of
// the online-consultant widget; the panel it opens comes later, so for now a click only flips
// aria-expanded.

#include <string_view>

#include "dom.hpp"
#include "language.hpp"

namespace vitrina::widget {

// The launcher's words in one language. The label is the button's accessible name; the tooltip
// is the same idea shown on hover and focus (hidden from assistive technology, which reads the
// label).
struct LauncherText {
  std::string_view label;
  std::string_view tooltip;
};

LauncherText launcher_text(Language language) noexcept;

inline constexpr std::string_view kLauncherClass = "vitrina-launcher";

class Launcher {
 public:
  // Builds <button class="vitrina-launcher" aria-label=…> with an icon and a tooltip, appends
  // it to `parent`, and asks for `click_callback` on every click.
  static Launcher mount(Dom& dom, NodeHandle parent, Language language, CallbackId click_callback);

  // Opens or closes the (future) chat panel; the state is mirrored in aria-expanded.
  void toggle(Dom& dom);

  bool expanded() const noexcept { return expanded_; }
  NodeHandle button() const noexcept { return button_; }

 private:
  explicit Launcher(NodeHandle button) : button_(button) {}

  NodeHandle button_;
  bool expanded_ = false;
};

}  // namespace vitrina::widget
