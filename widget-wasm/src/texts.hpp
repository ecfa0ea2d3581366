#pragma once
// Every word the widget shows, in Russian and English. Kept in one table so that a language is
// added in one place and a test can check that each string is there and is plain text.

#include <string_view>

#include "language.hpp"

namespace vitrina::widget {

struct Texts {
  std::string_view open_chat, close_chat, unread;  // launcher labels; unread: "Open chat, unread: "
  std::string_view title, online, offline, closed, connecting;
  std::string_view close_panel, end_chat;
  std::string_view log_label, message_label, placeholder, send;
  std::string_view sending, sent, read, not_sent;
  std::string_view you, operator_, is_typing;
  std::string_view offline_intro, name, email, phone, offline_send, offline_done;
  std::string_view prechat_intro, prechat_start;
  std::string_view ended, new_chat;
  std::string_view check_field, need_contact;
  // Callback widget.
  std::string_view call_me, back_to_chat, callback_title, loading, unavailable, call_within, seconds, minutes,
      choose_slot, slot, request_call, checking, calling_in, calling_now, call_scheduled, too_many;
  // Ratings.
  std::string_view csat_question, score_of, comment, send_rating, rating_thanks, nps_question, page_question, dismiss,
      try_later;
};

const Texts& texts(Language language) noexcept;

}  // namespace vitrina::widget
