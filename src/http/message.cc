#include "http/message.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "core/text.h"

namespace gmg::http {
namespace {

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kFailedPrecondition:
      return 422;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
  }
  return 500;
}

}  // namespace

Result<std::shared_ptr<const BodyFile>> BodyFile::Map(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return MakeError(ErrorCode::kInternal, "cannot read the uploaded body");
  auto size = static_cast<size_t>(st.st_size);
  void* data = nullptr;
  if (size > 0) {
    data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) return MakeError(ErrorCode::kInternal, "cannot map the uploaded body");
  }
  return std::shared_ptr<const BodyFile>(new BodyFile(data, size));
}

BodyFile::~BodyFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

std::optional<std::string_view> Request::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return v;
  }
  return {};
}

void Response::SetHeader(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

namespace {

// The content security policy, the same everywhere but for who may frame the page.
std::string ContentSecurityPolicy(std::string_view frame_ancestors) {
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         "connect-src 'self'; frame-ancestors " +
         std::string(frame_ancestors) + "; base-uri 'none'; form-action 'self'";
}

}  // namespace

void ApplySecurityHeaders(Response& response) {
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("Content-Security-Policy", ContentSecurityPolicy("'none'"));
}

void AllowFraming(Response& response) {
  std::erase_if(response.headers,
                [](const auto& h) { return EqualsIgnoreCase(h.first, "X-Frame-Options"); });
  response.SetHeader("Content-Security-Policy", ContentSecurityPolicy("*"));
}

Response JsonResponse(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

// The one place where an Error becomes HTTP.
Response ErrorResponse(const Error& error) {
  boost::json::array details;
  // Bounded: a body listing thousands of bad fields gets an answer of 20, and the real count.
  size_t shown = std::min(error.details.size(), kMaxErrorDetails);
  for (size_t i = 0; i < shown; ++i) {
    const FieldProblem& d = error.details[i];
    boost::json::object detail{{"field", d.field}, {"problem", d.problem}};
    if (!d.rule.empty()) {
      detail["rule"] = d.rule;
      boost::json::object args;
      for (const auto& [name, value] : d.args) args[name] = value;
      detail["args"] = std::move(args);
    }
    details.push_back(std::move(detail));
  }
  boost::json::object err{{"code", ErrorCodeName(error.code)}, {"message", error.message}};
  if (!details.empty()) err["details"] = std::move(details);
  if (error.details.size() > shown) err["details_total"] = error.details.size();
  Response r = JsonResponse(HttpStatusOf(error.code), boost::json::object{{"error", err}});
  if ((error.code == ErrorCode::kResourceExhausted || error.code == ErrorCode::kUnavailable) &&
      error.retry_after_seconds > 0) {
    r.SetHeader("Retry-After", std::to_string(error.retry_after_seconds));
  }
  if (error.code == ErrorCode::kUnauthenticated) {
    r.SetHeader("WWW-Authenticate", "Bearer realm=\"gmg\"");
  }
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
        return false;
      }
      *out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      *out += ' ';
    } else {
      *out += c;
    }
  }
  return true;
}

bool ParseQueryString(std::string_view qs, std::vector<std::pair<std::string, std::string>>* out) {
  while (!qs.empty()) {
    size_t amp = qs.find('&');
    std::string_view part = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string k, v;
    if (!PercentDecode(part.substr(0, eq), true, &k)) return false;
    if (eq != std::string_view::npos && !PercentDecode(part.substr(eq + 1), true, &v)) {
      return false;
    }
    out->emplace_back(std::move(k), std::move(v));
  }
  return true;
}

}  // namespace gmg::http
