#include "library/library_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <unordered_map>

#include "activities/activity_text_index.h"
#include "audit/audit_log.h"
#include "auth/crypto.h"
#include "core/codelists.h"
#include "governance/organization_directory.h"
#include "http/file_type.h"
#include "library/library_json.h"
#include "library/library_text_index.h"
#include "store/sql.h"

namespace gmg {
namespace {

constexpr size_t kMaxAuthors = 50;
constexpr size_t kMaxOrganizations = 20;
constexpr size_t kMaxThemes = 20;
constexpr size_t kMaxCountries = 60;
constexpr size_t kMaxTitleBytes = 300;
constexpr size_t kMaxAbstractBytes = 20000;
constexpr size_t kMaxAuthorBytes = 200;
constexpr size_t kMaxUrlBytes = 2000;
constexpr size_t kMaxReasonBytes = 2000;
constexpr size_t kMaxFacetValues = 30;
constexpr int64_t kMaxLimit = 100;
constexpr int64_t kMaxOffset = 10000;

using Args = std::vector<std::pair<std::string, std::string>>;

// Every rule an input breaks, so a form learns of each broken field at once (as the
// activities' BrokenRules; kept to the first 50).
class Broken {
 public:
  void Add(std::string field, std::string problem, const char* rule, Args args = {}) {
    if (problems_.size() < 50) {
      problems_.emplace_back(std::move(field), std::move(problem), rule, std::move(args));
    }
  }
  Status ToStatus() && {
    if (problems_.empty()) return Ok();
    std::string message;
    for (const FieldProblem& p : problems_) {
      if (!message.empty()) message += "; ";
      message += p.field + ": " + p.problem;
    }
    return Error{ErrorCode::kFailedPrecondition, std::move(message), std::move(problems_), 0};
  }

 private:
  std::vector<FieldProblem> problems_;
};

bool IsKind(std::string_view kind) {
  return std::find(std::begin(kLibraryItemKinds), std::end(kLibraryItemKinds), kind) !=
         std::end(kLibraryItemKinds);
}

bool IsLanguage(std::string_view l) {
  return l.size() == 2 &&
         std::all_of(l.begin(), l.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool IsHttpUrl(std::string_view url) {
  size_t scheme = url.starts_with("https://") ? 8 : url.starts_with("http://") ? 7 : 0;
  if (scheme == 0) return false;
  bool clean = std::none_of(url.begin(), url.end(), [](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return u <= 0x20 || u == 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\';
  });
  std::string_view rest = url.substr(scheme);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  return clean && !host.empty() && host.front() != ':' && host.find('@') == std::string_view::npos;
}

// Whether `actor` may write records of organisation `org`: the secretariat/admin, or a focal
// point of that organisation.
bool MayWriteFor(const Principal& actor, const std::string& org) {
  return actor.IsStaff() || (actor.role == Role::kFocalPoint && actor.organization_id == org);
}

// The owning organisation's focal points and members (even once it left the GMG).
bool OfOwner(const Principal& p, const std::string& org) {
  return (p.role == Role::kFocalPoint || p.role == Role::kMember) && !org.empty() &&
         p.organization_id == org;
}

constexpr char kItemColumns[] =
    "i.id, i.kind, i.title, i.abstract, i.year, i.language, i.url, coalesce(i.file_sha256, ''), "
    "i.file_name, coalesce(f.media_type, ''), coalesce(f.size, 0), i.organization_id, i.status, "
    "i.reject_reason, i.submitted_by, i.reviewed_by, i.version, i.created_at, i.updated_at "
    "FROM library_items i LEFT JOIN library_files f ON f.sha256 = i.file_sha256";

LibraryItem ItemFromRow(const Row& r) {
  LibraryItem i;
  i.id = r.Int(0);
  i.kind = r.Text(1);
  i.title = r.Text(2);
  i.abstract = r.Text(3);
  i.year = r.Int(4);
  i.language = r.Text(5);
  i.url = r.Text(6);
  i.file_sha256 = r.Text(7);
  i.file_name = r.Text(8);
  i.file_media_type = r.Text(9);
  i.file_size = r.Int(10);
  i.organization_id = r.Text(11);
  i.status = r.Text(12);
  i.reject_reason = r.Text(13);
  if (!r.IsNull(14)) i.submitted_by = r.Int(14);
  if (!r.IsNull(15)) i.reviewed_by = r.Int(15);
  i.version = r.Int(16);
  i.created_at = r.Int(17);
  i.updated_at = r.Int(18);
  return i;
}

// The items `ids` with their lists, by id (missing ids left out).
Result<std::map<int64_t, LibraryItem>> LoadItems(Tx& tx, const std::vector<int64_t>& ids) {
  std::map<int64_t, LibraryItem> out;
  if (ids.empty()) return out;
  std::string json = sql::JsonIdList(ids);
  std::string in(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers));
  GMG_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string("SELECT ") + kItemColumns + " WHERE i.id" + in, {json}));
  for (const Row& r : rows) out.emplace(r.Int(0), ItemFromRow(r));
  struct ListOf {
    const char* sql;
    std::vector<std::string> LibraryItem::*field;
  };
  const ListOf lists[] = {
      {"SELECT item_id, name FROM library_item_authors WHERE item_id", &LibraryItem::authors},
      {"SELECT item_id, organization_id FROM library_item_organizations WHERE item_id",
       &LibraryItem::organizations},
      {"SELECT item_id, theme_id FROM library_item_themes WHERE item_id", &LibraryItem::themes},
      {"SELECT item_id, iso3 FROM library_item_countries WHERE item_id", &LibraryItem::countries},
  };
  for (const ListOf& l : lists) {
    std::string order =
        l.field == &LibraryItem::authors ? " ORDER BY item_id, position" : " ORDER BY item_id, 2";
    std::string sql = l.sql;
    sql += in;
    sql += order;
    GMG_ASSIGN_OR_RETURN(auto list, tx.Query(sql, {json}));
    for (const Row& r : list) {
      auto it = out.find(r.Int(0));
      if (it != out.end()) (it->second.*l.field).emplace_back(r.Text(1));
    }
  }
  // The owner first among the organisations.
  for (auto& [id, item] : out) {
    auto& orgs = item.organizations;
    auto owner = std::find(orgs.begin(), orgs.end(), item.organization_id);
    if (owner != orgs.end()) std::rotate(orgs.begin(), owner, owner + 1);
  }
  return out;
}

Result<LibraryItem> LoadItem(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto items, LoadItems(tx, {id}));
  auto it = items.find(id);
  if (it == items.end()) {
    return MakeError(ErrorCode::kNotFound, "no such library item: " + std::to_string(id));
  }
  return std::move(it->second);
}

