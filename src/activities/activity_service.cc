#include "activities/activity_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <set>
#include <span>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "activities/activity_json.h"
#include "audit/audit_log.h"
#include "core/access_policy.h"
#include "core/codelists.h"
#include "governance/organization_directory.h"
#include "store/sql.h"

namespace gmg {
namespace {

constexpr std::pair<const char*, const char*> kThemeSeed[] = {
    {"labour-migration", "Labour migration"},
    {"remittances", "Remittances"},
    {"trafficking", "Trafficking in persons"},
    {"smuggling", "Smuggling of migrants"},
    {"refugee-protection", "Refugee protection and asylum"},
    {"statelessness", "Statelessness"},
    {"internal-displacement", "Internal displacement"},
    {"human-rights", "Human rights of migrants"},
    {"migration-development", "Migration and development"},
    {"trade-gats-mode4", "Trade and GATS Mode 4"},
    {"skills-brain-drain", "Skills and brain drain"},
    {"diaspora", "Diaspora"},
    {"migration-data", "Migration data"},
    {"health-hiv", "Health and HIV"},
    {"gender", "Gender and female migration"},
    {"migration-management", "Migration management and borders"},
    {"return-reintegration", "Return and reintegration"},
    {"migration-law", "Migration law"},
    {"irregular-migration", "Irregular migration"},
};

// From this many activities in one transaction, ReindexInTx also merges the full-text index
// and refreshes the query planner's statistics.
constexpr size_t kBulkWrite = 1000;
// After a bulk write on PostgreSQL: ANALYZE of the tables a page of activities reads but the
// full-text index does not (ActivityTextIndex analyses its own).
constexpr const char* kPageTablesAnalyze =
    "ANALYZE activity_places; ANALYZE activity_tags; ANALYZE activity_purposes; "
    "ANALYZE activity_dimensions; ANALYZE activity_links; ANALYZE activity_sectors; "
    "ANALYZE activity_transactions;";

template <typename C, typename T>
bool Contains(const C& c, const T& v) {
  return std::find(std::begin(c), std::end(c), v) != std::end(c);
}

// Lists are bound as one parameter, a JSON array (sql::InJsonList): one SQL text whatever the
// list's length, so each connection's statement cache holds one statement, not one per length
// (issue 7, defect 2: exports and filters made a new text, and a large statement, per length).
std::string InList(Dialect dialect, sql::ListOf of) {
  return std::string(sql::InJsonList(dialect, of));
}

template <typename Values>
SqlValue JsonList(const Values& values) {
  boost::json::array a;
  for (const auto& v : values) {
    if constexpr (std::is_integral_v<std::decay_t<decltype(v)>>) {
      a.emplace_back(static_cast<int64_t>(v));
    } else {
      a.emplace_back(std::string_view(v));
    }
  }
  return boost::json::serialize(a);
}

// Every rule an input breaks, so that one answer lists them all: a form learns of each broken
// field at once. Keeps the first kMaxKept (a file's activity may name thousands of countries).
class BrokenRules {
 public:
  static constexpr size_t kMaxKept = 50;

  // `rule` and `args`: the stable code a client translates (FieldProblem).
  void Add(std::string field, std::string problem, const char* rule,
           std::vector<std::pair<std::string, std::string>> args = {}) {
    ++count_;
    if (problems_.size() < kMaxKept)
      problems_.emplace_back(std::move(field), std::move(problem), rule, std::move(args));
  }
  // Ok when nothing was added; else kFailedPrecondition whose message is "field: problem" of
  // each kept problem joined by "; " (and "and N more"), with the problems as details.
  Status ToStatus() && {
    if (problems_.empty()) return Ok();
    std::string message;
    for (const FieldProblem& p : problems_) {
      if (!message.empty()) message += "; ";
      message += p.field + ": " + p.problem;
    }
    if (count_ > problems_.size())
      message += "; and " + std::to_string(count_ - problems_.size()) + " more";
    return Error{ErrorCode::kFailedPrecondition, std::move(message), std::move(problems_), 0};
  }

 private:
  std::vector<FieldProblem> problems_;
  size_t count_ = 0;
};

bool ValidLang(const std::string& l) {
  return (l.size() == 2 || l.size() == 3) &&
         std::all_of(l.begin(), l.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Every country an activity covers, for filtering and the map: its countries and the
// countries of its regions.
std::set<std::string> CoveredCountries(const ActivityInput& in) {
  std::set<std::string> out(in.countries.begin(), in.countries.end());
  for (const auto& r : in.regions) {
    if (const RegionRecord* region = FindRegion(r))
      out.insert(region->countries.begin(), region->countries.end());
  }
  return out;
}

// The WHERE clause (after "WHERE") for viewer visibility and filters; appends params.
struct Where {
  std::string sql;
  SqlParams params;
  bool needs_organizations = false;  // the scope filter reads o.kind
  bool multi_valued = false;         // filters on themes or places (joins, not the filter index)

  // "FROM activities a [JOIN organizations o …]"
  std::string From() const {
    return needs_organizations
               ? " FROM activities a JOIN organizations o ON o.id = a.organization_id"
               : " FROM activities a";
  }
};

// The access policy's visibility rule as SQL over `activities a`.
void AppendVisibility(const Audience& audience, Where* w) {
  SqlPredicate visible = AccessPolicy::VisibleSql(audience, "a.visibility", "a.organization_id");
  if (visible.sql.empty()) return;
  w->sql += " AND " + visible.sql;
  for (std::string& p : visible.params) w->params.emplace_back(std::move(p));
}

// `by_sort_index`: the page is to be read along the sort's index, the place and theme filters
// checked per row (on SQLite "+a.id" keeps the planner from driving from their lists).
Where BuildWhere(Dialect dialect, const ActivityTextIndex& index, const Audience& audience,
                 const ActivityFilter& f, bool by_sort_index = false) {
  using sql::ListOf;
  Where w;
  const std::string id = by_sort_index && dialect == Dialect::kSqlite ? " AND +a.id" : " AND a.id";
  w.sql = "a.archived_at IS NULL";
  AppendVisibility(audience, &w);
  auto in_list = [&](const char* column, const auto& values, ListOf of) {
    if (values.empty()) return;
    w.sql += std::string(" AND ") + column + InList(dialect, of);
    w.params.push_back(JsonList(values));
  };
  in_list("a.organization_id", f.organizations, ListOf::kTexts);
  in_list("a.type", f.types, ListOf::kTexts);
  in_list("a.status", f.statuses, ListOf::kIntegers);
  // Multi-valued filters: the places drive (an IN list, usually the most selective), the
  // themes are checked per candidate through their primary key.
  std::set<std::string> countries(f.countries.begin(), f.countries.end());
  for (const auto& r : f.regions) {
    if (const RegionRecord* region = FindRegion(r))
      countries.insert(region->countries.begin(), region->countries.end());
  }
  if (!f.countries.empty() || !f.regions.empty()) {
    if (countries.empty()) countries.insert("--");  // an unknown region matches nothing
    w.sql += id + " IN (SELECT activity_id FROM activity_countries WHERE country" +
             InList(dialect, ListOf::kTexts) + ")";
    w.params.push_back(JsonList(countries));
    w.multi_valued = true;
  }
  if (!f.themes.empty()) {
    w.sql += w.multi_valued
                 ? " AND EXISTS (SELECT 1 FROM activity_themes t WHERE t.activity_id = a.id AND "
                   "t.theme_id"
                 : id + " IN (SELECT activity_id FROM activity_themes t WHERE t.theme_id";
    w.sql += InList(dialect, ListOf::kTexts) + ")";
    w.params.push_back(JsonList(f.themes));
    w.multi_valued = true;
  }
  if (f.from) {
    w.sql += " AND (a.ends_on IS NULL OR a.ends_on >= ?)";
    w.params.emplace_back(f.from->ToString());
  }
  if (f.to) {
    w.sql += " AND (a.starts_on IS NULL OR a.starts_on <= ?)";
    w.params.emplace_back(f.to->ToString());
  }
  if (f.scope == "members") w.sql += " AND o.kind = 'member'";
  if (f.scope == "partners") w.sql += " AND o.kind = 'partner'";
  w.needs_organizations = f.scope == "members" || f.scope == "partners";
  // Text without a word ("!!") filters nothing, as an empty search box.
  if (std::vector<std::string> words = SearchWords(f.text); !words.empty()) {
    w.sql += " AND a.id";
    index.AppendIdFilter(words, &w.sql, &w.params);
  }
  return w;
}

// Rows a list page may read along its sort's index before driving from the filters is cheaper.
constexpr int64_t kMaxRowsAlongSortIndex = 20000;

// Whether an index gives OrderBy's order (all but the title orders and oldest-start first).
bool SortHasIndex(const std::string& sort) {
  return sort != "title" && sort != "-title" && sort != "starts_on";
}

std::string OrderBy(const std::string& sort) {
  if (sort == "title") return "lower(a.title), a.id";
  if (sort == "-title") return "lower(a.title) DESC, a.id DESC";
  if (sort == "starts_on") return "a.starts_on IS NULL, a.starts_on, a.id";
  // Written so that both engines walk an index on (starts_on, id) backwards.
  if (sort == "-starts_on") return "a.starts_on DESC NULLS LAST, a.id DESC";
  if (sort == "updated") return "a.updated_at, a.id";
  return "a.updated_at DESC, a.id DESC";
}

constexpr char kActivityColumns[] =
    "a.id, a.organization_id, a.iati_identifier, a.type, a.status, a.starts_on, a.ends_on, "
    "a.is_global, "
    "a.budget_amount, a.budget_currency, a.contact_name, a.contact_email, a.visibility, a.source, "
    "a.version, "
    "a.created_at, a.updated_at, o.name, o.acronym, o.kind, a.archived_at, a.reporting_org_type";

// activity_transactions' columns after activity_id, as TransactionRow gives them and
// TransactionOfRow reads them (from index 1). What a transaction carries besides its type,
// date and value is one JSON object of the parts given (`details`): a row of 25 columns cost
// a JSON parse per column on SQLite, which made importing transactions twice as slow.
constexpr char kTransactionColumns[] = "type, date, value, currency, value_date, details";

boost::json::array StoredCodesJson(const std::vector<TransactionCode>& codes) {
  boost::json::array out;
  for (const auto& c : codes) {
    boost::json::object o{{"vocabulary", c.vocabulary}, {"code", c.code}};
    if (!c.vocabulary_uri.empty()) o["vocabulary_uri"] = c.vocabulary_uri;
    if (!c.narrative.empty()) o["narrative"] = c.narrative;
    out.push_back(std::move(o));
  }
  return out;
}

std::string TextOf(const boost::json::object& o, const char* key) {
  const auto* f = o.if_contains(key);
  return f && f->is_string() ? std::string(f->as_string()) : std::string();
}

std::vector<TransactionCode> CodesOfJson(const boost::json::value* v) {
  std::vector<TransactionCode> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& item : v->as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    out.push_back({TextOf(o, "vocabulary"), TextOf(o, "code"), TextOf(o, "vocabulary_uri"),
                   TextOf(o, "narrative")});
  }
  return out;
}

boost::json::object OrgDetails(const TransactionOrg& org) {
  boost::json::object o;
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"ref", &org.ref},
                                   {"type", &org.type},
                                   {"activity_id", &org.activity_id},
                                   {"name", &org.name}}) {
    if (!value->empty()) o[key] = *value;
  }
  return o;
}

