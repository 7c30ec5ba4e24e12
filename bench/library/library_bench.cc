// The library's search and the one search (issue 13: 100,000 library items and the other kinds
// at their benchmark sizes, p50 including facets < 5 ms on the embedded engine) and, in the same
// run, the same queries on PostgreSQL's full-text search over the same corpus; prints Markdown
// tables with the ratio (docs/performance.md "Issue 13: library", "Issue 13: one search").
// A driver, not Google Benchmark: each query is run `--runs` times after a warm-up, the median
// and 90th percentile reported. The corpus is generated here (seeded, so both engines get the
// same one) from the demo's texts in English, French and Spanish and a long tail of rarer
// words, and written straight into the library's tables, then indexed by LibraryTextIndex. For
// the one search, `--activities` synthetic activities (coherence/synthetic.h, the coherence
// benchmark's corpus) are imported as `gmg import iati` does, beside the GMG's seed and demo set,
// and `--meetings` held meetings (the iCalendar benchmark's 10,000; one in four with approved
// minutes), which the one search reads as the meetings area does.
// The first run of each query is reported apart: it loads the catalogs and reads the query
// words' postings from the index (kept until the next write).
//
//   cmake --preset release && nice cmake --build --preset release --target gmg_library_bench
//   build/release/gmg_library_bench [--items 100000] [--activities 100000] [--meetings 10000]
//                                   [--runs 50]
//                                   [--pg-url postgresql://…/postgres]
// With --pg-url (an admin URL; default GMG_TEST_PG_URL) a database gmg_library_bench is made
// beside it (dropped first) and the same corpus written there.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "activities/iati_mapping.h"
#include "app/modules.h"
#include "app/site_search.h"
#include "app/site_search_sources.h"
#include "auth/crypto.h"
#include "coherence/synthetic.h"
#include "governance/seed.h"
#include "library/library_demo.h"
#include "library/library_service.h"
#include "library/library_text_index.h"
#include "store/open.h"

namespace gmg {
namespace {

constexpr int64_t kNow = 1796126400;
const char* const kKinds[] = {"research_finding", "publication", "policy_brief", "best_practice",
                              "training_material"};
const char* const kOrgs[] = {"ilo",   "iom",   "unctad", "undp",  "undesa",
                             "unfpa", "ohchr", "unhcr",  "unodc", "worldbank"};
const char* const kThemes[] = {
    "remittances", "labour-migration", "protection", "trafficking", "climate",
    "data",        "integration",      "health"};
const char* const kCountries[] = {"MEX", "GTM", "SEN", "NGA", "PHL", "BGD", "NPL", "ITA", "LBY",
                                  "QAT", "FJI", "ECU", "KEN", "ETH", "TUR", "DEU", "USA", "IND"};

struct Query {
  const char* label;
  const char* text;
  const char* country;  // "" = no filter
};
const Query kQueries[] = {
    {"one common word", "migration", ""},
    {"two words", "remittances households", ""},
    {"French, stemmed", "réfugiés protection", ""},
    {"Spanish, stemmed", "derechos migrantes", ""},
    {"rare word", "relocation", ""},
    {"word + country filter", "labour", "PHL"},
    {"no words (browse, facets only)", "", ""},
};

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::string w;
  for (char c : text + " ") {
    if (c == ' ' || c == ',' || c == '.' || c == ';' || c == ':') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  return out;
}

// A seeded corpus: per item its kind, texts and lists (the same for both engines).
struct Corpus {
  struct Item {
    std::string kind, title, abstract, language, org, other_org;
    int64_t year;
    std::vector<std::string> themes, countries, authors;
  };
  std::vector<Item> items;

