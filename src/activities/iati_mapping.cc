#include "activities/iati_mapping.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "audit/audit_log.h"
#include "core/codelists.h"
#include "governance/organization_directory.h"
#include "store/sql.h"

namespace gmg {
namespace {

// Tags (unmapped sectors, tags, non-M49 regions) kept per activity.
constexpr size_t kMaxTags = 100;

// Activities decided and written together (see ImportIati): about 1.5 MB of JSON per table
// statement at most for typical descriptions.
constexpr size_t kChunk = 500;

// A list of texts as one JSON array parameter (sql::InJsonList).
std::string JsonTexts(const std::vector<std::string>& texts) {
  boost::json::array a;
  for (const auto& t : texts) a.emplace_back(t);
  return boost::json::serialize(a);
}

// The ids of the stored activities among `identifiers` (IATI identifiers). On PostgreSQL as
// `= ANY` of a text[]: with sql::InJsonList's IN (SELECT … json_array_elements_text), the
// statement's generic plan, fixed on its sixth run of an import while the table was still
// small, stayed a sequential scan as the import grew it (0.3 to 17 ms a chunk over 100,000
// activities; 0.6 ms with this).
Result<std::vector<int64_t>> StoredIds(Tx& tx, const std::vector<std::string>& identifiers) {
  std::vector<Row> rows;
  if (tx.Dialect() == Dialect::kPostgres) {
    std::string array = "{";
    for (const auto& i : identifiers) sql::AppendArrayElement(&array, i);
    GMG_ASSIGN_OR_RETURN(rows, tx.Query("SELECT id FROM activities WHERE iati_identifier = "
                                        "ANY (CAST(? AS text[]))",
                                        {array + "}"}));
  } else {
    GMG_ASSIGN_OR_RETURN(
        rows, tx.Query("SELECT id FROM activities WHERE iati_identifier" +
                           std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kTexts)),
                       {JsonTexts(identifiers)}));
  }
  std::vector<int64_t> ids;
  for (const Row& r : rows) ids.push_back(r.Int(0));
  return ids;
}

// DAC 5-digit purpose codes and SDG targets that name migration work, and the themes they mean.
const std::map<std::string, std::vector<std::string>>& DacThemes() {
  static const std::map<std::string, std::vector<std::string>> kMap = {
      {"15190", {"migration-management", "migration-development"}},
      {"15136", {"migration-management"}},
      {"24050", {"remittances"}},
      {"72010", {"refugee-protection", "internal-displacement"}},
      {"93010", {"refugee-protection"}},
      {"93011", {"refugee-protection"}},
      {"93012", {"refugee-protection"}},
      {"93013", {"refugee-protection"}},
      {"93014", {"refugee-protection"}},
      {"93015", {"refugee-protection"}},
      {"93016", {"refugee-protection"}},
      {"93017", {"refugee-protection"}},
      {"93018", {"refugee-protection"}},
      {"13096", {"migration-data"}},
      {"16070", {"labour-migration"}},
  };
  return kMap;
}

const std::map<std::string, std::vector<std::string>>& SdgThemes() {
  static const std::map<std::string, std::vector<std::string>> kMap = {
      {"10.7", {"migration-management"}}, {"10.c", {"remittances"}}, {"8.7", {"trafficking"}},
      {"8.8", {"labour-migration"}},      {"5.2", {"trafficking"}},  {"16.2", {"trafficking"}},
      {"17.18", {"migration-data"}},
  };
  return kMap;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// "XM-DAC-47066" and "47066" name the same organisation; the World Bank's IBRD (44001) and
// IDA (44002) report as the World Bank (44000).
std::string NormalizeOrgRef(const std::string& ref) {
  std::string r = Upper(ref);
  if (r.rfind("XM-DAC-", 0) == 0) r = r.substr(7);
  if (r == "44001" || r == "44002") r = "44000";
  return r;
}

std::string FirstText(const std::vector<iati::Narrative>& ns) {
  for (const auto& n : ns) {
    if (!n.text.empty()) return n.text;
  }
  return "";
}

std::string Lang(const std::string& lang, const std::string& fallback) {
  std::string l;
  for (char c : lang.empty() ? fallback : lang) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return l.size() == 2 || l.size() == 3 ? l : "en";
}

std::vector<LocalizedText> Texts(const std::vector<iati::Narrative>& ns,
                                 const std::string& default_lang, size_t max_len) {
  std::vector<LocalizedText> out;
  for (const auto& n : ns) {
    std::string lang = Lang(n.lang, default_lang);
    if (n.text.empty()) continue;
    bool seen = std::any_of(out.begin(), out.end(), [&](const auto& t) { return t.lang == lang; });
    if (seen) continue;
    std::string text = n.text.substr(0, max_len);
    if (text.size() < n.text.size()) {  // cut at a character boundary, not inside UTF-8
      while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
        text.pop_back();
      if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80)) text.pop_back();
    }
    out.push_back({lang, std::move(text)});
  }
  return out;
}

// Splits 100 % evenly over n items (the last takes the rounding); -1 (none given) for one item.
std::vector<double> EvenPercentages(size_t n) {
  if (n <= 1) return std::vector<double>(n, -1);
  std::vector<double> out(n, std::floor(10000.0 / static_cast<double>(n)) / 100);
  out.back() = std::round((100 - out.front() * static_cast<double>(n - 1)) * 100) / 100;
  return out;
}

