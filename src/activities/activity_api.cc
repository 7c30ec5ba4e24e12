#include "activities/activity_api.h"

#include <atomic>
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "activities/activity_json.h"
#include "activities/activity_text_index.h"
#include "activities/iati_mapping.h"
#include "activities/query_terms.h"
#include "core/codelists.h"
#include "http/json_body.h"
#include "http/paging.h"
#include "interop/xlsx.h"

namespace gmg {
namespace {

using http::Access;
using http::Request;
using http::Response;
using http::RouteRow;

std::vector<std::string> Values(const Request& req, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : req.query) {
    if (k != name) continue;
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string item =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

Result<int64_t> ActivityId(const Request& req) {
  std::string_view s = req.PathParam("id");
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0) {
    return MakeError(ErrorCode::kNotFound, "no such activity: " + std::string(s));
  }
  return id;
}

Response ActivityResponse(int status, const Activity& a) {
  Response r = http::JsonResponse(status, ActivityJson(a));
  r.SetHeader("ETag", http::VersionETag(a.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/activities/" + std::to_string(a.id));
  return r;
}

// An activity as a body a client could send back: what PATCH merges its changes into.
boost::json::object EditableJson(const Activity& a) {
  boost::json::object o = ActivityJson(a).as_object();
  boost::json::object out;
  out["organization_id"] = a.fields.organization_id;
  for (const char* k : {"titles", "descriptions", "type", "themes", "purposes", "dimensions",
                        "countries", "regions", "is_global", "starts_on", "ends_on", "status",
                        "budget", "partners", "contact", "links", "visibility"}) {
    out[k] = o[k];
  }
  return out;
}

std::string CsvField(std::string_view s) {
  bool quote = s.find_first_of(",\"\n\r") != std::string_view::npos;
  // A leading =, +, - or @ would be a formula in a spreadsheet: neutralise it.
  bool formula = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
  std::string out;
  if (quote || formula) out += '"';
  if (formula) out += '\'';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quote || formula) out += '"';
  return out;
}

std::string Join(const std::vector<std::string>& v, std::string_view sep = ";") {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// Downloads (CSV and Excel): one row per activity, the same columns in both. Each coded field
// keeps its code column (stable, exact to filter on and to join with other data) and gets a
// "…_names" column beside it in words; see docs/activities.md "Downloads".

constexpr const char* kDataSource = "GMG Hub \xE2\x80\x94 Global Migration Group";
constexpr const char* kDataSourceAscii = "GMG Hub - Global Migration Group";  // for HTTP headers
// The licence is the administrator's (`gmg serve --data-licence`, activities/download_settings.h);
// without one the files say that none is stated rather than invent one.

struct DownloadColumn {
  const char* name;
  const char* meaning;
  double width;
};

const std::vector<DownloadColumn>& DownloadColumns() {
  static const std::vector<DownloadColumn> kColumns = {
      {"id", "The activity's number in the GMG Hub", 7},
      {"page",
       "The activity's web page: a full address when the hub's public address is set "
       "(gmg serve --public-url), else relative to the address of the GMG Hub it came from",
       18},
      {"organization", "Acronym of the reporting GMG organisation", 12},
      {"organization_name", "Name of the reporting organisation", 30},
      {"title", "Title (the first, main language)", 40},
      {"description", "Description (the first, main language), in full", 60},
      {"type", "Activity type code", 16},
      {"type_name", "Activity type in words", 22},
      {"themes", "Migration theme ids, separated by ;", 24},
      {"theme_names", "Migration themes in words, separated by ;", 36},
      {"countries", "ISO 3166-1 alpha-2 country codes, separated by ;", 14},
      {"country_names", "Country names, separated by ;", 30},
      {"regions", "UN M49 region codes (or LDC, LLDC, SIDS), separated by ;", 12},
      {"region_names", "Region names, separated by ;", 28},
      {"global", "yes when the activity is global (worldwide)", 8},
      {"starts_on", "Start date", 12},
      {"ends_on", "End date", 12},
      {"status", "IATI activity status code (1-6)", 8},
      {"status_name", "Status in words", 16},
      {"budget", "Budget amount, a number", 14},
      {"currency", "ISO 4217 currency of the budget", 10},
      {"partners", "Partner organisations and what each does, separated by ;", 40},
      {"iati_identifier", "IATI activity identifier", 24},
      {"visibility", "Who may see it: public, members, organization", 12},
      {"updated_at", "Last change (UTC)", 20},
  };
  return kColumns;
}

std::vector<std::string> DownloadHeader() {
  std::vector<std::string> out;
  for (const auto& c : DownloadColumns()) out.emplace_back(c.name);
  return out;
}

std::string_view TypeName(std::string_view type) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"research", "Research"},
      {"data_statistics", "Data and statistics"},
      {"technical_assistance", "Technical assistance"},
      {"training", "Training"},
      {"policy_dialogue", "Policy dialogue"},
      {"operational_programme", "Operational programme"},
      {"normative", "Normative work"},
      {"event", "Event"}};
  for (const auto& [code, name] : kNames) {
    if (code == type) return name;
  }
  return type;
}

std::string_view StatusWords(int status) {
  static constexpr std::string_view kNames[] = {"Pipeline", "Implementation", "Finalisation",
                                                "Closed",   "Cancelled",      "Suspended"};
  return status >= 1 && status <= 6 ? kNames[status - 1] : "Unknown";
}

// What a partner of each IATI organisation role does, in words.
std::string_view RoleWords(std::string_view role) {
  if (role == "funding") return "funds it";
  if (role == "accountable") return "oversees it (accountable)";
  if (role == "extending") return "manages the funds (extending)";
  if (role == "implementing") return "carries it out";
  return role;
}

// The labels a download needs beyond the activity: theme names (from the themes table).
struct DownloadLabels {
  std::map<std::string, std::string, std::less<>> themes;
};

Result<DownloadLabels> LoadDownloadLabels(ActivityService& s) {
  GMG_ASSIGN_OR_RETURN(auto themes, s.ListThemes());
  DownloadLabels labels;
  for (auto& t : themes) labels.themes[t.id] = std::move(t.name);
  return labels;
}

template <typename Name>
std::string JoinNames(const std::vector<std::string>& codes, Name name) {
  std::string out;
  for (const auto& c : codes) {
    if (!out.empty()) out += "; ";
    out += name(c);
  }
  return out;
}

std::vector<xlsx::Cell> DownloadRow(const Activity& a, const DownloadLabels& labels,
                                    const DownloadSettings& settings) {
  using xlsx::Cell;
  const auto& f = a.fields;
  std::vector<std::string> partners;
  for (const auto& p : f.partners)
    partners.push_back(p.name + " (" + std::string(RoleWords(p.role)) + ")");
  auto theme = [&](const std::string& id) {
    auto it = labels.themes.find(id);
    return it == labels.themes.end() ? id : it->second;
  };
  auto country = [](const std::string& c) {
    const CountryRecord* r = FindCountry(c);
    return r ? std::string(r->name) : c;
  };
  auto region = [](const std::string& c) {
    const RegionRecord* r = FindRegion(c);
    return r ? r->name : c;
  };
  auto date = [](const std::optional<Date>& d) { return d ? Cell::OfDate(*d) : Cell::Empty(); };
  return {Cell::Number(static_cast<double>(a.id)),
          Cell::Text(settings.Link("/activities/" + std::to_string(a.id))),
          Cell::Text(a.organization_acronym),
          Cell::Text(a.organization_name),
          Cell::Text(f.titles.empty() ? "" : f.titles.front().text),
          Cell::Text(f.descriptions.empty() ? "" : f.descriptions.front().text),
          Cell::Text(f.type),
          Cell::Text(std::string(TypeName(f.type))),
          Cell::Text(Join(f.themes)),
          Cell::Text(JoinNames(f.themes, theme)),
          Cell::Text(Join(f.countries)),
          Cell::Text(JoinNames(f.countries, country)),
          Cell::Text(Join(f.regions)),
          Cell::Text(JoinNames(f.regions, region)),
          Cell::Text(f.is_global ? "yes" : "no"),
          date(f.starts_on),
          date(f.ends_on),
          Cell::Number(f.status),
          Cell::Text(std::string(StatusWords(f.status))),
          f.budget_amount ? Cell::Number(*f.budget_amount) : Cell::Empty(),
          Cell::Text(f.budget_currency),
          Cell::Text(Join(partners, "; ")),
          Cell::Text(f.iati_identifier),
          Cell::Text(f.visibility),
          Cell::OfTimestamp(a.updated_at)};
}

// A cell as CSV text: numbers without exponent or trailing zeros, dates as YYYY-MM-DD, times
// as ISO 8601 UTC.
std::string CsvText(const xlsx::Cell& c) {
  switch (c.kind) {
    case xlsx::Cell::Kind::kEmpty:
      return "";
    case xlsx::Cell::Kind::kText:
      return c.text;
    case xlsx::Cell::Kind::kNumber: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.15g", c.number);
      return buf;
    }
    case xlsx::Cell::Kind::kDate:
      return Date::FromDays(static_cast<int32_t>(c.number)).ToString();
    case xlsx::Cell::Kind::kDateTime:
      return FormatTimestamp(static_cast<int64_t>(c.number));
  }
  return "";
}

