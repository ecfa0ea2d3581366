#pragma once
// Inbound acquirer callbacks: POST /v1/callbacks/{acquirer}/{site}. The acquirer's connector
// verifies the signature over the raw body before anything is parsed; each verified event is
// deduplicated on the acquirer's event id and applied through protocol::apply, its webhook
// event committed in the same store write as the change (docs/acquirers.md).

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "acquirers/acquirer.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

class CallbackProcessor {
 public:
  /// `store` must outlive the processor; `on_event` runs after a committed change that queued
  /// a webhook event.
  CallbackProcessor(store::Store& store, std::shared_ptr<const acquirers::Registry> acquirers,
                    std::function<void()> on_event)
      : store_(store), acquirers_(std::move(acquirers)), on_event_(std::move(on_event)) {}

  /// Verifies and applies one callback; the answer the acquirer gets. 401 for a callback that
  /// does not verify (nothing changes), 200 once every event is applied or known.
  boost::asio::awaitable<Response> handle(std::string acquirer, std::string site_id, acquirers::RawHeaders headers,
                                          std::string body, std::string request_id);

 private:
  boost::asio::awaitable<std::optional<Response>> apply(const acquirers::AcquirerEvent& event,
                                                        const std::string& acquirer, const std::string& request_id);

  store::Store& store_;
  std::shared_ptr<const acquirers::Registry> acquirers_;
  std::function<void()> on_event_;
};

/// The request's header fields as raw name/value pairs.
acquirers::RawHeaders raw_headers(const Request& req);

/// Registers POST /v1/callbacks/{acquirer}/{site} on `router`.
void add_callback_routes(Router& router, std::shared_ptr<CallbackProcessor> processor);

}  // namespace vitrina::http