std::string GuessType(const std::string& title, const std::set<std::string>& themes,
                      bool data_sector) {
  std::string t = title;
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto has = [&](const char* w) { return t.find(w) != std::string::npos; };
  if (data_sector || (themes.size() == 1 && themes.count("migration-data")))
    return "data_statistics";
  if (has("training") || has("course")) return "training";
  if (has("research") || has("study") || has("studies") || has("analysis")) return "research";
  if (has("conference") || has("forum") || has("workshop") || has("meeting")) return "event";
  if (has("dialogue") || has("policy") || has("advocacy")) return "policy_dialogue";
  return "operational_programme";
}

// `s` cut to at most `max` bytes at a character boundary (never inside a UTF-8 sequence).
std::string Cut(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

// Every sector of the file as written (any vocabulary), each (vocabulary, code) once, at most
// kMaxSectors; an element without a code says nothing and is left out.
std::vector<Sector> SectorsOf(const iati::Activity& a) {
  std::vector<Sector> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const iati::Coded& c : a.sectors) {
    if (c.code.empty() || !seen.emplace(c.vocabulary, c.code).second) continue;
    if (out.size() >= kMaxSectors) break;
    Sector s{c.vocabulary, c.code, std::nullopt, Cut(FirstText(c.narratives), 500),
             c.vocabulary_uri};
    if (c.percentage >= 0) s.percentage = c.percentage;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<TransactionCode> CodesOf(const std::vector<iati::Coded>& list) {
  std::vector<TransactionCode> out;
  for (const iati::Coded& c : list) {
    if (out.size() >= 20) break;
    out.push_back({c.vocabulary, c.code, c.vocabulary_uri, Cut(FirstText(c.narratives), 500)});
  }
  return out;
}

TransactionOrg OrgOf(const iati::TransactionOrg& o) {
  return {o.ref, o.type, o.activity_id, Cut(FirstText(o.names), 500)};
}

// The file's transactions as written (the reader kept only those with a type, a date and a
// number), at most kMaxTransactions; a value without currency takes the activity's
// default-currency, which the export may not write the same (it follows our budget).
std::vector<Transaction> TransactionsOf(const iati::Activity& a) {
  std::vector<Transaction> out;
  for (const iati::Transaction& x : a.transactions) {
    if (out.size() >= kMaxTransactions) break;
    std::optional<Date> date = Date::Parse(x.date);
    if (!date) continue;
    Transaction t;
    t.type = x.type;
    t.date = *date;
    t.value = x.value;
    t.currency = Upper(x.currency.empty() ? a.default_currency : x.currency);
    if (!x.value_date.empty()) t.value_date = Date::Parse(x.value_date);
    t.ref = x.ref;
    t.humanitarian = x.humanitarian;
    t.description = Cut(FirstText(x.descriptions), 2000);
    t.provider = OrgOf(x.provider);
    t.receiver = OrgOf(x.receiver);
    t.disbursement_channel = x.disbursement_channel;
    t.sectors = CodesOf(x.sectors);
    t.recipient_country = x.recipient_country;
    t.recipient_region = x.recipient_region.code;
    t.recipient_region_vocabulary = x.recipient_region.vocabulary;
    t.flow_type = x.flow_type;
    t.finance_type = x.finance_type;
    t.aid_types = CodesOf(x.aid_types);
    t.tied_status = x.tied_status;
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<iati::Narrative> NarrativeOf(const std::string& text) {
  if (text.empty()) return {};
  return {{"", text}};
}

iati::TransactionOrg IatiOrgOf(const TransactionOrg& o) {
  return {o.ref, o.type, o.activity_id, NarrativeOf(o.name)};
}

std::vector<iati::Coded> IatiCodesOf(const std::vector<TransactionCode>& codes) {
  std::vector<iati::Coded> out;
  for (const auto& c : codes)
    out.push_back({c.code, c.vocabulary, -1, NarrativeOf(c.narrative), c.vocabulary_uri});
  return out;
}

iati::Transaction IatiTransactionOf(const Transaction& t) {
  iati::Transaction x;
  x.ref = t.ref;
  x.humanitarian = t.humanitarian;
  x.type = t.type;
  x.date = t.date.ToString();
  x.value = t.value;
  x.currency = t.currency;
  if (t.value_date) x.value_date = t.value_date->ToString();
  x.descriptions = NarrativeOf(t.description);
  x.provider = IatiOrgOf(t.provider);
  x.receiver = IatiOrgOf(t.receiver);
  x.disbursement_channel = t.disbursement_channel;
  x.sectors = IatiCodesOf(t.sectors);
  x.recipient_country = t.recipient_country;
  x.recipient_region.code = t.recipient_region;
  x.recipient_region.vocabulary = t.recipient_region_vocabulary;
  x.flow_type = t.flow_type;
  x.finance_type = t.finance_type;
  x.aid_types = IatiCodesOf(t.aid_types);
  x.tied_status = t.tied_status;
  return x;
}

// The publisher's sectors as they came, then our themes: as a vocabulary-99 block of their
// own (percentages summing to 100) when the publisher used no vocabulary 99 itself; else as
// tags of vocabulary 99, since a second set of 99 sectors would break the sum per vocabulary.
void WriteSectorsAndThemes(const ActivityInput& f, iati::Activity* x) {
  bool own_99 = false;
  for (const Sector& s : f.sectors) {
    x->sectors.push_back({s.code, s.vocabulary, s.percentage.value_or(-1), NarrativeOf(s.narrative),
                          s.vocabulary_uri});
    own_99 = own_99 || s.vocabulary == "99";
  }
  std::vector<double> theme_pct = EvenPercentages(f.themes.size());
  for (size_t i = 0; i < f.themes.size(); ++i) {
    if (own_99) {
      x->tags.push_back({f.themes[i], "99", -1, {{"", f.themes[i]}}, {}});
    } else {
      x->sectors.push_back({f.themes[i], "99", theme_pct[i], {{"", f.themes[i]}}, {}});
    }
  }
}

using Args = std::vector<std::pair<std::string, std::string>>;

// Where an activity is in its file, as the args every detail of a refusal carries.
Args WhereArgs(const iati::Activity& a) {
  return {{"line", std::to_string(a.line)}, {"identifier", a.iati_identifier}};
}

// `field` of the activity at `a.line` breaks `rule` (with `args`, and where it is).
Error LineError(ErrorCode code, const iati::Activity& a, const std::string& field,
                const std::string& problem, const char* rule, Args args = {}) {
  std::string where = "line " + std::to_string(a.line) + " (" + a.iati_identifier + ")";
  Args all = WhereArgs(a);
  all.insert(all.end(), args.begin(), args.end());
  return Error{
      code, where + ": " + field + " " + problem, {{field, problem, rule, std::move(all)}}, 0};
}

// The activity's validation error, its message prefixed with `where` and each detail given the
// activity's place in the file.
Error AtLine(Error e, const iati::Activity& a, const std::string& where) {
  e.message = where + e.message;
  for (FieldProblem& d : e.details) {
    Args at = WhereArgs(a);
    d.args.insert(d.args.begin(), at.begin(), at.end());
  }
  return e;
}

std::string PartnerSlug(const std::string& ref, const std::string& name) {
  std::string base = ref.empty() ? name : ref;
  std::string slug = "p-";
  for (char c : base) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(l))) {
      slug += l;
    } else if (slug.back() != '-') {
      slug += '-';
    }
    if (slug.size() >= 32) break;
  }
  while (slug.size() > 2 && slug.back() == '-') slug.pop_back();
  return slug.size() > 2 ? slug : "p-unknown";
}

// Whether `identifier` lies in the namespace of one of `refs`: an organisation's IATI
// identifier and a hyphen, compared as NormalizeOrgRef compares organisations.
bool InNamespace(const std::string& identifier, const std::vector<std::string>& refs) {
  std::string upper = Upper(identifier);
  std::string normalized = NormalizeOrgRef(identifier);
  for (const auto& ref : refs) {
    if (ref.empty()) continue;
    for (const std::string& prefix : {Upper(ref) + "-", NormalizeOrgRef(ref) + "-"}) {
      if (upper.rfind(prefix, 0) == 0 || normalized.rfind(prefix, 0) == 0) return true;
    }
  }
  return false;
}

// Which parts of an activity a file gives (the rest a re-import keeps as stored).
struct FileGives {
  bool descriptions = false;
  bool dates = false;   // start and end go together: a kept end could precede a new start
  bool places = false;  // countries and M49 regions together, likewise
  bool status = false;
  bool budget = false;
  bool partners = false;
  bool contact_email = false;
  bool tags = false;
  bool sectors = false;
  bool transactions = false;
};

// What a re-import stores: the file's `in` where the file speaks, `stored` elsewhere; links
// are the file's followed by those recorded by hand (the hub lets people add links the
// publisher never sees, and nothing tells which stored link came from an earlier file).
ActivityInput KeepWhatTheFileDoesNotSay(const ActivityInput& stored, ActivityInput in,
                                        const FileGives& gives) {
  // IATI carries none of these; the type is only guessed from the title on first import.
  in.type = stored.type;
  in.purposes = stored.purposes;
  in.dimensions = stored.dimensions;
  in.visibility = stored.visibility;
  in.contact_name = stored.contact_name;
  in.is_global = stored.is_global;
  if (!gives.descriptions) in.descriptions = stored.descriptions;
  if (!gives.dates) {
    in.starts_on = stored.starts_on;
    in.ends_on = stored.ends_on;
  }
  if (!gives.places) {
    in.countries = stored.countries;
    in.regions = stored.regions;
  }
  if (!gives.status) in.status = stored.status;
  if (!gives.budget) {
    in.budget_amount = stored.budget_amount;
    in.budget_currency = stored.budget_currency;
  }
  if (!gives.partners) in.partners = stored.partners;
  if (!gives.contact_email) in.contact_email = stored.contact_email;
  if (!gives.tags) in.tags = stored.tags;
  if (!gives.sectors) in.sectors = stored.sectors;
  if (!gives.transactions) in.transactions = stored.transactions;
  if (in.reporting_org_type.empty()) in.reporting_org_type = stored.reporting_org_type;
  for (const auto& link : stored.links) {
    if (in.links.size() >= 20) break;
    bool listed = std::any_of(in.links.begin(), in.links.end(),
                              [&](const ActivityLink& l) { return l.url == link.url; });
    if (!listed) in.links.push_back(link);
  }
  return in;
}

// The fields (as the activity JSON names them) in which `after` differs from `before`; lists
// the database keeps unordered compare as sets.
std::vector<std::string> ChangedFields(const ActivityInput& before, const ActivityInput& after) {
  auto as_set = [](auto v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  };
  auto texts = [&](const std::vector<LocalizedText>& v) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& t : v) out.emplace_back(t.lang, t.text);
    return as_set(std::move(out));
  };
  auto partners = [](const std::vector<Partner>& v) {
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    for (const auto& p : v) out.emplace_back(p.organization_id, p.name, p.role);
    return out;
  };
  auto links = [](const std::vector<ActivityLink>& v) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& l : v) out.emplace_back(l.url, l.title);
    return out;
  };
  std::vector<std::string> out;
  auto check = [&](const char* name, bool differs) {
    if (differs) out.emplace_back(name);
  };
  check("organization_id", before.organization_id != after.organization_id);
  check("titles", texts(before.titles) != texts(after.titles));
  check("descriptions", texts(before.descriptions) != texts(after.descriptions));
  check("type", before.type != after.type);
  check("themes", as_set(before.themes) != as_set(after.themes));
  check("purposes", as_set(before.purposes) != as_set(after.purposes));
  check("dimensions", as_set(before.dimensions) != as_set(after.dimensions));
  check("countries", as_set(before.countries) != as_set(after.countries));
  check("regions", as_set(before.regions) != as_set(after.regions));
  check("is_global", before.is_global != after.is_global);
  check("starts_on", before.starts_on != after.starts_on);
  check("ends_on", before.ends_on != after.ends_on);
  check("status", before.status != after.status);
  check("budget", before.budget_amount != after.budget_amount ||
                      (after.budget_amount && before.budget_currency != after.budget_currency));
  check("partners", partners(before.partners) != partners(after.partners));
  check("contact",
        before.contact_name != after.contact_name || before.contact_email != after.contact_email);
  check("links", links(before.links) != links(after.links));
  check("visibility", before.visibility != after.visibility);
  check("tags", as_set(before.tags) != as_set(after.tags));
  // In the publisher's order, which the export keeps.
  check("sectors", before.sectors != after.sectors);
  check("transactions", before.transactions != after.transactions);
  check("reporting_org_type", before.reporting_org_type != after.reporting_org_type);
  return out;
}

}  // namespace

