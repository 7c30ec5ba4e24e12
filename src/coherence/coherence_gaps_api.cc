#include "coherence/coherence_gaps_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>

#include "coherence/coherence_query_api.h"
#include "coherence/indicators.h"
#include "http/json_body.h"

namespace gmg {
namespace {

using http::Access;
using http::Request;
using http::Response;
using http::RouteRow;

struct GapApi {
  GapService& gaps;
  MandateService& mandates;
  NeedService& need;
};

double Rounded(double x) { return std::round(x * 1000) / 1000; }

Result<Response> GetGaps(GapApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(GapQuery query, ParseGapQuery(req));
  GMG_ASSIGN_OR_RETURN(GapReport report, api.gaps.Gaps(req.principal, query));
  return http::JsonResponse(200, GapsJson(report));
}

Result<Response> ListMandates(GapApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(
      auto list,
      api.mandates.List(req.principal, std::string(req.Query("organization").value_or("")),
                        std::string(req.Query("theme").value_or(""))));
  boost::json::array items;
  for (const auto& m : list) items.push_back(MandateJson(m));
  return http::JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

Result<Response> PutMandate(GapApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, http::JsonBody::Parse(req));
  auto themes = body.StringArray("themes", true, MandateService::kMaxThemes);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(
      auto mandate,
      api.mandates.SetStatedThemes(req.principal, std::string(req.PathParam("org")), *themes));
  return http::JsonResponse(200, MandateJson(mandate));
}

// The configuration with, per indicator, whether its dataflow gives figures now.
Result<Response> NeedAnswer(GapApi& api, const coherence::NeedConfig& config) {
  GMG_ASSIGN_OR_RETURN(auto table, ReadNeedTable(api.need.stats(), config));
  boost::json::object out = NeedConfigJson(config);
  for (auto& d : out["indicators"].as_array()) {
    const std::string id(d.as_object()["id"].as_string());
    const int i = table.IndexOf(id);
    d.as_object()["countries"] = i < 0 ? 0 : static_cast<int64_t>(table.values[i].size());
  }
  boost::json::array missing;
  for (const auto& m : table.missing) missing.emplace_back(m);
  out["missing"] = std::move(missing);
  return http::JsonResponse(200, out);
}

Result<Response> GetNeed(GapApi& api, Request&) {
  GMG_ASSIGN_OR_RETURN(auto config, api.need.Config());
  return NeedAnswer(api, config);
}

Result<Response> PutNeed(GapApi& api, Request& req) {
  boost::json::error_code ec;
  boost::json::value body = boost::json::parse(req.Body(), ec);
  if (ec) return MakeError(ErrorCode::kInvalidArgument, "the body is not JSON: " + ec.message());
  GMG_ASSIGN_OR_RETURN(auto config, ParseNeedConfig(body));
  GMG_ASSIGN_OR_RETURN(auto saved, api.need.SetConfig(req.principal, config));
  return NeedAnswer(api, saved);
}

// The gaps and mandate map at a glance: {method, path, who, handler, summary, tag, cacheable}.
constexpr RouteRow<GapApi> kGapRoutes[] = {
    {"GET", "/api/v1/coherence/gaps", Access::kPublic, GetGaps,
     "Country or region × theme cells where need (UN DESA, UNHCR figures) is high and coverage "
     "(activities) low, ranked by gap (level, region, theme, limit)",
     "coherence", true},
    {"GET", "/api/v1/coherence/mandates", Access::kPublic, ListMandates,
     "The mandate map: each organisation × theme, stated in its mandate or not, against its "
     "activities and the countries they name (organization, theme)",
     "coherence", true},
    {"PUT", "/api/v1/coherence/mandates/{org}", Access::kSignedIn, PutMandate,
     "Replace the themes an organisation's mandate states ({\"themes\":[…]}); its focal point, "
     "the secretariat or an administrator",
     "coherence"},
    {"GET", "/api/v1/coherence/need", Access::kPublic, GetNeed,
     "Which statistics (dataflow, area dimension, fixed codes) weigh which theme's need, and "
     "how many countries each gives figures for",
     "coherence"},
    {"PUT", "/api/v1/coherence/need", Access::kAdmin, PutNeed,
     "Replace the need configuration ({indicators, themes}); administrators only", "coherence"},
};

std::string Fixed(double x, const char* format = "%.2f") {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

// Pads to `width` characters (UTF-8: continuation bytes take no column).
std::string Padded(std::string s, size_t width) {
  size_t columns = 0;
  for (char c : s) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  if (columns < width) s.append(width - columns, ' ');
  return s;
}

}  // namespace

void AddGapAndMandateRoutes(http::Router& router, GapService& gaps, MandateService& mandates,
                            NeedService& need) {
  http::AddRoutes(router, std::make_shared<GapApi>(GapApi{gaps, mandates, need}), kGapRoutes);
}

boost::json::object GapsJson(const GapReport& report) {
  boost::json::array cells;
  for (const auto& c : report.cells) {
    boost::json::array indicators;
    for (const auto& v : c.indicators) {
      indicators.push_back({{"id", v.indicator}, {"value", v.value}, {"year", v.year}});
    }
    cells.push_back({{"theme", c.theme},
                     {"area", c.area},
                     {"area_name", c.area_name},
                     {"need", Rounded(c.need)},
                     {"indicators", std::move(indicators)},
                     {"coverage", c.coverage},
                     {"weighted_coverage", Rounded(c.weighted_coverage)},
                     {"fair_share", Rounded(c.fair_share)},
                     {"coverage_share", Rounded(c.coverage_share)},
                     {"gap", Rounded(c.gap)}});
  }
  boost::json::array sources;
  for (const auto& s : report.sources) {
    sources.push_back({{"id", s.id}, {"name", s.name}, {"year", s.year}, {"url", s.url}});
  }
  boost::json::array missing;
  for (const auto& m : report.missing) missing.emplace_back(m);
  return {{"level", report.level},
          {"cells", std::move(cells)},
          {"total", report.total},
          {"sources", std::move(sources)},
          {"missing", std::move(missing)}};
}

std::string GapsTable(const GapReport& report) {
  std::string out = Padded("theme", 24) + Padded("area", 6) + Padded("name", 32) +
                    "  need  coverage  share   gap\n";
  for (const auto& c : report.cells) {
    out += Padded(c.theme, 24) + Padded(c.area, 6) + Padded(c.area_name, 32) +
           Fixed(c.need, "%6.2f") + Fixed(static_cast<double>(c.coverage), "%10.0f") +
           Fixed(c.coverage_share, "%7.2f") + Fixed(c.gap, "%6.2f") + "\n";
  }
  out += std::to_string(report.cells.size()) + " of " + std::to_string(report.total) +
         " cells (level " + report.level + ")\nSources:\n";
  for (const auto& s : report.sources) {
    out += "  " + s.id + ": " + s.name + " (" + std::to_string(s.year) + ")\n";
  }
  if (!report.missing.empty()) {
    out += "No figures (dataflow not loaded) for:";
    for (const auto& m : report.missing) out += " " + m;
    out += "\n";
  }
  return out;
}

boost::json::object MandateJson(const OrganizationMandate& m) {
  boost::json::array themes;
  for (const auto& t : m.themes) {
    themes.push_back({{"theme", t.theme},
                      {"stated", t.stated},
                      {"activities", t.activities},
                      {"countries", t.countries}});
  }
  return {{"organization_id", m.organization_id},
          {"organization_name", m.organization_name},
          {"themes", std::move(themes)}};
}

}  // namespace gmg