TransactionOrg OrgOfDetails(const boost::json::value* v) {
  if (v == nullptr || !v->is_object()) return {};
  const auto& o = v->as_object();
  return {TextOf(o, "ref"), TextOf(o, "type"), TextOf(o, "activity_id"), TextOf(o, "name")};
}

// The string parts of a transaction kept in `details`, by key (T: Transaction or const one).
template <typename T>
auto DetailTexts(T& t) {
  return std::vector<std::pair<const char*, decltype(&t.ref)>>{
      {"ref", &t.ref},
      {"humanitarian", &t.humanitarian},
      {"description", &t.description},
      {"disbursement_channel", &t.disbursement_channel},
      {"recipient_country", &t.recipient_country},
      {"recipient_region", &t.recipient_region},
      {"recipient_region_vocabulary", &t.recipient_region_vocabulary},
      {"flow_type", &t.flow_type},
      {"finance_type", &t.finance_type},
      {"tied_status", &t.tied_status}};
}

// The `details` of `t`: only the parts it gives, so a plain transaction stores "{}".
std::string TransactionDetails(const Transaction& t) {
  boost::json::object d;
  for (const auto& [key, value] : DetailTexts(t)) {
    if (!value->empty()) d[key] = *value;
  }
  if (!t.provider.empty()) d["provider"] = OrgDetails(t.provider);
  if (!t.receiver.empty()) d["receiver"] = OrgDetails(t.receiver);
  if (!t.sectors.empty()) d["sectors"] = StoredCodesJson(t.sectors);
  if (!t.aid_types.empty()) d["aid_types"] = StoredCodesJson(t.aid_types);
  return boost::json::serialize(d);
}

// A row of activity_transactions read with kTransactionColumns from column 1.
Transaction TransactionOfRow(const Row& r) {
  Transaction t;
  t.type = r.Text(1);
  t.date = Date::Parse(r.Text(2)).value_or(Date{});
  t.value = r.Real(3);
  t.currency = r.Text(4);
  if (!r.IsNull(5)) t.value_date = Date::Parse(r.Text(5));
  boost::system::error_code ec;
  boost::json::value details = boost::json::parse(r.Text(6), ec);
  if (ec || !details.is_object()) return t;
  const auto& d = details.as_object();
  for (const auto& [key, value] : DetailTexts(t)) *value = TextOf(d, key);
  t.provider = OrgOfDetails(d.if_contains("provider"));
  t.receiver = OrgOfDetails(d.if_contains("receiver"));
  t.sectors = CodesOfJson(d.if_contains("sectors"));
  t.aid_types = CodesOfJson(d.if_contains("aid_types"));
  return t;
}

// The lists of activities `in` (an InList over params `p`) but their texts, into by_id.
Status LoadChildren(Tx& tx, const std::string& in, const SqlParams& p,
                    std::unordered_map<int64_t, Activity>& by_id) {
  // The short lists in one statement (a round trip each on PostgreSQL), in each one's order:
  // (kind, activity, order, value, value).
  std::string sql;
  SqlParams params;
  for (const char* part :
       {"SELECT activity_id, 't', theme_id, NULL, NULL, 0 FROM activity_themes",
        "SELECT activity_id, 'u', NULL, NULL, NULL, purpose FROM activity_purposes",
        "SELECT activity_id, 'd', dimension, NULL, NULL, 0 FROM activity_dimensions",
        "SELECT activity_id, 'c', kind, code, NULL, 0 FROM activity_places",
        "SELECT activity_id, 'o', organization_id, name, role, id FROM activity_partners",
        "SELECT activity_id, 'l', url, title, NULL, id FROM activity_links",
        "SELECT activity_id, 'g', vocabulary, code, NULL, 0 FROM activity_tags"}) {
    sql += (sql.empty() ? "" : " UNION ALL ") + std::string(part) + " WHERE activity_id" + in;
    params.push_back(p.at(0));
  }
  GMG_ASSIGN_OR_RETURN(auto lists, tx.Query(sql + " ORDER BY 2, 1, 6, 3, 4", params));
  for (const Row& r : lists) {
    ActivityInput& f = by_id[r.Int(0)].fields;
    switch (r.Text(1).front()) {
      case 't':
        f.themes.push_back(r.Text(2));
        break;
      case 'u':
        f.purposes.push_back(static_cast<int>(r.Int(5)));
        break;
      case 'd':
        f.dimensions.push_back(r.Text(2));
        break;
      case 'c':
        (r.Text(2) == "country" ? f.countries : f.regions).push_back(r.Text(3));
        break;
      case 'o':
        f.partners.push_back({r.Text(2), r.Text(3), r.Text(4)});
        break;
      case 'l':
        f.links.push_back({r.Text(2), r.Text(3)});
        break;
      default:
        f.tags.emplace_back(r.Text(2), r.Text(3));
        break;
    }
  }
  GMG_ASSIGN_OR_RETURN(auto sectors,
                       tx.Query("SELECT activity_id, vocabulary, code, percentage, narrative, "
                                "vocabulary_uri FROM activity_sectors WHERE activity_id" +
                                    in + " ORDER BY activity_id, position",
                                p));
  for (const Row& r : sectors) {
    Sector sc{r.Text(1), r.Text(2), std::nullopt, r.Text(4), r.Text(5)};
    if (!r.IsNull(3)) sc.percentage = r.Real(3);
    by_id[r.Int(0)].fields.sectors.push_back(std::move(sc));
  }
  GMG_ASSIGN_OR_RETURN(auto transactions,
                       tx.Query(std::string("SELECT activity_id, ") + kTransactionColumns +
                                    " FROM activity_transactions WHERE activity_id" + in +
                                    " ORDER BY activity_id, position",
                                p));
  for (const Row& r : transactions) {
    by_id[r.Int(0)].fields.transactions.push_back(TransactionOfRow(r));
  }
  return Ok();
}

// Loads the activities `ids`, in the order given: whole (with all their lists), or their rows
// and texts only (SearchParts::records).
Result<std::vector<Activity>> LoadActivities(Tx& tx, const std::vector<int64_t>& ids,
                                             bool whole = true) {
  std::vector<Activity> out;
  if (ids.empty()) return out;
  SqlParams p{JsonList(ids)};
  const std::string in = InList(tx.Dialect(), sql::ListOf::kIntegers);
  GMG_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string("SELECT ") + kActivityColumns +
                              " FROM activities a JOIN organizations o ON o.id = a.organization_id "
                              "WHERE a.id" +
                              in,
                          p));
  std::unordered_map<int64_t, Activity> by_id;
  for (const Row& r : rows) {
    Activity a;
    a.id = r.Int(0);
    ActivityInput& f = a.fields;
    f.organization_id = r.Text(1);
    f.iati_identifier = r.Text(2);
    f.type = r.Text(3);
    f.status = static_cast<int>(r.Int(4));
    if (!r.IsNull(5)) f.starts_on = Date::Parse(r.Text(5));
    if (!r.IsNull(6)) f.ends_on = Date::Parse(r.Text(6));
    f.is_global = r.Int(7) != 0;
    if (!r.IsNull(8)) f.budget_amount = r.Real(8);
    f.budget_currency = r.Text(9);
    f.contact_name = r.Text(10);
    f.contact_email = r.Text(11);
    f.visibility = r.Text(12);
    f.source = r.Text(13);
    a.version = r.Int(14);
    a.created_at = r.Int(15);
    a.updated_at = r.Int(16);
    a.organization_name = r.Text(17);
    a.organization_acronym = r.Text(18);
    a.organization_is_member = r.Text(19) == "member";
    if (!r.IsNull(20)) a.archived_at = r.Int(20);
    f.reporting_org_type = r.Text(21);
    by_id.emplace(a.id, std::move(a));
  }
  GMG_ASSIGN_OR_RETURN(
      auto texts,
      tx.Query("SELECT activity_id, field, lang, text FROM activity_texts WHERE activity_id" + in +
                   " ORDER BY activity_id, field, lang",
               p));
  for (const Row& r : texts) {
    auto& f = by_id[r.Int(0)].fields;
    (r.Text(1) == "title" ? f.titles : f.descriptions).push_back({r.Text(2), r.Text(3)});
  }
  if (whole) GMG_RETURN_IF_ERROR(LoadChildren(tx, in, p, by_id));
  for (int64_t id : ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    auto& f = it->second.fields;
    // Main title first: the activity's own language, then the rest.
    std::stable_sort(f.titles.begin(), f.titles.end(),
                     [](const auto& a, const auto& b) { return a.lang == "en" && b.lang != "en"; });
    out.push_back(std::move(it->second));
  }
  return out;
}