// The filters of a download as the request gave them ("organization=ilo; theme=…").
std::string FiltersText(const Request& req) {
  std::string out;
  for (const auto& [k, v] : req.query) {
    if (!out.empty()) out += "; ";
    out += k;
    out += '=';
    out += v;
  }
  return out.empty() ? "none (every activity the viewer may see)" : out;
}

std::string ViewerText(const Principal& p) {
  if (!p.signed_in()) return "not signed in: public activities only";
  return "signed in as " + p.email +
         ": public activities and those shared with this account's organisation or the members";
}

// Country codes upper-cased and checked, region codes checked.
Status ParsePlaces(const Request& req, ActivityFilter* f) {
  f->countries = Values(req, "country");
  for (auto& c : f->countries) {
    for (char& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (!FindCountry(c)) {
      return FieldError(ErrorCode::kInvalidArgument, "country",
                        "'" + c + "' is not an ISO 3166-1 alpha-2 code");
    }
  }
  f->regions = Values(req, "region");
  for (const auto& r : f->regions) {
    if (!FindRegion(r)) {
      return FieldError(ErrorCode::kInvalidArgument, "region",
                        "'" + r + "' is not a UN M49 region code");
    }
  }
  return Ok();
}

Status ParseStatusesAndDates(const Request& req, ActivityFilter* f) {
  for (const auto& s : Values(req, "status")) {
    if (s.size() != 1 || s[0] < '1' || s[0] > '6') {
      return FieldError(ErrorCode::kInvalidArgument, "status",
                        "must be IATI activity status codes 1-6");
    }
    f->statuses.push_back(s[0] - '0');
  }
  for (const char* name : {"from", "to"}) {
    if (auto v = req.Query(name); v && !v->empty()) {
      auto d = Date::Parse(*v);
      if (!d) {
        return FieldError(ErrorCode::kInvalidArgument, name,
                          "must be a real date written YYYY-MM-DD");
      }
      (std::string_view(name) == "from" ? f->from : f->to) = d;
    }
  }
  return Ok();
}

Status ParseScopeTextAndSort(const Request& req, ActivityFilter* f) {
  f->scope = std::string(req.Query("scope").value_or("all"));
  if (f->scope != "all" && f->scope != "members" && f->scope != "partners") {
    return FieldError(ErrorCode::kInvalidArgument, "scope", "must be all, members or partners");
  }
  f->text = std::string(req.Query("q").value_or(""));
  if (f->text.size() > 200) {
    return FieldError(ErrorCode::kInvalidArgument, "q", "must be at most 200 bytes");
  }
  f->sort = std::string(req.Query("sort").value_or(f->text.empty() ? "-updated" : "relevance"));
  static constexpr const char* kSorts[] = {"title",   "-title",   "starts_on", "-starts_on",
                                           "updated", "-updated", "relevance"};
  if (std::find(std::begin(kSorts), std::end(kSorts), f->sort) == std::end(kSorts)) {
    return FieldError(
        ErrorCode::kInvalidArgument, "sort",
        "must be title, -title, starts_on, -starts_on, updated, -updated or relevance");
  }
  return Ok();
}

}  // namespace

