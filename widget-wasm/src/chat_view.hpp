#pragma once
// The chat panel's DOM: built once, then changed piece by piece. Only structure and words live
// here; what is shown when is decided by Widget.
//
//   div.vitrina-panel[role=dialog]
//     div.vitrina-header: title, status, "end chat", close
//     div.vitrina-log[role=log]: messages and notices
//     div.vitrina-typing[aria-live]
//     div.vitrina-compose: textarea, send          (chat)
//     div.vitrina-form.vitrina-offline: fields      (nobody online)
//     div.vitrina-form.vitrina-prechat: fields      (optional, before the first message)

#include <cstdint>
#include <string_view>

#include "dom.hpp"
#include "texts.hpp"

namespace vitrina::widget {

// The listeners the panel registers with the bridge.
enum : CallbackId {
  kToggleClick = 1,  // not a DOM listener: the loader's launcher click arrives as a command
  kCloseClick = 2,
  kSendClick = 3,
  kComposerKey = 4,
  kComposerInput = 5,
  kPanelKey = 6,
  kOfflineSend = 7,
  kPrechatStart = 8,
  kEndChatClick = 9,
  kGreetingClick = 10,
  kGreetingDismiss = 11,
  kComposerBlur = 12,
  kCallbackSubmit = 13,
  kCallbackToggle = 14,
  kCsatSubmit = 15,
  kPageRatingDismiss = 16,
  kCsatScore = 100,        // + score 1..5
  kPageRatingScore = 200,  // + score 0..10
};

// Which of the panel's bottom parts is shown.
enum class PanelMode : std::uint8_t { kChat, kOffline, kOfflineDone, kPrechat, kCallback };

// Which fields a form asks for.
struct FormFields {
  bool name = false;
  bool email = false;
  bool phone = false;
  bool any() const noexcept { return name || email || phone; }
};

// One labelled input of a form and the line that says what is wrong with it.
struct Field {
  NodeHandle wrap = kNoNode;  // the <label> holding the rest
  NodeHandle input = kNoNode;
  NodeHandle error = kNoNode;
};

struct FormNodes {
  NodeHandle box = kNoNode;
  Field name, email, phone;
  NodeHandle text = kNoNode;  // the offline message's textarea
  NodeHandle status = kNoNode;
};

// A message bubble: the element and the line under it (sending, sent, read).
struct MessageNodes {
  NodeHandle box = kNoNode;
  NodeHandle meta = kNoNode;
};

class ChatView {
 public:
  ChatView(Dom& dom, const Texts& texts) : dom_(dom), texts_(texts) {}

  // Builds the hidden panel in the shadow root. `prechat` lists the pre-chat form's fields;
  // `callback` adds the header's "call me back" button and the callback form's container.
  void build(FormFields prechat, bool callback);
  // The callback widget's container (kNoNode without one).
  NodeHandle callback_box() const noexcept { return callback_box_; }
  // The header's callback button says "Call me back" or, in the callback form, "Back to chat";
  // `chat` false hides it there (a callback-only widget has nothing to go back to).
  void set_callback_button(bool in_callback, bool chat);
  // Appends a card to the log (the CSAT form) and returns it.
  NodeHandle add_card(std::string_view cls);

  void show(bool open);
  void set_status(std::string_view text);
  void set_mode(PanelMode mode);
  void set_end_chat_visible(bool visible);

  // Appends a bubble. `own`: written by this visitor; `author` is shown above other people's.
  MessageNodes add_message(std::string_view author, std::string_view text, bool own, std::string_view meta);
  // Appends a centred line (conversation ended, system messages).
  void add_notice(std::string_view text);
  void set_meta(const MessageNodes& message, std::string_view text);

  void show_typing(std::string_view text);
  void hide_typing();

  // Focuses what the visitor uses next in the current mode.
  void focus_input();

  std::string composer_text() { return dom_.value(composer_); }
  void clear_composer() { dom_.set_value(composer_, ""); }

  FormNodes& offline() noexcept { return offline_; }
  FormNodes& prechat() noexcept { return prechat_; }
  // Shows `message` under a field (or clears it with "").
  void set_field_error(const Field& field, std::string_view message);

  NodeHandle panel() const noexcept { return panel_; }
  NodeHandle log() const noexcept { return log_; }
  NodeHandle composer() const noexcept { return composer_; }
  PanelMode mode() const noexcept { return mode_; }

 private:
  Field add_field(NodeHandle form, std::string_view label, std::string_view type, std::string_view autocomplete);

 public:
  // A labelled input (or textarea, for type "textarea") appended to `form`.
  Field field(NodeHandle form, std::string_view label, std::string_view type, std::string_view autocomplete) {
    return add_field(form, label, type, autocomplete);
  }

 private:
  FormNodes build_form(std::string_view cls, std::string_view intro, FormFields fields, bool with_text,
                       std::string_view button, CallbackId submit);

  Dom& dom_;
  const Texts& texts_;
  NodeHandle panel_ = kNoNode, status_ = kNoNode, end_chat_ = kNoNode, log_ = kNoNode;
  NodeHandle typing_ = kNoNode, compose_ = kNoNode, composer_ = kNoNode;
  FormNodes offline_, prechat_;
  NodeHandle offline_done_ = kNoNode;
  NodeHandle callback_button_ = kNoNode, callback_box_ = kNoNode, title_ = kNoNode;
  PanelMode mode_ = PanelMode::kChat;
};

}  // namespace vitrina::widget