  explicit Corpus(int n) {
    std::mt19937 rnd(13);
    std::map<std::string, std::vector<std::string>> vocab;  // language → words
    for (const auto& t : LibraryDemoTexts()) {
      for (auto& w : Words(std::string(t.title) + " " + t.abstract)) vocab[t.language].push_back(w);
    }
    // A long tail of rarer words: four in five drawn from the first 200, the rest from 5,000.
    std::vector<std::string> tail;
    for (int k = 1; k <= 5000; ++k) tail.push_back("term" + std::to_string(k));
    items.reserve(static_cast<size_t>(n));
    const char* const langs[] = {"en", "en", "en", "en", "en", "en", "en", "fr", "fr", "es", "es"};
    for (int i = 0; i < n; ++i) {
      Item it;
      it.kind = kKinds[rnd() % 5];
      it.language = langs[rnd() % std::size(langs)];
      const auto& words = vocab[it.language];
      auto text = [&](int count) {
        std::string s;
        for (int k = 0; k < count; ++k) {
          if (!s.empty()) s += ' ';
          s += rnd() % 4 == 0 ? tail[rnd() % 5000 < 4000 ? rnd() % 200 : rnd() % 5000]
                              : words[rnd() % words.size()];
        }
        return s;
      };
      it.title = text(6 + static_cast<int>(rnd() % 6));
      it.abstract = text(40 + static_cast<int>(rnd() % 40));
      it.org = kOrgs[rnd() % std::size(kOrgs)];
      it.other_org = kOrgs[rnd() % std::size(kOrgs)];
      it.year = 2000 + static_cast<int64_t>(rnd() % 27);
      it.themes = {kThemes[rnd() % std::size(kThemes)]};
      if (rnd() % 2) it.themes.push_back(kThemes[rnd() % std::size(kThemes)]);
      it.countries = {kCountries[rnd() % std::size(kCountries)]};
      if (rnd() % 2) it.countries.push_back(kCountries[rnd() % std::size(kCountries)]);
      it.authors = {"Author " + std::to_string(rnd() % 3000),
                    "Author " + std::to_string(rnd() % 3000)};
      items.push_back(std::move(it));
    }
  }
};

void Die(const std::string& what, const Status& s) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what.c_str(), s.error().message.c_str());
  std::exit(1);
}

std::unique_ptr<Database> Fill(const std::string& spec, const Corpus& corpus) {
  auto opened = OpenDatabase(spec);
  if (!opened.ok()) Die("open " + spec, opened.error());
  std::unique_ptr<Database> db = std::move(opened).value();
  Die("migrate", Migrate(*db));
  Die("seed", SeedGmg(*db).ok() ? Ok() : Status(MakeError(ErrorCode::kInternal, "seed")));
  auto t0 = std::chrono::steady_clock::now();
  Die("fill", db->Write([&](Tx& tx) -> Status {
    std::vector<int64_t> ids;
    for (const auto& it : corpus.items) {
      std::string body = it.abstract + "\n" + it.authors[0] + "\n" + it.authors[1] + "\n";
      GMG_ASSIGN_OR_RETURN(
          auto row,
          tx.QueryOne("INSERT INTO library_items (kind, title, abstract, year, language, "
                      "organization_id, status, tokens, created_at, updated_at) VALUES (?, ?, ?, "
                      "?, ?, ?, 'published', ?, ?, ?) RETURNING id",
                      {it.kind, it.title, it.abstract, it.year, it.language, it.org,
                       TokensOf(it.title) + TokensOf(body), kNow, kNow}));
      int64_t id = row->Int(0);
      ids.push_back(id);
      for (size_t k = 0; k < it.authors.size(); ++k) {
        GMG_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO library_item_authors (item_id, position, name) VALUES (?, ?, ?)",
                    {id, static_cast<int64_t>(k), it.authors[k]}));
      }
      for (const auto& o : std::vector<std::string>{it.org, it.other_org}) {
        GMG_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO library_item_organizations (item_id, "
                    "organization_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    {id, o}));
      }
      for (const auto& t : it.themes) {
        GMG_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO library_item_themes (item_id, theme_id) VALUES "
                    "(?, ?) ON CONFLICT DO NOTHING",
                    {id, t}));
      }
      for (const auto& c : it.countries) {
        GMG_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO library_item_countries (item_id, iso3) VALUES "
                    "(?, ?) ON CONFLICT DO NOTHING",
                    {id, c}));
      }
    }
    auto index = LibraryTextIndex::For(tx.Dialect());
    for (size_t at = 0; at < ids.size(); at += 5000) {
      std::vector<int64_t> slice(
          ids.begin() + static_cast<std::ptrdiff_t>(at),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + 5000)));
      GMG_RETURN_IF_ERROR(index->Reindex(tx, slice));
    }
    GMG_RETURN_IF_ERROR(tx.Exec("UPDATE library_state SET seq = seq + 1 WHERE id = 1"));
    return Ok();
  }));
  if (db->Dialect() == Dialect::kSqlite) {
    Die("optimize", db->Write([](Tx& tx) {
      return tx.ExecScript("INSERT INTO library_fts (library_fts) VALUES ('optimize'); ANALYZE;");
    }));
  } else {
    Die("analyze", db->Write([](Tx& tx) { return tx.ExecScript("ANALYZE;"); }));
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "filled %s with %zu items in %.1f s\n",
               db->Dialect() == Dialect::kSqlite ? "SQLite" : "PostgreSQL", corpus.items.size(), s);
  return db;
}

