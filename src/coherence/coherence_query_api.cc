#include "coherence/coherence_query_api.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string>

#include "core/codelists.h"

namespace gmg {
namespace {

using http::Request;

Error NotInList(const char* field, const char* problem) {
  return FieldError(ErrorCode::kInvalidArgument, field, problem, "not_in_list");
}

Status ParsePlaceAndTheme(const Request& req, OverlapFilter* f) {
  f->organization = std::string(req.Query("organization").value_or(""));
  f->theme = std::string(req.Query("theme").value_or(""));
  f->country = std::string(req.Query("country").value_or(""));
  for (char& c : f->country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!f->country.empty() && FindCountry(f->country) == nullptr) {
    return FieldError(ErrorCode::kInvalidArgument, "country",
                      "'" + f->country + "' is not an ISO 3166-1 alpha-2 code", "unknown_country",
                      {{"value", f->country}});
  }
  f->region = std::string(req.Query("region").value_or(""));
  if (!f->region.empty() && FindRegion(f->region) == nullptr) {
    return FieldError(ErrorCode::kInvalidArgument, "region",
                      "'" + f->region + "' is not a UN M49 region code", "unknown_region",
                      {{"value", f->region}});
  }
  return Ok();
}

Status ParseClassAndScore(const Request& req, OverlapFilter* f) {
  if (auto c = req.Query("class"); c && !c->empty()) {
    if (*c == "duplication") {
      f->finding_class = coherence::FindingClass::kDuplication;
    } else if (*c == "synergy") {
      f->finding_class = coherence::FindingClass::kSynergy;
    } else {
      return NotInList("class", "must be duplication or synergy");
    }
  }
  if (auto s = req.Query("min_score"); s && !s->empty()) {
    std::string text(*s);
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !(v >= 0 && v <= 1)) {
      return FieldError(ErrorCode::kInvalidArgument, "min_score", "must be a number from 0 to 1",
                        "out_of_range", {{"min", "0"}, {"max", "1"}});
    }
    f->min_score = v;
  }
  if (auto c = req.Query("cluster"); c && !c->empty()) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(c->data(), c->data() + c->size(), v);
    if (ec != std::errc() || end != c->data() + c->size() || v <= 0) {
      return FieldError(ErrorCode::kInvalidArgument, "cluster", "must be an activity id",
                        "wrong_type", {{"type", "integer"}});
    }
    f->cluster = v;
  }
  return Ok();
}

Status ParseDatesAndFeedback(const Request& req, OverlapFilter* f) {
  for (const char* name : {"from", "to"}) {
    if (auto v = req.Query(name); v && !v->empty()) {
      auto d = Date::Parse(*v);
      if (!d) {
        return FieldError(ErrorCode::kInvalidArgument, name,
                          "must be a real date written YYYY-MM-DD", "invalid_date");
      }
      (std::string_view(name) == "from" ? f->from : f->to) = d;
    }
  }
  f->feedback = std::string(req.Query("feedback").value_or(""));
  if (!f->feedback.empty() && f->feedback != "none" && f->feedback != "any" &&
      !coherence::ParseVerdict(f->feedback)) {
    return NotInList("feedback",
                     "must be none, any, confirmed_duplication, complementary, unrelated or "
                     "dismissed");
  }
  return Ok();
}

std::string QueryText(const Request& req, std::string_view name) {
  auto v = req.Query(name);
  return v ? std::string(*v) : std::string();
}

}  // namespace

Result<OverlapFilter> ParseOverlapFilter(const Request& req) {
  OverlapFilter f;
  GMG_RETURN_IF_ERROR(ParsePlaceAndTheme(req, &f));
  GMG_RETURN_IF_ERROR(ParseClassAndScore(req, &f));
  GMG_RETURN_IF_ERROR(ParseDatesAndFeedback(req, &f));
  return f;
}

Result<GapQuery> ParseGapQuery(const Request& req) {
  GapQuery q;
  if (auto level = req.Query("level"); level && !level->empty()) q.level = std::string(*level);
  q.region = QueryText(req, "region");
  q.theme = QueryText(req, "theme");
  if (auto limit = req.Query("limit"); limit && !limit->empty()) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 || n > kMaxGapLimit) {
      return FieldError(ErrorCode::kInvalidArgument, "limit",
                        "must be a whole number from 1 to " + std::to_string(kMaxGapLimit),
                        "out_of_range", {{"min", "1"}, {"max", std::to_string(kMaxGapLimit)}});
    }
    q.limit = n;
  }
  return q;
}

}  // namespace gmg
