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
  static constexpr std::string_view kPassed[] = {
      pc::kErrorMalformed,       pc::kErrorTooLarge,           pc::kErrorUnknownType,        pc::kErrorInvalid,
      pc::kErrorNotAllowed,      pc::kErrorUnsupportedVersion, pc::kErrorIdentityRequired,   pc::kErrorIdentityInvalid,
      pc::kErrorIdentityExpired, pc::kErrorNotFound,           pc::kErrorConversationClosed, pc::kErrorConflict,
      pc::kErrorRateLimited,     pc::kErrorUnavailable};
  pc::ErrorEvent out;
  out.ref = std::move(ref);
  out.client_id = std::move(client_id);
  if (std::find(std::begin(kPassed), std::end(kPassed), e.code) != std::end(kPassed)) {
    out.code = e.code;
    out.message = e.message;
    out.field = e.field;
  } else {
    out.code = pc::kErrorInternal;
    out.message = "the server failed; nothing was stored";
  }
  return out;
}

}  // namespace vitrina::chat
