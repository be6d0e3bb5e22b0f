// Result<T>: the return type of every operation that can fail in an expected way.
//
// An Error carries a machine-readable code (which the gateway maps to an HTTP status in exactly one
// place), a human message naming what is wrong, and optional details (JSON text). Exceptions are
// reserved for programming errors; no exception crosses a layer boundary or a V8 callback.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace parley {

enum class ErrorCode {
  kInvalidArgument,    // malformed or out-of-range input (400)
  kNotFound,           // no such object, or not visible to the caller (404)
  kAlreadyExists,      // name collision (409)
  kFailedPrecondition, // valid input, wrong state (409)
  kUnauthenticated,    // no or bad credentials (401)
  kPermissionDenied,   // authenticated but not allowed (403)
  kTooLarge,           // over a size limit (413)
  kResourceExhausted,  // over a rate or quota (429)
  kDeadlineExceeded,   // ran out of time (504)
  kUnavailable,        // try again later (503)
  kInternal,           // a bug or an environment failure (500)
};

const char* errorCodeName(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message, std::string details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  static Error invalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
  static Error notFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Error alreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
  static Error failedPrecondition(std::string m) {
    return {ErrorCode::kFailedPrecondition, std::move(m)};
  }
  static Error unauthenticated(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }
  static Error permissionDenied(std::string m) {
    return {ErrorCode::kPermissionDenied, std::move(m)};
  }
  static Error tooLarge(std::string m) { return {ErrorCode::kTooLarge, std::move(m)}; }
  static Error resourceExhausted(std::string m) {
    return {ErrorCode::kResourceExhausted, std::move(m)};
  }
  static Error deadlineExceeded(std::string m) {
    return {ErrorCode::kDeadlineExceeded, std::move(m)};
  }
  static Error unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
  static Error internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // JSON text with structured details (field names, line/column, ...), or empty.
  const std::string& details() const { return details_; }
  Error&& withDetails(std::string details) && {
    details_ = std::move(details);
    return std::move(*this);
  }

 private:
  ErrorCode code_;
  std::string message_;
  std::string details_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error&& takeError() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};

// Result<void> spelled as Status.
using Status = Result<Ok>;
inline Status okStatus() { return Ok{}; }

}  // namespace parley
