#pragma once
// Blocking adapter over the store's asynchronous writes, for callers with no event loop.

#include <future>
#include <utility>

namespace vitrina::store {

template <class T, class Submit>
Result<T> wait_for(Submit&& submit) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  std::forward<Submit>(submit)([&promise](Result<T> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace vitrina::store