// The secretariat/admin, or a designated reviewer still on a current member's staff.
Result<bool> IsReviewer(Tx& tx, const Principal& p) {
  if (p.IsStaff()) return true;
  if (p.user_id <= 0 || !p.IsMemberStaff()) return false;
  GMG_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT 1 FROM library_reviewers WHERE user_id = ?", {p.user_id}));
  return row.has_value();
}

bool MaySee(const Principal& p, const std::string& status, const std::string& owner,
            bool reviewer) {
  if (status == "published" || p.IsStaff() || OfOwner(p, owner)) return true;
  return reviewer && status == "in_review";
}

// Who submitted and who reviewed an item are user ids: for the staff, the reviewers and the
// owner's people, not for every reader of a published item.
void HideAccountsUnlessInvolved(const Principal& p, bool reviewer, LibraryItem& item) {
  if (p.IsStaff() || reviewer || OfOwner(p, item.organization_id)) return;
  item.submitted_by.reset();
  item.reviewed_by.reset();
}

Status BumpSeq(Tx& tx) {
  GMG_RETURN_IF_ERROR(tx.Exec("UPDATE library_state SET seq = seq + 1 WHERE id = 1"));
  return Ok();
}

// Writes the item's lists (replacing them) and its length in tokens, and indexes it.
Status WriteLists(Tx& tx, int64_t id, const LibraryItemInput& in) {
  for (const char* table : {"library_item_authors", "library_item_organizations",
                            "library_item_themes", "library_item_countries"}) {
    GMG_RETURN_IF_ERROR(tx.Exec(std::string("DELETE FROM ") + table + " WHERE item_id = ?", {id}));
  }
  for (size_t k = 0; k < in.authors.size(); ++k) {
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO library_item_authors (item_id, position, name) VALUES (?, ?, ?)",
                {id, static_cast<int64_t>(k), in.authors[k]}));
  }
  for (const auto& o : in.organizations) {
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO library_item_organizations (item_id, organization_id) VALUES (?, ?)",
                {id, o}));
  }
  for (const auto& t : in.themes) {
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO library_item_themes (item_id, theme_id) VALUES (?, ?)", {id, t}));
  }
  for (const auto& c : in.countries) {
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO library_item_countries (item_id, iso3) VALUES (?, ?)", {id, c}));
  }
  std::string body = in.abstract + "\n";
  for (const auto& a : in.authors) body += a + "\n";
  GMG_RETURN_IF_ERROR(tx.Exec("UPDATE library_items SET tokens = ? WHERE id = ?",
                              {TokensOf(in.title) + TokensOf(body), id}));
  GMG_RETURN_IF_ERROR(LibraryTextIndex::For(tx.Dialect())->Reindex(tx, {id}));
  return BumpSeq(tx);
}

// After a create or edit: the item's organisation owns the file it holds, and the actor is one
// of the item's writers (who never review it).
Status NoteOwnership(Tx& tx, int64_t id, const LibraryItemInput& in, const Principal& actor) {
  if (!in.file_sha256.empty()) {
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO library_file_owners (sha256, organization_id) VALUES "
                "(?, ?) ON CONFLICT (sha256, organization_id) DO NOTHING",
                {in.file_sha256, in.organization_id}));
  }
  if (actor.user_id <= 0) return Ok();
  GMG_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO library_item_writers (item_id, user_id) VALUES (?, ?) "
              "ON CONFLICT (item_id, user_id) DO NOTHING",
              {id, actor.user_id}));
  return Ok();
}

// Whether `actor` may attach stored file `sha256` to an item now holding `held` ("" for none):
// the file it holds already, any for the secretariat, else one its organisation owns.
Result<bool> MayAttach(Tx& tx, const Principal& actor, const std::string& sha256,
                       const std::string& held) {
  if (sha256 == held || actor.IsStaff()) {
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT 1 FROM library_files WHERE sha256 = ?", {sha256}));
    return row.has_value();
  }
  if (actor.organization_id.empty()) return false;
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM library_file_owners WHERE sha256 = ? "
                                             "AND organization_id = ?",
                                             {sha256, actor.organization_id}));
  return row.has_value();
}

// At most `max` bytes of `s`, cut on a UTF-8 boundary, "…" when cut.
std::string Prefix(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end) + "…";
}

// Each value once, in the order first given.
void Dedupe(std::vector<std::string>& list) {
  std::vector<std::string> out;
  for (auto& v : list) {
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  }
  list = std::move(out);
}

}  // namespace

// --- The catalog: what a search filters, counts and ranks by, per item --------------------------

// Interned strings of one facet.
class Dict {
 public:
  uint32_t Id(std::string_view s) {
    auto it = ids_.find(std::string(s));
    if (it != ids_.end()) return it->second;
    auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(s);
    ids_.emplace(names_.back(), id);
    return id;
  }
  std::optional<uint32_t> Find(const std::string& s) const {
    auto it = ids_.find(s);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }
  const std::string& Name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, uint32_t> ids_;
};

class LibraryCatalog {
 public:
  struct Entry {
    int64_t id = 0;
    int64_t submitted_by = 0;
    uint32_t kind = 0, status = 0, language = 0, owner = 0;
    int32_t year = 0;
    uint32_t tokens = 0;
    uint32_t lists = 0;  // offset in pool_: orgs, themes, countries
    uint16_t orgs = 0, themes = 0, countries = 0;
  };

  // One query word in the index as of `seq`: the items holding it (as positions in `entries`,
  // ascending), the word's weighted occurrences in each, and `docs` as the index gave it (-1:
  // the engine leaves the word out, LibraryTextIndex::Match).
  struct Postings {
    double docs = 0;
    std::vector<uint32_t> at;
    std::vector<double> freq;
  };

  int64_t seq = -1;
  std::vector<Entry> entries;  // by id
  std::vector<uint32_t> pool;
  Dict kinds, statuses, languages, orgs, themes, countries;
  std::set<int64_t> reviewers;
  double rows = 0, tokens = 0;  // over the indexed (not withdrawn) items
  int32_t first_year = 0, last_year = -1;