Result<ActivityFilter> ParseActivityFilter(const Request& req) {
  ActivityFilter f;
  f.organizations = Values(req, "organization");
  f.themes = Values(req, "theme");
  GMG_RETURN_IF_ERROR(ParsePlaces(req, &f));
  f.types = Values(req, "type");
  GMG_RETURN_IF_ERROR(ParseStatusesAndDates(req, &f));
  GMG_RETURN_IF_ERROR(ParseScopeTextAndSort(req, &f));
  return f;
}

namespace {

// The QueryTerms of the current theme taxonomy, made again when a theme is added or renamed.
// Thread-safety: Get may be called from any thread.
// The names of places and themes a search reads (QueryTerms), made again only when a write
// may have changed the themes: any committed write of any instance (Database::kDataChannel)
// marks it stale, and so does a second's age (a SQLite file written by another process is not
// reported, as the router's response cache knows too). Searches between writes read no theme.
class TermsCache {
 public:
  Result<std::shared_ptr<const QueryTerms>> Get(Database& db, ActivityService& activities) {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mu_);
      if (!subscription_) {
        // Before the themes are read, so that no write after the read goes unnoticed.
        auto sub = db.Subscribe(Database::kDataChannel, [this] { writes_.fetch_add(1); });
        if (sub.ok()) subscription_ = std::move(*sub);
      }
      if (terms_ && subscription_ && read_after_ == writes_.load() &&
          now - read_at_ < std::chrono::seconds(1)) {
        return terms_;
      }
    }
    const uint64_t writes = writes_.load();
    GMG_ASSIGN_OR_RETURN(auto themes, activities.ListThemes());
    std::vector<std::pair<std::string, std::string>> names;
    for (const Theme& t : themes) {
      if (!t.archived) names.emplace_back(t.id, t.name);
    }
    std::lock_guard lock(mu_);
    if (!terms_ || names != names_) {
      terms_ = std::make_shared<const QueryTerms>(names);
      names_ = std::move(names);
    }
    read_after_ = writes;
    read_at_ = now;
    return terms_;
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> names_;
  std::shared_ptr<const QueryTerms> terms_;
  std::atomic<uint64_t> writes_{0};  // writes reported so far
  uint64_t read_after_ = 0;          // writes reported before terms_ was read
  std::chrono::steady_clock::time_point read_at_;
  std::unique_ptr<Subscription> subscription_;  // last: stops before the rest goes
};

