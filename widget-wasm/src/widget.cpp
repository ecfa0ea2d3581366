#include "widget.hpp"

#include <algorithm>

#include <vitrina/protocol/chat_codec.hpp>
#include <vitrina/protocol/chat_rules.hpp>
#include <vitrina/protocol/json.hpp>
#include <vitrina/protocol/json_reader.hpp>
#include <vitrina/protocol/page_pattern.hpp>

namespace vitrina::widget {

namespace {

// The operator stops being shown as typing after this long without a renewal (protocol.md).
constexpr std::int64_t kTypingShownMs = 6'000;

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string message_json(const chat::MessageEvent& message) {
  protocol::JsonWriter w;
  chat::write_message(w, message);
  return std::move(w).str();
}

}  // namespace

protocol::Result<void> Widget::mount(std::string_view config_json) {
  if (client_) return protocol::make_error(protocol::ErrorCode::conflict, "the widget is already mounted");
  auto config = parse_mount_config(config_json);
  if (!config) return std::move(config).error();
  config_ = std::move(*config);
  texts_ = &texts(config_.language);

  launcher_.emplace(dom_, *texts_);
  view_.emplace(dom_, *texts_);
  const Widgets& widgets = config_.widgets;
  view_->build(config_.prechat, widgets.callback);
  client_.emplace(host_, *this, config_.socket_url, "vitrina:" + config_.site);
  client_->update_context(config_.page);
  const std::string page_url = config_.page.url.value_or("");
  if (widgets.callback) {
    callback_.emplace(dom_, host_, *view_, *texts_, config_.api_url, page_url);
    callback_->build(view_->callback_box());
  }
  rating_.emplace(dom_, host_, *view_, *texts_, config_.api_url, page_url);
  if (widgets.page_rating) rating_->check_page();
  prechat_done_ = !config_.prechat.any();
  callback_mode_ = !widgets.chat;
  update_mode();
  update_status();