  // The postings of `word`, read through the index in `tx` (which must see the writes up to
  // `seq`: the transaction this catalog was loaded or found in) the first time a search asks
  // at this seq, then kept while the catalog lives (a write makes a new catalog). A search then
  // walks lists in memory instead of the index's (FTS5's walk with its per-row statistics cost
  // about 0.5 µs a match). At most kMaxKeptPostings positions are kept in all; past that the
  // kept lists are dropped before the new one is kept.
  Result<std::shared_ptr<const Postings>> PostingsOf(Tx& tx, const std::string& word) const {
    {
      std::lock_guard lock(postings_mu_);
      auto it = postings_.find(word);
      if (it != postings_.end()) return it->second;
    }
    auto p = std::make_shared<Postings>();
    std::vector<double> docs;
    size_t at = 0;
    GMG_RETURN_IF_ERROR(LibraryTextIndex::For(tx.Dialect())
                            ->Match(tx, {word}, &docs, [&](int64_t id, std::span<const double> f) {
                              while (at < entries.size() && entries[at].id < id) ++at;
                              if (at == entries.size() || entries[at].id != id) return;
                              p->at.push_back(static_cast<uint32_t>(at));
                              p->freq.push_back(f[0]);
                            }));
    p->docs = docs.empty() ? 0 : docs[0];
    std::lock_guard lock(postings_mu_);
    if (postings_kept_ + p->at.size() > kMaxKeptPostings) {
      postings_.clear();
      postings_kept_ = 0;
    }
    if (postings_.emplace(word, p).second) postings_kept_ += p->at.size();
    return std::shared_ptr<const Postings>(p);
  }

  const Entry* Find(int64_t id) const {
    auto it = std::lower_bound(entries.begin(), entries.end(), id,
                               [](const Entry& e, int64_t v) { return e.id < v; });
    return it != entries.end() && it->id == id ? &*it : nullptr;
  }

  static Result<std::shared_ptr<LibraryCatalog>> Load(Tx& tx, int64_t seq) {
    auto c = std::make_shared<LibraryCatalog>();
    c->seq = seq;
    c->statuses.Id("published");
    c->statuses.Id("in_review");
    c->statuses.Id("rejected");
    c->statuses.Id("withdrawn");
    for (const char* k : kLibraryItemKinds) c->kinds.Id(k);
    GMG_RETURN_IF_ERROR(tx.QueryEach(
        "SELECT id, kind, status, language, year, organization_id, tokens, "
        "coalesce(submitted_by, 0) FROM library_items ORDER BY id",
        {}, [&](const RowView& r) -> Status {
          Entry e;
          e.id = r.Int(0);
          e.kind = c->kinds.Id(r.Text(1));
          e.status = c->statuses.Id(r.Text(2));
          e.language = c->languages.Id(r.Text(3));
          e.year = static_cast<int32_t>(r.Int(4));
          e.owner = c->orgs.Id(r.Text(5));
          e.tokens = static_cast<uint32_t>(std::clamp<int64_t>(r.Int(6), 0, UINT32_MAX));
          e.submitted_by = r.Int(7);
          if (r.Text(2) != "withdrawn") {
            c->rows += 1;
            c->tokens += e.tokens;
          }
          c->entries.push_back(e);
          return Ok();
        }));
    // The lists, gathered per entry and laid out one after the other.
    std::vector<std::vector<uint32_t>> orgs(c->entries.size()), themes(c->entries.size()),
        countries(c->entries.size());
    auto gather = [&](const char* sql, Dict& dict, std::vector<std::vector<uint32_t>>& into) {
      return tx.QueryEach(sql, {}, [&](const RowView& r) -> Status {
        auto it = std::lower_bound(c->entries.begin(), c->entries.end(), r.Int(0),
                                   [](const Entry& e, int64_t v) { return e.id < v; });
        if (it != c->entries.end() && it->id == r.Int(0)) {
          into[static_cast<size_t>(it - c->entries.begin())].push_back(dict.Id(r.Text(1)));
        }
        return Ok();
      });
    };
    GMG_RETURN_IF_ERROR(
        gather("SELECT item_id, organization_id FROM library_item_organizations ORDER BY item_id",
               c->orgs, orgs));
    GMG_RETURN_IF_ERROR(gather("SELECT item_id, theme_id FROM library_item_themes ORDER BY item_id",
                               c->themes, themes));
    GMG_RETURN_IF_ERROR(gather("SELECT item_id, iso3 FROM library_item_countries ORDER BY item_id",
                               c->countries, countries));
    for (size_t k = 0; k < c->entries.size(); ++k) {
      Entry& e = c->entries[k];
      e.lists = static_cast<uint32_t>(c->pool.size());
      e.orgs = static_cast<uint16_t>(orgs[k].size());
      e.themes = static_cast<uint16_t>(themes[k].size());
      e.countries = static_cast<uint16_t>(countries[k].size());
      c->pool.insert(c->pool.end(), orgs[k].begin(), orgs[k].end());
      c->pool.insert(c->pool.end(), themes[k].begin(), themes[k].end());
      c->pool.insert(c->pool.end(), countries[k].begin(), countries[k].end());
    }
    GMG_ASSIGN_OR_RETURN(auto reviewers, tx.Query("SELECT user_id FROM library_reviewers"));
    for (const Row& r : reviewers) c->reviewers.insert(r.Int(0));
    for (const Entry& e : c->entries) {
      if (c->first_year > c->last_year) c->first_year = c->last_year = e.year;
      c->first_year = std::min(c->first_year, e.year);
      c->last_year = std::max(c->last_year, e.year);
    }
    return c;
  }

 private:
  // 4 M positions and their frequencies: 48 MiB.
  static constexpr size_t kMaxKeptPostings = size_t{4} << 20;
  mutable std::mutex postings_mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const Postings>> postings_;
  mutable size_t postings_kept_ = 0;
};

namespace {

using Entry = LibraryCatalog::Entry;

// A query's filters as catalog ids; a filter none of whose values is known matches nothing.
struct Filter {
  bool active = false;
  std::vector<uint32_t> ids;
  bool Accepts(uint32_t v) const {
    return !active || std::find(ids.begin(), ids.end(), v) != ids.end();
  }
  bool AcceptsAny(const uint32_t* from, size_t n) const {
    if (!active) return true;
    for (size_t k = 0; k < n; ++k) {
      if (Accepts(from[k])) return true;
    }
    return false;
  }
};

Filter MakeFilter(const Dict& dict, const std::vector<std::string>& values) {
  Filter f;
  f.active = !values.empty();
  for (const auto& v : values) {
    if (auto id = dict.Find(v)) f.ids.push_back(*id);
  }
  return f;
}

// What a search needs to know of the viewer and the query, over one catalog.
class Sieve {
 public:
  Sieve(const LibraryCatalog& c, const Principal& p, const LibraryQuery& q) : c_(c), p_(p), q_(q) {
    reviewer_ =
        p.IsStaff() || (p.IsMemberStaff() && p.user_id > 0 && c.reviewers.contains(p.user_id));
    if (p.role == Role::kFocalPoint || p.role == Role::kMember) {
      viewer_org_ = p.organization_id.empty() ? std::nullopt : c.orgs.Find(p.organization_id);
    }
    kinds_ = MakeFilter(c.kinds, q.kinds);
    orgs_ = MakeFilter(c.orgs, q.organizations);
    themes_ = MakeFilter(c.themes, q.themes);
    countries_ = MakeFilter(c.countries, q.countries);
    languages_ = MakeFilter(c.languages, q.languages);
    published_ = *c.statuses.Find("published");
    in_review_ = *c.statuses.Find("in_review");
    best_practice_ = *c.kinds.Find("best_practice");
  }