// Several activities' rows go to each table in ONE statement, a JSON array of rows bound as one
// parameter (sql::JsonRows): an import of n activities makes a dozen statements per chunk, not
// ten per activity (on PostgreSQL each statement is a network round trip).
using sql::Column;

boost::json::value TextOrNull(const std::string& s) {
  return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

// One child table: its columns after activity_id, and the rows gathered for it.
struct ChildRows {
  ChildRows(const char* table_and_columns, std::vector<Column> columns)
      : table_and_columns(table_and_columns), columns(std::move(columns)) {}

  const char* table_and_columns;  // "activity_texts (activity_id, field, lang, text)"
  std::vector<Column> columns;    // after activity_id (an integer)
  boost::json::array rows;        // [activity_id, value…]
};

Status InsertChildRows(Tx& tx, ChildRows& t) {
  if (t.rows.empty()) return Ok();
  std::vector<Column> columns{Column::kInteger};
  columns.insert(columns.end(), t.columns.begin(), t.columns.end());
  std::string select = "c0";
  for (size_t i = 1; i < columns.size(); ++i) select += ", c" + std::to_string(i);
  GMG_RETURN_IF_ERROR(tx.Exec(std::string("INSERT INTO ") + t.table_and_columns + " SELECT " +
                                  select + " FROM " + sql::JsonRows(tx.Dialect(), columns) +
                                  " AS x ORDER BY ord",
                              {boost::json::serialize(t.rows)}));
  return Ok();
}

constexpr char kTransactionTable[] =
    "activity_transactions (activity_id, position, type, date, value, currency, value_date, "
    "details)";

// The columns of kTransactionTable after activity_id.
std::vector<Column> TransactionRowColumns() {
  return {Column::kInteger, Column::kText, Column::kText, Column::kReal,
          Column::kText,    Column::kText, Column::kText};
}

boost::json::array TransactionRow(int64_t id, int64_t position, const Transaction& t) {
  return {id,
          position,
          t.type,
          t.date.ToString(),
          t.value,
          t.currency,
          t.value_date ? boost::json::value(t.value_date->ToString()) : nullptr,
          TransactionDetails(t)};
}

// Writes the child rows (texts, themes, …, tags) of every (id, input), one statement per table.
// Partners and links keep their order (their ids follow the rows' order).
Status WriteChildren(Tx& tx, std::span<const std::pair<int64_t, const ActivityInput*>> items,
                     DocumentsAhead* ahead) {
  ChildRows texts{"activity_texts (activity_id, field, lang, text)",
                  {Column::kText, Column::kText, Column::kText}};
  ChildRows themes{"activity_themes (activity_id, theme_id)", {Column::kText}};
  ChildRows purposes{"activity_purposes (activity_id, purpose)", {Column::kInteger}};
  ChildRows dims{"activity_dimensions (activity_id, dimension)", {Column::kText}};
  ChildRows places{"activity_places (activity_id, kind, code)", {Column::kText, Column::kText}};
  ChildRows countries{"activity_countries (activity_id, country)", {Column::kText}};
  ChildRows partners{"activity_partners (activity_id, organization_id, name, role)",
                     {Column::kText, Column::kText, Column::kText}};
  ChildRows links{"activity_links (activity_id, url, title)", {Column::kText, Column::kText}};
  // Each (vocabulary, code) once per activity (the input may repeat one), so no ON CONFLICT:
  // on PostgreSQL that made every row a speculative insertion.
  ChildRows tags{"activity_tags (activity_id, vocabulary, code)", {Column::kText, Column::kText}};
  ChildRows sectors{
      "activity_sectors (activity_id, position, vocabulary, code, percentage, narrative, "
      "vocabulary_uri)",
      {Column::kInteger, Column::kText, Column::kText, Column::kReal, Column::kText,
       Column::kText}};
  ChildRows transactions{kTransactionTable, TransactionRowColumns()};
  for (const auto& [id, input] : items) {
    const ActivityInput& in = *input;
    if (ahead != nullptr) ahead->Add(id, in);
    for (const auto& t : in.titles) texts.rows.push_back({id, "title", t.lang, t.text});
    for (const auto& d : in.descriptions) texts.rows.push_back({id, "description", d.lang, d.text});
    for (const auto& t : in.themes) themes.rows.push_back({id, t});
    for (int p : in.purposes) purposes.rows.push_back({id, p});
    for (const auto& d : in.dimensions) dims.rows.push_back({id, d});
    for (const auto& c : in.countries) places.rows.push_back({id, "country", c});
    for (const auto& r : in.regions) places.rows.push_back({id, "region", r});
    for (const auto& c : CoveredCountries(in)) countries.rows.push_back({id, c});
    for (const auto& p : in.partners)
      partners.rows.push_back({id, TextOrNull(p.organization_id), p.name, p.role});
    for (const auto& l : in.links) links.rows.push_back({id, l.url, l.title});
    std::set<std::pair<std::string_view, std::string_view>> seen;
    for (const auto& [voc, code] : in.tags) {
      if (seen.emplace(voc, code).second) tags.rows.push_back({id, voc, code});
    }
    int64_t position = 0;
    for (const Sector& sc : in.sectors) {
      sectors.rows.push_back({id, ++position, sc.vocabulary, sc.code,
                              sc.percentage ? boost::json::value(*sc.percentage) : nullptr,
                              sc.narrative, sc.vocabulary_uri});
    }
    position = 0;
    for (const Transaction& t : in.transactions)
      transactions.rows.push_back(TransactionRow(id, ++position, t));
  }
  for (ChildRows* t : {&texts, &themes, &purposes, &dims, &places, &countries, &partners, &links,
                       &tags, &sectors, &transactions}) {
    GMG_RETURN_IF_ERROR(InsertChildRows(tx, *t));
  }
  return Ok();
}

Status DeleteChildren(Tx& tx, const std::vector<int64_t>& ids) {
  const std::string in = InList(tx.Dialect(), sql::ListOf::kIntegers);
  const SqlValue list = JsonList(ids);
  for (const char* table :
       {"activity_texts", "activity_themes", "activity_purposes", "activity_dimensions",
        "activity_places", "activity_countries", "activity_partners", "activity_links",
        "activity_tags", "activity_sectors", "activity_transactions"}) {
    GMG_RETURN_IF_ERROR(
        tx.Exec(std::string("DELETE FROM ") + table + " WHERE activity_id" + in, {list}));
  }
  return Ok();
}

// The activities row's columns, as MainRow gives them.
constexpr const char* kMainColumnNames =
    "organization_id, iati_identifier, title, lang, type, status, starts_on, ends_on, is_global, "
    "budget_amount, budget_currency, contact_name, contact_email, visibility, source, "
    "reporting_org_type";
constexpr Column kMainColumns[] = {
    Column::kText, Column::kText, Column::kText,    Column::kText, Column::kText, Column::kInteger,
    Column::kText, Column::kText, Column::kInteger, Column::kReal, Column::kText, Column::kText,
    Column::kText, Column::kText, Column::kText,    Column::kText};

// The activities row of `in` (kMainColumnNames), for sql::JsonRows.
boost::json::array MainRow(const ActivityInput& in) {
  return {in.organization_id,
          TextOrNull(in.iati_identifier),
          in.titles.front().text,
          in.titles.front().lang,
          in.type,
          in.status,
          in.starts_on ? boost::json::value(in.starts_on->ToString()) : nullptr,
          in.ends_on ? boost::json::value(in.ends_on->ToString()) : nullptr,
          in.is_global ? 1 : 0,
          in.budget_amount ? boost::json::value(*in.budget_amount) : nullptr,
          TextOrNull(in.budget_currency),
          in.contact_name,
          in.contact_email,
          in.visibility,
          in.source,
          in.reporting_org_type};
}

// " c0, c1, …, c<n-1>" for a SELECT from sql::JsonRows.
std::string SelectColumns(size_t first, size_t n) {
  std::string out;
  for (size_t i = first; i < first + n; ++i) out += (i == first ? " c" : ", c") + std::to_string(i);
  return out;
}

// Trims, upper-cases codes, drops duplicates: what every input goes through before the rules.
void Normalize(ActivityInput* in) {
  auto trim = [](std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    size_t e = s.find_last_not_of(" \t\r\n");
    s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  };
  auto dedupe = [](auto& v) {
    auto copy = v;
    v.clear();
    for (auto& x : copy) {
      if (!Contains(v, x)) v.push_back(x);
    }
  };
  for (auto& t : in->titles) trim(t.text);
  for (auto& t : in->descriptions) trim(t.text);
  std::erase_if(in->descriptions, [](const LocalizedText& t) { return t.text.empty(); });
  for (auto& c : in->countries) {
    trim(c);
    for (char& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  for (auto& r : in->regions) trim(r);
  // M49 "001" is the world: a global activity, not one in each of 249 countries.
  if (std::erase(in->regions, std::string("001")) > 0) in->is_global = true;
  for (auto& p : in->partners) trim(p.name);
  trim(in->contact_name);
  trim(in->contact_email);
  for (char& ch : in->budget_currency)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  for (auto& sc : in->sectors) {
    trim(sc.vocabulary);
    trim(sc.code);
    trim(sc.narrative);
    trim(sc.vocabulary_uri);
  }
  dedupe(in->themes);
  dedupe(in->purposes);
  dedupe(in->dimensions);
  dedupe(in->countries);
  dedupe(in->regions);
}

// A code as IATI codes go: short, without control characters.
bool FitsCode(const std::string& s, size_t max) {
  return s.size() <= max && std::none_of(s.begin(), s.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x20;
         });
}

// The rules on sectors: at most kMaxSectors, each with a code, a percentage in 0..100, bounded
// texts, each (vocabulary, code) once.
void CheckSectors(const std::vector<Sector>& sectors, BrokenRules& broken) {
  if (sectors.size() > kMaxSectors) {
    broken.Add("sectors", "at most " + std::to_string(kMaxSectors) + " sectors", "too_many",
               {{"max", std::to_string(kMaxSectors)}});
  }
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const Sector& sc : sectors) {
    if (sc.code.empty()) broken.Add("sectors", "a sector needs a code", "required");
    if (!FitsCode(sc.code, 100) || !FitsCode(sc.vocabulary, 20))
      broken.Add("sectors", "code or vocabulary is too long", "too_long", {{"max", "100"}});
    if (sc.percentage &&
        (!std::isfinite(*sc.percentage) || *sc.percentage < 0 || *sc.percentage > 100)) {
      broken.Add("sectors", "percentage of sector '" + sc.code.substr(0, 100) + "' must be 0-100",
                 "out_of_range", {{"min", "0"}, {"max", "100"}});
    }
    if (sc.narrative.size() > 500)
      broken.Add("sectors", "narrative is too long", "too_long", {{"max", "500"}});
    if (sc.vocabulary_uri.size() > 2000)
      broken.Add("sectors", "vocabulary_uri is too long", "too_long", {{"max", "2000"}});
    if (!sc.code.empty() && !seen.emplace(sc.vocabulary, sc.code).second) {
      broken.Add("sectors", "gives sector '" + sc.code.substr(0, 100) + "' twice",
                 "duplicate_value", {{"value", sc.code.substr(0, 100)}});
    }
  }
}

// The rules on transactions: at most kMaxTransactions; a TransactionType 1..13, a finite value,
// a known currency when one is given, bounded texts and codes.
void CheckTransactions(const std::vector<Transaction>& transactions, BrokenRules& broken) {
  if (transactions.size() > kMaxTransactions) {
    broken.Add("transactions", "at most " + std::to_string(kMaxTransactions) + " transactions",
               "too_many", {{"max", std::to_string(kMaxTransactions)}});
  }
  for (const Transaction& t : transactions) {
    int type = 0;
    if (t.type.size() <= 2 && std::all_of(t.type.begin(), t.type.end(), ::isdigit) &&
        !t.type.empty())
      type = std::stoi(t.type);
    if (type < 1 || type > 13) {
      broken.Add("transactions",
                 "type '" + t.type.substr(0, 20) + "' is not a TransactionType 1-13",
                 "out_of_range", {{"min", "1"}, {"max", "13"}});
    }
    if (!std::isfinite(t.value) || std::fabs(t.value) > 1e15) {
      broken.Add("transactions", "value must be a number of at most 10^15", "out_of_range",
                 {{"min", "-1000000000000000"}, {"max", "1000000000000000"}});
    }
    if (!t.currency.empty() && !IsCurrency(t.currency)) {
      broken.Add("transactions", "currency '" + t.currency.substr(0, 20) + "' is not ISO 4217",
                 "unknown_currency", {{"value", t.currency.substr(0, 20)}});
    }
    bool codes_fit = t.sectors.size() <= 20 && t.aid_types.size() <= 20;
    for (const auto* list : {&t.sectors, &t.aid_types}) {
      for (const TransactionCode& c : *list) {
        codes_fit = codes_fit && FitsCode(c.code, 100) && FitsCode(c.vocabulary, 20) &&
                    c.vocabulary_uri.size() <= 2000 && c.narrative.size() <= 500;
      }
    }
    for (const std::string* code :
         {&t.ref, &t.humanitarian, &t.provider.ref, &t.provider.type, &t.provider.activity_id,
          &t.receiver.ref, &t.receiver.type, &t.receiver.activity_id, &t.disbursement_channel,
          &t.recipient_country, &t.recipient_region, &t.recipient_region_vocabulary, &t.flow_type,
          &t.finance_type, &t.tied_status}) {
      codes_fit = codes_fit && FitsCode(*code, 200);
    }
    if (!codes_fit || t.description.size() > 2000 || t.provider.name.size() > 500 ||
        t.receiver.name.size() > 500) {
      broken.Add("transactions", "a code, name or description is too long", "too_long",
                 {{"max", "200"}});
    }
  }
}

Result<bool> CanSee(Tx& tx, const Principal& viewer, const Activity& a) {
  GMG_ASSIGN_OR_RETURN(Audience audience, ActivityService::AudienceOf(tx, viewer));
  return AccessPolicy::MaySee(audience, a.fields.visibility, a.fields.organization_id);
}

// Paging bounds, checked before any arithmetic on them (offset + limit, indexes).
Status CheckPage(int64_t limit, int64_t offset) {
  if (limit < 1 || limit > ActivityService::kMaxPageSize)
    return FieldError(ErrorCode::kInvalidArgument, "limit", "must be from 1 to 500");
  if (offset < 0 || offset > ActivityService::kMaxOffset)
    return FieldError(ErrorCode::kInvalidArgument, "cursor", "is out of range");
  return Ok();
}

}  // namespace

