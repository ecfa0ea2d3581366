#pragma once
// Inbound acquirer callbacks: POST /v1/callbacks/{acquirer}/{site}. The acquirer's connector
// verifies the signature over the raw body before anything is parsed; each verified event is
// deduplicated on the acquirer's event id and applied through protocol::apply, its webhook
// event committed in the same store write as the change (docs/acquirers.md). A connector that
// waits on the network to verify (a confirming re-read) runs on the acquirer pool, never on an
// I/O thread; each acquirer gets its answer in its own terms (Acquirer::answer_callback).

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "acquirers/acquirer.hpp"
#include "http/blocking_pool.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace vitrina::http {

class CallbackProcessor {
 public:
  /// `store` (and `pool`, when given) must outlive the processor; `on_event` runs after a
  /// committed change that queued a webhook event. Blocking connectors verify on `pool`; with
  /// no pool they verify inline (tests).
  CallbackProcessor(store::Store& store, std::shared_ptr<const acquirers::Registry> acquirers,
                    std::function<void()> on_event, BlockingPool* pool = nullptr)
      : store_(store), acquirers_(std::move(acquirers)), on_event_(std::move(on_event)), pool_(pool) {}

  /// Verifies and applies one callback; the answer the acquirer gets (the connector's own, or:
  /// 401 for a callback that does not verify, nothing changed; 422 for an amount or currency
  /// that disagrees with the payment, nothing changed; 200 once every event is applied or known).
  boost::asio::awaitable<Response> handle(std::string acquirer, std::string site_id, acquirers::RawHeaders headers,
                                          std::string body, std::string request_id, std::string peer_address = {},
                                          std::string kind = {});

 private:
  // What applying one event came to.
  struct Applied {
    acquirers::CallbackOutcome outcome = acquirers::CallbackOutcome::accepted;
    std::optional<Response> problem;  // our default answer when the outcome is not accepted/duplicate
  };
  boost::asio::awaitable<Applied> apply(const acquirers::AcquirerEvent& event, const std::string& acquirer,
                                        const std::string& request_id);
  // A check_only event: may `payment` still be paid at `now` (Unix ms)? Nothing is written.
  static Applied check(const store::Payment& payment, std::int64_t now);

  store::Store& store_;
  std::shared_ptr<const acquirers::Registry> acquirers_;
  std::function<void()> on_event_;
  BlockingPool* pool_;
};

/// The request's header fields as raw name/value pairs.
acquirers::RawHeaders raw_headers(const Request& req);

/// Registers POST /v1/callbacks/{acquirer}/{site} on `router`.
void add_callback_routes(Router& router, std::shared_ptr<CallbackProcessor> processor);

}  // namespace vitrina::http
