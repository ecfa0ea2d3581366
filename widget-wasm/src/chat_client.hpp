#pragma once
// The visitor's side of the live chat protocol (docs/protocol.md), with no DOM in it: the
// connection and its reconnects, hello/welcome, the visitor token, resume, sending with
// client ids until acknowledged, typing and read receipts. What happens is reported to a
// ChatListener; the view decides how it looks.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vitrina/protocol/chat.hpp>
#include <vitrina/protocol/chat_sequence.hpp>
#include <vitrina/protocol/result.hpp>

#include "host.hpp"

namespace vitrina::widget {

namespace chat = protocol::chat;

enum class Connection : std::uint8_t {
  kIdle,        // not asked to connect yet, or ended normally
  kConnecting,  // socket opening or hello sent
  kReady,       // welcomed
  kWaiting,     // dropped; reconnecting after a backoff
  kRefused,     // identity refused or site disabled: waits for the page to act
};

// A message or offline message sent and not yet acknowledged. Kept until its ack arrives and
// sent again, with the same client id, after every reconnect.
struct Outgoing {
  std::string client_id;
  std::string text;
  bool offline = false;
  std::string name, email, phone;  // offline messages only
};

class ChatListener {
 public:
  virtual ~ChatListener() = default;
  virtual void on_connection(Connection state) = 0;
  // A welcome: the visitor and, if any, their open conversation.
  virtual void on_session(const chat::VisitorSession& session) = 0;
  // A message to show, each at most once and in seq order per conversation. `live`: it just
  // arrived, as opposed to history from a resume.
  virtual void on_message(const chat::MessageEvent& message, bool live) = 0;
  // One of this page's sends was committed.
  virtual void on_sent(const chat::Ack& ack) = 0;
  virtual void on_typing(const chat::TypingEvent& typing) = 0;
  virtual void on_read(const chat::ReadEvent& read) = 0;
  virtual void on_presence(const chat::PresenceEvent& presence) = 0;
  virtual void on_conversation(const chat::Conversation& conversation) = 0;
  // The server refused something: a send (client_id set, the send is dropped) or the session.
  virtual void on_refused(const chat::ErrorEvent& error) = 0;
};

class ChatClient {
 public:
  // Connects to `url` (…/v1/visitor/ws?site=pk_…). The token is read from and written to
  // storage under `storage_key`, the latter only after allow_storage().
  ChatClient(Host& host, ChatListener& listener, std::string url, std::string storage_key);

  // Opens the connection unless it is open or opening.
  void connect();
  // The visitor interacted: from now on the token is kept in storage, so a reload resumes.
  void allow_storage();
  // Verified identity for the next hello; an open connection is renewed to present it.
  void set_identity(chat::Identity identity);
  // Merges `context` into what the operators see (attributes replace the set); sent at once
  // when connected, else with the next hello.
  void update_context(const chat::VisitorContext& context);

  // Queues a chat message; answers its client id, or why the text is refused (field "text").
  protocol::Result<std::string> send(std::string_view text);
  // Queues an offline message (text, and an e-mail or a phone).
  protocol::Result<std::string> leave_offline(std::string_view name, std::string_view email, std::string_view phone,
                                              std::string_view text);
  // The visitor is typing (call on every keystroke) or stopped.
  void set_typing(bool typing);
  // Everything up to `seq` of the current conversation was seen.
  void mark_read(std::int64_t seq);
  void close_conversation();

  // From the host.
  void on_socket_opened();
  void on_socket_message(std::string_view text);
  void on_socket_closed(int code);
  void on_timer(TimerId id);

  Connection connection() const noexcept { return connection_; }
  const std::optional<chat::Conversation>& conversation() const noexcept { return conversation_; }
  const std::vector<Outgoing>& outbox() const noexcept { return outbox_; }
  const std::string& token() const noexcept { return token_; }
  const chat::VisitorContext& context() const noexcept { return context_; }
  const chat::Limits& limits() const noexcept { return limits_; }

  // The reconnect delay after `failures` consecutive failures, before jitter: 1 s doubling to 30 s.
  static std::int64_t backoff_ms(int failures) noexcept;

 private:
  void send_frame(chat::ClientPayload payload, std::string ref = {});
  void send_outgoing(const Outgoing& out);
  void handle(const chat::Welcome& welcome);
  void handle(const chat::Ack& ack);
  void handle(const chat::MessageEvent& message);
  void handle(const chat::Resumed& resumed);
  void handle(const chat::ConversationEvent& event);
  void handle(const chat::ErrorEvent& error);
  void adopt(const chat::Conversation& conversation);
  void resume_from(std::int64_t seq);
  void keep_token();
  void schedule_reconnect(std::int64_t at_least_ms);
  void set_connection(Connection state);
  std::string new_client_id();
  bool settle(std::string_view client_id);

  Host& host_;
  ChatListener& listener_;
  std::string url_;
  std::string storage_key_;
  Connection connection_ = Connection::kIdle;
  bool storage_allowed_ = false;
  bool socket_open_ = false;
  int failures_ = 0;
  std::string token_;
  std::optional<chat::Identity> identity_;
  chat::VisitorContext context_;
  chat::Limits limits_;
  std::optional<chat::Conversation> conversation_;
  chat::DeliveryCursor cursor_;
  std::vector<Outgoing> outbox_;
  std::vector<std::string> own_ids_;  // client ids sent from this page, to recognise them in a resume
  std::int64_t read_sent_ = 0;
  bool resuming_ = false;             // between a resume and its final `resumed`
  std::int64_t typing_sent_ms_ = -1;  // when `typing: true` was last sent; -1: not typing
};

}  // namespace vitrina::widget