  // A returning visitor (a token kept from an earlier visit) gets their conversation and its
  // unread replies back without clicking.
  if (widgets.chat && !client_->token().empty()) {
    interacted_ = true;
    client_->connect();
  }
  const auto greeted = [&](std::string_view path) {
    return config_.greeting_pages.empty() ||
           std::any_of(config_.greeting_pages.begin(), config_.greeting_pages.end(),
                       [&](const std::string& pattern) { return protocol::path_matches(pattern, path); });
  };
  if (!config_.greeting.empty() && config_.page.url && greeted(protocol::url_path(*config_.page.url))) {
    host_.timer_start(TimerId::kGreeting, config_.greeting_after_ms);
  }
  return {};
}

protocol::Result<void> Widget::command(std::string_view name, std::string_view json) {
  if (!client_) return protocol::make_error(protocol::ErrorCode::not_allowed, "the widget is not mounted");
  if (name == "open" || name == "toggle") {
    interacted();
    set_open(name == "open" ? true : !open_);
    return {};
  }
  if (name == "close") {
    set_open(false);
    return {};
  }
  if (name == "identify") return identify(json);
  if (name == "set") return set_attributes(json);
  return protocol::make_error(protocol::ErrorCode::invalid, "unknown command", "command");
}

void Widget::interacted() {
  hide_greeting();
  greeting_done_ = true;
  if (interacted_) return;
  interacted_ = true;
  client_->allow_storage();
  if (config_.widgets.chat) client_->connect();
}

void Widget::set_callback_mode(bool on) {
  callback_mode_ = on || !config_.widgets.chat;
  update_mode();
  if (callback_mode_ && callback_)
    callback_->shown();
  else
    view_->focus_input();
}

void Widget::set_open(bool open) {
  if (open_ == open) return;
  open_ = open;
  view_->show(open);
  launcher_->set_expanded(open);
  if (open) {
    launcher_->set_unread(0);
    mark_seen();
    view_->focus_input();
    if (callback_mode_ && callback_) callback_->shown();
    host_.emit("open", "{}");
  } else {
    client_->set_typing(false);
    dom_.focus(kLauncherButton);
    host_.emit("close", "{}");
  }
}

void Widget::mark_seen() {
  if (open_ && last_shown_seq_ > 0) client_->mark_read(last_shown_seq_);
}

bool Widget::on_event(CallbackId callback, Key key) {
  if (!client_) return false;
  switch (callback) {
    case kCloseClick:
      set_open(false);
      return false;
    case kSendClick:
      send_composer();
      return false;
    case kComposerKey:
      // Enter sends, Shift+Enter is a new line.
      if (key != Key::kEnter) return false;
      send_composer();
      return true;
    case kComposerInput:
      interacted();
      client_->set_typing(true);
      return false;
    case kComposerBlur:
      client_->set_typing(false);
      return false;
    case kPanelKey:
      if (key != Key::kEscape) return false;
      set_open(false);
      return true;
    case kOfflineSend:
      submit_offline();
      return false;
    case kPrechatStart:
      submit_prechat();
      return false;
    case kEndChatClick:
      client_->close_conversation();
      return false;
    case kGreetingClick:
      interacted();
      set_open(true);
      return false;
    case kGreetingDismiss:
      hide_greeting();
      greeting_done_ = true;
      return false;
    case kCallbackToggle:
      interacted();
      set_callback_mode(!callback_mode_);
      return false;
    default:
      if (callback_ && callback_->on_event(callback)) return false;
      if (rating_->on_event(callback)) interacted();
      return false;
  }
}

void Widget::on_http(RequestId id, int status, std::string_view body) {
  if (!client_) return;
  if (id == RequestId::kCallbackOptions || id == RequestId::kCallbackSend) {
    if (callback_) callback_->on_http(id, status, body);
    return;
  }
  rating_->on_http(id, status, body);
}

void Widget::on_timer(TimerId id) {
  if (!client_) return;
  switch (id) {
    case TimerId::kOperatorTyping:
      view_->hide_typing();
      return;
    case TimerId::kGreeting:
      show_greeting();
      return;
    case TimerId::kPow:
    case TimerId::kCountdown:
      if (callback_) callback_->on_timer(id);
      return;
    default:
      client_->on_timer(id);
  }
}

void Widget::send_composer() {
  const std::string text = view_->composer_text();
  if (blank(text)) return;
  interacted();
  auto sent = client_->send(text);
  if (!sent) {
    view_->add_notice(std::string(texts_->not_sent) + sent.error().message);
    return;
  }
  view_->clear_composer();
  own_.push_back(OwnMessage{*sent, text, 0, view_->add_message("", text, true, texts_->sending), false});
  update_mode();
}

void Widget::submit_offline() {
  FormNodes& form = view_->offline();
  const std::string name = dom_.value(form.name.input), email = dom_.value(form.email.input),
                    phone = dom_.value(form.phone.input), text = dom_.value(form.text);
  for (const Field* f : {&form.name, &form.email, &form.phone}) view_->set_field_error(*f, "");
  dom_.set_text(form.status, "");
  interacted();
  auto sent = client_->leave_offline(name, email, phone, text);
  if (!sent) {
    const protocol::Error& e = sent.error();
    const std::string message = std::string(texts_->check_field) + e.message;
    if (e.field == "name")
      view_->set_field_error(form.name, message);
    else if (e.field == "email" && email.empty() && phone.empty())
      dom_.set_text(form.status, texts_->need_contact);
    else if (e.field == "email")
      view_->set_field_error(form.email, message);
    else if (e.field == "phone")
      view_->set_field_error(form.phone, message);
    else
      dom_.set_text(form.status, message);
    return;
  }
  offline_id_ = *sent;
  dom_.set_text(form.status, texts_->sending);
}

void Widget::submit_prechat() {
  FormNodes& form = view_->prechat();
  chat::VisitorContext who;
  bool ok = true;
  auto check = [&](const Field& field, std::optional<std::string>& into, auto rule) {
    if (field.input == kNoNode) return;
    std::string value = dom_.value(field.input);
    auto checked = value.empty()
                       ? protocol::Result<void>(protocol::make_error(protocol::ErrorCode::invalid, "required"))
                       : rule(value);
    view_->set_field_error(field, checked ? "" : std::string(texts_->check_field) + checked.error().message);
    ok = ok && checked;
    into = std::move(value);
  };
  check(form.name, who.name, [](std::string_view v) { return chat::check_line(v, chat::kMaxNameChars, "name"); });
  check(form.email, who.email, [](std::string_view v) { return chat::check_email(v); });
  check(form.phone, who.phone, [](std::string_view v) { return chat::check_phone(v); });
  if (!ok) return;
  interacted();
  client_->update_context(who);
  prechat_done_ = true;
  update_mode();
  view_->focus_input();
}

void Widget::update_mode() {
  const bool open_conversation = conversation_ && conversation_->status != chat::ConversationStatus::closed;
  PanelMode mode = PanelMode::kChat;
  if (callback_mode_) {
    mode = PanelMode::kCallback;
  } else if (offline_done_) {
    mode = PanelMode::kOfflineDone;
  } else if (!open_conversation && own_.empty() && presence_ && presence_->status != chat::Availability::online) {
    mode = PanelMode::kOffline;
  } else if (!prechat_done_ && !open_conversation && own_.empty()) {
    mode = PanelMode::kPrechat;
  }
  if (mode != view_->mode()) {
    view_->set_mode(mode);
    // What had focus may have just been hidden: give it to what is shown now.
    if (open_) view_->focus_input();
  }
  view_->set_end_chat_visible(open_conversation && !callback_mode_);
  view_->set_callback_button(callback_mode_, config_.widgets.chat);
}

void Widget::update_status() {
  const Connection c = client_->connection();
  std::string_view text = texts_->connecting;
  if (c == Connection::kReady || c == Connection::kIdle || c == Connection::kRefused) {
    if (conversation_ && conversation_->status != chat::ConversationStatus::closed && conversation_->assignee &&
        !conversation_->assignee->name.empty()) {
      text = conversation_->assignee->name;
    } else if (!presence_ || presence_->status == chat::Availability::online) {
      text = texts_->online;
    } else {
      text = presence_->status == chat::Availability::offline ? texts_->offline : texts_->closed;
    }
  }
  view_->set_status(text);
}

void Widget::on_connection(Connection) { update_status(); }

void Widget::on_session(const chat::VisitorSession& session) {
  if (!session.conversation) conversation_.reset();
  update_mode();
}

void Widget::on_message(const chat::MessageEvent& message, bool live) {
  last_shown_seq_ = std::max(last_shown_seq_, message.seq);
  switch (message.author.role) {
    case chat::AuthorRole::system:
      view_->add_notice(message.text);
      break;
    case chat::AuthorRole::visitor:
      // Written by this visitor on another device or before a reload.
      view_->add_message("", message.text, true, texts_->sent);
      break;
    case chat::AuthorRole::operator_: {
      view_->hide_typing();
      host_.timer_stop(TimerId::kOperatorTyping);
      view_->add_message(message.author.name.empty() ? texts_->operator_ : std::string_view(message.author.name),
                         message.text, false, "");
      if (live && !open_) {
        launcher_->set_unread(launcher_->unread() + 1);
        host_.play_sound();
      }
      break;
    }
  }
  mark_seen();
  update_mode();
  if (live) host_.emit("message", message_json(message));
}

void Widget::on_sent(const chat::Ack& ack) {
  if (ack.client_id == offline_id_) {
    offline_id_.clear();
    offline_done_ = true;
    update_mode();
    return;
  }
  auto it = std::find_if(own_.begin(), own_.end(), [&](const OwnMessage& m) { return m.client_id == ack.client_id; });
  if (it == own_.end()) return;
  it->seq = ack.seq;
  last_shown_seq_ = std::max(last_shown_seq_, ack.seq);
  view_->set_meta(it->nodes, texts_->sent);
  chat::MessageEvent event{ack.conversation_id, ack.seq, ack.client_id, {}, it->text, false, ack.created_at_ms};
  host_.emit("message", message_json(event));
}

void Widget::on_typing(const chat::TypingEvent& typing) {
  if (typing.author.role != chat::AuthorRole::operator_) return;
  if (!typing.typing) {
    view_->hide_typing();
    host_.timer_stop(TimerId::kOperatorTyping);
    return;
  }
  const std::string_view name = typing.author.name.empty() ? texts_->operator_ : std::string_view(typing.author.name);
  view_->show_typing(std::string(name).append(texts_->is_typing));
  host_.timer_start(TimerId::kOperatorTyping, kTypingShownMs);
}

void Widget::on_read(const chat::ReadEvent& read) {
  if (read.reader.role != chat::AuthorRole::operator_) return;
  for (OwnMessage& m : own_) {
    if (m.seq > 0 && m.seq <= read.seq && !m.read) {
      m.read = true;
      view_->set_meta(m.nodes, texts_->read);
    }
  }
}

void Widget::on_presence(const chat::PresenceEvent& presence) {
  presence_ = presence;
  update_status();
  update_mode();
}

void Widget::on_conversation(const chat::Conversation& conversation) {
  const bool was_open = conversation_ && conversation_->id == conversation.id &&
                        conversation_->status != chat::ConversationStatus::closed;
  conversation_ = conversation;
  if (was_open && conversation.status == chat::ConversationStatus::closed) {
    view_->add_notice(texts_->ended);
    if (config_.widgets.csat) rating_->ask_csat(conversation.id);
    view_->add_notice(texts_->new_chat);
    own_.clear();
  }
  update_status();
  update_mode();
}

void Widget::on_refused(const chat::ErrorEvent& error) {
  auto it = std::find_if(own_.begin(), own_.end(), [&](const OwnMessage& m) { return m.client_id == error.client_id; });
  if (!error.client_id.empty() && it != own_.end()) {
    view_->set_meta(it->nodes, std::string(texts_->not_sent).append(error.message));
    return;
  }
  if (!error.client_id.empty() && error.client_id == offline_id_) {
    offline_id_.clear();
    dom_.set_text(view_->offline().status, std::string(texts_->check_field).append(error.message));
    return;
  }
  protocol::JsonWriter w;
  w.begin_object().key("code").value(protocol::error_code_name(error.code)).key("message").value(error.message);
  if (!error.field.empty()) w.key("field").value(error.field);
  w.end_object();
  host_.emit("error", w.str());
}

void Widget::show_greeting() {
  if (open_ || greeting_done_ || greeting_ != kNoNode) return;
  greeting_ = dom_.create_element("div");
  dom_.set_attribute(greeting_, "class", "vitrina-greeting");
  dom_.set_attribute(greeting_, "role", "status");
  const NodeHandle text = dom_.add_text(greeting_, "button", "vitrina-greeting-text", config_.greeting);
  dom_.set_attribute(text, "type", "button");
  dom_.add_event_listener(text, "click", kGreetingClick);
  const NodeHandle dismiss = dom_.add(greeting_, "button", "vitrina-greeting-close");
  dom_.set_attribute(dismiss, "type", "button");
  dom_.set_attribute(dismiss, "aria-label", texts_->close_panel);
  dom_.add_event_listener(dismiss, "click", kGreetingDismiss);
  dom_.append_child(kShadowRoot, greeting_);
}

void Widget::hide_greeting() {
  host_.timer_stop(TimerId::kGreeting);
  if (greeting_ == kNoNode) return;
  dom_.remove(greeting_);
  greeting_ = kNoNode;
}

}  // namespace vitrina::widget