const char* ActivityStatusName(int status) {
  switch (status) {
    case 1:
      return "pipeline";
    case 2:
      return "implementation";
    case 3:
      return "finalisation";
    case 4:
      return "closed";
    case 5:
      return "cancelled";
    case 6:
      return "suspended";
  }
  return "unknown";
}

Status CheckCanWriteActivities(const Principal& actor, const std::string& organization_id) {
  return AccessPolicy::CheckMayChange(actor, organization_id, "records its activities");
}

Status SeedThemes(Database& db) {
  return db.Write([](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*) FROM themes"));
    if (count->Int(0) > 0) return Ok();
    int64_t position = 1;
    for (const auto& [id, name] : kThemeSeed) {
      GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO themes (id, name, position) VALUES (?, ?, ?)",
                                  {std::string(id), std::string(name), position++}));
    }
    return Ok();
  });
}

Result<Audience> ActivityService::AudienceOf(Tx& tx, const Principal& viewer) {
  if (!AccessPolicy::NeedsMembership(viewer)) return AccessPolicy::AudienceOf(viewer, false);
  // A member today: kind 'member' and a membership that has begun and not ended (left_on is
  // the last day), as GovernanceService counts "current".
  std::string today = Date::Today().ToString();
  GMG_ASSIGN_OR_RETURN(bool member, IsMemberOn(tx, viewer.organization_id, today));
  return AccessPolicy::AudienceOf(viewer, member);
}

Result<ActivityService::KnownIds> ActivityService::LoadKnownIds(Tx& tx) {
  KnownIds known;
  GMG_ASSIGN_OR_RETURN(auto orgs, ListOrganizationIds(tx));
  known.organizations.insert(orgs.begin(), orgs.end());
  GMG_ASSIGN_OR_RETURN(auto themes, tx.Query("SELECT id FROM themes WHERE archived_at IS NULL"));
  for (const Row& r : themes) known.themes.insert(r.Text(0));
  return known;
}