  bool Visible(const Entry& e) const {
    if (e.status == published_ || p_.IsStaff()) return true;
    if (viewer_org_ && *viewer_org_ == e.owner) return true;
    return reviewer_ && e.status == in_review_;
  }

  bool Passes(const Entry& e) const {
    if (!Visible(e)) return false;
    if (q_.review_queue) {
      if (!reviewer_ || e.kind != best_practice_ || e.status != in_review_) return false;
    }
    if (!kinds_.Accepts(e.kind) || !languages_.Accepts(e.language)) return false;
    if (!q_.years.empty() &&
        std::find(q_.years.begin(), q_.years.end(), e.year) == q_.years.end()) {
      return false;
    }
    const uint32_t* lists = c_.pool.data() + e.lists;
    return orgs_.AcceptsAny(lists, e.orgs) && themes_.AcceptsAny(lists + e.orgs, e.themes) &&
           countries_.AcceptsAny(lists + e.orgs + e.themes, e.countries);
  }

 private:
  const LibraryCatalog& c_;
  const Principal& p_;
  const LibraryQuery& q_;
  bool reviewer_ = false;
  std::optional<uint32_t> viewer_org_;
  Filter kinds_, orgs_, themes_, countries_, languages_;
  uint32_t published_ = 0, in_review_ = 0, best_practice_ = 0;
};

// Counts per facet value over the matches that pass.
class FacetCounter {
 public:
  explicit FacetCounter(const LibraryCatalog& c)
      : c_(c),
        kinds_(c.kinds.size()),
        orgs_(c.orgs.size()),
        themes_(c.themes.size()),
        countries_(c.countries.size()),
        languages_(c.languages.size()),
        years_(static_cast<size_t>(c.last_year - c.first_year + 1)) {}

  void Count(const Entry& e) {
    ++kinds_[e.kind];
    ++languages_[e.language];
    ++years_[static_cast<size_t>(e.year - c_.first_year)];
    const uint32_t* lists = c_.pool.data() + e.lists;
    for (size_t k = 0; k < e.orgs; ++k) ++orgs_[lists[k]];
    for (size_t k = 0; k < e.themes; ++k) ++themes_[lists[e.orgs + k]];
    for (size_t k = 0; k < e.countries; ++k) ++countries_[lists[e.orgs + e.themes + k]];
  }

  std::map<std::string, std::vector<LibraryFacetValue>> Facets() const {
    std::map<std::string, std::vector<LibraryFacetValue>> out;
    out["kind"] = Top(kinds_, c_.kinds);
    out["organization"] = Top(orgs_, c_.orgs);
    out["theme"] = Top(themes_, c_.themes);
    out["country"] = Top(countries_, c_.countries);
    out["language"] = Top(languages_, c_.languages);
    std::vector<LibraryFacetValue> years;
    for (size_t k = 0; k < years_.size(); ++k) {
      if (years_[k] == 0) continue;
      years.push_back({std::to_string(c_.first_year + static_cast<int32_t>(k)), years_[k]});
    }
    std::reverse(years.begin(), years.end());  // newest first among equal counts
    Trim(years);
    out["year"] = std::move(years);
    return out;
  }

 private:
  static void Trim(std::vector<LibraryFacetValue>& values) {
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return a.count > b.count; });
    if (values.size() > kMaxFacetValues) values.resize(kMaxFacetValues);
  }
  static std::vector<LibraryFacetValue> Top(const std::vector<int64_t>& counts, const Dict& dict) {
    std::vector<LibraryFacetValue> values;
    for (size_t k = 0; k < counts.size(); ++k) {
      if (counts[k] > 0) values.push_back({dict.Name(static_cast<uint32_t>(k)), counts[k]});
    }
    std::sort(values.begin(), values.end(),
              [](const auto& a, const auto& b) { return a.value < b.value; });
    Trim(values);
    return values;
  }

  const LibraryCatalog& c_;
  std::vector<int64_t> kinds_, orgs_, themes_, countries_, languages_;
  std::vector<int64_t> years_;  // from the catalog's first year
};

// Calls take(entry, score) for each item holding every one of `words` (by stem; a word the
// engine leaves out restricts nothing), by ascending id, with its BM25 score (ForEachInAll over
// the words' postings).
Status MatchWords(Tx& tx, const LibraryCatalog& c, const std::vector<std::string>& words,
                  const std::function<void(const Entry&, double)>& take) {
  std::vector<std::shared_ptr<const LibraryCatalog::Postings>> kept;
  std::vector<double> docs;
  std::vector<std::span<const uint32_t>> lists;
  std::vector<size_t> word_of;  // the word each list is
  for (size_t i = 0; i < words.size(); ++i) {
    GMG_ASSIGN_OR_RETURN(auto p, c.PostingsOf(tx, words[i]));
    docs.push_back(std::max(p->docs, 0.0));
    if (p->docs >= 0) {
      lists.emplace_back(p->at);
      word_of.push_back(i);
    }
    kept.push_back(std::move(p));
  }
  Bm25Scorer scorer(c.rows, c.tokens, docs);
  std::vector<double> freqs(words.size(), 0.0);
  ForEachInAll(lists, [&](uint32_t at, std::span<const size_t> where) {
    for (size_t k = 0; k < where.size(); ++k) freqs[word_of[k]] = kept[word_of[k]]->freq[where[k]];
    take(c.entries[at], scorer.Score(freqs, c.entries[at].tokens));
  });
  return Ok();
}