// What the handlers of this file need.
struct ActivityApi {
  ActivityApi(Database& d, ActivityService& a, DownloadSettings s)
      : db(d), activities(a), downloads(std::move(s)) {}
  Database& db;
  ActivityService& activities;
  const DownloadSettings downloads;
  TermsCache terms;
};

// Lists, the map and downloads.

Result<Response> ListActivities(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(ActivityFilter filter, ParseActivityFilter(req));
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  GMG_ASSIGN_OR_RETURN(
      auto result, api.activities.List(req.principal, filter, page.limit, page.after.value_or(0)));
  boost::json::array items;
  for (const auto& a : result.items) items.push_back(ActivityJson(a));
  return http::JsonResponse(200,
                            http::ListBody(std::move(items), result.next_offset, result.total));
}

// The map: countries named (`items`), regions recorded (`regions`, listed beside the map, not
// shaded in their countries) and global activities.
Result<Response> CountActivitiesByCountry(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(ActivityFilter filter, ParseActivityFilter(req));
  GMG_ASSIGN_OR_RETURN(auto counts, api.activities.CountByCountry(req.principal, filter));
  boost::json::array items;
  for (const auto& [code, n] : counts.countries) {
    const CountryRecord* c = FindCountry(code);
    items.push_back({{"country", code},
                     {"iso3", c ? c->iso3 : ""},
                     {"m49", c ? c->m49 : 0},
                     {"name", c ? c->name : code},
                     {"count", n}});
  }
  int64_t global = counts.global;
  boost::json::array regions;
  for (const auto& [code, n] : counts.regions) {
    // The world, in rows written before 001 was stored as global, is a global activity.
    if (code == "001") {
      global += n;
      continue;
    }
    const RegionRecord* r = FindRegion(code);
    regions.push_back({{"region", code},
                       {"name", r ? r->name : code},
                       {"level", r ? r->level : ""},
                       {"count", n}});
  }
  return http::JsonResponse(
      200, boost::json::object{
               {"items", std::move(items)}, {"regions", std::move(regions)}, {"global", global}});
}

void WriteCsv(ActivityService& s, const Principal& viewer, const ActivityFilter& f,
              const DownloadLabels& labels, const DownloadSettings& settings,
              const http::BodyWriter& write) {
  // The source and licence travel in every row (two last columns): the file stays one RFC 4180
  // table, and rows copied or filtered elsewhere keep them.
  const std::string tail =
      "," + CsvField(kDataSource) + "," + CsvField(settings.data_licence) + "\r\n";
  std::string line = "\xEF\xBB\xBF";  // BOM: spreadsheets then read UTF-8
  for (const auto& h : DownloadHeader()) line += h + ",";
  if (!write(line + "source,licence\r\n")) return;
  (void)s.ForEach(viewer, f, [&](const Activity& a) {
    std::string row;
    for (const auto& cell : DownloadRow(a, labels, settings)) row += CsvField(CsvText(cell)) + ",";
    row.pop_back();
    return write(row + tail);
  });
}

// Source and licence as headers too, for clients that read them before the body.
// The licence is printable ASCII (MakeDownloadSettings checks it), so it is a valid header value.
void SetDataHeaders(Response& r, const DownloadSettings& settings) {
  r.SetHeader("X-Data-Source", kDataSourceAscii);
  r.SetHeader("X-Data-Licence", settings.data_licence);
}

Result<Response> DownloadCsv(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(ActivityFilter filter, ParseActivityFilter(req));
  GMG_ASSIGN_OR_RETURN(DownloadLabels labels, LoadDownloadLabels(api.activities));
  Response r;
  r.content_type = "text/csv; charset=utf-8; header=present";
  r.SetHeader("Content-Disposition", "attachment; filename=\"gmg-activities.csv\"");
  SetDataHeaders(r, api.downloads);
  r.stream = [&s = api.activities, &settings = api.downloads, viewer = req.principal,
              f = std::move(filter), labels = std::move(labels)](const http::BodyWriter& write) {
    WriteCsv(s, viewer, f, labels, settings, write);
  };
  return r;
}

