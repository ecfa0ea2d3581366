#include "answer_json.hpp"

#include <string>
#include <utility>

namespace vitrina::sdk::detail {

protocol::Result<protocol::JsonValue> parse_answer(std::string_view json) {
  auto parsed = protocol::parse_json(json, kAnswerLimits);
  if (parsed) return parsed;
  // What the server sent is at fault, not the caller's input: the reader's "malformed" becomes
  // the client's "invalid_response", keeping the reason and the place.
  auto error = std::move(parsed).error();
  return protocol::make_error(protocol::ErrorCode::invalid_response, "the answer is not valid JSON: " + error.message,
                              std::move(error.field));
}

}  // namespace vitrina::sdk::detail