// Whether organisation `org` may own one more file of `size` bytes: Ok when it owns `sha256`
// already or stays within `quota`, else 422 "organization_quota" on field "file".
Status CheckFileQuota(Tx& tx, const std::string& org, const std::string& sha256, int64_t size,
                      int64_t quota) {
  GMG_ASSIGN_OR_RETURN(auto owned, tx.QueryOne("SELECT 1 FROM library_file_owners WHERE "
                                               "sha256 = ? AND organization_id = ?",
                                               {sha256, org}));
  if (owned) return Ok();
  GMG_ASSIGN_OR_RETURN(auto used, tx.QueryOne("SELECT COALESCE(SUM(f.size), 0) FROM "
                                              "library_file_owners o JOIN library_files f ON "
                                              "f.sha256 = o.sha256 WHERE o.organization_id = ?",
                                              {org}));
  int64_t now_used = used->Int(0);
  if (now_used <= quota - size) return Ok();
  auto mib = [](int64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20); };
  return FieldError(ErrorCode::kFailedPrecondition, "file",
                    "your organisation's library files take " + mib(now_used) + " MiB of its " +
                        mib(quota) +
                        " MiB; files no item holds are deleted a week after their upload",
                    "organization_quota", {{"used_mib", mib(now_used)}, {"limit_mib", mib(quota)}});
}

}  // namespace

LibraryService::LibraryService(Database& db, LibraryThemeSource themes, LibraryUserCheck users,
                               std::function<int64_t()> now)
    : db_(db), themes_(std::move(themes)), users_(std::move(users)), now_(std::move(now)) {}

LibraryService::~LibraryService() = default;

Result<std::shared_ptr<const LibraryCatalog>> LibraryService::CatalogIn(Tx& tx) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT seq FROM library_state WHERE id = 1"));
  int64_t seq = row ? row->Int(0) : 0;
  {
    std::lock_guard lock(mu_);
    if (catalog_ && catalog_->seq == seq) return catalog_;
  }
  GMG_ASSIGN_OR_RETURN(std::shared_ptr<LibraryCatalog> fresh, LibraryCatalog::Load(tx, seq));
  std::lock_guard lock(mu_);
  if (!catalog_ || catalog_->seq < seq) catalog_ = fresh;
  return std::shared_ptr<const LibraryCatalog>(fresh);
}

Status LibraryService::CheckInput(Tx& tx, const Principal& actor, LibraryItemInput& in,
                                  const std::string& held_file) {
  Broken broken;
  if (in.organization_id.empty()) in.organization_id = actor.organization_id;
  if (!IsKind(in.kind)) {
    broken.Add("kind",
               "must be research_finding, publication, policy_brief, best_practice or "
               "training_material",
               "not_in_list", {{"value", in.kind}});
  }
  if (in.title.empty()) broken.Add("title", "must not be empty", "required");
  if (in.title.size() > kMaxTitleBytes) {
    broken.Add("title", "at most 300 bytes", "too_long", {{"max", "300"}});
  }
  if (in.abstract.size() > kMaxAbstractBytes) {
    broken.Add("abstract", "at most 20000 bytes", "too_long", {{"max", "20000"}});
  }
  if (in.authors.size() > kMaxAuthors)
    broken.Add("authors", "at most 50", "too_many", {{"max", "50"}});
  for (const auto& a : in.authors) {
    if (a.empty() || a.size() > kMaxAuthorBytes) {
      broken.Add("authors", "each author is 1-200 bytes", "too_long", {{"max", "200"}});
      break;
    }
  }
  if (in.year < 1900 || in.year > 2100) {
    broken.Add("year", "must be between 1900 and 2100", "out_of_range",
               {{"min", "1900"}, {"max", "2100"}});
  }
  if (!IsLanguage(in.language)) {
    broken.Add("language", "must be an ISO 639-1 code such as en, fr, es", "invalid_language",
               {{"value", in.language}});
  }
  if (!in.url.empty() && (in.url.size() > kMaxUrlBytes || !IsHttpUrl(in.url))) {
    broken.Add("url", "must be an http:// or https:// address with a host", "invalid_url",
               {{"value", in.url.substr(0, 200)}});
  }
  // Organisations: the owner first, each known.
  if (in.organization_id.empty()) {
    broken.Add("organization_id", "choose the organisation the item belongs to", "required");
  } else {
    in.organizations.insert(in.organizations.begin(), in.organization_id);
  }
  Dedupe(in.organizations);
  Dedupe(in.themes);
  Dedupe(in.countries);
  if (in.organizations.size() > kMaxOrganizations) {
    broken.Add("organizations", "at most 20", "too_many", {{"max", "20"}});
  } else {
    for (const auto& o : in.organizations) {
      GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, o));
      if (!exists) {
        broken.Add(o == in.organization_id ? "organization_id" : "organizations",
                   "is not a known organisation: " + o, "unknown_organization", {{"value", o}});
      }
    }
  }
  if (in.themes.size() > kMaxThemes) {
    broken.Add("themes", "at most 20", "too_many", {{"max", "20"}});
  } else if (!in.themes.empty()) {
    GMG_ASSIGN_OR_RETURN(std::set<std::string> known, themes_());
    for (const auto& t : in.themes) {
      if (!known.contains(t)) {
        broken.Add("themes", "is not a theme of the taxonomy: " + t, "unknown_theme",
                   {{"value", t}});
      }
    }
  }
  if (in.countries.size() > kMaxCountries) {
    broken.Add("countries", "at most 60", "too_many", {{"max", "60"}});
  } else {
    for (const auto& c : in.countries) {
      if (FindCountryByIso3(c) == nullptr) {
        broken.Add("countries", "is not an ISO 3166-1 alpha-3 country code: " + c,
                   "unknown_country", {{"value", c}});
      }
    }
  }
  if (!in.file_sha256.empty()) {
    bool stored = false;
    if (IsHex64(in.file_sha256)) {
      GMG_ASSIGN_OR_RETURN(stored, MayAttach(tx, actor, in.file_sha256, held_file));
    }
    if (!stored) {
      broken.Add("file_sha256", "is not an uploaded file", "unknown_file",
                 {{"value", in.file_sha256.substr(0, 64)}});
    }
  }
  return std::move(broken).ToStatus();
}

Result<LibraryItem> LibraryService::Get(const Principal& viewer, int64_t id) {
  LibraryItem out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadItem(tx, id));
    GMG_ASSIGN_OR_RETURN(bool reviewer, IsReviewer(tx, viewer));
    if (!MaySee(viewer, out.status, out.organization_id, reviewer)) {
      return MakeError(ErrorCode::kNotFound, "no such library item: " + std::to_string(id));
    }
    HideAccountsUnlessInvolved(viewer, reviewer, out);
    return Ok();
  }));
  return out;
}

