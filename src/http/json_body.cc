#include "http/json_body.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <set>

#include "core/text.h"

namespace gmg::http {
namespace {

bool HasControlChars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 && c != '\n' && c != '\t' && c != '\r';
  });
}

// A second pass over text that already parsed: fails at the first object that names one key
// twice. Boost.JSON keeps one of the two values silently, and two readers of one body (a
// proxy, a script, this server) could then disagree on what it says.
class DuplicateKeyFinder {
 public:
  // The names basic_parser's handler contract requires.
  static constexpr std::size_t max_array_size = -1;   // NOLINT(readability-identifier-naming)
  static constexpr std::size_t max_object_size = -1;  // NOLINT(readability-identifier-naming)
  static constexpr std::size_t max_string_size = -1;  // NOLINT(readability-identifier-naming)
  static constexpr std::size_t max_key_size = -1;     // NOLINT(readability-identifier-naming)

  bool found = false;
  std::string duplicate;  // the key named twice, once found

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_array_begin(boost::system::error_code&) { return true; }
  bool on_array_end(std::size_t, boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, boost::system::error_code&) {
    keys_.pop_back();
    return true;
  }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::system::error_code& ec) {
    key_.append(s.data(), s.size());
    bool fresh = keys_.back().insert(key_).second;
    if (!fresh) {
      found = true;
      duplicate = std::move(key_);
      ec = boost::json::error::syntax;
    }
    key_.clear();
    return fresh;
  }
  bool on_string_part(boost::json::string_view, std::size_t, boost::system::error_code&) {
    return true;
  }
  bool on_string(boost::json::string_view, std::size_t, boost::system::error_code&) { return true; }
  bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(int64_t, boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_uint64(uint64_t, boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_double(double, boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_bool(bool, boost::system::error_code&) { return true; }
  bool on_null(boost::system::error_code&) { return true; }
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }

 private:
  std::vector<std::set<std::string>> keys_;  // one per open object, innermost last
  std::string key_;
};

// "line L, column C" of byte offset `at` in `text` (both from 1).
std::string Position(std::string_view text, size_t at) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

}  // namespace

Result<JsonBody> JsonBody::Parse(const Request& request) {
  auto ct = request.Header("content-type");
  if (!ct || ct->substr(0, 16) != "application/json") {
    return MakeError(ErrorCode::kUnsupportedMediaType,
                     "send the body as JSON with Content-Type: application/json");
  }
  return ParseText(request.Body());
}

Result<JsonBody> JsonBody::ParseText(std::string_view text) {
  boost::json::parse_options opts;
  opts.max_depth = 16;
  boost::json::stream_parser p({}, opts);
  boost::system::error_code ec;
  size_t used = p.write_some(text.data(), text.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "malformed JSON at " + Position(text, used) + ": " + ec.message());
  }
  boost::json::basic_parser<DuplicateKeyFinder> keys(opts);
  used = keys.write_some(false, text.data(), text.size(), ec);
  if (keys.handler().found) {
    const std::string& key = keys.handler().duplicate;
    bool printable = key.size() <= 64 && std::all_of(key.begin(), key.end(),
                                                     [](char c) { return c >= 0x20 && c < 0x7f; });
    return MakeError(ErrorCode::kInvalidArgument,
                     "malformed JSON at " + Position(text, used) + ": " +
                         (printable ? "the key \"" + key + "\"" : std::string("a key")) +
                         " appears twice in one object");
  }
  boost::json::value v = p.release();
  if (!v.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  }
  return JsonBody(std::move(v.as_object()));
}

void JsonBody::Problem(const char* name, std::string problem, const char* rule,
                       std::vector<std::pair<std::string, std::string>> args) {
  problems_.emplace_back(name, std::move(problem), rule, std::move(args));
}

const boost::json::value* JsonBody::Field(const char* name, bool required) {
  known_.emplace_back(name);
  const boost::json::value* v = obj_.if_contains(name);
  if (v == nullptr) {
    if (required) Problem(name, "is required", "required");
    return nullptr;
  }
  if (v->is_null()) {
    if (required) Problem(name, "must not be null", "required");
    return nullptr;
  }
  return v;
}

const boost::json::value* JsonBody::Raw(const char* name) {
  known_.emplace_back(name);
  return obj_.if_contains(name);
}