std::vector<std::string> ThemesForCode(const std::string& vocabulary, const std::string& code,
                                       bool is_tag) {
  if (is_tag) {
    if (vocabulary == "3") {
      auto it = SdgThemes().find(code);
      if (it != SdgThemes().end()) return it->second;
    }
    return {};
  }
  if (vocabulary.empty() || vocabulary == "1") {
    auto it = DacThemes().find(code);
    if (it != DacThemes().end()) return it->second;
  }
  if (vocabulary == "8") {
    auto it = SdgThemes().find(code);
    if (it != SdgThemes().end()) return it->second;
  }
  return {};
}

Result<ImportReport> ImportIati(Database& db, ActivityService& activities, const Principal& actor,
                                std::string_view xml, bool dry_run,
                                const iati::ParseLimits& limits) {
  if (!actor.IsStaff() && actor.role != Role::kFocalPoint) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "only focal points, the secretariat and administrators import activities");
  }
  // One import at a time, across every instance on the database: the next one waits here,
  // before its transaction, so it reads what the previous one wrote (and, holding no
  // transaction, keeps no snapshot or connection from others while it waits).
  GMG_ASSIGN_OR_RETURN(auto one_at_a_time, db.AcquireNamedLock("activities.import"));
  ImportReport report;
  report.dry_run = dry_run;
  iati::ParseSummary parsed;

  Status s = db.Write([&](Tx& tx) -> Status {
    // A preview runs the whole import and rolls it back (a savepoint inside the transaction).
    if (dry_run) GMG_RETURN_IF_ERROR(tx.ExecScript("SAVEPOINT iati_import"));
    std::vector<int64_t> written;
    // The written activities' search documents, built meanwhile on another connection, once
    // the file proves longer than a chunk (a small one is indexed from the rows as fast).
    std::unique_ptr<DocumentsAhead> ahead;

    // Organisations by normalised IATI identifier.
    std::map<std::string, std::string> org_by_ref;
    std::map<std::string, std::string> ref_of_org;  // as registered
    std::set<std::string> org_ids;
    GMG_ASSIGN_OR_RETURN(auto orgs, ListOrganizationRefs(tx));
    for (const OrganizationRef& o : orgs) {
      org_ids.insert(o.id);
      if (o.iati_org_id) {
        org_by_ref[NormalizeOrgRef(*o.iati_org_id)] = o.id;
        ref_of_org[o.id] = *o.iati_org_id;
      }
    }
    int64_t now = UnixNow();
    GMG_ASSIGN_OR_RETURN(ActivityService::KnownIds known, ActivityService::LoadKnownIds(tx));
    boost::json::array touched;
    // The file is read a chunk of activities at a time, so its activities are never all in
    // memory at once; a fault anywhere rolls the whole file back. A chunk's stored versions
    // are read in one go and its rows written in one statement per table, so the statements
    // (on PostgreSQL, network round trips) per activity fall from about ten to a few per chunk.
    // An identifier the chunk already holds starts the next chunk, so that its second
    // occurrence finds the first one stored, as if each were written as soon as read.
    std::vector<iati::Activity> chunk;
    std::set<std::string> chunk_identifiers;
    std::map<std::string, Activity> stored_of_chunk;  // by IATI identifier
    // The chunk's report rows, in file order, with what a "created" or "updated" one writes.
    struct Pending {
      ImportItem item;
      ActivityInput input;
    };
    std::vector<Pending> pending;
    // One row per activity in the report, up to its limit; every one counted.
    auto report_item = [&](ImportItem&& item) {
      ++report.items_total;
      if (report.items.size() < ImportReport::kMaxItems) report.items.push_back(std::move(item));
    };
    auto import_one = [&](iati::Activity&& a) -> Status {
      ImportItem item;
      item.line = a.line;
      item.iati_identifier = a.iati_identifier;
      // Themes first: a file's non-migration activities are skipped, not validated.
      std::set<std::string> themes;
      std::vector<std::pair<std::string, std::string>> tags;
      bool data_sector = false;
      for (const auto& sct : a.sectors) {
        auto mapped = ThemesForCode(sct.vocabulary, sct.code, false);
        themes.insert(mapped.begin(), mapped.end());
        if (sct.code == "13096") data_sector = true;
      }
      for (const auto& tag : a.tags) {
        auto mapped = ThemesForCode(tag.vocabulary, tag.code, true);
        themes.insert(mapped.begin(), mapped.end());
        if (mapped.empty()) tags.emplace_back("tag-" + tag.vocabulary, tag.code);
      }
      if (themes.empty()) {
        item.action = "skipped";
        item.reason =
            "no migration-related sector or SDG target (e.g. DAC 15190, 24050, 72010; SDG 10.7)";
        item.rule = "no_migration_theme";
        report.skipped++;
        pending.push_back({std::move(item), {}});
        return Ok();
      }

      // The reporting organisation: a member, a known partner, or a new partner.
      std::string ref = NormalizeOrgRef(a.reporting_org.ref);
      std::string org_id;
      if (auto it = org_by_ref.find(ref); !ref.empty() && it != org_by_ref.end()) {
        org_id = it->second;
      } else {
        std::string name = FirstText(a.reporting_org.names);
        if (name.empty() && a.reporting_org.ref.empty()) {
          return LineError(ErrorCode::kFailedPrecondition, a, "reporting-org",
                           "has neither a ref nor a name", "unnamed_organization");
        }
        if (name.empty()) name = a.reporting_org.ref;
        org_id = PartnerSlug(a.reporting_org.ref, name);
        for (int n = 2; org_ids.count(org_id); ++n)
          org_id = PartnerSlug(a.reporting_org.ref, name).substr(0, 28) + "-" + std::to_string(n);
        GMG_RETURN_IF_ERROR(
            AddPartnerOrganization(tx, actor,
                                   {org_id, name.substr(0, 200),
                                    (name.size() <= 32 ? name : a.reporting_org.ref.substr(0, 32)),
                                    a.reporting_org.ref, "iati import"},
                                   now));
        org_ids.insert(org_id);
        known.organizations.insert(org_id);
        if (!ref.empty()) org_by_ref[ref] = org_id;
      }
      if (!actor.IsStaff() && org_id != actor.organization_id) {
        std::string reporter = a.reporting_org.ref.empty() ? org_id : a.reporting_org.ref;
        return LineError(
            ErrorCode::kPermissionDenied, a, "reporting-org",
            "is " + reporter + ": a focal point imports only its own organisation's activities",
            "not_own_organization", {{"value", reporter}});
      }
      // Checked before the identifier is looked up, so a focal point's answer never depends
      // on another organisation's activities existing.
      if (!actor.IsStaff() &&
          !InNamespace(a.iati_identifier, {a.reporting_org.ref, ref_of_org[org_id]})) {
        std::string prefix =
            (a.reporting_org.ref.empty() ? ref_of_org[org_id] : a.reporting_org.ref) + "-";
        return LineError(ErrorCode::kFailedPrecondition, a, "iati-identifier",
                         "must begin with your organisation's IATI identifier and a hyphen (" +
                             prefix + "…), as the IATI standard requires",
                         "identifier_prefix", {{"prefix", prefix}});
      }

      ActivityInput in;
      in.organization_id = org_id;
      in.iati_identifier = a.iati_identifier;
      in.source = "iati";
      in.titles = Texts(a.titles, a.lang, 500);
      if (in.titles.empty())
        return LineError(ErrorCode::kFailedPrecondition, a, "title", "is missing or empty",
                         "required");
      in.descriptions = Texts(a.descriptions, a.lang, 20000);
      in.themes.assign(themes.begin(), themes.end());
      in.type = GuessType(in.titles.front().text, themes, data_sector);
      in.tags = std::move(tags);
      in.sectors = SectorsOf(a);
      in.transactions = TransactionsOf(a);
      in.reporting_org_type = Cut(a.reporting_org.type, 20);
      if (!a.activity_status.empty()) {
        if (a.activity_status.size() != 1 || a.activity_status[0] < '1' ||
            a.activity_status[0] > '6') {
          return LineError(
              ErrorCode::kFailedPrecondition, a, "activity-status",
              "code '" + a.activity_status + "' is not in the ActivityStatus codelist (1-6)",
              "unknown_code", {{"value", a.activity_status}, {"codelist", "ActivityStatus"}});
        }
        in.status = a.activity_status[0] - '0';
      }
      auto date = [&](const std::string& actual, const std::string& planned,
                      const char* what) -> Result<std::optional<Date>> {
        const std::string& v = actual.empty() ? planned : actual;
        if (v.empty()) return std::optional<Date>();
        auto d = Date::Parse(v);
        if (!d)
          return LineError(ErrorCode::kFailedPrecondition, a, "activity-date",
                           std::string(what) + " '" + v + "' is not a real date", "invalid_date",
                           {{"value", v}});
        return d;
      };
      GMG_ASSIGN_OR_RETURN(in.starts_on, date(a.actual_start, a.planned_start, "start"));
      GMG_ASSIGN_OR_RETURN(in.ends_on, date(a.actual_end, a.planned_end, "end"));
      if (in.starts_on && in.ends_on && *in.ends_on < *in.starts_on) {
        return LineError(
            ErrorCode::kFailedPrecondition, a, "activity-date",
            "end " + in.ends_on->ToString() + " is before start " + in.starts_on->ToString(),
            "before_start",
            {{"start", in.starts_on->ToString()}, {"value", in.ends_on->ToString()}});
      }
      for (const auto& c : a.recipient_countries) {
        std::string code = Upper(c.code);
        if (!FindCountry(code))
          return LineError(ErrorCode::kFailedPrecondition, a, "recipient-country",
                           "code '" + c.code + "' is not an ISO 3166-1 alpha-2 code",
                           "unknown_country", {{"value", c.code}});
        if (std::find(in.countries.begin(), in.countries.end(), code) == in.countries.end())
          in.countries.push_back(code);
      }
      for (const auto& r : a.recipient_regions) {
        if (r.vocabulary == "2") {
          std::string code = r.code;  // M49 codes are three digits: "2" and "002" are Africa
          if (!code.empty() && code.size() < 3 &&
              std::all_of(code.begin(), code.end(), ::isdigit)) {
            code.insert(0, 3 - code.size(), '0');
          }
          if (!FindRegion(code))
            return LineError(ErrorCode::kFailedPrecondition, a, "recipient-region",
                             "code '" + r.code + "' is not a UN M49 region", "unknown_region",
                             {{"value", r.code}});
          in.regions.push_back(code);
        } else {
          in.tags.emplace_back("region-" + (r.vocabulary.empty() ? std::string("1") : r.vocabulary),
                               r.code);
        }
      }
      if (!a.budgets.empty()) {
        std::string currency =
            a.budgets.front().currency.empty() ? a.default_currency : a.budgets.front().currency;
        currency = Upper(currency);
        if (!IsCurrency(currency)) {
          if (currency.empty()) {
            return LineError(ErrorCode::kFailedPrecondition, a, "budget",
                             "has no currency (and the activity no default-currency)",
                             "no_currency");
          }
          return LineError(ErrorCode::kFailedPrecondition, a, "budget",
                           "currency '" + currency + "' is not ISO 4217", "unknown_currency",
                           {{"value", currency}});
        }
        double total = 0;
        for (const auto& b : a.budgets) {
          std::string cur = Upper(b.currency.empty() ? a.default_currency : b.currency);
          if (cur == currency) total += b.value;
        }
        in.budget_amount = std::round(total * 100) / 100;
        in.budget_currency = currency;
      }
      static constexpr const char* kRoles[] = {"", "funding", "accountable", "extending",
                                               "implementing"};
      for (const auto& p : a.participating_orgs) {
        if (p.role.size() != 1 || p.role[0] < '1' || p.role[0] > '4') {
          return LineError(ErrorCode::kFailedPrecondition, a, "participating-org",
                           "role '" + p.role + "' is not in the OrganisationRole codelist (1-4)",
                           "unknown_code", {{"value", p.role}, {"codelist", "OrganisationRole"}});
        }
        std::string name = FirstText(p.names);
        if (name.empty()) name = p.ref.empty() ? "unnamed organisation" : p.ref;
        std::string pid;
        if (auto it = org_by_ref.find(NormalizeOrgRef(p.ref));
            !p.ref.empty() && it != org_by_ref.end())
          pid = it->second;
        in.partners.push_back({pid, name.substr(0, 300), kRoles[p.role[0] - '0']});
        if (in.partners.size() >= 50) break;
      }
      in.contact_email = a.contact_email.find('@') != std::string::npos ? a.contact_email : "";
      for (const auto& l : a.links) {
        if ((l.url.rfind("https://", 0) == 0 || l.url.rfind("http://", 0) == 0) &&
            l.url.size() <= 2000 && l.url.find_first_of(" \"<>") == std::string::npos &&
            in.links.size() < 20) {
          in.links.push_back({l.url, FirstText(l.titles).substr(0, 300)});
        }
      }

      // Each tag once, and few: a file may repeat one sector a million times.
      std::sort(in.tags.begin(), in.tags.end());
      in.tags.erase(std::unique(in.tags.begin(), in.tags.end()), in.tags.end());
      if (in.tags.size() > kMaxTags) in.tags.resize(kMaxTags);
      Status valid = activities.ValidateInTx(tx, in, &known);
      if (!valid.ok()) {
        return AtLine(std::move(valid).TakeError(), a,
                      "line " + std::to_string(a.line) + " (" + a.iati_identifier + "): ");
      }
      if (auto found = stored_of_chunk.find(a.iati_identifier); found != stored_of_chunk.end()) {
        const Activity* stored = &found->second;
        item.activity_id = stored->id;
        if (!actor.IsStaff() && stored->fields.organization_id != actor.organization_id) {
          // Only an identifier in the focal point's own namespace gets here.
          return LineError(ErrorCode::kConflict, a, "iati-identifier",
                           "is already used by an activity that another organisation reports; ask "
                           "the secretariat",
                           "identifier_taken");
        }
        if (stored->archived_at) {
          item.action = "kept_archived";
          item.reason = "archived: the file's version is not applied";
          item.rule = "archived";
          report.kept_archived++;
          pending.push_back({std::move(item), {}});
          return Ok();
        }
        FileGives gives;
        gives.descriptions = !in.descriptions.empty();
        gives.dates = in.starts_on || in.ends_on;
        gives.places = !in.countries.empty() || !in.regions.empty();
        gives.status = !a.activity_status.empty();
        gives.budget = in.budget_amount.has_value();
        gives.partners = !in.partners.empty();
        gives.contact_email = !in.contact_email.empty();
        gives.tags = !in.tags.empty();
        gives.sectors = !in.sectors.empty();
        gives.transactions = !in.transactions.empty();
        in = KeepWhatTheFileDoesNotSay(stored->fields, std::move(in), gives);
        Status merged_valid = activities.ValidateInTx(tx, in, &known);
        if (!merged_valid.ok()) {
          return AtLine(std::move(merged_valid).TakeError(), a,
                        "line " + std::to_string(a.line) + " (" + a.iati_identifier +
                            "), with what is kept of the stored activity: ");
        }
        item.changed = ChangedFields(stored->fields, in);
        if (item.changed.empty()) {
          item.action = "unchanged";
          report.unchanged++;
          pending.push_back({std::move(item), {}});
          return Ok();
        }
        item.action = "updated";
        report.updated++;
      } else {
        item.action = "created";
        report.created++;
      }
      pending.push_back({std::move(item), std::move(in)});
      return Ok();
    };
    // Writes what the chunk's activities decided, then reports them in file order.
    auto write_pending = [&]() -> Status {
      std::vector<const ActivityInput*> inserts;
      std::vector<std::pair<int64_t, const ActivityInput*>> replacements;
      for (const Pending& p : pending) {
        if (p.item.action == "created") inserts.push_back(&p.input);
        if (p.item.action == "updated") replacements.emplace_back(p.item.activity_id, &p.input);
      }
      GMG_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                           activities.InsertManyInTx(tx, inserts, now, ahead.get()));
      GMG_RETURN_IF_ERROR(activities.ReplaceManyInTx(tx, replacements, now, ahead.get()));
      size_t next_id = 0;
      for (Pending& p : pending) {
        ImportItem& item = p.item;
        if (item.action == "created") item.activity_id = ids[next_id++];
        if (item.action == "created" || item.action == "updated") {
          written.push_back(item.activity_id);
          if (touched.size() < 1000) {
            boost::json::array changed;
            for (const auto& c : item.changed) changed.push_back(boost::json::string(c));
            touched.push_back({{"id", item.activity_id},
                               {"iati_identifier", item.iati_identifier},
                               {"action", item.action},
                               {"changed", std::move(changed)}});
          }
        }
        report_item(std::move(item));
      }
      pending.clear();
      return Ok();
    };
    // Reads the chunk's stored activities, decides each activity in file order (the first
    // fault is the file's answer), then writes them.
    auto import_chunk = [&]() -> Status {
      std::vector<iati::Activity> now_reading = std::move(chunk);
      chunk.clear();
      chunk_identifiers.clear();
      if (now_reading.empty()) return Ok();
      if (ahead == nullptr && now_reading.size() >= kChunk)
        ahead = activities.StartDocumentsAhead();
      std::vector<std::string> identifiers;
      for (const auto& a : now_reading) identifiers.push_back(a.iati_identifier);
      GMG_ASSIGN_OR_RETURN(std::vector<int64_t> ids, StoredIds(tx, identifiers));
      GMG_ASSIGN_OR_RETURN(auto stored, ActivityService::LoadManyInTx(tx, ids));
      stored_of_chunk.clear();
      for (Activity& a : stored) {
        std::string identifier = a.fields.iati_identifier;
        stored_of_chunk.emplace(std::move(identifier), std::move(a));
      }
      for (iati::Activity& a : now_reading) GMG_RETURN_IF_ERROR(import_one(std::move(a)));
      return write_pending();
    };
    auto read_one = [&](iati::Activity&& a) -> Status {
      if (chunk_identifiers.count(a.iati_identifier)) GMG_RETURN_IF_ERROR(import_chunk());
      chunk_identifiers.insert(a.iati_identifier);
      chunk.push_back(std::move(a));
      if (chunk.size() >= kChunk) return import_chunk();
      return Ok();
    };
    // The file is read on another thread while this one decides and writes.
    Status read = iati::ParseEachAhead(xml, limits, &parsed, read_one);
    // The activities read before a fault in the file are decided first: theirs is the first
    // fault, as when each was stored as soon as it was read.
    GMG_RETURN_IF_ERROR(import_chunk());
    GMG_RETURN_IF_ERROR(read);
    GMG_RETURN_IF_ERROR(RecordAudit(
        tx, actor, "import", "iati_file",
        parsed.version.empty() ? "iati-activity" : "iati-activities " + parsed.version, nullptr,
        boost::json::object{{"created", report.created},
                            {"updated", report.updated},
                            {"unchanged", report.unchanged},
                            {"kept_archived", report.kept_archived},
                            {"skipped", report.skipped},
                            {"activities", std::move(touched)}}));
    // Indexes for search in one statement; a large file also merges the index and refreshes
    // the planner's statistics.
    GMG_RETURN_IF_ERROR(activities.ReindexInTx(tx, written, ahead.get()));
    if (!dry_run) return Ok();
    GMG_RETURN_IF_ERROR(tx.ExecScript("ROLLBACK TO iati_import"));
    return tx.ExecScript("RELEASE iati_import");
  });
  if (!s.ok()) return std::move(s).TakeError();
  report.file_version = parsed.version;
  report.warnings = std::move(parsed.warnings);
  report.warnings_total = parsed.warnings_total;
  if (dry_run) {
    for (auto& item : report.items) {
      if (item.action == "created") item.activity_id = 0;
    }
  }
  return report;
}