// The "About" sheet: what the file is, where from, under which terms, and its columns.
void WriteAbout(const xlsx::AddRow& add, const Request& req, const DownloadSettings& settings,
                int64_t extracted_at, int64_t rows, bool truncated) {
  using xlsx::Cell;
  auto pair = [&](const char* k, Cell v) { add({Cell::Text(k), std::move(v)}); };
  pair("Title", Cell::Text("GMG Hub activities"));
  pair("Source", Cell::Text(kDataSource));
  pair("Extracted at (UTC)", Cell::OfTimestamp(extracted_at));
  pair("Filters", Cell::Text(FiltersText(req)));
  pair("Viewer", Cell::Text(ViewerText(req.principal)));
  pair("Licence", Cell::Text(settings.data_licence));
  pair("Activities page", Cell::Text(settings.Link("/activities")));
  pair("Rows", Cell::Number(static_cast<double>(rows)));
  if (truncated) pair("Note", Cell::Text("Cut at Excel's row limit: download CSV for all rows"));
  add({});
  add({Cell::Text("Column (sheet Activities)"), Cell::Text("What it holds")});
  for (const auto& c : DownloadColumns()) pair(c.name, Cell::Text(c.meaning));
}

Result<Response> DownloadXlsx(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(ActivityFilter filter, ParseActivityFilter(req));
  GMG_ASSIGN_OR_RETURN(DownloadLabels labels, LoadDownloadLabels(api.activities));
  int64_t extracted_at = UnixNow();
  // Rows in id order straight from the database, one batch in memory at a time.
  Status read;
  int64_t rows = 0;
  bool truncated = false;
  std::vector<double> widths;
  for (const auto& c : DownloadColumns()) widths.push_back(c.width);
  std::vector<xlsx::Sheet> sheets = {
      {"Activities", DownloadHeader(), std::move(widths),
       [&](const xlsx::AddRow& add_row) {
         read = api.activities.ForEach(req.principal, filter, [&](const Activity& a) {
           if (!add_row(DownloadRow(a, labels, api.downloads))) {
             truncated = true;
             return false;
           }
           ++rows;
           return true;
         });
       }},
      {"About", {}, {26, 100}, [&](const xlsx::AddRow& add_row) {
         WriteAbout(add_row, req, api.downloads, extracted_at, rows, truncated);
       }}};
  auto bytes = xlsx::WriteWorkbook(sheets);
  GMG_RETURN_IF_ERROR(read);
  GMG_ASSIGN_OR_RETURN(std::string workbook, std::move(bytes));
  Response r;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.SetHeader("Content-Disposition", "attachment; filename=\"gmg-activities.xlsx\"");
  SetDataHeaders(r, api.downloads);
  r.body = std::move(workbook);
  return r;
}

// "<!-- Source: …. Licence: … Hub: … -->", with "--" (not allowed in a comment) spaced out.
std::string IatiTermsComment(const DownloadSettings& settings) {
  std::string text =
      std::string("Source: ") + kDataSourceAscii + ". Licence: " + settings.data_licence;
  if (!settings.public_url.empty()) text += " Hub: " + settings.public_url;
  std::string safe;
  for (char c : text) {
    if (c == '-' && !safe.empty() && safe.back() == '-') safe += ' ';
    safe += c;
  }
  if (!safe.empty() && safe.back() == '-') safe += ' ';
  return "<!-- " + safe + " -->\n";
}

Result<Response> DownloadIati(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(ActivityFilter filter, ParseActivityFilter(req));
  Response r;
  r.content_type = "application/xml; charset=utf-8";
  r.SetHeader("Content-Disposition", "attachment; filename=\"gmg-activities.iati.xml\"");
  SetDataHeaders(r, api.downloads);
  r.stream = [&s = api.activities, &db = api.db, &settings = api.downloads, viewer = req.principal,
              f = std::move(filter)](const http::BodyWriter& write) {
    // IATI has no element for a licence (the IATI Registry holds it): the file says it in a
    // comment after the XML declaration, which the writer's first piece always begins with.
    bool first = true;
    auto with_terms = [&](std::string_view piece) {
      if (!first) return write(piece);
      first = false;
      size_t end = piece.find("?>\n");
      if (end == std::string_view::npos) return write(piece);
      end += 3;
      return write(std::string(piece.substr(0, end)) + IatiTermsComment(settings) +
                   std::string(piece.substr(end)));
    };
    (void)ExportIati(db, s, viewer, f, with_terms, settings.public_url);
  };
  return r;
}

// What the downloads carry, for the web app to show beside its download links.
Result<Response> GetDownloadTerms(ActivityApi& api, Request&) {
  const DownloadSettings& d = api.downloads;
  return http::JsonResponse(200, boost::json::object{{"source", kDataSource},
                                                     {"licence", d.data_licence},
                                                     {"licence_stated", d.licence_configured},
                                                     {"public_url", d.public_url}});
}

// Import.

// {"rule": …, "args": {…}} members of a reason or warning; none when it has no rule.
void AddImportRule(boost::json::object& o, const std::string& rule,
                   const std::vector<std::pair<std::string, std::string>>& args) {
  if (rule.empty()) return;
  boost::json::object a;
  for (const auto& [name, value] : args) a[name] = value;
  o["rule"] = rule;
  o["args"] = std::move(a);
}

