#include "launcher.hpp"

namespace vitrina::widget {

LauncherText launcher_text(Language language) noexcept {
  switch (language) {
    case Language::kRussian:
      return {"Открыть чат", "Есть вопросы? Напишите нам"};
    case Language::kEnglish:
      break;
  }
  return {"Open chat", "Questions? Chat with us"};
}

Launcher Launcher::mount(Dom& dom, NodeHandle parent, Language language, CallbackId click_callback) {
  const LauncherText text = launcher_text(language);

  const NodeHandle button = dom.create_element("button");
  // type=button: inside a page's <form> a default submit button would submit it.
  dom.set_attribute(button, "type", "button");
  dom.set_attribute(button, "class", kLauncherClass);
  dom.set_attribute(button, "aria-label", text.label);
  dom.set_attribute(button, "aria-expanded", "false");

  // The speech-bubble icon is drawn by the stylesheet; it has no content of its own.
  const NodeHandle icon = dom.create_element("span");
  dom.set_attribute(icon, "class", "vitrina-launcher-icon");
  dom.set_attribute(icon, "aria-hidden", "true");
  dom.append_child(button, icon);

  const NodeHandle tooltip = dom.create_element("span");
  dom.set_attribute(tooltip, "class", "vitrina-launcher-tooltip");
  dom.set_attribute(tooltip, "aria-hidden", "true");
  dom.set_text(tooltip, text.tooltip);
  dom.append_child(button, tooltip);

  dom.add_event_listener(button, "click", click_callback);
  // Appended last, so the page never shows a half-built button.
  dom.append_child(parent, button);
  return Launcher(button);
}

void Launcher::toggle(Dom& dom) {
  expanded_ = !expanded_;
  dom.set_attribute(button_, "aria-expanded", expanded_ ? "true" : "false");
}

}  // namespace vitrina::widget
