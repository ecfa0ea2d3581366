#include "chat/frames.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

#include "vitrina/protocol/chat_codec.hpp"
#include "vitrina/protocol/chat_rules.hpp"

namespace vitrina::chat {

namespace pc = protocol::chat;

std::shared_ptr<const std::string> frame_of(const pc::ServerFrame& frame) {
  return std::make_shared<const std::string>(pc::write_server_frame(frame));
}

pc::Conversation for_visitor(pc::Conversation c) {
  c.visitor.reset();
  c.context.reset();
  if (c.assignee) c.assignee->id.clear();
  if (c.closed_by) c.closed_by->id.clear();
  return c;
}

pc::MessageEvent for_visitor(pc::MessageEvent m) {
  m.author.id.clear();
  return m;
}

pc::Author for_visitor(pc::Author a) {
  a.id.clear();
  return a;
}

pc::Actor actor_of(const PeerState& s) {
  pc::Actor a;
  if (s.role == pc::Role::visitor) {
    a.author = {pc::AuthorRole::visitor, {}, {}};
  } else {
    a.author = {pc::AuthorRole::operator_, s.operator_id, s.operator_name};
    a.operator_role = s.operator_role;
  }
  return a;
}

pc::ErrorEvent error_event(const protocol::Error& e, std::string ref, std::string client_id) {
  using protocol::ErrorCode;
  static constexpr ErrorCode kPassed[] = {
      ErrorCode::malformed,         ErrorCode::too_large,           ErrorCode::unknown_type,
      ErrorCode::invalid,           ErrorCode::not_allowed,         ErrorCode::unsupported_version,
      ErrorCode::identity_required, ErrorCode::identity_invalid,    ErrorCode::identity_expired,
      ErrorCode::not_found,         ErrorCode::conversation_closed, ErrorCode::conflict,
      ErrorCode::rate_limited,      ErrorCode::unavailable};
  pc::ErrorEvent out;
  out.ref = std::move(ref);
  out.client_id = std::move(client_id);
  if (std::find(std::begin(kPassed), std::end(kPassed), e.code) != std::end(kPassed)) {
    out.code = e.code;
    out.message = e.message;
    out.field = e.field;
  } else {
    out.code = protocol::ErrorCode::internal;
    out.message = "the server failed; nothing was stored";
  }
  return out;
}

}  // namespace vitrina::chat
