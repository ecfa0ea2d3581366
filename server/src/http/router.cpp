#include "http/router.hpp"

#include "vitrina/protocol/form.hpp"

namespace vitrina::http {

namespace {

std::vector<std::string> split_segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto next = path.find('/', i);
    const auto end = next == std::string_view::npos ? path.size() : next;
    out.emplace_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace

Router& Router::add(std::string method, std::string pattern, SyncHandler h) {
  return push(std::move(method), std::move(pattern), std::move(h));
}

Router& Router::add_async(std::string method, std::string pattern, AsyncHandler h) {
  return push(std::move(method), std::move(pattern), std::move(h));
}

Router& Router::push(std::string method, std::string pattern, std::variant<SyncHandler, AsyncHandler> h) {
  Route r;
  r.method = std::move(method);
  r.segments = split_segments(pattern);
  if (!r.segments.empty() && r.segments.back() == "*") {
    r.segments.pop_back();
    r.wildcard = true;
  }
  r.handler = std::move(h);
  routes_.push_back(std::move(r));
  return *this;
}

bool Router::matches(const Route& r, std::string_view path, Context* ctx) {
  std::size_t pos = 0;
  for (const auto& seg : r.segments) {
    while (pos < path.size() && path[pos] == '/') ++pos;
    if (pos >= path.size()) return false;
    const auto next = path.find('/', pos);
    const auto end = next == std::string_view::npos ? path.size() : next;
    const std::string_view piece = path.substr(pos, end - pos);
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (ctx != nullptr) ctx->params.insert_or_assign(seg.substr(1, seg.size() - 2), std::string(piece));
    } else if (piece != seg) {
      return false;
    }
    pos = end;
  }
  if (r.wildcard) return true;
  while (pos < path.size() && path[pos] == '/') ++pos;
  return pos >= path.size();
}

Router::Match Router::match(std::string_view method, std::string_view path, Context& ctx) const {
  const std::string_view effective = method == "HEAD" ? std::string_view("GET") : method;
  // A route written for this path beats a mount ("/*") that happens to cover it: a GET to a
  // POST-only API path is a 405, not the static mount's 404.
  const Route* chosen = nullptr;
  for (bool wildcards : {false, true}) {
    for (const auto& r : routes_) {
      if (r.wildcard != wildcards || r.method != effective || !matches(r, path, nullptr)) continue;
      chosen = &r;
      break;
    }
    if (chosen != nullptr) break;
    Match refused;
    for (const auto& r : routes_) {
      if (r.wildcard != wildcards || !matches(r, path, nullptr)) continue;
      if (refused.allow.find(r.method) != std::string::npos) continue;
      if (!refused.allow.empty()) refused.allow += ", ";
      refused.allow += r.method;
      if (r.method == "GET") refused.allow += ", HEAD";
    }
    if (!refused.allow.empty()) return refused;
  }
  Match m;
  if (chosen == nullptr) return m;
  matches(*chosen, path, &ctx);
  if (const auto* s = std::get_if<SyncHandler>(&chosen->handler))
    m.sync = s;
  else
    m.async = &std::get<AsyncHandler>(chosen->handler);
  return m;
}

protocol::Result<std::pair<std::string, std::string_view>> split_target(std::string_view target) {
  using protocol::make_error;
  if (target.empty() || target.front() != '/') {
    return make_error(protocol::ErrorCode::invalid, "request target must start with /", "target");
  }
  const auto q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  std::string path;
  path.reserve(raw_path.size());
  for (std::size_t i = 0; i < raw_path.size(); ++i) {
    char c = raw_path[i];
    if (c == '%') {
      if (i + 2 >= raw_path.size()) {
        return make_error(protocol::ErrorCode::invalid, "bad percent-encoding in path", "target");
      }
      const int hi = protocol::hex_digit_value(raw_path[i + 1]);
      const int lo = protocol::hex_digit_value(raw_path[i + 2]);
      if (hi < 0 || lo < 0) return make_error(protocol::ErrorCode::invalid, "bad percent-encoding in path", "target");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0' || c == '\\')
      return make_error(protocol::ErrorCode::invalid, "path contains a forbidden character", "target");
    path.push_back(c);
  }
  // Reject dot segments outright instead of resolving them: a client has no business sending them.
  std::size_t i = 0;
  while (i < path.size()) {
    const auto next = path.find('/', i + 1);
    const auto end = next == std::string::npos ? path.size() : next;
    const std::string_view seg = std::string_view(path).substr(i + 1, end - i - 1);
    if (seg == "." || seg == "..")
      return make_error(protocol::ErrorCode::invalid, "path contains a dot segment", "target");
    i = end;
  }
  return std::pair{std::move(path), query};
}

}  // namespace vitrina::http
