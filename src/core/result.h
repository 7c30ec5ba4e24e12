// Result<T> and Error: the one error vocabulary of GMG Hub.
//
// Expected failures (bad input, missing record, stale version, no permission) are values of
// this type; exceptions are kept for bugs and fatal states. src/http/errors.cc turns an Error
// into an HTTP status and JSON body in exactly one place.
// Thread-safety: plain values; no shared state.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace gmg {

enum class ErrorCode {
  kInvalidArgument,       // malformed input: bad JSON, wrong type, unknown field (400)
  kUnauthenticated,       // nobody signed in, or the credentials are wrong (401)
  kPermissionDenied,      // signed in but not allowed (403)
  kNotFound,              // 404
  kConflict,              // clashes with what is stored: duplicate id, already ended (409)
  kPreconditionFailed,    // the If-Match version is stale (412)
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kFailedPrecondition,    // well-formed input that breaks a rule of the GMG (422)
  kResourceExhausted,     // rate limited (429)
  kInternal,              // a bug (500)
  kUnavailable,           // a dependency (the database server) is unreachable for now; retry (503)
};

// The wire name of a code ("invalid_argument", ...).
const char* ErrorCodeName(ErrorCode code);

// One broken rule of one field. `problem` is English for developers and logs; `rule` is a
// stable code (snake_case, e.g. "required", "too_long") with `args` (e.g. {"max","500"}) that
// a client translates; "" when the problem has no code yet.
struct FieldProblem {
  FieldProblem(std::string f, std::string p, std::string r = "",
               std::vector<std::pair<std::string, std::string>> a = {})
      : field(std::move(f)), problem(std::move(p)), rule(std::move(r)), args(std::move(a)) {}

  std::string field;
  std::string problem;
  std::string rule;
  std::vector<std::pair<std::string, std::string>> args;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldProblem> details;
  // Seconds the client should wait before retrying (kResourceExhausted only).
  int retry_after_seconds = 0;
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}, 0};
}
// A single-field problem; `message` is the summary, the detail names the field.
inline Error FieldError(ErrorCode code, std::string field, std::string problem,
                        std::string rule = "",
                        std::vector<std::pair<std::string, std::string>> args = {}) {
  std::string message = field + ": " + problem;
  return Error{code,
               std::move(message),
               {{std::move(field), std::move(problem), std::move(rule), std::move(args)}},
               0};
}

// Either a T or an Error. Accessing the wrong alternative is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& TakeError() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok());
    return *error_;
  }
  Error&& TakeError() && {
    assert(!ok());
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status Ok() { return Status(); }

// The optimistic-locking check of every versioned record: kPreconditionFailed when the caller
// read `what` (a noun phrase, e.g. "this activity") at version `read` and it is now at `stored`
// (a concurrent change would be lost); Ok when they agree, or when `read` is nullopt (a write
// without If-Match where the route allows one: last write wins).
Status CheckVersion(int64_t stored, std::optional<int64_t> read, std::string_view what);

}  // namespace gmg

// Returns the error of `expr` (a Result) from the enclosing function when it failed.
#define GMG_RETURN_IF_ERROR(expr)                                     \
  do {                                                                \
    auto gmg_status_ = (expr);                                        \
    if (!gmg_status_.ok()) return std::move(gmg_status_).TakeError(); \
  } while (0)

#define GMG_CONCAT_INNER_(a, b) a##b
#define GMG_CONCAT_(a, b) GMG_CONCAT_INNER_(a, b)
// `GMG_ASSIGN_OR_RETURN(auto x, Foo());` declares x from Foo()'s value or returns its error.
#define GMG_ASSIGN_OR_RETURN(decl, expr) \
  GMG_ASSIGN_OR_RETURN_IMPL_(GMG_CONCAT_(gmg_result_, __LINE__), decl, expr)
// NOLINTBEGIN(bugprone-macro-parentheses): `tmp` and `decl` are declarators, not expressions.
#define GMG_ASSIGN_OR_RETURN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return std::move(tmp).TakeError(); \
  decl = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