bool JsonBody::IsNull(const char* name) const {
  const boost::json::value* v = obj_.if_contains(name);
  return v != nullptr && v->is_null();
}

std::optional<std::string> JsonBody::String(const char* name, bool required, size_t max_len,
                                            bool allow_empty) {
  const boost::json::value* v = Field(name, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Problem(name, "must be a string", "wrong_type", {{"type", "string"}});
    return std::nullopt;
  }
  std::string s(Trim(v->as_string()));
  if (s.empty() && !allow_empty) {
    Problem(name, "must not be empty", "required");
    return std::nullopt;
  }
  if (s.size() > max_len) {
    Problem(name, "must be at most " + std::to_string(max_len) + " bytes", "too_long",
            {{"max", std::to_string(max_len)}});
    return std::nullopt;
  }
  if (HasControlChars(s)) {
    Problem(name, "must not contain control characters", "control_characters");
    return std::nullopt;
  }
  return s;
}

std::optional<Date> JsonBody::DateField(const char* name, bool required) {
  const boost::json::value* v = Field(name, required);
  if (v == nullptr) return std::nullopt;
  std::optional<Date> d;
  if (v->is_string()) d = Date::Parse(v->as_string());
  if (!d) Problem(name, "must be a real date written YYYY-MM-DD", "invalid_date");
  return d;
}

std::optional<int64_t> JsonBody::Int(const char* name, bool required, int64_t min, int64_t max) {
  const boost::json::value* v = Field(name, required);
  if (v == nullptr) return std::nullopt;
  int64_t n;
  if (v->is_int64()) {
    n = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    n = static_cast<int64_t>(v->as_uint64());
  } else {
    Problem(name, "must be a whole number", "wrong_type", {{"type", "integer"}});
    return std::nullopt;
  }
  if (n < min || n > max) {
    Problem(name, "must be between " + std::to_string(min) + " and " + std::to_string(max),
            "out_of_range", {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonBody::Bool(const char* name, bool required) {
  const boost::json::value* v = Field(name, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    Problem(name, "must be true or false", "wrong_type", {{"type", "boolean"}});
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::vector<std::string>> JsonBody::StringArray(const char* name, bool required,
                                                              size_t max_items) {
  const boost::json::value* v = Field(name, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    Problem(name, "must be an array of strings", "wrong_type", {{"type", "list"}});
    return std::nullopt;
  }
  const auto& arr = v->as_array();
  if (arr.size() > max_items) {
    Problem(name, "must have at most " + std::to_string(max_items) + " items", "too_many",
            {{"max", std::to_string(max_items)}});
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : arr) {
    if (!item.is_string() || item.as_string().size() > 200) {
      Problem(name, "must be an array of strings", "wrong_type", {{"type", "list"}});
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

std::optional<std::vector<int64_t>> JsonBody::IdArray(const char* name, bool required,
                                                      size_t max_items) {
  const boost::json::value* v = Field(name, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    Problem(name, "must be a list of ids", "wrong_type", {{"type", "list"}});
    return std::nullopt;
  }
  const auto& arr = v->as_array();
  if (arr.size() > max_items) {
    Problem(name, "must have at most " + std::to_string(max_items) + " items", "too_many",
            {{"max", std::to_string(max_items)}});
    return std::nullopt;
  }
  std::vector<int64_t> out;
  for (const auto& item : arr) {
    if (!item.is_int64() || item.as_int64() <= 0) {
      Problem(name, "must hold positive whole numbers", "wrong_type",
              {{"type", "positive integer"}});
      return std::nullopt;
    }
    out.push_back(item.as_int64());
  }
  return out;
}

Status JsonBody::Finish() {
  for (const auto& [key, value] : obj_) {
    if (std::find(known_.begin(), known_.end(), std::string_view(key)) == known_.end()) {
      problems_.emplace_back(std::string(key), "is not a known field", "unknown_field");
    }
  }
  if (problems_.empty()) return Ok();
  std::string message = "invalid request body: ";
  // As bounded as the details of the answer (message.h): the first ones, then how many more.
  size_t named = std::min(problems_.size(), kMaxErrorDetails);
  for (size_t i = 0; i < named; ++i) {
    if (i > 0) message += "; ";
    message += problems_[i].field + " " + problems_[i].problem;
  }
  if (problems_.size() > named) {
    message += "; and " + std::to_string(problems_.size() - named) + " more";
  }
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(problems_), 0};
}

}  // namespace gmg::http
