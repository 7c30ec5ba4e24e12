// Fuzz target: JsonBody, the reader of every JSON request body. Input: the body's bytes.
//
// Besides "no crash, no sanitizer report", checks that each getter keeps its promise: strings
// are trimmed, within their byte limit and free of control characters; integers are within
// their bounds; arrays within their item limit; Finish() is ok only when nothing was wrong.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.h"
#include "fuzz_check.h"
#include "http/json_body.h"
#include "http/message.h"

namespace {

using gmg::http::JsonBody;

bool HasControlChars(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t' && c != '\r') return true;
  }
  return false;
}

// True when the getter gave nothing for a field that is there and not null: a problem must
// then have been recorded.
bool Malformed(const JsonBody& body, const char* name, bool got_value) {
  return !got_value && body.Has(name) && !body.IsNull(name);
}

bool CheckString(JsonBody& body, const char* name, size_t max_len, bool allow_empty) {
  auto s = body.String(name, false, max_len, allow_empty);
  if (s) {
    GMG_FUZZ_CHECK(s->size() <= max_len);
    GMG_FUZZ_CHECK(allow_empty || !s->empty());
    GMG_FUZZ_CHECK(gmg::Trim(*s).size() == s->size());
    GMG_FUZZ_CHECK(!HasControlChars(*s));
  }
  return Malformed(body, name, s.has_value());
}

// Asks for fields as the routes do, in each shape, then checks Finish().
void ReadFields(JsonBody& body) {
  bool must_fail = false;
  must_fail |= CheckString(body, "name", 200, false);
  must_fail |= CheckString(body, "description", 4000, true);
  auto date = body.DateField("start_date", false);
  if (date) GMG_FUZZ_CHECK(gmg::Date::Parse(date->ToString()).has_value());
  must_fail |= Malformed(body, "start_date", date.has_value());
  auto limit = body.Int("limit", false, 1, 500);
  if (limit) GMG_FUZZ_CHECK(*limit >= 1 && *limit <= 500);
  must_fail |= Malformed(body, "limit", limit.has_value());
  auto version = body.Int("version", false, INT64_MIN, INT64_MAX);
  must_fail |= Malformed(body, "version", version.has_value());
  auto flag = body.Bool("public", false);
  must_fail |= Malformed(body, "public", flag.has_value());
  auto tags = body.StringArray("tags", false, 20);
  if (tags) {
    GMG_FUZZ_CHECK(tags->size() <= 20);
    for (const auto& t : *tags) GMG_FUZZ_CHECK(t.size() <= 200);
  }
  must_fail |= Malformed(body, "tags", tags.has_value());
  (void)body.IsNull("contact");
  (void)body.Raw("links");
  // A required field that is absent is a problem too.
  auto id = body.String("id", true);
  must_fail |= !id.has_value();

  gmg::Status finished = body.Finish();
  if (must_fail) GMG_FUZZ_CHECK(!finished.ok());
  if (!finished.ok()) {
    GMG_FUZZ_CHECK(finished.error().code == gmg::ErrorCode::kInvalidArgument);
    GMG_FUZZ_CHECK(!finished.error().details.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = JsonBody::ParseText(text);
  if (!parsed.ok()) {
    GMG_FUZZ_CHECK(parsed.error().code == gmg::ErrorCode::kInvalidArgument);
    return 0;
  }
  ReadFields(*parsed);

  // The same body through the request path (Content-Type check, then the same parser).
  gmg::http::Request request;
  request.headers.emplace_back("content-type", "application/json; charset=utf-8");
  request.body = std::string(text);
  auto from_request = JsonBody::Parse(request);
  GMG_FUZZ_CHECK(from_request.ok());
  return 0;
}
