#include "vitrina/protocol/error_code.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "vitrina/protocol/result.hpp"

namespace vitrina::protocol {
namespace {

constexpr auto kLast = static_cast<int>(ErrorCode::http_status);

ErrorCode code_at(int i) { return static_cast<ErrorCode>(i); }

TEST(ErrorCodeTable, EveryCodeHasARowWhoseNameReadsBack) {
  std::set<std::string_view> names;
  for (int i = 0; i <= kLast; ++i) {
    const auto& info = error_info(code_at(i));
    EXPECT_FALSE(info.name.empty()) << i;
    EXPECT_TRUE(names.insert(info.name).second) << "two codes are called " << info.name;
    EXPECT_EQ(error_code_from_name(info.name), code_at(i)) << info.name;
    EXPECT_GE(info.http_status, 400) << info.name;
    EXPECT_LE(info.http_status, 599) << info.name;
    EXPECT_FALSE(info.title.empty()) << info.name;
  }
}

TEST(ErrorCodeTable, ProblemTypesReadBackToTheCodeThatOwnsThem) {
  for (int i = 0; i <= kLast; ++i) {
    const auto& info = error_info(code_at(i));
    const auto owner = error_code_from_problem_type(info.problem_type);
    ASSERT_TRUE(owner) << info.name;
    // A type shared by several codes means the same answer: same status and title.
    EXPECT_EQ(error_info(*owner).http_status, info.http_status) << info.name;
    EXPECT_EQ(error_info(*owner).title, info.title) << info.name;
  }
  EXPECT_EQ(error_code_from_problem_type("not-found"), ErrorCode::not_found);
  EXPECT_EQ(error_code_from_problem_type("internal"), ErrorCode::internal);
  EXPECT_EQ(error_code_from_problem_type("invalid"), ErrorCode::invalid);
  EXPECT_FALSE(error_code_from_problem_type("no-such-type"));
  EXPECT_FALSE(error_code_from_name("no_such_code"));
}

TEST(ErrorCodeTable, GivesTheAnswersTheApiDocuments) {
  EXPECT_EQ(error_info(ErrorCode::invalid).http_status, 422);
  EXPECT_EQ(error_info(ErrorCode::malformed).http_status, 400);
  EXPECT_EQ(error_info(ErrorCode::not_found).problem_type, "not-found");
  EXPECT_EQ(error_info(ErrorCode::acquirer_unavailable).http_status, 502);
  EXPECT_EQ(error_info(ErrorCode::request_in_flight).http_status, 409);
  EXPECT_EQ(error_info(ErrorCode::too_large).problem_type, "body-too-large");
}

TEST(ErrorCodeTable, AnOutOfRangeValueReadsAsInternal) {
  EXPECT_EQ(error_info(static_cast<ErrorCode>(250)).name, "internal");
}

TEST(ErrorCodeTable, PrintsItsName) {
  std::ostringstream out;
  out << ErrorCode::conversation_closed;
  EXPECT_EQ(out.str(), "conversation_closed");
}

// docs/api.md lists the table row by row; a code added without its line there fails here.
TEST(ErrorCodeTable, EveryRowIsInTheApiDocument) {
  std::ifstream in(VITRINA_API_DOC);
  ASSERT_TRUE(in) << "cannot read " << VITRINA_API_DOC;
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  for (int i = 0; i <= kLast; ++i) {
    const auto& info = error_info(code_at(i));
    const std::string row = "| `" + std::string(info.name) + "` | " + std::to_string(info.http_status) + " | `" +
                            std::string(info.problem_type) + "` | " + std::string(info.title) + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/api.md lacks the row " << row;
  }
}

TEST(MakeError, CarriesTheCodeMessageAndField) {
  const Error e = make_error(ErrorCode::invalid, "must be positive", "amount");
  EXPECT_EQ(e.code, ErrorCode::invalid);
  EXPECT_EQ(e.message, "must be positive");
  EXPECT_EQ(e.field, "amount");
  EXPECT_EQ(e.http_status, 0);
}

}  // namespace
}  // namespace vitrina::protocol