Result<LibraryItem> LibraryService::Create(const Principal& actor, const LibraryItemInput& input) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  LibraryItemInput in = input;
  const std::string owner = in.organization_id.empty() ? actor.organization_id : in.organization_id;
  if (!MayWriteFor(actor, owner)) {
    return FieldError(ErrorCode::kPermissionDenied, "organization_id",
                      "a focal point adds items for its own organisation only; the secretariat "
                      "for any",
                      "not_own_organization", {{"value", owner}});
  }
  int64_t now = now_();
  LibraryItem out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(CheckInput(tx, actor, in, ""));
    std::string status = in.kind == "best_practice" ? "in_review" : "published";
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "INSERT INTO library_items (kind, title, abstract, year, language, url, "
            "file_sha256, file_name, organization_id, status, submitted_by, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {in.kind, in.title, in.abstract, in.year, in.language, in.url,
             in.file_sha256.empty() ? SqlValue(nullptr) : SqlValue(in.file_sha256),
             in.file_sha256.empty() ? std::string() : in.file_name, in.organization_id, status,
             actor.user_id > 0 ? SqlValue(actor.user_id) : SqlValue(nullptr), now, now}));
    int64_t id = row->Int(0);
    GMG_RETURN_IF_ERROR(WriteLists(tx, id, in));
    GMG_RETURN_IF_ERROR(NoteOwnership(tx, id, in, actor));
    GMG_ASSIGN_OR_RETURN(out, LoadItem(tx, id));
    return RecordAudit(tx, actor, "create", "library_item", std::to_string(id), nullptr,
                       LibraryItemJson(out));
  }));
  return out;
}

Result<LibraryItem> LibraryService::Update(const Principal& actor, int64_t id,
                                           std::optional<int64_t> if_version,
                                           const LibraryItemInput& input) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  LibraryItemInput in = input;
  int64_t now = now_();
  LibraryItem out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(LibraryItem before, LoadItem(tx, id));
    GMG_ASSIGN_OR_RETURN(bool reviewer, IsReviewer(tx, actor));
    if (!MaySee(actor, before.status, before.organization_id, reviewer)) {
      return MakeError(ErrorCode::kNotFound, "no such library item: " + std::to_string(id));
    }
    if (!MayWriteFor(actor, before.organization_id)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the owning organisation's focal point or the secretariat edits "
                       "this item");
    }
    if (in.organization_id.empty()) in.organization_id = before.organization_id;
    if (!MayWriteFor(actor, in.organization_id)) {
      return FieldError(ErrorCode::kPermissionDenied, "organization_id",
                        "a focal point keeps items with its own organisation",
                        "not_own_organization", {{"value", in.organization_id}});
    }
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this item"));
    if (before.status == "withdrawn") {
      return MakeError(ErrorCode::kConflict, "a withdrawn item cannot be edited");
    }
    if (!actor.IsStaff() && before.kind == "best_practice" && before.status != "published" &&
        in.kind != "best_practice") {
      return FieldError(ErrorCode::kFailedPrecondition, "kind",
                        "a best practice stays one until it is reviewed; the secretariat may "
                        "change its kind",
                        "invalid_transition", {{"value", in.kind}});
    }
    GMG_RETURN_IF_ERROR(CheckInput(tx, actor, in, before.file_sha256));
    std::string status = in.kind == "best_practice" ? "in_review" : "published";
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE library_items SET kind = ?, title = ?, abstract = ?, year = ?, language = ?, "
        "url = ?, file_sha256 = ?, file_name = ?, organization_id = ?, status = ?, "
        "reject_reason = '', submitted_by = ?, reviewed_by = NULL, version = version + 1, "
        "updated_at = ? WHERE id = ?",
        {in.kind, in.title, in.abstract, in.year, in.language, in.url,
         in.file_sha256.empty() ? SqlValue(nullptr) : SqlValue(in.file_sha256),
         in.file_sha256.empty() ? std::string() : in.file_name, in.organization_id, status,
         actor.user_id > 0 ? SqlValue(actor.user_id) : SqlValue(nullptr), now, id}));
    GMG_RETURN_IF_ERROR(WriteLists(tx, id, in));
    GMG_RETURN_IF_ERROR(NoteOwnership(tx, id, in, actor));
    GMG_ASSIGN_OR_RETURN(out, LoadItem(tx, id));
    return RecordAudit(tx, actor, "update", "library_item", std::to_string(id),
                       LibraryItemJson(before), LibraryItemJson(out));
  }));
  return out;
}

Result<LibraryItem> LibraryService::Withdraw(const Principal& actor, int64_t id) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  LibraryItem out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(LibraryItem before, LoadItem(tx, id));
    GMG_ASSIGN_OR_RETURN(bool reviewer, IsReviewer(tx, actor));
    if (!MaySee(actor, before.status, before.organization_id, reviewer)) {
      return MakeError(ErrorCode::kNotFound, "no such library item: " + std::to_string(id));
    }
    if (!MayWriteFor(actor, before.organization_id)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the owning organisation's focal point or the secretariat withdraws "
                       "this item");
    }
    if (before.status == "withdrawn") return MakeError(ErrorCode::kConflict, "already withdrawn");
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE library_items SET status = 'withdrawn', version = version "
                "+ 1, updated_at = ? WHERE id = ?",
                {now_(), id}));
    GMG_RETURN_IF_ERROR(LibraryTextIndex::For(tx.Dialect())->Reindex(tx, {id}));
    GMG_RETURN_IF_ERROR(BumpSeq(tx));
    GMG_ASSIGN_OR_RETURN(out, LoadItem(tx, id));
    return RecordAudit(tx, actor, "withdraw", "library_item", std::to_string(id),
                       LibraryItemJson(before), LibraryItemJson(out));
  }));
  return out;
}

