#pragma once
// The rating widget: CSAT (1 to 5, an optional comment) once a conversation is closed, in the
// chat's log, and a page rating (1 to 5) or NPS (0 to 10) card on the pages the site chose.
// Endpoints: docs/api.md, "Widget endpoints".

#include <string>
#include <string_view>
#include <vector>

#include "chat_view.hpp"
#include "dom.hpp"
#include "host.hpp"
#include "texts.hpp"

namespace vitrina::widget {

class RatingWidget {
 public:
  RatingWidget(Dom& dom, Host& host, ChatView& view, const Texts& texts, std::string api_url, std::string page_url)
      : dom_(dom), host_(host), view_(view), texts_(texts), api_(std::move(api_url)), page_url_(std::move(page_url)) {}

  // Adds the CSAT card for a closed conversation to the log; once per conversation.
  void ask_csat(const std::string& conversation_id);
  // Asks the server whether this page has a page rating, and shows it if so.
  void check_page();
  bool on_event(CallbackId callback);
  void on_http(RequestId id, int status, std::string_view body);

 private:
  // A row of score buttons from `low` to `high`, each calling `base + score`.
  std::vector<NodeHandle> add_scores(NodeHandle parent, int low, int high, CallbackId base);
  void send(RequestId id, std::string_view kind, int score, std::string_view comment);
  void thank(NodeHandle card);

  Dom& dom_;
  Host& host_;
  ChatView& view_;
  const Texts& texts_;
  std::string api_;
  std::string page_url_;
  std::vector<std::string> asked_;  // conversations a CSAT card was shown for
  std::string csat_conversation_;
  NodeHandle csat_card_ = kNoNode, csat_status_ = kNoNode, csat_submit_ = kNoNode;
  Field csat_comment_;
  std::vector<NodeHandle> csat_buttons_;
  int csat_score_ = 0;
  std::string page_kind_;  // "nps" or "page"
  NodeHandle page_card_ = kNoNode, page_status_ = kNoNode;
  int page_score_ = -1;
};

}  // namespace vitrina::widget