boost::json::object ImportItemJson(const ImportItem& i) {
  boost::json::array changed;
  for (const auto& c : i.changed) changed.push_back(boost::json::string(c));
  boost::json::object o{{"line", i.line},
                        {"iati_identifier", i.iati_identifier},
                        {"action", i.action},
                        {"activity_id", i.activity_id ? boost::json::value(i.activity_id)
                                                      : boost::json::value(nullptr)},
                        {"reason", i.reason},
                        {"changed", std::move(changed)}};
  AddImportRule(o, i.rule, i.args);
  return o;
}

// Both lists are bounded (the first rows, the first warnings); the totals count all.
boost::json::object ImportReportJson(const ImportReport& report) {
  boost::json::array items, warnings;
  for (const auto& i : report.items) items.push_back(ImportItemJson(i));
  for (const auto& w : report.warnings) {
    boost::json::object o{{"line", w.line}, {"element", w.element}, {"message", w.message}};
    AddImportRule(o, w.rule, w.args);
    warnings.push_back(std::move(o));
  }
  auto items_shown = static_cast<int64_t>(report.items.size());
  auto warnings_shown = static_cast<int64_t>(report.warnings.size());
  return {{"file_version", report.file_version},
          {"dry_run", report.dry_run},
          {"created", report.created},
          {"updated", report.updated},
          {"unchanged", report.unchanged},
          {"kept_archived", report.kept_archived},
          {"skipped", report.skipped},
          {"items", std::move(items)},
          {"items_total", report.items_total},
          {"items_truncated", report.items_total > items_shown},
          {"warnings", std::move(warnings)},
          {"warnings_total", report.warnings_total},
          {"warnings_truncated", report.warnings_total > warnings_shown}};
}

Result<Response> ImportActivities(ActivityApi& api, Request& req) {
  auto ct = req.Header("content-type");
  if (!ct || (ct->substr(0, 15) != "application/xml" && ct->substr(0, 8) != "text/xml")) {
    return MakeError(ErrorCode::kUnsupportedMediaType,
                     "send the IATI file as the body with Content-Type: application/xml");
  }
  std::string_view dry = req.Query("dry_run").value_or("");
  // One import at a time across every instance: ImportIati holds a named database lock.
  GMG_ASSIGN_OR_RETURN(auto report, ImportIati(api.db, api.activities, req.principal, req.Body(),
                                               dry == "1" || dry == "true"));
  return http::JsonResponse(200, ImportReportJson(report));
}

// One activity.

Result<Response> CreateActivity(ActivityApi& api, Request& req) {
  if (auto ct = req.Header("content-type"); !ct || ct->substr(0, 16) != "application/json") {
    return MakeError(ErrorCode::kUnsupportedMediaType, "send JSON");
  }
  GMG_ASSIGN_OR_RETURN(ActivityInput input, ActivityInputFromJson(req.body));
  GMG_ASSIGN_OR_RETURN(auto created, api.activities.Create(req.principal, std::move(input)));
  return ActivityResponse(201, created);
}

Result<Response> GetActivity(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, ActivityId(req));
  GMG_ASSIGN_OR_RETURN(auto a, api.activities.Get(req.principal, id));
  return ActivityResponse(200, a);
}

Result<Response> UpdateActivity(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, ActivityId(req));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_RETURN_IF_ERROR(http::JsonBody::Parse(req));  // a JSON object, or 400
  GMG_ASSIGN_OR_RETURN(auto current, api.activities.Get(req.principal, id));
  boost::json::object merged = EditableJson(current);
  boost::json::value patch = boost::json::parse(req.body);
  for (const auto& [k, v] : patch.as_object()) merged[k] = v;
  GMG_ASSIGN_OR_RETURN(ActivityInput input, ActivityInputFromJson(boost::json::serialize(merged)));
  GMG_ASSIGN_OR_RETURN(auto updated,
                       api.activities.Update(req.principal, id, version, std::move(input)));
  return ActivityResponse(200, updated);
}

Result<Response> ArchiveActivity(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, ActivityId(req));
  GMG_RETURN_IF_ERROR(api.activities.Archive(req.principal, id));
  return http::NoContent();
}

// Search.

boost::json::object FacetsJson(const SearchResult& result) {
  boost::json::object facets;
  for (const auto& [name, counts] : result.facets) {
    boost::json::object c;
    for (const auto& [value, n] : counts) c[value] = n;
    facets[name] = std::move(c);
  }
  return facets;
}