Result<LibraryItem> LibraryService::Review(const Principal& actor, int64_t id, bool approve,
                                           const std::string& reason) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (!approve && reason.empty()) {
    return FieldError(ErrorCode::kFailedPrecondition, "reason", "say why it is rejected",
                      "required");
  }
  if (reason.size() > kMaxReasonBytes) {
    return FieldError(ErrorCode::kFailedPrecondition, "reason", "at most 2000 bytes", "too_long",
                      {{"max", "2000"}});
  }
  LibraryItem out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(bool reviewer, IsReviewer(tx, actor));
    if (!reviewer) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the secretariat or a designated reviewer reviews best practices");
    }
    GMG_ASSIGN_OR_RETURN(LibraryItem before, LoadItem(tx, id));
    if (!MaySee(actor, before.status, before.organization_id, reviewer)) {
      return MakeError(ErrorCode::kNotFound, "no such library item: " + std::to_string(id));
    }
    if (before.kind != "best_practice" || before.status != "in_review") {
      return MakeError(ErrorCode::kConflict, "only a best practice in review can be reviewed");
    }
    GMG_ASSIGN_OR_RETURN(auto wrote, tx.QueryOne("SELECT 1 FROM library_item_writers WHERE "
                                                 "item_id = ? AND user_id = ?",
                                                 {id, actor.user_id}));
    if (wrote || (before.submitted_by && *before.submitted_by == actor.user_id)) {
      return FieldError(ErrorCode::kPermissionDenied, "",
                        "a reviewer does not review an item it created or edited",
                        "own_submission");
    }
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE library_items SET status = ?, reject_reason = ?, reviewed_by = ?, version = "
        "version + 1, updated_at = ? WHERE id = ?",
        {approve ? "published" : "rejected", approve ? std::string() : reason,
         actor.user_id > 0 ? SqlValue(actor.user_id) : SqlValue(nullptr), now_(), id}));
    GMG_RETURN_IF_ERROR(BumpSeq(tx));
    GMG_ASSIGN_OR_RETURN(out, LoadItem(tx, id));
    return RecordAudit(tx, actor, approve ? "approve" : "reject", "library_item",
                       std::to_string(id), LibraryItemJson(before), LibraryItemJson(out));
  }));
  return out;
}

Result<StoredFile> LibraryService::UploadFile(const Principal& actor, std::string_view file_name,
                                              const std::string& content) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (!actor.IsStaff() && actor.role != Role::kFocalPoint) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "only focal points and the secretariat upload library files");
  }
  if (content.size() > kMaxLibraryFileBytes) {
    return MakeError(ErrorCode::kPayloadTooLarge, "a library file is at most 20 MiB");
  }
  if (content.empty()) {
    return FieldError(ErrorCode::kFailedPrecondition, "file", "the file is empty", "required");
  }
  auto type = http::DetectFileType(content);
  if (!type) {
    return FieldError(ErrorCode::kFailedPrecondition, "file",
                      "the file is not a PDF, Word, Excel, PowerPoint or OpenDocument file, "
                      "plain text, PNG or JPEG (judged by its content)",
                      "unsupported_file_type");
  }
  // A name that claims another type than the content's ("report.pdf" holding text).
  std::string_view ext;
  if (auto dot = file_name.rfind('.'); dot != std::string_view::npos)
    ext = file_name.substr(dot + 1);
  std::string lower(ext);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "jpeg") lower = "jpg";
  static const std::set<std::string> kTyped = {"pdf", "docx", "xlsx", "pptx", "odt",
                                               "ods", "odp",  "png",  "jpg",  "txt"};
  if (kTyped.contains(lower) && lower != type->extension) {
    return FieldError(ErrorCode::kFailedPrecondition, "file",
                      "the file is named ." + lower + " but its content is " + type->extension,
                      "content_mismatch", {{"claimed", lower}, {"detected", type->extension}});
  }
  StoredFile out{Sha256Hex(content), type->media_type, type->extension,
                 static_cast<int64_t>(content.size()), false};
  const std::string& org = actor.organization_id;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT 1 FROM library_files WHERE sha256 = ?", {out.sha256}));
    const bool stored = row.has_value();
    if (!stored) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO library_files (sha256, media_type, size, content, "
                  "created_at) VALUES (?, ?, ?, ?, ?)",
                  {out.sha256, out.media_type, out.size, content, now_()}));
    } else {
      // The week an unheld file is kept (DeleteUnheldFiles) counts from its latest upload, so
      // content uploaded again is not swept before the uploader attaches it.
      GMG_RETURN_IF_ERROR(tx.Exec("UPDATE library_files SET created_at = ? WHERE sha256 = ?",
                                  {now_(), out.sha256}));
    }
    // Whether identical content was here is the caller's to learn only for its own
    // organisation's files (the secretariat's: any).
    int64_t added = 0;
    if (!org.empty()) {
      GMG_RETURN_IF_ERROR(CheckFileQuota(tx, org, out.sha256, out.size, file_quota_));
      GMG_ASSIGN_OR_RETURN(added, tx.Exec("INSERT INTO library_file_owners (sha256, "
                                          "organization_id) VALUES (?, ?) ON CONFLICT (sha256, "
                                          "organization_id) DO NOTHING",
                                          {out.sha256, org}));
    }
    out.existed = actor.IsStaff() ? stored : !org.empty() && added == 0;
    if (stored && added == 0) return Ok();
    return RecordAudit(
        tx, actor, "upload", "library_file", out.sha256, nullptr,
        boost::json::object{
            {"media_type", out.media_type}, {"size", out.size}, {"organization_id", org}});
  }));
  return out;
}

Result<int> LibraryService::DeleteUnheldFiles(int max_files) {
  int deleted = 0;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    deleted = 0;
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT sha256, media_type, size FROM library_files f "
                                             "WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM "
                                             "library_items i WHERE i.file_sha256 = f.sha256) "
                                             "ORDER BY created_at, sha256 LIMIT ?",
                                             {now_() - kUnheldFileSeconds, int64_t{max_files}}));
    for (const Row& r : rows) {
      std::string sha256 = r.Text(0);
      GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM library_file_owners WHERE sha256 = ?", {sha256}));
      GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM library_files WHERE sha256 = ?", {sha256}));
      GMG_RETURN_IF_ERROR(
          RecordAudit(tx, Principal::Cli(), "delete", "library_file", sha256,
                      boost::json::object{{"media_type", r.Text(1)}, {"size", r.Int(2)}}, nullptr));
      ++deleted;
    }
    return Ok();
  }));
  return deleted;
}

Result<LibraryFileContent> LibraryService::GetFile(const Principal& viewer, int64_t id) {
  LibraryFileContent out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(LibraryItem item, LoadItem(tx, id));
    GMG_ASSIGN_OR_RETURN(bool reviewer, IsReviewer(tx, viewer));
    if (!MaySee(viewer, item.status, item.organization_id, reviewer) || item.file_sha256.empty()) {
      return MakeError(ErrorCode::kNotFound, "no file for library item " + std::to_string(id));
    }
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT media_type, content FROM library_files "
                                               "WHERE sha256 = ?",
                                               {item.file_sha256}));
    if (!row) return MakeError(ErrorCode::kNotFound, "the file is gone");
    out.media_type = row->Text(0);
    out.content = std::string(row->Bytes(1));
    auto type = http::DetectFileType(out.content);
    out.file_name = http::SafeFileName(item.file_name.empty() ? item.title : item.file_name,
                                       type ? type->extension : "bin");
    return Ok();
  }));
  return out;
}