struct Timing {
  double first = 0, p50 = 0, p90 = 0;
  int64_t total = 0;
};

// Runs `search` (which returns the number of matches) runs + 1 times: the first run apart, then
// the median and 90th percentile of the others.
Timing Time(int runs, const std::function<int64_t()>& search) {
  Timing t;
  std::vector<double> ms;
  for (int r = 0; r <= runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    t.total = search();
    double d =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (r == 0) {
      t.first = d;
    } else {
      ms.push_back(d);
    }
  }
  std::sort(ms.begin(), ms.end());
  t.p50 = ms[ms.size() / 2];
  t.p90 = ms[ms.size() * 9 / 10];
  return t;
}

std::map<std::string, Timing> MeasureLibrary(Database& db, int runs) {
  LibraryService library(
      db, []() -> Result<std::set<std::string>> { return std::set<std::string>(); },
      [](int64_t) -> Result<std::optional<LibraryUserRef>> {
        return std::optional<LibraryUserRef>();
      },
      [] { return kNow; });
  Principal anonymous;
  std::map<std::string, Timing> out;
  for (const Query& q : kQueries) {
    LibraryQuery lq;
    lq.text = q.text;
    if (*q.country) lq.countries = {q.country};
    out[q.label] = Time(runs, [&] {
      auto res = library.Search(anonymous, lq);
      if (!res.ok()) Die(std::string("search ") + q.label, res.error());
      return res->total;
    });
  }
  return out;
}

