#include "launcher.hpp"

#include <string>

namespace vitrina::widget {

void Launcher::set_expanded(bool expanded) {
  expanded_ = expanded;
  dom_.set_attribute(kLauncherButton, "aria-expanded", expanded ? "true" : "false");
  relabel();
}

void Launcher::set_unread(int count) {
  unread_ = count < 0 ? 0 : count;
  const std::string shown = unread_ > kMaxUnreadShown ? std::to_string(kMaxUnreadShown) + "+" : std::to_string(unread_);
  dom_.set_text(kLauncherBadge, unread_ ? shown : "");
  dom_.set_hidden(kLauncherBadge, unread_ == 0);
  relabel();
}

void Launcher::relabel() {
  std::string label;
  if (expanded_) {
    label = texts_.close_chat;
  } else if (unread_ > 0) {
    label = std::string(texts_.unread) + std::to_string(unread_);
  } else {
    label = texts_.open_chat;
  }
  dom_.set_attribute(kLauncherButton, "aria-label", label);
}

}  // namespace vitrina::widget
