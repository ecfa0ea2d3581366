#pragma once
// The one shape of a store write's completion: after COMMIT the caller gets the write's result
// (or the error that stopped it), never before. A write op derives from ValueWrite<Out>, fills
// `out_` in apply(), and writes no completion of its own.

#include <utility>

#include "store/store.hpp"
#include "store/writer.hpp"

namespace vitrina::store {

template <class Out>
class ValueWrite : public WriteOp {
 public:
  void complete(Result<void> outcome) final {
    if (!done_) return;
    if (!outcome) return done_(std::move(outcome).error());
    done_(std::move(out_));
  }

 protected:
  explicit ValueWrite(Done<Out> done, Out initial = {}) : out_(std::move(initial)), done_(std::move(done)) {}
  /// What the caller gets once the write is committed.
  Out out_;

 private:
  Done<Out> done_;
};

/// A write with nothing to hand back but whether it committed.
template <>
class ValueWrite<void> : public WriteOp {
 public:
  void complete(Result<void> outcome) final {
    if (done_) done_(std::move(outcome));
  }

 protected:
  explicit ValueWrite(Done<void> done) : done_(std::move(done)) {}

 private:
  Done<void> done_;
};

}  // namespace vitrina::store