Status ActivityService::ValidateInTx(Tx& tx, const ActivityInput& in, const KnownIds* known) {
  auto org_exists = [&](const std::string& id) -> Result<bool> {
    if (known) return known->organizations.count(id) > 0;
    return OrganizationExists(tx, id);
  };
  auto theme_exists = [&](const std::string& id) -> Result<bool> {
    if (known) return known->themes.count(id) > 0;
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT 1 FROM themes WHERE id = ? AND archived_at IS NULL", {id}));
    return row.has_value();
  };
  BrokenRules broken;
  if (in.organization_id.empty()) {
    broken.Add("organization_id", "choose the organisation the activity belongs to", "required");
  } else {
    GMG_ASSIGN_OR_RETURN(bool org_ok, org_exists(in.organization_id));
    if (!org_ok)
      broken.Add("organization_id", "is not a known organisation: " + in.organization_id,
                 "unknown_organization", {{"value", in.organization_id}});
  }
  if (in.titles.empty() || in.titles.front().text.empty())
    broken.Add("titles", "an activity needs a title", "required");
  for (const auto* list : {&in.titles, &in.descriptions}) {
    std::set<std::string> langs;
    for (const auto& t : *list) {
      const char* field = list == &in.titles ? "titles" : "descriptions";
      if (!ValidLang(t.lang))
        broken.Add(field, "language '" + t.lang + "' is not an ISO 639-1 code such as en, fr, es",
                   "invalid_language", {{"value", t.lang}});
      if (!langs.insert(t.lang).second)
        broken.Add(field, "gives language '" + t.lang + "' twice", "duplicate_language",
                   {{"value", t.lang}});
      if (size_t max = list == &in.titles ? 500u : 20000u; t.text.size() > max)
        broken.Add(field, "text is too long", "too_long", {{"max", std::to_string(max)}});
      if (list == &in.titles && t.text.empty() && &t != &in.titles.front())
        broken.Add(field, "a title must not be empty", "required");
    }
  }
  if (!Contains(kActivityTypes, in.type)) {
    broken.Add("type",
               "must be one of research, data_statistics, technical_assistance, training, "
               "policy_dialogue, operational_programme, normative, event",
               in.type.empty() ? "required" : "not_in_list");
  }
  for (const auto& t : in.themes) {
    GMG_ASSIGN_OR_RETURN(bool ok, theme_exists(t));
    if (!ok) {
      broken.Add("themes", "'" + t + "' is not a theme (GET /api/v1/themes lists them)",
                 "unknown_theme", {{"value", t}});
    }
  }
  for (int p : in.purposes) {
    if (p < 1 || p > 12) {
      broken.Add("purposes", "purposes are numbered 1 to 12", "out_of_range",
                 {{"min", "1"}, {"max", "12"}});
    }
  }
  for (const auto& d : in.dimensions) {
    if (!Contains(kDimensions, d))
      broken.Add("dimensions",
                 "must be human_rights, labour_rights, human_security or criminal_justice",
                 "not_in_list");
  }
  for (const auto& c : in.countries) {
    if (!FindCountry(c))
      broken.Add("countries", "'" + c + "' is not an ISO 3166-1 alpha-2 country code",
                 "unknown_country", {{"value", c}});
  }
  for (const auto& r : in.regions) {
    if (!FindRegion(r))
      broken.Add("regions", "'" + r + "' is not a UN M49 region code (e.g. 419) or LDC/LLDC/SIDS",
                 "unknown_region", {{"value", r}});
  }
  if (in.starts_on && in.ends_on && *in.ends_on < *in.starts_on) {
    broken.Add("ends_on", "must not be before starts_on (" + in.starts_on->ToString() + ")",
               "before_start", {{"start", in.starts_on->ToString()}});
  }
  if (in.status < 1 || in.status > 6) {
    broken.Add("status", "must be an IATI activity status 1-6", "out_of_range",
               {{"min", "1"}, {"max", "6"}});
  }
  if (in.budget_amount) {
    if (*in.budget_amount < 0 || *in.budget_amount > 1e13)
      broken.Add("budget", "amount must be between 0 and 10^13", "out_of_range",
                 {{"min", "0"}, {"max", "10000000000000"}});
    if (!IsCurrency(in.budget_currency))
      broken.Add("budget", "currency '" + in.budget_currency + "' is not an ISO 4217 code",
                 "unknown_currency", {{"value", in.budget_currency}});
  }
  for (size_t i = 0; i < in.partners.size(); ++i) {
    const Partner& p = in.partners[i];
    std::string which = "partner " + std::to_string(i + 1) + ": ";
    std::string n = std::to_string(i + 1);
    if (p.name.empty() || p.name.size() > 300)
      broken.Add("partners", which + "needs a name", "partner_name", {{"n", n}});
    if (!Contains(kPartnerRoles, p.role)) {
      broken.Add("partners", which + "role must be funding, accountable, extending or implementing",
                 "partner_role", {{"n", n}});
    }
    if (!p.organization_id.empty()) {
      GMG_ASSIGN_OR_RETURN(bool ok, org_exists(p.organization_id));
      if (!ok)
        broken.Add("partners", which + "'" + p.organization_id + "' is not a known organisation",
                   "partner_organization", {{"n", n}, {"value", p.organization_id}});
    }
  }
  if (!in.contact_email.empty() &&
      (in.contact_email.find('@') == std::string::npos || in.contact_email.size() > 254)) {
    broken.Add("contact", "email is not an e-mail address", "invalid_email");
  }
  if (in.contact_name.size() > 200)
    broken.Add("contact", "name is too long", "too_long", {{"max", "200"}});
  for (const auto& l : in.links) {
    if ((l.url.rfind("https://", 0) != 0 && l.url.rfind("http://", 0) != 0) ||
        l.url.size() > 2000 || l.url.find_first_of(" \"<>") != std::string::npos) {
      broken.Add("links", "'" + l.url.substr(0, 100) + "' is not an http(s) address", "invalid_url",
                 {{"value", l.url.substr(0, 100)}});
    }
  }
  if (!Contains(kVisibilities, in.visibility))
    broken.Add("visibility", "must be public, members or organization", "not_in_list");
  CheckSectors(in.sectors, broken);
  CheckTransactions(in.transactions, broken);
  if (!FitsCode(in.reporting_org_type, 20))
    broken.Add("reporting_org_type", "is too long", "too_long", {{"max", "20"}});
  return std::move(broken).ToStatus();
}

Result<int64_t> ActivityService::InsertInTx(Tx& tx, const ActivityInput& input, int64_t now) {
  const ActivityInput* one[] = {&input};
  GMG_ASSIGN_OR_RETURN(auto ids, InsertManyInTx(tx, one, now));
  return ids.front();
}

Result<std::vector<int64_t>> ActivityService::InsertManyInTx(
    Tx& tx, std::span<const ActivityInput* const> inputs, int64_t now, DocumentsAhead* ahead) {
  // Every write path (API, import, demo) stores the normalised form: region 001 as is_global.
  std::vector<ActivityInput> normal(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    normal[i] = *inputs[i];
    Normalize(&normal[i]);
  }
  std::vector<int64_t> ids(inputs.size(), 0);
  // Rows with distinct identifiers go in one statement whose RETURNING names each row by its
  // identifier; the others (no identifier, or one repeated) one statement each.
  std::unordered_map<std::string_view, size_t> by_identifier;
  boost::json::array rows;
  std::vector<size_t> alone;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string& identifier = normal[i].iati_identifier;
    if (!identifier.empty() && by_identifier.emplace(identifier, i).second) {
      boost::json::array row = MainRow(normal[i]);
      row.push_back(now);
      row.push_back(now);
      rows.push_back(std::move(row));
    } else {
      alone.push_back(i);
    }
  }
  std::vector<Column> columns(std::begin(kMainColumns), std::end(kMainColumns));
  columns.push_back(Column::kInteger);  // created_at
  columns.push_back(Column::kInteger);  // updated_at
  const std::string insert = std::string("INSERT INTO activities (") + kMainColumnNames +
                             ", created_at, updated_at) SELECT" + SelectColumns(0, columns.size()) +
                             " FROM " + sql::JsonRows(tx.Dialect(), columns) +
                             " AS x ORDER BY ord RETURNING id";
  if (!rows.empty()) {
    GMG_ASSIGN_OR_RETURN(auto inserted,
                         tx.Query(insert + ", iati_identifier", {boost::json::serialize(rows)}));
    for (const Row& r : inserted) {
      auto it = by_identifier.find(r.Text(1));
      if (it == by_identifier.end())
        return MakeError(ErrorCode::kInternal, "an inserted activity has no input");
      ids[it->second] = r.Int(0);
    }
  }
  for (size_t i : alone) {
    boost::json::array row = MainRow(normal[i]);
    row.push_back(now);
    row.push_back(now);
    // Not `array{row}`: compilers disagree whether that nests the row or copies it.
    boost::json::array one;
    one.push_back(std::move(row));
    GMG_ASSIGN_OR_RETURN(auto inserted, tx.QueryOne(insert, {boost::json::serialize(one)}));
    ids[i] = inserted->Int(0);
  }
  std::vector<std::pair<int64_t, const ActivityInput*>> written;
  for (size_t i = 0; i < inputs.size(); ++i) written.emplace_back(ids[i], &normal[i]);
  GMG_RETURN_IF_ERROR(WriteChildren(tx, written, ahead));
  return ids;
}

Status ActivityService::ReplaceInTx(Tx& tx, int64_t id, const ActivityInput& input, int64_t now) {
  const std::pair<int64_t, const ActivityInput*> one[] = {{id, &input}};
  return ReplaceManyInTx(tx, one, now);
}

