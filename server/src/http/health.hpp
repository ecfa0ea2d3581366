#pragma once
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

/// GET /healthz: the process is up and serving. GET /readyz: the store answers too (503
/// otherwise), for load balancers that should stop sending traffic to a node that cannot work.
void add_health_routes(Router& router, store::Store& store);

}  // namespace vitrina::http
