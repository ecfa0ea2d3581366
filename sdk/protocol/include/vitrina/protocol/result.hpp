#pragma once
/// \file
/// Errors as values. `Result<T>` is shaped like `std::expected<T, Error>` so that it can become
/// the standard type once the toolchains have it; no exception is thrown by domain code.

#include <string>
#include <utility>
#include <variant>

#include "vitrina/protocol/error_code.hpp"

namespace vitrina::protocol {

/// What went wrong, in a form that maps onto an RFC 9457 problem: a code from the closed set
/// (error_code.hpp, whose table gives its HTTP status and problem type), a message for people,
/// and the input field at fault when there is one. For `invalid`, the message completes a
/// sentence that starts with the field ("amount" + "must be positive").
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::string field;
  /// The HTTP status of the answer the error came from, when it came from one (the client).
  int http_status = 0;
};

inline Error make_error(ErrorCode code, std::string message, std::string field = {}) {
  return Error{code, std::move(message), std::move(field)};
}

/// Either a value or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

/// Success with no value, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace vitrina::protocol