Status ActivityService::ReplaceManyInTx(
    Tx& tx, std::span<const std::pair<int64_t, const ActivityInput*>> items, int64_t now,
    DocumentsAhead* ahead) {
  if (items.empty()) return Ok();
  std::vector<ActivityInput> normal(items.size());
  std::vector<std::pair<int64_t, const ActivityInput*>> normalised;
  boost::json::array rows;
  std::vector<int64_t> ids;
  for (size_t i = 0; i < items.size(); ++i) {
    normal[i] = *items[i].second;
    Normalize(&normal[i]);
    normalised.emplace_back(items[i].first, &normal[i]);
    boost::json::array row{items[i].first};
    for (auto& v : MainRow(normal[i])) row.push_back(std::move(v));
    rows.push_back(std::move(row));
    ids.push_back(items[i].first);
  }
  std::vector<Column> columns{Column::kInteger};  // id
  columns.insert(columns.end(), std::begin(kMainColumns), std::end(kMainColumns));
  std::string set;
  std::string_view names = kMainColumnNames;
  for (size_t i = 1; !names.empty(); ++i) {
    size_t comma = names.find(", ");
    set += std::string(names.substr(0, comma)) + " = x.c" + std::to_string(i) + ", ";
    names = comma == std::string_view::npos ? "" : names.substr(comma + 2);
  }
  GMG_RETURN_IF_ERROR(
      tx.Exec("UPDATE activities SET " + set + "updated_at = ?, version = version + 1 FROM " +
                  sql::JsonRows(tx.Dialect(), columns) + " AS x WHERE activities.id = x.c0",
              {now, boost::json::serialize(rows)}));
  GMG_RETURN_IF_ERROR(DeleteChildren(tx, ids));
  return WriteChildren(tx, normalised, ahead);
}

Result<std::vector<Activity>> ActivityService::LoadManyInTx(Tx& tx,
                                                            const std::vector<int64_t>& ids) {
  return LoadActivities(tx, ids);
}

Result<std::optional<Activity>> ActivityService::LoadInTx(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto loaded, LoadActivities(tx, {id}));
  if (loaded.empty()) return std::optional<Activity>();
  return std::optional<Activity>(std::move(loaded.front()));
}

Result<ActivityService::Changes> ActivityService::ChangesSinceInTx(Tx& tx, int64_t after_seq) {
  GMG_ASSIGN_OR_RETURN(auto bounds, tx.QueryOne("SELECT (SELECT min(seq) FROM activity_changes), "
                                                "(SELECT max(seq) FROM activity_changes)"));
  Changes out;
  out.seq = bounds->IsNull(1) ? 0 : bounds->Int(1);
  const int64_t oldest = bounds->IsNull(0) ? 0 : bounds->Int(0);
  if (after_seq < 0 || after_seq + 1 < oldest) {
    out.everything = true;
    return out;
  }
  if (after_seq >= out.seq) return out;
  GMG_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT activity_id FROM activity_changes WHERE seq > ? AND seq <= ?",
                          {after_seq, out.seq}));
  for (const Row& r : rows) {
    if (r.IsNull(0)) {
      out.everything = true;
      out.ids.clear();
      return out;
    }
    out.ids.push_back(r.Int(0));
  }
  std::sort(out.ids.begin(), out.ids.end());
  out.ids.erase(std::unique(out.ids.begin(), out.ids.end()), out.ids.end());
  return out;
}

Status ActivityService::ReindexInTx(Tx& tx, const std::vector<int64_t>& ids,
                                    DocumentsAhead* ahead) {
  if (ids.empty()) return Ok();
  bool bulk = ids.size() >= kBulkWrite;
  GMG_RETURN_IF_ERROR(index_->Reindex(tx, ids, bulk, ahead));
  // The catalog reloads everything after a bulk write (NULL), else applies these ids.
  if (bulk) {
    // Statistics for the other tables a page reads (the index analyses its own): planned
    // without them, the sectors' lookup of a page right after a 100,000-activity import was a
    // sequential scan, 25-50 ms a page until autovacuum analysed the table.
    if (tx.Dialect() == Dialect::kPostgres) GMG_RETURN_IF_ERROR(tx.ExecScript(kPageTablesAnalyze));
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO activity_changes (activity_id) VALUES (NULL)"));
  } else {
    GMG_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO activity_changes (activity_id) SELECT value FROM " +
            std::string(sql::JsonListRows(tx.Dialect(), sql::ListOf::kIntegers)) + " AS ids",
        {JsonList(ids)}));
  }
  // The search catalog reloads everything when it is further behind than the log reaches.
  GMG_RETURN_IF_ERROR(tx.Exec(
      "DELETE FROM activity_changes WHERE seq <= (SELECT max(seq) FROM activity_changes) - 10000"));
  return Ok();
}

Status ActivityService::RebuildSearchIndexInTx(Tx& tx) {
  GMG_RETURN_IF_ERROR(index_->Rebuild(tx));
  GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO activity_changes (activity_id) VALUES (NULL)"));
  return Ok();
}

Result<Activity> ActivityService::Create(const Principal& actor, ActivityInput in) {
  Normalize(&in);
  GMG_RETURN_IF_ERROR(CheckCanWriteActivities(actor, in.organization_id));
  in.source = "manual";
  in.iati_identifier.clear();
  Activity out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(ValidateInTx(tx, in));
    GMG_ASSIGN_OR_RETURN(int64_t id, InsertInTx(tx, in, UnixNow()));
    GMG_RETURN_IF_ERROR(ReindexInTx(tx, {id}));
    GMG_ASSIGN_OR_RETURN(auto loaded, LoadActivities(tx, {id}));
    out = std::move(loaded.front());
    return RecordAudit(tx, actor, "create", "activity", std::to_string(id), nullptr,
                       ActivityJson(out));
  }));
  return out;
}

Result<Activity> ActivityService::Update(const Principal& actor, int64_t id, int64_t if_version,
                                         ActivityInput in) {
  Normalize(&in);
  Activity out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto loaded, LoadActivities(tx, {id}));
    GMG_ASSIGN_OR_RETURN(auto archived,
                         tx.QueryOne("SELECT archived_at FROM activities WHERE id = ?", {id}));
    if (loaded.empty() || !archived->IsNull(0))
      return MakeError(ErrorCode::kNotFound, "no activity " + std::to_string(id));
    GMG_ASSIGN_OR_RETURN(bool visible, CanSee(tx, actor, loaded.front()));
    if (!visible) return MakeError(ErrorCode::kNotFound, "no activity " + std::to_string(id));
    const Activity& before = loaded.front();
    GMG_RETURN_IF_ERROR(CheckCanWriteActivities(actor, before.fields.organization_id));
    GMG_RETURN_IF_ERROR(CheckCanWriteActivities(actor, in.organization_id));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this activity"));
    // What only imports set stays as it was.
    in.iati_identifier = before.fields.iati_identifier;
    in.source = before.fields.source;
    in.tags = before.fields.tags;
    in.reporting_org_type = before.fields.reporting_org_type;
    if (!in.sectors_given) in.sectors = before.fields.sectors;
    if (!in.transactions_given) in.transactions = before.fields.transactions;
    GMG_RETURN_IF_ERROR(ValidateInTx(tx, in));
    GMG_RETURN_IF_ERROR(ReplaceInTx(tx, id, in, UnixNow()));
    GMG_RETURN_IF_ERROR(ReindexInTx(tx, {id}));
    GMG_ASSIGN_OR_RETURN(auto after, LoadActivities(tx, {id}));
    out = std::move(after.front());
    return RecordAudit(tx, actor, "update", "activity", std::to_string(id), ActivityJson(before),
                       ActivityJson(out));
  }));
  return out;
}

Status ActivityService::Archive(const Principal& actor, int64_t id) {
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto loaded, LoadActivities(tx, {id}));
    GMG_ASSIGN_OR_RETURN(auto archived,
                         tx.QueryOne("SELECT archived_at FROM activities WHERE id = ?", {id}));
    if (loaded.empty() || !archived->IsNull(0))
      return MakeError(ErrorCode::kNotFound, "no activity " + std::to_string(id));
    GMG_ASSIGN_OR_RETURN(bool visible, CanSee(tx, actor, loaded.front()));
    if (!visible) return MakeError(ErrorCode::kNotFound, "no activity " + std::to_string(id));
    GMG_RETURN_IF_ERROR(CheckCanWriteActivities(actor, loaded.front().fields.organization_id));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE activities SET archived_at = ?, version = version + 1 WHERE id = ?",
                {UnixNow(), id}));
    GMG_RETURN_IF_ERROR(ReindexInTx(tx, {id}));
    return RecordAudit(tx, actor, "archive", "activity", std::to_string(id),
                       ActivityJson(loaded.front()), nullptr);
  });
}

Result<Activity> ActivityService::Get(const Principal& viewer, int64_t id) {
  Activity out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto archived,
                         tx.QueryOne("SELECT archived_at FROM activities WHERE id = ?", {id}));
    if (!archived || !archived->IsNull(0))
      return MakeError(ErrorCode::kNotFound, "no activity " + std::to_string(id));
    GMG_ASSIGN_OR_RETURN(auto loaded, LoadActivities(tx, {id}));
    if (loaded.empty()) return MakeError(ErrorCode::kNotFound, "no activity " + std::to_string(id));
    GMG_ASSIGN_OR_RETURN(bool visible, CanSee(tx, viewer, loaded.front()));
    if (!visible) return MakeError(ErrorCode::kNotFound, "no activity " + std::to_string(id));
    out = std::move(loaded.front());
    return Ok();
  }));
  return out;
}