// The activities the one search finds beside the library: `n` synthetic ones, imported.
void ImportActivities(Database& db, Modules& modules, size_t n) {
  if (n == 0) return;
  coherence::SyntheticCorpus corpus = coherence::Generate(n, 7);
  std::string xml;
  coherence::WriteIati(
      corpus, [&](std::string_view piece) { xml.append(piece); }, "2026-12-02T00:00:00Z");
  iati::ParseLimits limits;
  limits.max_bytes = xml.size() + 1;
  limits.max_activities = n + 1;
  auto t0 = std::chrono::steady_clock::now();
  auto report = ImportIati(db, modules.activities().service(), Principal::Cli(), xml,
                           /*dry_run=*/false, limits);
  if (!report.ok()) Die("import activities", report.error());
  std::fprintf(stderr, "imported %lld activities in %.1f s\n",
               static_cast<long long>(report->created),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

// `n` held meetings (the iCalendar benchmark's size is 10,000), one in four with approved
// minutes of about 120 words from the library's demo texts, written straight into the
// meetings module's tables.
void AddMeetings(Database& db, size_t n) {
  if (n == 0) return;
  const auto& texts = LibraryDemoTexts();
  const char* chairs[] = {"iom", "ilo", "unhcr", "undp", "unodc"};
  Status s = db.Write([&](Tx& tx) -> Status {
    for (size_t i = 0; i < n; ++i) {
      const auto& t = texts[i % texts.size()];
      int64_t at = 1700000000 + static_cast<int64_t>(i) * 86400;
      GMG_ASSIGN_OR_RETURN(
          auto row,
          tx.QueryOne(
              "INSERT INTO meetings (title, starts_local, ends_local, time_zone, starts_at, "
              "ends_at, place, chair_org, chair_from_rotation, status, uid, sequence, "
              "created_at, updated_at) VALUES (?, '2024-01-01T10:00', '2024-01-01T12:00', "
              "'Europe/Geneva', ?, ?, 'Geneva', ?, 1, 'held', ?, 0, ?, ?) RETURNING id",
              {"GMG working group " + std::to_string(i) + ": " + std::string(t.title), at,
               at + 7200, std::string(chairs[i % 5]), "bench-" + std::to_string(i) + "@gmg", at,
               at}));
      if (i % 4 != 0) continue;
      int64_t id = row->Int(0);
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO meeting_minutes (meeting_id, status, approved_at, current_version) "
                  "VALUES (?, 'approved', ?, 1)",
                  {id, at}));
      GMG_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO meeting_minutes_versions (meeting_id, number, text, user_name, "
          "created_at) VALUES (?, 1, ?, 'Secretariat', ?)",
          {id,
           std::string(t.abstract) + "\n\n" + std::string(texts[(i + 1) % texts.size()].abstract),
           at}));
    }
    return Ok();
  });
  Die("meetings", s);
}

// The one search (GET /api/v1/search without its HTTP), anonymous, limit 20, for the queries
// with words (it needs one).
std::map<std::string, Timing> MeasureSiteSearch(Database& db, size_t activities, size_t meetings,
                                                int runs) {
  Modules modules;
  for (Module* m : modules.InOrder()) {
    Die(std::string("seed ") + std::string(m->Name()), m->Seed(db));
    Die(std::string("start ") + std::string(m->Name()), m->Start(db));
  }
  for (Module* m : modules.InOrder()) {
    auto added = m->LoadDemoData(db);
    if (!added.ok()) Die(std::string("demo ") + std::string(m->Name()), added.error());
  }
  ImportActivities(db, modules, activities);
  AddMeetings(db, meetings);
  std::vector<SearchSource> sources = SiteSearchSources(modules);
  SiteSearch site(sources);
  Principal anonymous;
  std::map<std::string, Timing> out;
  // Where the time goes: each area's share of the first query (its best kSiteHitsPerKind).
  std::fprintf(stderr, "one search `%s`, p50 ms per area:", kQueries[0].text);
  for (const SearchSource& source : sources) {
    std::vector<std::string> words = SiteQueryWords(kQueries[0].text);
    Timing t = Time(runs, [&] {
      auto hits = source.find(anonymous, kQueries[0].text, words, kSiteHitsPerKind);
      if (!hits.ok()) Die("one search " + source.kind, hits.error());
      return static_cast<int64_t>(hits->size());
    });
    std::fprintf(stderr, " %s %.2f;", source.kind.c_str(), t.p50);
  }
  std::fprintf(stderr, "\n");
  for (const Query& q : kQueries) {
    if (!*q.text || *q.country) continue;
    SiteQuery sq;
    sq.text = q.text;
    out[q.label] = Time(runs, [&] {
      auto res = site.Search(anonymous, sq);
      if (!res.ok()) Die(std::string("one search ") + q.label, res.error());
      return res->total;
    });
  }
  return out;
}

