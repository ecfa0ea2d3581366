#include "rating_widget.hpp"

#include <algorithm>

#include <vitrina/protocol/json.hpp>
#include <vitrina/protocol/json_reader.hpp>

namespace vitrina::widget {

namespace {

// Percent-encodes everything but unreserved characters, for a query parameter.
std::string query_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::vector<NodeHandle> RatingWidget::add_scores(NodeHandle parent, int low, int high, CallbackId base) {
  const NodeHandle row = dom_.add(parent, "div", "vitrina-scores");
  std::vector<NodeHandle> buttons;
  for (int score = low; score <= high; ++score) {
    const NodeHandle b = dom_.add_text(row, "button", "vitrina-score", std::to_string(score));
    dom_.set_attribute(b, "type", "button");
    dom_.set_attribute(b, "aria-label", std::to_string(score) + std::string(texts_.score_of) + std::to_string(high));
    dom_.set_attribute(b, "aria-pressed", "false");
    dom_.add_event_listener(b, "click", base + static_cast<CallbackId>(score));
    buttons.push_back(b);
  }
  return buttons;
}

void RatingWidget::ask_csat(const std::string& conversation_id) {
  if (std::find(asked_.begin(), asked_.end(), conversation_id) != asked_.end()) return;
  asked_.push_back(conversation_id);
  csat_conversation_ = conversation_id;
  csat_score_ = 0;
  csat_card_ = view_.add_card("vitrina-rating");
  dom_.set_attribute(csat_card_, "role", "group");
  dom_.set_attribute(csat_card_, "aria-label", texts_.csat_question);
  dom_.add_text(csat_card_, "p", "vitrina-question", texts_.csat_question);
  csat_buttons_ = add_scores(csat_card_, 1, 5, kCsatScore);
  csat_comment_ = view_.field(csat_card_, texts_.comment, "textarea", "");
  dom_.set_attribute(csat_comment_.input, "rows", "2");
  csat_status_ = dom_.add(csat_card_, "p", "vitrina-error");
  dom_.set_attribute(csat_status_, "role", "alert");
  csat_submit_ = dom_.add_text(csat_card_, "button", "vitrina-submit", texts_.send_rating);
  dom_.set_attribute(csat_submit_, "type", "button");
  dom_.set_attribute(csat_submit_, "disabled", "");
  dom_.add_event_listener(csat_submit_, "click", kCsatSubmit);
}

void RatingWidget::check_page() {
  if (page_url_.empty()) return;
  host_.http(RequestId::kPageRatingOptions, "GET", api_ + "ratings/options?page=" + query_escape(page_url_), "");
}

bool RatingWidget::on_event(CallbackId callback) {
  if (callback > kCsatScore && callback <= kCsatScore + 5 && csat_card_ != kNoNode) {
    csat_score_ = static_cast<int>(callback - kCsatScore);
    for (std::size_t i = 0; i < csat_buttons_.size(); ++i) {
      dom_.set_attribute(csat_buttons_[i], "aria-pressed", static_cast<int>(i) + 1 == csat_score_ ? "true" : "false");
    }
    dom_.remove_attribute(csat_submit_, "disabled");
    return true;
  }
  if (callback == kCsatSubmit && csat_score_ > 0) {
    dom_.set_attribute(csat_submit_, "disabled", "");
    send(RequestId::kRatingSend, "csat", csat_score_, dom_.value(csat_comment_.input));
    return true;
  }
  if (callback >= kPageRatingScore && callback <= kPageRatingScore + 10 && page_card_ != kNoNode && page_score_ < 0) {
    page_score_ = static_cast<int>(callback - kPageRatingScore);
    send(RequestId::kPageRatingSend, page_kind_, page_score_, "");
    return true;
  }
  if (callback == kPageRatingDismiss && page_card_ != kNoNode) {
    dom_.remove(page_card_);
    page_card_ = kNoNode;
    return true;
  }
  return false;
}

void RatingWidget::send(RequestId id, std::string_view kind, int score, std::string_view comment) {
  protocol::JsonWriter w;
  w.begin_object().key("kind").value(kind);
  if (id == RequestId::kRatingSend)
    w.key("conversation_id").value(csat_conversation_);
  else
    w.key("page_url").value(page_url_);
  w.key("score").value(score);
  if (!comment.empty()) w.key("comment").value(comment);
  w.end_object();
  host_.http(id, "POST", api_ + "ratings", w.str());
}

void RatingWidget::thank(NodeHandle card) {
  dom_.set_text(card, "");  // the card's controls go; its place keeps the thanks
  const NodeHandle thanks = dom_.add_text(card, "p", "vitrina-done", texts_.rating_thanks);
  dom_.set_attribute(thanks, "role", "status");
}

void RatingWidget::on_http(RequestId id, int status, std::string_view body) {
  auto parsed = protocol::parse_json(body);
  const bool object = parsed && parsed->is_object();
  if (id == RequestId::kPageRatingOptions) {
    if (status != 200 || !object) return;
    const protocol::JsonValue* page = parsed->find("page");
    const protocol::JsonValue* kind = page && page->is_object() ? page->find("kind") : nullptr;
    if (!kind || !kind->is_string() || (kind->text != "nps" && kind->text != "page") || page_card_ != kNoNode) return;
    page_kind_ = kind->text;
    const bool nps = page_kind_ == "nps";
    const std::string_view question = nps ? texts_.nps_question : texts_.page_question;
    page_card_ = dom_.create_element("div");
    dom_.set_attribute(page_card_, "class", "vitrina-page-rating");
    dom_.set_attribute(page_card_, "role", "region");
    dom_.set_attribute(page_card_, "aria-label", question);
    dom_.add_text(page_card_, "p", "vitrina-question", question);
    add_scores(page_card_, nps ? 0 : 1, nps ? 10 : 5, kPageRatingScore);
    page_status_ = dom_.add(page_card_, "p", "vitrina-error");
    dom_.set_attribute(page_status_, "role", "alert");
    const NodeHandle dismiss = dom_.add(page_card_, "button", "vitrina-greeting-close");
    dom_.set_attribute(dismiss, "type", "button");
    dom_.set_attribute(dismiss, "aria-label", texts_.dismiss);
    dom_.add_event_listener(dismiss, "click", kPageRatingDismiss);
    dom_.append_child(kShadowRoot, page_card_);
    return;
  }
  const bool csat = id == RequestId::kRatingSend;
  if (!csat && id != RequestId::kPageRatingSend) return;
  const NodeHandle card = csat ? csat_card_ : page_card_;
  const NodeHandle status_node = csat ? csat_status_ : page_status_;
  if (card == kNoNode) return;
  // 409: this conversation was already rated (from another tab or device): it is done either way.
  if (status == 201 || (csat && status == 409)) {
    thank(card);
    protocol::JsonWriter w;
    w.begin_object().key("kind").value(csat ? std::string_view("csat") : std::string_view(page_kind_));
    w.key("score").value(csat ? csat_score_ : page_score_);
    if (csat) w.key("conversation_id").value(csat_conversation_);
    w.end_object();
    host_.emit("rating", w.str());
    return;
  }
  const protocol::JsonValue* detail = object ? parsed->find("detail") : nullptr;
  dom_.set_text(status_node, detail && detail->is_string() ? std::string_view(detail->text) : texts_.try_later);
  if (csat)
    dom_.remove_attribute(csat_submit_, "disabled");
  else
    page_score_ = -1;
}

}  // namespace vitrina::widget