Result<ActivityPage> ActivityService::List(const Principal& viewer, const ActivityFilter& filter,
                                           int64_t limit, int64_t offset) {
  GMG_RETURN_IF_ERROR(CheckPage(limit, offset));
  // The total from the search catalog once it is loaded (counting in SQL read every matching
  // row: 100 ms at a million activities); before that (just after start), from SQL.
  const bool total_from_catalog = catalog_.Loaded();
  ActivityPage page;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Audience audience, AudienceOf(tx, viewer));
    bool by_sort_index = false;
    // By start, the whole page from the catalog: PostgreSQL's plans cannot estimate the
    // filters' JSON lists (walking the start index read 4,000 rows, 40-80 ms, at 100,000).
    if (total_from_catalog && (filter.sort == "starts_on" || filter.sort == "-starts_on")) {
      GMG_ASSIGN_OR_RETURN(auto in_catalog, PageInCatalog(tx, audience, filter, limit, offset));
      page.total = in_catalog.total;
      GMG_ASSIGN_OR_RETURN(page.items, LoadActivities(tx, in_catalog.ids));
      return Ok();
    }
    if (total_from_catalog) {
      GMG_ASSIGN_OR_RETURN(page.total, CountInCatalog(tx, audience, filter));
      // Reading along the sort's index finds the page after about (offset + limit) × all /
      // total rows, whatever the corpus's size when the filter keeps a steady share of it;
      // driving from the place and theme lists reads every activity they hold (50,000 for
      // one country at a million activities: 200 ms against 13 ms). A filter that keeps few
      // rows is still driven from its lists.
      const int64_t all = catalog_.Read().Count();
      by_sort_index = SortHasIndex(filter.sort) && page.total > 0 &&
                      (offset + limit) * (all / page.total) <= kMaxRowsAlongSortIndex;
    }
    Where w = BuildWhere(tx.Dialect(), *index_, audience, filter, by_sort_index);
    const std::string from = w.From() + " WHERE " + w.sql;
    SqlParams p = w.params;
    p.emplace_back(limit);
    p.emplace_back(offset);
    // The page stops at its last row.
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT a.id" + from + " ORDER BY " +
                                                 OrderBy(filter.sort) + " LIMIT ? OFFSET ?",
                                             p));
    if (!total_from_catalog) {
      GMG_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*)" + from, w.params));
      page.total = count->Int(0);
    }
    std::vector<int64_t> ids;
    for (const Row& r : rows) ids.push_back(r.Int(0));
    GMG_ASSIGN_OR_RETURN(page.items, LoadActivities(tx, ids));
    return Ok();
  }));
  if (offset + limit < page.total) page.next_offset = offset + limit;
  return page;
}

Result<std::optional<ActivityFilter>> ActivityService::ForCatalog(Tx& tx,
                                                                  const ActivityFilter& filter) {
  // The scope becomes a list of organisations, read now: an organisation changes kind
  // (joins or leaves the GMG) without any activity changing, so the catalog does not hold it.
  ActivityFilter f = filter;
  if (f.scope == "members" || f.scope == "partners") {
    GMG_ASSIGN_OR_RETURN(auto ids,
                         ListOrganizationIds(tx, f.scope == "members" ? "member" : "partner"));
    std::vector<std::string> in_scope;
    for (std::string& id : ids) {
      if (f.organizations.empty() || Contains(f.organizations, id))
        in_scope.push_back(std::move(id));
    }
    if (in_scope.empty()) return std::optional<ActivityFilter>();  // nothing can match
    f.organizations = std::move(in_scope);
  }
  return std::optional<ActivityFilter>(std::move(f));
}

Result<std::optional<std::vector<int64_t>>> ActivityService::TextMatches(Tx& tx,
                                                                         const std::string& text) {
  std::vector<std::string> words = SearchWords(text);
  if (words.empty()) return std::optional<std::vector<int64_t>>();
  GMG_ASSIGN_OR_RETURN(auto matches, index_->MatchingIds(tx, words));
  return std::optional<std::vector<int64_t>>(std::move(matches));
}

Result<int64_t> ActivityService::CountInCatalog(Tx& tx, const Audience& audience,
                                                const ActivityFilter& filter) {
  GMG_RETURN_IF_ERROR(catalog_.Sync(tx, *index_));
  GMG_ASSIGN_OR_RETURN(auto f, ForCatalog(tx, filter));
  if (!f) return int64_t{0};
  GMG_ASSIGN_OR_RETURN(auto matches, TextMatches(tx, filter.text));
  return catalog_.Read().Count(audience, *f, matches ? &*matches : nullptr);
}

Result<ActivityCatalog::Page> ActivityService::PageInCatalog(Tx& tx, const Audience& audience,
                                                             const ActivityFilter& filter,
                                                             int64_t limit, int64_t offset) {
  GMG_RETURN_IF_ERROR(catalog_.Sync(tx, *index_));
  GMG_ASSIGN_OR_RETURN(auto f, ForCatalog(tx, filter));
  if (!f) return ActivityCatalog::Page{};
  GMG_ASSIGN_OR_RETURN(auto matches, TextMatches(tx, filter.text));
  return catalog_.Read().ByStart(audience, *f, matches ? &*matches : nullptr,
                                 filter.sort == "-starts_on", limit, offset);
}

Status ActivityService::PrepareSearch() {
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) { return catalog_.Sync(tx, *index_); }));
  if (!catalog_.LoadedFromTables() || catalog_.Read().Count() < kSnapshotFrom) return Ok();
  return db_.Write([&](Tx& tx) { return catalog_.SaveSnapshot(tx); });
}

Status ActivityService::SaveSearchSnapshot() {
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) { return catalog_.Sync(tx, *index_); }));
  return db_.Write([&](Tx& tx) { return catalog_.SaveSnapshot(tx); });
}

namespace {

struct Hit {
  int64_t id;
  double rank;
};

// Matches handed to ActivityCatalog::Reader::ForEachFound at once.
constexpr size_t kMatchBatch = 256;

// Whether `a` ranks before `b`: a lower BM25, then the smaller id.
bool Better(const Hit& a, const Hit& b) {
  return a.rank < b.rank || (a.rank == b.rank && a.id < b.id);
}

}  // namespace

Result<std::shared_ptr<const ActivityService::WordPostings>> ActivityService::PostingsOf(
    Tx& tx, int64_t seq, const std::string& word) {
  {
    std::lock_guard lock(postings_mu_);
    if (seq == postings_seq_) {
      auto it = postings_.find(word);
      if (it != postings_.end()) return it->second;
    }
  }
  auto p = std::make_shared<WordPostings>();
  std::vector<double> docs;
  GMG_RETURN_IF_ERROR(index_->Match(tx, {word}, nullptr, &docs,
                                    [&](int64_t id, std::span<const double> freqs) -> Status {
                                      p->ids.push_back(id);
                                      p->freqs.push_back(freqs[0]);
                                      return Ok();
                                    }));
  p->docs = docs.empty() ? 0 : docs[0];
  GMG_ASSIGN_OR_RETURN(std::vector<bool> left_out, index_->LeftOut(tx, {word}));
  p->left_out = !left_out.empty() && left_out[0];
  std::lock_guard lock(postings_mu_);
  if (seq < postings_seq_) return std::shared_ptr<const WordPostings>(p);  // an older snapshot's
  if (seq > postings_seq_) {
    postings_.clear();
    postings_kept_ = 0;
    postings_seq_ = seq;
  }
  // Other words make room (not all of them: a vocabulary larger than the bound then costs one
  // index read per evicted word asked again, not one per word of every search).
  for (auto it = postings_.begin();
       it != postings_.end() && postings_kept_ + p->ids.size() > kMaxKeptPostings;) {
    postings_kept_ -= it->second->ids.size();
    it = postings_.erase(it);
  }
  if (p->ids.size() <= kMaxKeptPostings && postings_.emplace(word, p).second) {
    postings_kept_ += p->ids.size();
  }
  return std::shared_ptr<const WordPostings>(p);
}

