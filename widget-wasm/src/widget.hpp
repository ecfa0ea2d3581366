#pragma once
// The widget as a whole: what the module's exports do, kept free of Emscripten so that it runs
// in native tests against a fake Dom and Host. It owns the launcher's state, the chat panel and
// the chat client, routes DOM events, page commands and socket traffic, and decides what the
// panel shows: the chat, the offline form, or the pre-chat form.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vitrina/protocol/result.hpp>

#include "callback_widget.hpp"
#include "chat_client.hpp"
#include "chat_view.hpp"
#include "config.hpp"
#include "dom.hpp"
#include "host.hpp"
#include "launcher.hpp"
#include "rating_widget.hpp"

namespace vitrina::widget {

// A message this page sent, waiting for its seq (ack) and then for the operator to read it.
struct OwnMessage {
  std::string client_id;
  std::string text;
  std::int64_t seq = 0;  // 0 until acknowledged
  MessageNodes nodes;
  bool read = false;
};

class Widget final : public ChatListener {
 public:
  Widget(Dom& dom, Host& host) : dom_(dom), host_(host) {}

  // Mounts the widget described by the loader's JSON config. Fails, touching nothing, if the
  // config is malformed (a bad site key, a bad socket URL) or the widget is already mounted.
  protocol::Result<void> mount(std::string_view config_json);

  // A command from the page's Vitrina(name, arg) or the launcher ("toggle"). `json` is the
  // argument as JSON, or empty. Errors name what is wrong; the page gets them as a warning.
  protocol::Result<void> command(std::string_view name, std::string_view json);

  // A DOM event from the bridge; answers whether to prevent the event's default action.
  // Unknown ids are ignored: the widget must not break because of a confused page.
  bool on_event(CallbackId callback, Key key);
  void on_timer(TimerId id);
  // The answer to a Host::http request.
  void on_http(RequestId id, int status, std::string_view body);

  ChatClient* client() noexcept { return client_ ? &*client_ : nullptr; }
  bool mounted() const noexcept { return client_.has_value(); }
  bool open() const noexcept { return open_; }
  int unread() const noexcept { return launcher_ ? launcher_->unread() : 0; }
  CallbackWidget* callback() noexcept { return callback_ ? &*callback_ : nullptr; }
  RatingWidget* rating() noexcept { return rating_ ? &*rating_ : nullptr; }

  // ChatListener
  void on_connection(Connection state) override;
  void on_session(const chat::VisitorSession& session) override;
  void on_message(const chat::MessageEvent& message, bool live) override;
  void on_sent(const chat::Ack& ack) override;
  void on_typing(const chat::TypingEvent& typing) override;
  void on_read(const chat::ReadEvent& read) override;
  void on_presence(const chat::PresenceEvent& presence) override;
  void on_conversation(const chat::Conversation& conversation) override;
  void on_refused(const chat::ErrorEvent& error) override;

 private:
  void set_open(bool open);
  void set_callback_mode(bool on);
  void interacted();
  void send_composer();
  void submit_offline();
  void submit_prechat();
  void update_mode();
  void update_status();
  void show_greeting();
  void hide_greeting();
  void mark_seen();
  protocol::Result<void> identify(std::string_view json);
  protocol::Result<void> set_attributes(std::string_view json);

  Dom& dom_;
  Host& host_;
  MountConfig config_;
  const Texts* texts_ = nullptr;
  std::optional<Launcher> launcher_;
  std::optional<ChatView> view_;
  std::optional<ChatClient> client_;
  std::optional<CallbackWidget> callback_;
  std::optional<RatingWidget> rating_;
  bool callback_mode_ = false;  // the panel shows the callback form
  bool open_ = false;
  bool interacted_ = false;
  bool prechat_done_ = false;
  std::string offline_id_;  // the offline message waiting for its ack
  bool offline_done_ = false;
  std::optional<chat::PresenceEvent> presence_;
  std::optional<chat::Conversation> conversation_;
  std::vector<OwnMessage> own_;
  std::int64_t last_shown_seq_ = 0;
  NodeHandle greeting_ = kNoNode;
  bool greeting_done_ = false;
};

}  // namespace vitrina::widget
