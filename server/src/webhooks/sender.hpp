#pragma once
// One HTTP POST of a webhook, with cpp-httplib: to a pinned address, under one time limit,
// without following redirects, reading at most a bounded amount of the answer.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "webhooks/target.hpp"

namespace vitrina::webhooks {

inline constexpr std::size_t kSnippetBytes = 256;

struct HttpAttempt {
  TargetUrl url;
  std::string connect_address;  // the checked IP; the URL's host still goes in Host and SNI
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{15000};
};

struct HttpAnswer {
  int status_code = 0;  // 0: no answer
  std::string error;    // why there was no (complete) answer
  std::string retry_after;
  std::string snippet;  // the first kSnippetBytes of the body, non-printable bytes as '?'
};

HttpAnswer post(const HttpAttempt& attempt);

}  // namespace vitrina::webhooks