Result<SearchResult> ActivityService::Search(const Principal& viewer, const ActivityFilter& filter,
                                             int64_t limit, int64_t offset, SearchParts parts) {
  GMG_RETURN_IF_ERROR(CheckPage(limit, offset));
  SearchResult result;
  std::vector<std::string> words = SearchWords(filter.text);
  if (words.empty())
    return FieldError(ErrorCode::kInvalidArgument, "q", "type at least one word to search for");
  ActivityFilter without_text = filter;
  without_text.text.clear();
  bool only_text = filter.organizations.empty() && filter.themes.empty() &&
                   filter.countries.empty() && filter.regions.empty() && filter.types.empty() &&
                   filter.statuses.empty() && !filter.from && !filter.to && filter.scope == "all";
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    int64_t seq = 0;
    GMG_RETURN_IF_ERROR(catalog_.Sync(tx, *index_, &seq));
    GMG_ASSIGN_OR_RETURN(Audience audience, AudienceOf(tx, viewer));
    // The words' postings give their counts; with the text alone, the matches too (else the
    // index matches, SQL applying the other filters). The catalog gives lengths, totals,
    // visibility and facets. Per match: a score and a few counts, nothing kept but the best
    // offset + limit (a bounded heap), so a broad word costs little more than its walk.
    std::vector<std::shared_ptr<const WordPostings>> kept;
    std::vector<double> docs;
    std::vector<std::span<const int64_t>> lists;
    std::vector<size_t> word_of;  // the word each list is
    for (size_t i = 0; i < words.size(); ++i) {
      GMG_ASSIGN_OR_RETURN(auto p, PostingsOf(tx, seq, words[i]));
      docs.push_back(p->docs);
      if (!p->left_out) {
        lists.emplace_back(p->ids);
        word_of.push_back(i);
      }
      kept.push_back(std::move(p));
    }
    std::vector<Hit> best;  // a heap, worst on top
    const auto keep = static_cast<size_t>(std::max<int64_t>(0, offset + limit));
    {
      ActivityCatalog::Reader catalog = catalog_.Read();
      ActivityCatalog::FacetTally tally = catalog.Tally();
      Bm25Scorer scorer(static_cast<double>(catalog.Count()),
                        static_cast<double>(catalog.TotalTokens()), docs);
      int64_t total = 0;
      auto take_entry = [&](const ActivityCatalog::Entry& e, std::span<const double> freqs) {
        if (!catalog.Visible(audience, e)) return;
        ++total;
        if (parts.facets) tally.Add(e);
        Hit hit{e.id, scorer.Score(freqs, e.tokens)};
        if (best.size() < keep) {
          best.push_back(hit);
          std::push_heap(best.begin(), best.end(), Better);
        } else if (keep > 0 && Better(hit, best.front())) {
          std::pop_heap(best.begin(), best.end(), Better);
          best.back() = hit;
          std::push_heap(best.begin(), best.end(), Better);
        }
      };
      auto take = [&](int64_t id, std::span<const double> freqs) -> Status {
        if (const ActivityCatalog::Entry* e = catalog.Find(id)) take_entry(*e, freqs);
        return Ok();
      };
      if (only_text) {
        // The matches a batch at a time, their entries fetched together (ForEachFound).
        const size_t n = words.size();
        std::vector<int64_t> batch;
        std::vector<double> freqs;  // n per id of the batch
        auto flush = [&] {
          catalog.ForEachFound(batch, [&](size_t i, const ActivityCatalog::Entry& e) {
            take_entry(e, std::span<const double>(&freqs[i * n], n));
          });
          batch.clear();
          freqs.clear();
        };
        ForEachInAll(lists, [&](int64_t id, std::span<const size_t> at) {
          batch.push_back(id);
          freqs.resize(freqs.size() + n, 0.0);
          double* f = &freqs[freqs.size() - n];
          for (size_t k = 0; k < at.size(); ++k) f[word_of[k]] = kept[word_of[k]]->freqs[at[k]];
          if (batch.size() == kMatchBatch) flush();
        });
        flush();
      } else {
        Where w = BuildWhere(tx.Dialect(), *index_, audience, without_text);
        TextMatchFilter sql_filter{w.From(), w.sql, w.params};
        GMG_RETURN_IF_ERROR(index_->Match(tx, words, &sql_filter, &docs, take));
      }
      if (parts.facets) result.facets = catalog.Facets(tally);
      result.total = total;
    }
    // Best first (BM25 is lower for better matches, then the smaller id): the same page as
    // sorting every match.
    std::sort_heap(best.begin(), best.end(), Better);
    auto begin = static_cast<size_t>(std::min<int64_t>(offset, static_cast<int64_t>(best.size())));
    std::vector<int64_t> page_ids;
    for (size_t i = begin; i < best.size(); ++i) page_ids.push_back(best[i].id);
    // Highlights for the page only.
    std::map<int64_t, TextHighlight> marked;
    if (parts.highlights) {
      GMG_ASSIGN_OR_RETURN(marked, index_->Highlight(tx, words, page_ids));
    }
    GMG_ASSIGN_OR_RETURN(auto activities, LoadActivities(tx, page_ids, parts.records));
    for (size_t i = 0; i < activities.size(); ++i) {
      auto& m = marked[activities[i].id];
      result.hits.push_back({std::move(activities[i]), m.title, m.snippet, best[begin + i].rank});
    }
    return Ok();
  }));
  if (offset + limit < result.total) result.next_offset = offset + limit;
  return result;
}

Result<ActivityMapCounts> ActivityService::CountByCountry(const Principal& viewer,
                                                          const ActivityFilter& filter) {
  ActivityMapCounts out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(catalog_.Sync(tx, *index_));
    GMG_ASSIGN_OR_RETURN(auto f, ForCatalog(tx, filter));
    if (!f) return Ok();
    GMG_ASSIGN_OR_RETURN(auto matches, TextMatches(tx, filter.text));
    GMG_ASSIGN_OR_RETURN(Audience audience, AudienceOf(tx, viewer));
    out = catalog_.Read().CountByCountry(audience, *f, matches ? &*matches : nullptr);
    return Ok();
  }));
  return out;
}

Result<ActivityMapCounts> ActivityService::CountByCountryInSql(const Principal& viewer,
                                                               const ActivityFilter& filter) {
  ActivityMapCounts out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Audience audience, AudienceOf(tx, viewer));
    Where w = BuildWhere(tx.Dialect(), *index_, audience, filter);
    std::string from = w.From();
    // The places as recorded (activity_places), not the countries covered.
    GMG_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT p.kind, p.code, count(*)" + from +
                                " JOIN activity_places p ON p.activity_id = a.id WHERE " + w.sql +
                                " GROUP BY p.kind, p.code",
                            w.params));
    for (const Row& r : rows)
      (r.Text(0) == "region" ? out.regions : out.countries)[r.Text(1)] = r.Int(2);
    GMG_ASSIGN_OR_RETURN(
        auto global,
        tx.QueryOne("SELECT count(*)" + from + " WHERE a.is_global = 1 AND " + w.sql, w.params));
    out.global = global->Int(0);
    return Ok();
  }));
  return out;
}

Status ActivityService::ForEach(const Principal& viewer, const ActivityFilter& filter,
                                const std::function<bool(const Activity&)>& fn) {
  Audience audience;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(audience, AudienceOf(tx, viewer));
    return Ok();
  }));
  Where w = BuildWhere(db_.Dialect(), *index_, audience, filter);
  int64_t after = 0;
  for (;;) {
    std::vector<Activity> batch;
    GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
      SqlParams p = w.params;
      p.emplace_back(after);
      GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT a.id" + w.From() + " WHERE " + w.sql +
                                                   " AND a.id > ? ORDER BY a.id LIMIT 500",
                                               p));
      std::vector<int64_t> ids;
      for (const Row& r : rows) ids.push_back(r.Int(0));
      GMG_ASSIGN_OR_RETURN(batch, LoadActivities(tx, ids));
      return Ok();
    }));
    if (batch.empty()) return Ok();
    for (const Activity& a : batch) {
      if (!fn(a)) return Ok();
    }
    after = batch.back().id;
  }
}

Result<std::vector<Theme>> ActivityService::ListThemes() {
  std::vector<Theme> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT id, name, description, position, archived_at IS NOT NULL, version "
                 "FROM themes ORDER BY position, id"));
    for (const Row& r : rows) {
      out.push_back(
          {r.Text(0), r.Text(1), r.Text(2), static_cast<int>(r.Int(3)), r.Int(4) != 0, r.Int(5)});
    }
    return Ok();
  }));
  return out;
}

Result<Theme> ActivityService::CreateTheme(const Principal& actor, const Theme& t) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckManagesGmg(actor, "edits the themes"));
  bool id_ok =
      t.id.size() >= 2 && t.id.size() <= 40 && std::all_of(t.id.begin(), t.id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      });
  if (!id_ok) {
    return FieldError(ErrorCode::kFailedPrecondition, "id",
                      "must be 2-40 lower-case letters, digits or '-'", "invalid_theme_id",
                      {{"min", "2"}, {"max", "40"}});
  }
  Theme out = t;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM themes WHERE id = ?", {t.id}));
    if (row) {
      return FieldError(ErrorCode::kConflict, "id", "theme '" + t.id + "' exists", "already_exists",
                        {{"value", t.id}});
    }
    GMG_ASSIGN_OR_RETURN(auto pos,
                         tx.QueryOne("SELECT coalesce(max(position), 0) + 1 FROM themes"));
    out.position = static_cast<int>(pos->Int(0));
    out.version = 1;
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO themes (id, name, description, position) VALUES (?,?,?,?)",
                {t.id, t.name, t.description, int64_t{out.position}}));
    return RecordAudit(tx, actor, "create", "theme", t.id, nullptr, ThemeJson(out));
  }));
  return out;
}

Result<Theme> ActivityService::UpdateTheme(const Principal& actor, const std::string& id,
                                           int64_t if_version, const Theme& change) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckManagesGmg(actor, "edits the themes"));
  Theme out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("SELECT id, name, description, position, archived_at IS NOT NULL, version "
                    "FROM themes WHERE id = ?",
                    {id}));
    if (!row) return MakeError(ErrorCode::kNotFound, "no theme '" + id + "'");
    Theme before{row->Text(0),     row->Text(1), row->Text(2), static_cast<int>(row->Int(3)),
                 row->Int(4) != 0, row->Int(5)};
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this theme"));
    out = before;
    if (!change.name.empty()) out.name = change.name;
    out.description = change.description.empty() ? before.description : change.description;
    out.archived = change.archived;
    out.version = before.version + 1;
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE themes SET name = ?, description = ?, archived_at = ?, version = version + 1 WHERE "
        "id = ?",
        {out.name, out.description, out.archived ? SqlValue(UnixNow()) : SqlValue(nullptr), id}));
    return RecordAudit(tx, actor, "update", "theme", id, ThemeJson(before), ThemeJson(out));
  }));
  return out;
}

}  // namespace gmg
