#include "http/health.hpp"

namespace vitrina::http {

void add_health_routes(Router& router, store::Store& store) {
  router.get("/healthz", [](const Request&, Context&) {
    Response r = make_json(Status::ok, R"({"status":"ok"})");
    r.head.set(Field::cache_control, "no-store");
    return r;
  });
  router.get("/readyz", [&store](const Request&, Context&) {
    auto ping = store.ping();
    if (!ping) {
      return problem(protocol::ErrorCode::not_ready, "the store does not answer");
    }
    Response r = make_json(Status::ok, R"({"status":"ready"})");
    r.head.set(Field::cache_control, "no-store");
    return r;
  });
}

}  // namespace vitrina::http
