#include "webhooks/sender.hpp"

#include <httplib.h>

namespace vitrina::webhooks {

namespace {

// Past this much of an answer's body we stop reading: only the status and a snippet matter.
constexpr std::size_t kMaxBodyRead = 64 * 1024;

std::string printable(std::string text) {
  for (char& c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) c = '?';
  }
  return text;
}

}  // namespace

HttpAnswer post(const HttpAttempt& attempt) {
  const auto& url = attempt.url;
  const bool v6 = url.host.find(':') != std::string::npos;
  const std::string authority = (v6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
  httplib::Client client(url.scheme + "://" + authority);
  // Connect to the address the SSRF guard checked, not to whatever DNS says a moment later.
  if (!v6) client.set_hostname_addr_map({{url.host, attempt.connect_address}});
  const auto timeout = attempt.timeout;
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const auto usecs = std::chrono::duration_cast<std::chrono::microseconds>(timeout - secs);
  client.set_connection_timeout(static_cast<time_t>(secs.count()), static_cast<time_t>(usecs.count()));
  client.set_read_timeout(static_cast<time_t>(secs.count()), static_cast<time_t>(usecs.count()));
  client.set_write_timeout(static_cast<time_t>(secs.count()), static_cast<time_t>(usecs.count()));
  client.set_follow_location(false);
  client.set_keep_alive(false);

  httplib::Request req;
  req.method = "POST";
  req.path = url.target;
  for (const auto& [name, value] : attempt.headers) req.headers.emplace(name, value);
  req.body = attempt.body;

  HttpAnswer answer;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t read = 0;
  bool too_slow = false;
  // The read timeout is per read; a receiver dripping a byte at a time must still stop at the
  // attempt's time limit, and a huge answer must not be buffered.
  req.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
    if (answer.snippet.size() < kSnippetBytes) {
      answer.snippet.append(data, std::min(length, kSnippetBytes - answer.snippet.size()));
    }
    read += length;
    if (std::chrono::steady_clock::now() > deadline) too_slow = true;
    return read < kMaxBodyRead && !too_slow;
  };

  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  const bool ok = client.send(req, res, error);
  answer.snippet = printable(std::move(answer.snippet));
  if (too_slow) {
    answer.error = "timed out reading the answer";
    return answer;
  }
  if (!ok && res.status <= 0) {
    // httplib reports an expired read or connect as a plain read/connection error.
    const bool expired = std::chrono::steady_clock::now() + timeout / 10 >= deadline;
    answer.error = expired ? "timed out" : "request failed: " + httplib::to_string(error);
    return answer;
  }
  // A status line arrived; a body cut short at kMaxBodyRead does not change what it says.
  answer.status_code = res.status;
  answer.retry_after = res.get_header_value("Retry-After");
  if (answer.status_code < 200 || answer.status_code > 299) {
    answer.error = "HTTP " + std::to_string(answer.status_code);
  }
  return answer;
}

}  // namespace vitrina::webhooks
