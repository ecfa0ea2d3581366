#pragma once
// Lets a coroutine co_await a store write. The store calls `done` on its writer thread after
// COMMIT; the adapter posts the result back to the coroutine's own executor (its connection's
// strand), so the handler resumes where it started and the writer thread is never held up by
// handler code.
//
//   auto r = co_await await_write<store::Session>(
//       [&](store::Done<store::Session> done) { store.insert_session(session, std::move(done)); });

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <utility>

#include "store/store.hpp"

namespace vitrina::http {

/// Starts the write `submit(done)` and completes `token` with its Result<T> on the token's
/// associated executor. Works with any completion token; await_write is the coroutine form.
template <class T, class Submit, class CompletionToken>
auto async_store_write(Submit submit, CompletionToken&& token) {
  namespace net = boost::asio;
  return net::async_initiate<CompletionToken, void(protocol::Result<T>)>(
      [](auto handler, Submit submit_write) {
        // Tracked work keeps io_context::run() from returning while the commit is pending, so a
        // graceful shutdown waits for the answer instead of dropping the coroutine.
        auto executor = net::prefer(net::get_associated_executor(handler), net::execution::outstanding_work.tracked);
        // store::Done is a std::function, which must be copyable; the handler is move-only.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        submit_write(store::Done<T>([shared, executor](protocol::Result<T> result) {
          // Runs on the writer thread (or at once on this thread when the store is closed):
          // always post, never run the handler here.
          net::post(executor, [shared, result = std::move(result)]() mutable { (*shared)(std::move(result)); });
        }));
      },
      token, std::move(submit));
}

/// Awaits a store write: resumes on the calling coroutine's executor once `done` has fired.
template <class T, class Submit>
boost::asio::awaitable<protocol::Result<T>> await_write(Submit submit) {
  co_return co_await async_store_write<T>(std::move(submit), boost::asio::use_awaitable);
}

}  // namespace vitrina::http