// The query's names of countries, regions and themes as filters (QueryTerms).
void ApplyTerms(const QueryInterpretation& reading, ActivityFilter* filter) {
  for (const QueryTerm& t : reading.terms) {
    auto& list = t.filter == "country"  ? filter->countries
                 : t.filter == "region" ? filter->regions
                                        : filter->themes;
    if (std::find(list.begin(), list.end(), t.code) == list.end()) list.push_back(t.code);
  }
  filter->text = reading.remaining;
  if (filter->text.empty() && filter->sort == "relevance") filter->sort = "-updated";
}

boost::json::array TermsJson(const QueryInterpretation& reading) {
  boost::json::array out;
  for (const QueryTerm& t : reading.terms)
    out.push_back({{"words", t.words}, {"filter", t.filter}, {"code", t.code}});
  return out;
}

// A search whose every word named a place or a theme: the filtered list, in the search's
// shape (no highlight, no facets).
Result<boost::json::object> ListAsSearch(ActivityApi& api, Request& req,
                                         const ActivityFilter& filter) {
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  GMG_ASSIGN_OR_RETURN(
      auto result, api.activities.List(req.principal, filter, page.limit, page.after.value_or(0)));
  boost::json::array items;
  for (const auto& a : result.items) {
    items.push_back({{"activity", ActivityJson(a)},
                     {"title_html", MarkedHtml(a.fields.titles.empty() ? std::string_view()
                                                                       : a.fields.titles[0].text)},
                     {"snippet_html", ""},
                     {"rank", 0}});
  }
  boost::json::object body = http::ListBody(std::move(items), result.next_offset, result.total);
  body["facets"] = boost::json::object{};
  return body;
}

// Words naming a country, region or theme become filters (the answer's "interpreted" lists
// them) unless ?literal=1; the other words are searched (BM25, highlights, facets). With no
// word left to search, the filtered list answers.
Result<Response> SearchActivities(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(ActivityFilter filter, ParseActivityFilter(req));
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  QueryInterpretation reading;
  if (req.Query("literal").value_or("") != "1") {
    GMG_ASSIGN_OR_RETURN(auto terms, api.terms.Get(api.db, api.activities));
    reading = terms->Interpret(filter.text);
    if (!reading.terms.empty()) ApplyTerms(reading, &filter);
  }
  boost::json::object body;
  if (filter.text.empty() && !reading.terms.empty()) {
    GMG_ASSIGN_OR_RETURN(body, ListAsSearch(api, req, filter));
  } else {
    GMG_ASSIGN_OR_RETURN(auto result, api.activities.Search(req.principal, filter, page.limit,
                                                            page.after.value_or(0)));
    boost::json::array items;
    for (const auto& h : result.hits) {
      items.push_back({{"activity", ActivityJson(h.activity)},
                       {"title_html", h.title_highlighted},
                       {"snippet_html", h.snippet},
                       {"rank", h.rank}});
    }
    body = http::ListBody(std::move(items), result.next_offset, result.total);
    body["facets"] = FacetsJson(result);
  }
  body["interpreted"] = TermsJson(reading);
  body["text"] = filter.text;
  return http::JsonResponse(200, body);
}

// Themes.

Response ThemeResponse(int status, const Theme& t) {
  Response r = http::JsonResponse(status, ThemeJson(t));
  if (status == 201) r.SetHeader("Location", "/api/v1/themes/" + t.id);
  r.SetHeader("ETag", http::VersionETag(t.version));
  return r;
}

Result<Response> ListThemes(ActivityApi& api, Request&) {
  GMG_ASSIGN_OR_RETURN(auto themes, api.activities.ListThemes());
  return http::JsonResponse(200, http::WholeListBody(themes, ThemeJson));
}

Result<Response> CreateTheme(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, http::JsonBody::Parse(req));
  Theme t;
  auto id = body.String("id", true, 40);
  auto name = body.String("name", true, 100);
  t.description = body.String("description", false, 1000, true).value_or("");
  GMG_RETURN_IF_ERROR(body.Finish());
  t.id = *id;
  t.name = *name;
  GMG_ASSIGN_OR_RETURN(auto created, api.activities.CreateTheme(req.principal, t));
  return ThemeResponse(201, created);
}

Result<Response> GetTheme(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto themes, api.activities.ListThemes());
  for (const auto& t : themes) {
    if (t.id == req.PathParam("id")) return ThemeResponse(200, t);
  }
  return MakeError(ErrorCode::kNotFound, "no theme '" + std::string(req.PathParam("id")) + "'");
}

Result<Response> UpdateTheme(ActivityApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, http::JsonBody::Parse(req));
  Theme t;
  t.name = body.String("name", false, 100).value_or("");
  t.description = body.String("description", false, 1000, true).value_or("");
  t.archived = body.Bool("archived", false).value_or(false);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(
      auto updated,
      api.activities.UpdateTheme(req.principal, std::string(req.PathParam("id")), version, t));
  return ThemeResponse(200, updated);
}

// Codelists.

