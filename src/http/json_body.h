// JsonBody: reads a request's JSON object field by field, collecting every problem.
//
// A handler asks for each field it knows with its type and constraints; Finish() then reports
// all problems at once (wrong types, missing required fields, unknown fields) as one 400 that
// names each field. Rules of the GMG (dates in order, ids that exist) are the services' job
// and give 422.
// Thread-safety: one request's value.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "http/message.h"

namespace gmg::http {

class JsonBody {
 public:
  // Checks Content-Type (415) and parses the body as one JSON object (400 with line:column).
  static Result<JsonBody> Parse(const Request& request);
  // For tests and non-HTTP callers.
  static Result<JsonBody> ParseText(std::string_view text);

  bool Has(const char* name) const { return obj_.contains(name); }
  // Each getter returns nullopt when the field is absent (a problem if `required`), null, or
  // malformed (always a problem). Strings are trimmed; `max_len` counts bytes.
  std::optional<std::string> String(const char* name, bool required, size_t max_len = 200,
                                    bool allow_empty = false);
  std::optional<Date> DateField(const char* name, bool required);
  std::optional<int64_t> Int(const char* name, bool required, int64_t min, int64_t max);
  std::optional<bool> Bool(const char* name, bool required);
  std::optional<std::vector<std::string>> StringArray(const char* name, bool required,
                                                      size_t max_items);
  // A list of at most `max_items` positive whole numbers (record ids).
  std::optional<std::vector<int64_t>> IdArray(const char* name, bool required, size_t max_items);
  // A field may be set to null to clear it: true when present and null.
  bool IsNull(const char* name) const;
  // A field of a shape the getters do not cover (nested objects); marks it known. nullptr when
  // absent.
  const boost::json::value* Raw(const char* name);

  // Ok when every field was known and well-formed; else kInvalidArgument with details.
  Status Finish();

 private:
  explicit JsonBody(boost::json::object obj) : obj_(std::move(obj)) {}
  const boost::json::value* Field(const char* name, bool required);
  void Problem(const char* name, std::string problem, const char* rule,
               std::vector<std::pair<std::string, std::string>> args = {});

  boost::json::object obj_;
  std::vector<std::string> known_;
  std::vector<FieldProblem> problems_;
};

}  // namespace gmg::http
