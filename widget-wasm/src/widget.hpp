#pragma once
// The widget as a whole: what vitrina_mount and vitrina_event do, kept free of Emscripten so
// that it runs in native tests against a fake Dom.

#include <optional>
#include <string_view>

#include <vitrina/protocol/result.hpp>

#include "dom.hpp"
#include "launcher.hpp"

namespace vitrina::widget {

// The callbacks the widget registers with the bridge.
enum : CallbackId { kLauncherClick = 1 };

class Widget {
 public:
  explicit Widget(Dom& dom) : dom_(dom) {}

  // Mounts the launcher in the shadow root for the site named by `site_key` (a pk_… public
  // key), speaking `language_tag`. Fails, touching nothing, if the key is malformed or the
  // widget is already mounted.
  protocol::Result<void> mount(std::string_view site_key, std::string_view language_tag);

  // Routes a DOM event from the bridge. Unknown ids are ignored: they can only come from a
  // confused page, and the widget must not break because of one.
  void on_event(CallbackId callback);

  bool mounted() const noexcept { return launcher_.has_value(); }
  const Launcher* launcher() const noexcept { return launcher_ ? &*launcher_ : nullptr; }

 private:
  Dom& dom_;
  std::optional<Launcher> launcher_;
};

}  // namespace vitrina::widget
