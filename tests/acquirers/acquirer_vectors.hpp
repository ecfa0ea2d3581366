#pragma once
// Reads tests/vectors/acquirers.json for the acquirer tests.

#include <simdjson.h>

#include <fstream>
#include <sstream>
#include <string>

namespace vitrina::acquirers::test {

/// The whole vectors file; empty when it cannot be read.
inline std::string acquirer_vectors() {
  std::ifstream in(VITRINA_ACQUIRER_VECTORS, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A string member at `pointer` ("/stripe_signature/secret") of the vectors file.
inline std::string vector_string(const std::string& pointer) {
  static const std::string json = acquirer_vectors();
  simdjson::dom::parser parser;
  std::string_view value;
  if (parser.parse(json).at_pointer(pointer).get(value)) return {};
  return std::string(value);
}

inline std::int64_t vector_int(const std::string& pointer) {
  static const std::string json = acquirer_vectors();
  simdjson::dom::parser parser;
  std::int64_t value = 0;
  if (parser.parse(json).at_pointer(pointer).get(value)) return -1;
  return value;
}

}  // namespace vitrina::acquirers::test