std::string WithDatabase(const std::string& url, const std::string& name) {
  size_t slash = url.find('/', url.find("://") + 3);
  size_t query = url.find('?');
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

bool CreateDatabase(const std::string& admin, const std::string& name) {
  PGconn* a = PQconnectdb(admin.c_str());
  bool ok = PQstatus(a) == CONNECTION_OK;
  for (std::string sql :
       {"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name}) {
    if (!ok) break;
    PGresult* r = PQexec(a, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) std::fprintf(stderr, "postgres: %s: %s", sql.c_str(), PQresultErrorMessage(r));
    PQclear(r);
  }
  PQfinish(a);
  return ok;
}

void PrintTable(const char* title, int items, size_t activities,
                const std::map<std::string, Timing>& sqlite,
                const std::map<std::string, Timing>& postgres) {
  std::printf(
      "\n| %s (%d library items, %zu activities; anonymous, limit 20) | matches | SQLite first "
      "ms | p50 | p90 | PostgreSQL first ms | p50 | p90 | ratio PG/SQLite p50 |\n",
      title, items, activities);
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const Query& q : kQueries) {
    auto s = sqlite.find(q.label);
    if (s == sqlite.end()) continue;
    const Timing& t = s->second;
    std::printf("| %s: `%s`%s%s | %lld | %.2f | %.2f | %.2f |", q.label, q.text,
                *q.country ? ", country=" : "", q.country, static_cast<long long>(t.total), t.first,
                t.p50, t.p90);
    auto p = postgres.find(q.label);
    if (p == postgres.end()) {
      std::printf(" – | – | – | – |\n");
      continue;
    }
    std::printf(" %.2f | %.2f | %.2f | %.1f |\n", p->second.first, p->second.p50, p->second.p90,
                t.p50 > 0 ? p->second.p50 / t.p50 : 0.0);
    if (p->second.total != t.total)
      std::fprintf(stderr, "note: %s: %s matches %lld on PostgreSQL\n", title, q.label,
                   static_cast<long long>(p->second.total));
  }
}

int Main(int argc, char** argv) {
  int items = 100000, runs = 50;
  long activities = 100000;
  long meetings = 10000;
  const char* env = std::getenv("GMG_TEST_PG_URL");
  std::string pg = env ? env : "";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--items") items = std::atoi(argv[i + 1]);
    if (a == "--activities") activities = std::atol(argv[i + 1]);
    if (a == "--runs") runs = std::atoi(argv[i + 1]);
    if (a == "--meetings") meetings = std::atol(argv[i + 1]);
    if (a == "--pg-url") pg = argv[i + 1];
  }
  if (items < 1 || items > 2000000 || activities < 0 || activities > 1000000 || meetings < 0 ||
      meetings > 1000000 || runs < 1 || runs > 10000) {
    std::fprintf(stderr,
                 "--items 1-2000000, --activities 0-1000000, --meetings 0-1000000, "
                 "--runs 1-10000\n");
    return 2;
  }
  Die("crypto", InitCrypto());
  Corpus corpus(items);
  auto n = static_cast<size_t>(activities);
  auto dir =
      std::filesystem::temp_directory_path() / ("gmg-library-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::map<std::string, Timing> sqlite, postgres, sqlite_site, postgres_site;
  {
    auto db = Fill((dir / "bench.db").string(), corpus);
    sqlite = MeasureLibrary(*db, runs);
    sqlite_site = MeasureSiteSearch(*db, n, static_cast<size_t>(meetings), runs);
  }
  std::filesystem::remove_all(dir);
  if (!pg.empty()) {
    if (!CreateDatabase(pg, "gmg_library_bench")) return 1;
    auto db = Fill(WithDatabase(pg, "gmg_library_bench"), corpus);
    postgres = MeasureLibrary(*db, runs);
    postgres_site = MeasureSiteSearch(*db, n, static_cast<size_t>(meetings), runs);
  }
  PrintTable("library search, with facets", items, 0, sqlite, postgres);
  PrintTable("one search", items, n, sqlite_site, postgres_site);
  return 0;
}

}  // namespace
}  // namespace gmg

int main(int argc, char** argv) { return gmg::Main(argc, argv); }