Status ExportIati(Database& db, ActivityService& activities, const Principal& viewer,
                  const ActivityFilter& filter, const std::function<bool(std::string_view)>& sink,
                  std::string_view public_url) {
  std::map<std::string, std::string> iati_id;  // organisation → its IATI identifier
  GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto orgs, ListOrganizationRefs(tx));
    for (const OrganizationRef& o : orgs)
      iati_id[o.id] = o.iati_org_id.value_or("XM-GMG-" + Upper(o.id));
    return Ok();
  }));
  bool open = true;
  iati::Writer writer([&](std::string_view piece) { open = open && sink(piece); },
                      FormatTimestamp(UnixNow()));
  GMG_RETURN_IF_ERROR(activities.ForEach(viewer, filter, [&](const Activity& a) {
    const ActivityInput& f = a.fields;
    iati::Activity x;
    const std::string& org_ref = iati_id[f.organization_id];
    x.iati_identifier =
        f.iati_identifier.empty() ? org_ref + "-GMG-" + std::to_string(a.id) : f.iati_identifier;
    x.lang = f.titles.empty() ? "en" : f.titles.front().lang;
    x.default_currency = f.budget_currency;
    x.last_updated = FormatTimestamp(a.updated_at);
    // Members are multilateral (OrganisationType 40); others as their file said, else none.
    x.reporting_org = {org_ref,
                       a.organization_is_member ? "40" : f.reporting_org_type,
                       "",
                       {{"", a.organization_name}}};
    for (const auto& t : f.titles) x.titles.push_back({t.lang == x.lang ? "" : t.lang, t.text});
    for (const auto& d : f.descriptions)
      x.descriptions.push_back({d.lang == x.lang ? "" : d.lang, d.text});
    if (x.descriptions.empty())
      x.descriptions.push_back({"", x.titles.empty() ? "" : x.titles.front().text});
    static const std::map<std::string, std::string> kRoleCode = {
        {"funding", "1"}, {"accountable", "2"}, {"extending", "3"}, {"implementing", "4"}};
    x.participating_orgs.push_back({org_ref, "", "4", {{"", a.organization_name}}});
    for (const auto& p : f.partners) {
      x.participating_orgs.push_back({p.organization_id.empty() ? "" : iati_id[p.organization_id],
                                      "",
                                      kRoleCode.at(p.role),
                                      {{"", p.name}}});
    }
    x.activity_status = std::to_string(f.status);
    bool started = f.status >= 2 && f.status != 5;
    bool ended = f.status == 4;
    if (f.starts_on) (started ? x.actual_start : x.planned_start) = f.starts_on->ToString();
    if (f.ends_on) (ended ? x.actual_end : x.planned_end) = f.ends_on->ToString();
    if (!f.starts_on && !f.ends_on)
      x.planned_start = Date::FromDays(static_cast<int32_t>(a.created_at / 86400)).ToString();
    std::vector<std::string> m49_regions;
    for (const auto& r : f.regions) {
      if (r == "LDC" || r == "LLDC" || r == "SIDS") {
        x.tags.push_back({r, "99", -1, {{"", r}}, {}});  // development groups: no IATI region
      } else {
        m49_regions.push_back(r);
      }
    }
    std::vector<double> place_pct = EvenPercentages(f.countries.size() + m49_regions.size());
    size_t k = 0;
    for (const auto& c : f.countries)
      x.recipient_countries.push_back({c, "", place_pct[k++], {}, {}});
    for (const auto& r : m49_regions)
      x.recipient_regions.push_back({r, "2", place_pct[k++], {}, {}});
    WriteSectorsAndThemes(f, &x);
    for (const auto& [voc, code] : f.tags) {
      if (voc.rfind("tag-", 0) == 0) x.tags.push_back({code, voc.substr(4), -1, {}, {}});
    }
    if (f.budget_amount && f.starts_on && f.ends_on) {
      x.budgets.push_back({f.starts_on->ToString(), f.ends_on->ToString(), *f.budget_amount,
                           f.budget_currency, f.starts_on->ToString()});
    }
    for (const auto& l : f.links)
      x.links.push_back({l.url, {{"", l.title.empty() ? l.url : l.title}}});
    if (!public_url.empty()) {
      x.links.push_back({std::string(public_url) + "/activities/" + std::to_string(a.id),
                         {{x.lang == "en" ? "" : "en", "This activity on the GMG Hub"}}});
    }
    for (const Transaction& t : f.transactions) x.transactions.push_back(IatiTransactionOf(t));
    x.contact_email = f.contact_email;
    writer.Write(x);
    return open;
  }));
  writer.Finish();
  return Ok();
}

}  // namespace gmg