boost::json::array CountriesJson() {
  boost::json::array countries;
  for (const auto& c : AllCountries()) {
    countries.push_back({{"code", c.iso2},
                         {"iso3", c.iso3},
                         {"m49", c.m49},
                         {"name", c.name},
                         {"region", c.region},
                         {"subregion", c.subregion},
                         {"intermediate", c.intermediate}});
  }
  return countries;
}

Result<Response> GetCodelists(ActivityApi&, Request&) {
  boost::json::array regions, currencies, types, dimensions, statuses;
  for (const auto& r : AllRegions()) {
    regions.push_back({{"code", r.code},
                       {"name", r.name},
                       {"level", r.level},
                       {"countries", static_cast<int64_t>(r.countries.size())}});
  }
  for (const auto& c : AllCurrencies()) currencies.push_back({{"code", c.code}, {"name", c.name}});
  for (auto t : kActivityTypes) types.emplace_back(t);
  for (auto d : kDimensions) dimensions.emplace_back(d);
  for (int i = 1; i <= 6; ++i) statuses.push_back({{"code", i}, {"name", ActivityStatusName(i)}});
  return http::JsonResponse(200, boost::json::object{{"countries", CountriesJson()},
                                                     {"regions", std::move(regions)},
                                                     {"currencies", std::move(currencies)},
                                                     {"activity_types", std::move(types)},
                                                     {"dimensions", std::move(dimensions)},
                                                     {"statuses", std::move(statuses)}});
}

constexpr size_t kMaxImportBytes = 64u << 20;

// The activity map's API at a glance:
// {method, path, who, handler, summary, tag, cacheable, max_body_bytes, background}.
constexpr RouteRow<ActivityApi> kRoutes[] = {
    {"GET", "/api/v1/activities", Access::kPublic, ListActivities,
     "Activities under the filters (organization, theme, country, region, type, status, from, "
     "to, scope, q, sort)",
     "activities", true},
    {"POST", "/api/v1/activities", Access::kSignedIn, CreateActivity,
     "Record an activity of your organisation", "activities"},
    {"GET", "/api/v1/activities/map", Access::kPublic, CountActivitiesByCountry,
     "Activity counts under the filters: by country named (items), by region recorded (regions, "
     "not counted in their countries) and global ones",
     "activities", true},
    {"GET", "/api/v1/activities.csv", Access::kPublic, DownloadCsv,
     "The filtered activities as CSV (UTF-8, for spreadsheets)", "activities"},
    {"GET", "/api/v1/activities.xlsx", Access::kPublic, DownloadXlsx,
     "The filtered activities as an Excel workbook", "activities", false, 0, true},
    {"GET", "/api/v1/activities.iati.xml", Access::kPublic, DownloadIati,
     "The filtered activities as IATI 2.03 activity XML (streamed)", "activities"},
    {"POST", "/api/v1/activities/import", Access::kSignedIn, ImportActivities,
     "Import an IATI activity file (all-or-nothing; ?dry_run=1 to preview)", "activities", false,
     kMaxImportBytes, true},
    {"GET", "/api/v1/activities/{id}", Access::kPublic, GetActivity, "One activity", "activities"},
    {"PATCH", "/api/v1/activities/{id}", Access::kSignedIn, UpdateActivity,
     "Change an activity (fields given replace the stored ones)", "activities"},
    {"DELETE", "/api/v1/activities/{id}", Access::kSignedIn, ArchiveActivity,
     "Archive an activity (kept in history)", "activities"},
    {"GET", "/api/v1/search", Access::kPublic, SearchActivities,
     "Full-text search over activities (?q=, BM25 ranking, highlighted snippets, facet counts; "
     "names of countries, regions and themes become filters unless ?literal=1)",
     "activities", true},
    {"GET", "/api/v1/themes", Access::kPublic, ListThemes, "The migration theme taxonomy",
     "activities", true},
    {"POST", "/api/v1/themes", Access::kStaff, CreateTheme, "Add a theme", "activities"},
    {"GET", "/api/v1/themes/{id}", Access::kPublic, GetTheme, "One theme", "activities"},
    {"PATCH", "/api/v1/themes/{id}", Access::kStaff, UpdateTheme,
     "Rename, describe or archive a theme", "activities"},
    {"GET", "/api/v1/downloads/terms", Access::kPublic, GetDownloadTerms,
     "The source and licence the downloads carry, and the hub's public address", "activities",
     true},
    {"GET", "/api/v1/codelists", Access::kPublic, GetCodelists,
     "Countries (ISO 3166, UN M49), regions, currencies (ISO 4217), activity types, dimensions, "
     "statuses",
     "activities", true},
};

}  // namespace

void AddActivityRoutes(http::Router& router, Database& db, ActivityService& s,
                       const DownloadSettings& downloads) {
  http::AddRoutes(router, std::make_shared<ActivityApi>(db, s, downloads), kRoutes);
}

}  // namespace gmg
