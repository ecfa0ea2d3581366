#include "widget.hpp"

#include <vitrina/protocol/keys.hpp>

namespace vitrina::widget {

protocol::Result<void> Widget::mount(std::string_view site_key, std::string_view language_tag) {
  if (launcher_) return protocol::make_error("conflict", "the widget is already mounted");
  if (!protocol::is_public_key(site_key)) {
    return protocol::make_error("invalid", "data-site is not a site public key (pk_…)", "site");
  }
  launcher_ = Launcher::mount(dom_, kShadowRoot, parse_language(language_tag), kLauncherClick);
  return {};
}

void Widget::on_event(CallbackId callback) {
  if (callback == kLauncherClick && launcher_) launcher_->toggle(dom_);
}

}  // namespace vitrina::widget