Result<std::vector<int64_t>> LibraryService::ListReviewers(const Principal& actor) {
  if (!actor.IsStaff()) {
    return MakeError(ErrorCode::kPermissionDenied, "the secretariat manages reviewers");
  }
  std::vector<int64_t> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query("SELECT user_id FROM library_reviewers ORDER BY user_id"));
    for (const Row& r : rows) out.push_back(r.Int(0));
    return Ok();
  }));
  return out;
}

Status LibraryService::AddReviewer(const Principal& actor, int64_t user_id) {
  if (!actor.IsStaff()) {
    return MakeError(ErrorCode::kPermissionDenied, "the secretariat manages reviewers");
  }
  GMG_ASSIGN_OR_RETURN(std::optional<LibraryUserRef> user, users_(user_id));
  const int64_t now = now_();
  return db_.Write([&](Tx& tx) -> Status {
    if (!user) {
      return FieldError(ErrorCode::kFailedPrecondition, "user_id", "no such user", "unknown_user",
                        {{"value", std::to_string(user_id)}});
    }
    bool gmg = user->role == Role::kAdmin || user->role == Role::kSecretariat;
    if (!gmg && (user->role == Role::kFocalPoint || user->role == Role::kMember) &&
        !user->organization_id.empty()) {
      GMG_ASSIGN_OR_RETURN(
          gmg, IsMemberOn(tx, user->organization_id,
                          Date::FromDays(static_cast<int32_t>(now / 86400)).ToString()));
    }
    if (!gmg) {
      return FieldError(ErrorCode::kFailedPrecondition, "user_id",
                        "a reviewer is on the secretariat or a current GMG member's staff",
                        "not_gmg_member", {{"value", std::to_string(user_id)}});
    }
    GMG_ASSIGN_OR_RETURN(int64_t added,
                         tx.Exec("INSERT INTO library_reviewers (user_id, created_at) VALUES (?, "
                                 "?) ON CONFLICT (user_id) DO NOTHING",
                                 {user_id, now}));
    if (added == 0) return Ok();
    GMG_RETURN_IF_ERROR(BumpSeq(tx));
    return RecordAudit(tx, actor, "add", "library_reviewer", std::to_string(user_id), nullptr,
                       boost::json::object{{"user_id", user_id}});
  });
}

Status LibraryService::RemoveReviewer(const Principal& actor, int64_t user_id) {
  if (!actor.IsStaff()) {
    return MakeError(ErrorCode::kPermissionDenied, "the secretariat manages reviewers");
  }
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(int64_t removed,
                         tx.Exec("DELETE FROM library_reviewers WHERE user_id = ?", {user_id}));
    if (removed == 0) return MakeError(ErrorCode::kNotFound, "not a reviewer");
    GMG_RETURN_IF_ERROR(BumpSeq(tx));
    return RecordAudit(tx, actor, "remove", "library_reviewer", std::to_string(user_id),
                       boost::json::object{{"user_id", user_id}}, nullptr);
  });
}

Result<LibrarySearchResult> LibraryService::Search(const Principal& viewer,
                                                   const LibraryQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return FieldError(ErrorCode::kInvalidArgument, "limit", "must be 1-100", "out_of_range",
                      {{"min", "1"}, {"max", "100"}});
  }
  if (query.offset < 0 || query.offset > kMaxOffset) {
    return FieldError(ErrorCode::kInvalidArgument, "cursor", "must be 0-10000", "out_of_range",
                      {{"min", "0"}, {"max", "10000"}});
  }
  std::vector<std::string> words = SearchWords(query.text);
  LibrarySearchResult out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto catalog, CatalogIn(tx));
    const LibraryCatalog& c = *catalog;
    Sieve sieve(c, viewer, query);
    std::optional<FacetCounter> facets;
    if (query.facets) facets.emplace(c);
    struct Ranked {
      double score;
      int32_t year;
      int64_t id;
    };
    std::vector<Ranked> ranked;
    auto take = [&](const Entry& e, double score) {
      if (!sieve.Passes(e)) return;
      if (facets) facets->Count(e);
      ranked.push_back({score, e.year, e.id});
    };
    if (words.empty()) {
      for (const Entry& e : c.entries) take(e, 0.0);
    } else {
      GMG_RETURN_IF_ERROR(MatchWords(tx, c, words, take));
    }
    out.total = static_cast<int64_t>(ranked.size());
    if (facets) out.facets = facets->Facets();
    auto order = [&](const Ranked& a, const Ranked& b) {
      if (a.score != b.score) return a.score < b.score;
      if (a.year != b.year) return a.year > b.year;
      return a.id > b.id;
    };
    auto end = static_cast<size_t>(std::min<int64_t>(query.offset + query.limit, out.total));
    if (static_cast<size_t>(query.offset) >= end) return Ok();
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(end),
                      ranked.end(), order);
    std::vector<int64_t> ids;
    for (auto k = static_cast<size_t>(query.offset); k < end; ++k) ids.push_back(ranked[k].id);
    GMG_ASSIGN_OR_RETURN(auto items, LoadItems(tx, ids));
    GMG_ASSIGN_OR_RETURN(bool reviewer, IsReviewer(tx, viewer));
    for (auto& [id, item] : items) HideAccountsUnlessInvolved(viewer, reviewer, item);
    std::map<int64_t, TextHighlight> marks;
    if (!words.empty() && query.highlights) {
      GMG_ASSIGN_OR_RETURN(marks, LibraryTextIndex::For(tx.Dialect())->Highlight(tx, words, ids));
    }
    for (auto k = static_cast<size_t>(query.offset); k < end; ++k) {
      auto it = items.find(ranked[k].id);
      if (it == items.end()) continue;
      LibraryHit hit;
      hit.item = std::move(it->second);
      hit.score = ranked[k].score;
      auto m = marks.find(hit.item.id);
      hit.title_html = m != marks.end() && !m->second.title.empty() ? m->second.title
                                                                    : MarkedHtml(hit.item.title);
      hit.snippet_html =
          m != marks.end() ? m->second.snippet : MarkedHtml(Prefix(hit.item.abstract, 200));
      out.hits.push_back(std::move(hit));
    }
    return Ok();
  }));
  return out;
}

Result<std::vector<LibraryHit>> LibraryService::Search(const Principal& viewer,
                                                       std::string_view text, int64_t limit) {
  LibraryQuery q;
  q.text = std::string(text);
  q.limit = limit;
  q.facets = false;
  q.highlights = false;
  GMG_ASSIGN_OR_RETURN(LibrarySearchResult r, Search(viewer, q));
  return std::move(r.hits);
}

}  // namespace gmg
