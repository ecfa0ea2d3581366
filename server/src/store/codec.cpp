#include "store/codec.hpp"

#include "vitrina/protocol/json.hpp"

namespace vitrina::store {

std::string origins_to_json(const std::vector<std::string>& origins) {
  protocol::JsonWriter writer;
  writer.begin_array();
  for (const auto& origin : origins) writer.value(origin);
  writer.end_array();
  return std::move(writer).str();
}

Result<std::vector<std::string>> origins_from_json(simdjson::dom::parser& parser, std::string_view json) {
  // The column value is not padded for simdjson, so let it copy (realloc_if_needed).
  simdjson::dom::array array;
  if (auto error = parser.parse(json.data(), json.size(), true).get_array().get(array); error) {
    return protocol::make_error(protocol::ErrorCode::internal, "stored allowed_origins is not a JSON array",
                                "allowed_origins");
  }
  std::vector<std::string> origins;
  for (auto element : array) {
    std::string_view origin;
    if (auto error = element.get_string().get(origin); error) {
      return protocol::make_error(protocol::ErrorCode::internal, "stored allowed_origins holds a non-string",
                                  "allowed_origins");
    }
    origins.emplace_back(origin);
  }
  return origins;
}

Result<Site> read_site(const sqlite::Statement& row, simdjson::dom::parser& parser) {
  Site site;
  site.id = row.column_text(0);
  site.name = row.column_text(1);
  site.public_key = row.column_text(2);
  site.secret_hash = row.column_text(3);
  auto origins = origins_from_json(parser, row.column_text(4));
  if (!origins) return std::move(origins).error();
  site.allowed_origins = std::move(*origins);
  site.settings_json = row.column_text(5);
  site.created_at = row.column_int(6);
  site.updated_at = row.column_int(7);
  return site;
}

Operator read_operator(const sqlite::Statement& row) {
  Operator op;
  op.id = row.column_text(0);
  op.site_id = row.column_text(1);
  op.email = row.column_text(2);
  op.name = row.column_text(3);
  op.password_hash = row.column_text(4);
  op.role = row.column_text(5);
  op.created_at = row.column_int(6);
  return op;
}

Session read_session(const sqlite::Statement& row) {
  Session session;
  session.token_hash = row.column_text(0);
  session.operator_id = row.column_text(1);
  session.site_id = row.column_text(2);
  session.created_at = row.column_int(3);
  session.expires_at = row.column_int(4);
  session.user_agent = row.column_text(5);
  return session;
}

}  // namespace vitrina::store
