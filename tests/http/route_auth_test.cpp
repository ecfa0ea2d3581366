// authenticated(): the caller reaches the handler, a refusal is the answer and the handler never
// runs, and both plain and coroutine handlers register with the router.

#include "http/route_auth.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace vitrina::http {
namespace {

namespace net = boost::asio;

struct Caller {
  std::string name;
};

// Lets in requests that name a caller in X-Caller; refuses the rest with 401.
std::variant<Caller, Response> by_header(const Request& req, Context&) {
  const auto name = req["X-Caller"];
  if (name.empty()) return problem(protocol::ErrorCode::unauthenticated, "no caller", "X-Caller");
  return Caller{std::string(name)};
}

Request from(std::string_view caller) {
  Request req;
  if (!caller.empty()) req.set("X-Caller", caller);
  return req;
}

Response run(const AsyncHandler& h, const Request& req, Context& ctx) {
  net::io_context ioc;
  auto answer = net::co_spawn(ioc, h(req, ctx), net::use_future);
  ioc.run();
  return answer.get();
}

TEST(Authenticated, PlainHandlerGetsTheCaller) {
  SyncHandler h = authenticated(by_header, [](const Request&, Context&, const Caller& c) {
    return make_response(Status::ok, c.name, "text/plain");
  });
  Context ctx;
  const Response r = h(from("ada"), ctx);
  EXPECT_EQ(r.head.result(), Status::ok);
  EXPECT_EQ(r.owned, "ada");
}

TEST(Authenticated, RefusalIsTheAnswerAndTheHandlerNeverRuns) {
  bool ran = false;
  SyncHandler h = authenticated(by_header, [&ran](const Request&, Context&, const Caller&) {
    ran = true;
    return make_response(Status::ok, "", "text/plain");
  });
  Context ctx;
  const Response r = h(from(""), ctx);
  EXPECT_EQ(r.head.result(), Status::unauthorized);
  EXPECT_FALSE(ran);
}

TEST(Authenticated, CoroutineHandlerGetsTheCallerOrTheRefusal) {
  bool ran = false;
  AsyncHandler h = authenticated(by_header, [&ran](const Request&, Context&, Caller c) -> net::awaitable<Response> {
    ran = true;
    co_return make_response(Status::created, c.name, "text/plain");
  });
  Context ctx;
  const Response refused = run(h, from(""), ctx);
  EXPECT_EQ(refused.head.result(), Status::unauthorized);
  EXPECT_FALSE(ran);
  const Response r = run(h, from("grace"), ctx);
  EXPECT_EQ(r.head.result(), Status::created);
  EXPECT_EQ(r.owned, "grace");
  EXPECT_TRUE(ran);
}

TEST(Authenticated, RegistersPlainAndCoroutineHandlers) {
  Router router;
  router.get("/plain", authenticated(by_header, [](const Request&, Context&, const Caller&) {
               return make_response(Status::ok, "", "text/plain");
             }));
  router.post("/async", authenticated(by_header, [](const Request&, Context&, Caller) -> net::awaitable<Response> {
                co_return make_response(Status::ok, "", "text/plain");
              }));
  Context ctx;
  EXPECT_NE(router.match("GET", "/plain", ctx).sync, nullptr);
  EXPECT_NE(router.match("POST", "/async", ctx).async, nullptr);
}

}  // namespace
}  // namespace vitrina::http
