#include "chat_view.hpp"

namespace vitrina::widget {

void ChatView::build(FormFields prechat, bool callback) {
  Dom& d = dom_;
  panel_ = d.create_element("div");
  d.set_attribute(panel_, "class", "vitrina-panel");
  d.set_attribute(panel_, "role", "dialog");
  d.set_attribute(panel_, "aria-label", texts_.title);
  d.set_hidden(panel_, true);
  d.set_attribute(panel_, "tabindex", "-1");
  d.add_event_listener(panel_, "keydown", kPanelKey);

  const NodeHandle header = d.add(panel_, "div", "vitrina-header");
  const NodeHandle heading = d.add(header, "div", "vitrina-heading");
  title_ = d.add_text(heading, "h2", "vitrina-title", texts_.title);
  status_ = d.add(heading, "p", "vitrina-status");
  d.set_attribute(status_, "role", "status");
  if (callback) {
    callback_button_ = d.add_text(header, "button", "vitrina-end vitrina-call", texts_.call_me);
    d.set_attribute(callback_button_, "type", "button");
    d.add_event_listener(callback_button_, "click", kCallbackToggle);
  }
  end_chat_ = d.add_text(header, "button", "vitrina-end", texts_.end_chat);
  d.set_attribute(end_chat_, "type", "button");
  d.set_hidden(end_chat_, true);
  d.add_event_listener(end_chat_, "click", kEndChatClick);
  const NodeHandle close = d.add(header, "button", "vitrina-close");
  d.set_attribute(close, "type", "button");
  d.set_attribute(close, "aria-label", texts_.close_panel);
  d.add_event_listener(close, "click", kCloseClick);

  log_ = d.add(panel_, "div", "vitrina-log");
  d.set_attribute(log_, "role", "log");
  d.set_attribute(log_, "aria-live", "polite");
  d.set_attribute(log_, "aria-label", texts_.log_label);
  d.set_attribute(log_, "tabindex", "0");  // scrollable with the keyboard

  typing_ = d.add(panel_, "div", "vitrina-typing");
  d.set_attribute(typing_, "aria-live", "polite");
  d.set_hidden(typing_, true);

  compose_ = d.add(panel_, "div", "vitrina-compose");
  composer_ = d.add(compose_, "textarea", "vitrina-input");
  d.set_attribute(composer_, "rows", "1");
  d.set_attribute(composer_, "aria-label", texts_.message_label);
  d.set_attribute(composer_, "placeholder", texts_.placeholder);
  d.set_attribute(composer_, "enterkeyhint", "send");
  d.add_event_listener(composer_, "keydown", kComposerKey);
  d.add_event_listener(composer_, "input", kComposerInput);
  d.add_event_listener(composer_, "blur", kComposerBlur);
  const NodeHandle send = d.add_text(compose_, "button", "vitrina-send", texts_.send);
  d.set_attribute(send, "type", "button");
  d.add_event_listener(send, "click", kSendClick);

  offline_ = build_form("vitrina-offline", texts_.offline_intro, FormFields{true, true, true}, true,
                        texts_.offline_send, kOfflineSend);
  offline_done_ = d.add_text(panel_, "p", "vitrina-done", texts_.offline_done);
  d.set_attribute(offline_done_, "role", "status");
  d.set_hidden(offline_done_, true);
  if (prechat.any()) {
    prechat_ = build_form("vitrina-prechat", texts_.prechat_intro, prechat, false, texts_.prechat_start, kPrechatStart);
  }

  if (callback) {
    callback_box_ = d.add(panel_, "div", "vitrina-form vitrina-callback");
    d.set_hidden(callback_box_, true);
  }

  // Appended last, so the page never shows a half-built panel.
  d.append_child(kShadowRoot, panel_);
}

Field ChatView::add_field(NodeHandle form, std::string_view label, std::string_view type,
                          std::string_view autocomplete) {
  // The label wraps its input: it names it for screen readers with no ids to keep unique.
  const NodeHandle wrap = dom_.add(form, "label", "vitrina-field");
  dom_.add_text(wrap, "span", "vitrina-label", label);
  Field field;
  field.wrap = wrap;
  if (type == "textarea" || type == "select") {
    field.input = dom_.add(wrap, type, "vitrina-input");
  } else {
    field.input = dom_.add(wrap, "input", "vitrina-input");
    dom_.set_attribute(field.input, "type", type);
  }
  if (!autocomplete.empty()) dom_.set_attribute(field.input, "autocomplete", autocomplete);
  field.error = dom_.add(wrap, "span", "vitrina-error");
  dom_.set_attribute(field.error, "role", "alert");
  return field;
}

FormNodes ChatView::build_form(std::string_view cls, std::string_view intro, FormFields fields, bool with_text,
                               std::string_view button, CallbackId submit) {
  FormNodes form;
  form.box = dom_.add(panel_, "div", "vitrina-form");
  dom_.set_attribute(form.box, "class", std::string("vitrina-form ").append(cls));
  dom_.set_attribute(form.box, "role", "form");
  dom_.set_attribute(form.box, "aria-label", intro);
  dom_.set_hidden(form.box, true);
  dom_.add_text(form.box, "p", "vitrina-intro", intro);
  if (fields.name) form.name = add_field(form.box, texts_.name, "text", "name");
  if (fields.email) form.email = add_field(form.box, texts_.email, "email", "email");
  if (fields.phone) form.phone = add_field(form.box, texts_.phone, "tel", "tel");
  if (with_text) {
    const NodeHandle wrap = dom_.add(form.box, "label", "vitrina-field");
    dom_.add_text(wrap, "span", "vitrina-label", texts_.message_label);
    form.text = dom_.add(wrap, "textarea", "vitrina-input");
    dom_.set_attribute(form.text, "rows", "3");
  }
  form.status = dom_.add(form.box, "p", "vitrina-error");
  dom_.set_attribute(form.status, "role", "alert");
  const NodeHandle submit_button = dom_.add_text(form.box, "button", "vitrina-submit", button);
  dom_.set_attribute(submit_button, "type", "button");
  dom_.add_event_listener(submit_button, "click", submit);
  return form;
}

void ChatView::show(bool open) { dom_.set_hidden(panel_, !open); }

void ChatView::set_status(std::string_view text) { dom_.set_text(status_, text); }

void ChatView::set_end_chat_visible(bool visible) { dom_.set_hidden(end_chat_, !visible); }

void ChatView::set_mode(PanelMode mode) {
  mode_ = mode;
  dom_.set_hidden(compose_, mode != PanelMode::kChat);
  dom_.set_hidden(offline_.box, mode != PanelMode::kOffline);
  dom_.set_hidden(offline_done_, mode != PanelMode::kOfflineDone);
  if (prechat_.box != kNoNode) dom_.set_hidden(prechat_.box, mode != PanelMode::kPrechat);
  if (callback_box_ != kNoNode) dom_.set_hidden(callback_box_, mode != PanelMode::kCallback);
  // The log is the chat; next to a form it would only push the form off a small screen.
  dom_.set_hidden(log_, mode == PanelMode::kOffline || mode == PanelMode::kPrechat || mode == PanelMode::kCallback);
  dom_.set_text(title_, mode == PanelMode::kCallback ? texts_.callback_title : texts_.title);
}

MessageNodes ChatView::add_message(std::string_view author, std::string_view text, bool own, std::string_view meta) {
  MessageNodes m;
  m.box = dom_.create_element("div");
  dom_.set_attribute(m.box, "class", own ? "vitrina-msg vitrina-own" : "vitrina-msg");
  if (!own && !author.empty()) dom_.add_text(m.box, "span", "vitrina-author", author);
  dom_.add_text(m.box, "p", "vitrina-text", text);
  m.meta = dom_.add_text(m.box, "span", "vitrina-meta", meta);
  dom_.append_child(log_, m.box);
  dom_.scroll_to_end(log_);
  return m;
}

void ChatView::set_callback_button(bool in_callback, bool chat) {
  if (callback_button_ == kNoNode) return;
  dom_.set_text(callback_button_, in_callback ? texts_.back_to_chat : texts_.call_me);
  dom_.set_hidden(callback_button_, in_callback && !chat);
}

NodeHandle ChatView::add_card(std::string_view cls) {
  const NodeHandle card = dom_.add(log_, "div", cls);
  dom_.scroll_to_end(log_);
  return card;
}

void ChatView::add_notice(std::string_view text) {
  dom_.add_text(log_, "p", "vitrina-notice", text);
  dom_.scroll_to_end(log_);
}

void ChatView::set_meta(const MessageNodes& message, std::string_view text) { dom_.set_text(message.meta, text); }

void ChatView::show_typing(std::string_view text) {
  dom_.set_text(typing_, text);
  dom_.set_hidden(typing_, false);
}

void ChatView::hide_typing() { dom_.set_hidden(typing_, true); }

void ChatView::set_field_error(const Field& field, std::string_view message) {
  if (field.input == kNoNode) return;
  dom_.set_text(field.error, message);
  if (message.empty())
    dom_.remove_attribute(field.input, "aria-invalid");
  else
    dom_.set_attribute(field.input, "aria-invalid", "true");
}

void ChatView::focus_input() {
  switch (mode_) {
    case PanelMode::kChat:
      dom_.focus(composer_);
      break;
    case PanelMode::kOffline:
      dom_.focus(offline_.name.input);
      break;
    case PanelMode::kPrechat: {
      const FormNodes& p = prechat_;
      dom_.focus(p.name.input != kNoNode ? p.name.input : p.email.input != kNoNode ? p.email.input : p.phone.input);
      break;
    }
    case PanelMode::kOfflineDone:
    case PanelMode::kCallback:
      dom_.focus(panel_);
      break;
  }
}

}  // namespace vitrina::widget
