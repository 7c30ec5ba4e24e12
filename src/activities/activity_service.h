// ActivityService: recording, finding, mapping and counting the members' activities.
//
// Rules: a focal point records and edits only its own organisation's activities (admin and
// secretariat any); dates in order; countries, regions, themes, purposes, currency and
// partner organisations must be known; visibility decides who sees an activity (the rule is
// AccessPolicy's, in core/access_policy.h: public, everyone; members, signed-in staff of
// organisations that are GMG members today, admin and secretariat; organization, its own
// organisation's staff, admin and secretariat). Every write is audited and keeps the full-text
// index in step, in one transaction. Search ranks and counts facets from an in-memory
// ActivityCatalog that follows the database. Thread-safety: any thread (the catalog locks itself).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "activities/activity.h"
#include "activities/activity_catalog.h"
#include "activities/activity_text_index.h"
#include "core/principal.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

struct ActivityPage {
  std::vector<Activity> items;
  int64_t total = 0;
  std::optional<int64_t> next_offset;
};

struct SearchHit {
  Activity activity;
  std::string title_highlighted;  // matches wrapped in <mark>…</mark>, text HTML-escaped
  std::string snippet;            // same, from the description
  double rank = 0;
};

// What a search computes beside its matches: the one search (app/site_search.h) needs neither.
struct SearchParts {
  bool facets = true;      // false: SearchResult::facets stays empty
  bool highlights = true;  // false: title_highlighted and snippet stay empty
  // false: each hit's activity holds its row (organisation, dates, type…) and its titles and
  // descriptions only, not its places, themes, partners, sectors or transactions (two queries
  // for the page instead of twelve).
  bool records = true;
};

struct SearchResult {
  std::vector<SearchHit> hits;
  int64_t total = 0;
  std::optional<int64_t> next_offset;
  // facet name ("organization", "theme", "type", "status", "country") → value → count
  std::map<std::string, std::map<std::string, int64_t>> facets;
};

class ActivityService {
 public:
  explicit ActivityService(Database& db) : db_(db), index_(ActivityTextIndex::For(db.Dialect())) {}
  ActivityService(const ActivityService&) = delete;
  ActivityService& operator=(const ActivityService&) = delete;

  Result<Activity> Create(const Principal& actor, ActivityInput input);
  Result<Activity> Update(const Principal& actor, int64_t id, int64_t if_version,
                          ActivityInput input);
  Status Archive(const Principal& actor, int64_t id);
  // kNotFound also when the activity exists but `viewer` may not see it.
  Result<Activity> Get(const Principal& viewer, int64_t id);

  // A page of `limit` (1 to kMaxPageSize) from position `offset` (0 to kMaxOffset; past the
  // end gives an empty page); kInvalidArgument outside those bounds.
  static constexpr int64_t kMaxPageSize = 500;
  static constexpr int64_t kMaxOffset = int64_t{1} << 50;
  Result<ActivityPage> List(const Principal& viewer, const ActivityFilter& filter, int64_t limit,
                            int64_t offset);
  // The same bounds as List. Each query word's postings (the activities holding it, and its
  // weighted occurrences in each) are read from the index at the first search that asks for the
  // word, then kept until the next write to the index (at most kMaxKeptPostings in all, 16
  // bytes each: 256 MiB; a word that does not fit makes room by evicting others): a search
  // with the text alone matches from them in memory; with other filters the index matches (SQL
  // applies them) and the postings give the words' counts.
  static constexpr size_t kMaxKeptPostings = size_t{16} << 20;
  Result<SearchResult> Search(const Principal& viewer, const ActivityFilter& filter, int64_t limit,
                              int64_t offset, SearchParts parts = {});
  // Loads the search catalog now, so the first search does not (under 0.1 s at 100,000
  // activities). Searching works without it. When it had to read every activity's rows and
  // there are kSnapshotFrom or more, saves the catalog's snapshot, so that the next start
  // reads that instead (ActivityCatalog).
  static constexpr int64_t kSnapshotFrom = 20000;
  Status PrepareSearch();
  // Loads the search catalog and saves its snapshot, whatever its size.
  Status SaveSearchSnapshot();
  // Activity counts under the filter by country named (ISO alpha-2), by region recorded (an
  // activity for a region is not counted in its countries), and global ones
  // (ActivityMapCounts). From the search catalog (100 ms in SQL, 3 ms from memory at 100,000
  // activities).
  Result<ActivityMapCounts> CountByCountry(const Principal& viewer, const ActivityFilter& filter);
  // The SQL answer, for tests that hold the catalog's against it.
  Result<ActivityMapCounts> CountByCountryInSqlForTesting(const Principal& viewer,
                                                          const ActivityFilter& filter) {
    return CountByCountryInSql(viewer, filter);
  }
  // Calls `fn` for each activity under the filter in id order, reading in batches, so an
  // export of any size holds one batch in memory. Stops early when fn returns false.
  Status ForEach(const Principal& viewer, const ActivityFilter& filter,
                 const std::function<bool(const Activity&)>& fn);

  Result<std::vector<Theme>> ListThemes();
  Result<Theme> CreateTheme(const Principal& actor, const Theme& theme);
  Result<Theme> UpdateTheme(const Principal& actor, const std::string& id, int64_t if_version,
                            const Theme& change);

  // What `viewer` may see, as of the snapshot `tx` reads (membership ends and starts on a
  // date, so it is read per request, not kept in the session).
  static Result<Audience> AudienceOf(Tx& tx, const Principal& viewer);

  // Ids that exist, for validating many activities in one transaction without a query each.
  struct KnownIds {
    std::set<std::string> organizations;
    std::set<std::string> themes;  // not archived
  };
  static Result<KnownIds> LoadKnownIds(Tx& tx);

  // Validation and storage inside a caller's transaction (imports write many in one). With
  // `known`, ids are checked against it instead of the database. ValidateInTx reports every
  // rule the input breaks (at most 50) as one kFailedPrecondition with a detail per problem.
  Status ValidateInTx(Tx& tx, const ActivityInput& input, const KnownIds* known = nullptr);
  // Insert/Replace leave the full-text index alone: call ReindexInTx once for all the
  // activities a transaction wrote (FTS5 batches best when written in one statement).
  // The inputs are validated (ValidateInTx) and not validated again.
  Result<int64_t> InsertInTx(Tx& tx, const ActivityInput& input, int64_t now);
  // Several at once, in one statement per table whatever their number (a JSON array bound as
  // one parameter, sql::JsonRows), so a bulk write's round trips do not grow with it: their
  // ids, in the inputs' order. Inputs with distinct IATI identifiers
  // share one activities statement; one without an identifier, or repeating one, takes one
  // of its own.
  // `ahead`, when given, is handed each written activity (DocumentsAhead::Add), for ReindexInTx.
  Result<std::vector<int64_t>> InsertManyInTx(Tx& tx, std::span<const ActivityInput* const> inputs,
                                              int64_t now, DocumentsAhead* ahead = nullptr);
  // Replaces every field; keeps the activity's archive state (archived stays archived).
  Status ReplaceInTx(Tx& tx, int64_t id, const ActivityInput& input, int64_t now);
  // Several (id, input) at once, each id once: a dozen statements whatever their number.
  Status ReplaceManyInTx(Tx& tx, std::span<const std::pair<int64_t, const ActivityInput*>> items,
                         int64_t now, DocumentsAhead* ahead = nullptr);
  // The stored activity `id`, archived or not, with no visibility check (the caller decides);
  // nullopt when there is none.
  static Result<std::optional<Activity>> LoadInTx(Tx& tx, int64_t id);
  // The stored activities among `ids` (archived or not, no visibility check), in the order
  // of `ids`; an id with no activity is left out. A fixed number of statements for any number.
  static Result<std::vector<Activity>> LoadManyInTx(Tx& tx, const std::vector<int64_t>& ids);
  // What changed in the activity map after the change log's entry `after_seq`, as the
  // snapshot `tx` reads: for a reader that keeps its own copy of the activities (the coherence
  // engine) and follows the log. A negative `after_seq` (never read) gives `everything`.
  struct Changes {
    int64_t seq = 0;           // the newest entry: pass it as `after_seq` next time
    bool everything = false;   // a bulk write, or the log was pruned past `after_seq`: read all
    std::vector<int64_t> ids;  // else the activities created, edited or archived, ascending, once
  };
  static Result<Changes> ChangesSinceInTx(Tx& tx, int64_t after_seq);
  // Also logs the change for the search catalog; after a bulk write (1,000 or more) merges
  // the full-text index and refreshes the query planner's statistics.
  // `ahead`: the documents built ahead for some of `ids` (StartDocumentsAhead), or null.
  Status ReindexInTx(Tx& tx, const std::vector<int64_t>& ids, DocumentsAhead* ahead = nullptr);
  // For a bulk write about to start (an import): search documents built on another connection
  // while its transaction writes (ActivityTextIndex::StartDocumentsAhead); null on SQLite.
  // Hand it to InsertManyInTx, ReplaceManyInTx and ReindexInTx of that one transaction.
  std::unique_ptr<DocumentsAhead> StartDocumentsAhead() { return index_->StartDocumentsAhead(db_); }
  // Indexes every activity again (after `gmg migrate-data` filled the tables: the search
  // index is each engine's own and is not copied).
  Status RebuildSearchIndexInTx(Tx& tx);
  // The tables RebuildSearchIndexInTx derives from the others (the change log, and on
  // PostgreSQL the search index and its postings, and the catalog snapshot): a copy of an
  // installation skips them.
  static std::set<std::string> DerivedTables() {
    return {"activity_changes", "activity_search", "activity_search_postings",
            "activity_catalog_snapshot"};
  }

 private:
  // The filter as the catalog reads it (its scope as organisations); nullopt when nothing can
  // match.
  static Result<std::optional<ActivityFilter>> ForCatalog(Tx& tx, const ActivityFilter& filter);
  // The ids matching `text`, nullopt when it holds no word.
  Result<std::optional<std::vector<int64_t>>> TextMatches(Tx& tx, const std::string& text);
  // How many activities List would give in all, from the catalog.
  Result<int64_t> CountInCatalog(Tx& tx, const Audience& audience, const ActivityFilter& filter);
  // List's page for the "starts_on" and "-starts_on" sorts, from the catalog.
  Result<ActivityCatalog::Page> PageInCatalog(Tx& tx, const Audience& audience,
                                              const ActivityFilter& filter, int64_t limit,
                                              int64_t offset);
  Result<ActivityMapCounts> CountByCountryInSql(const Principal& viewer,
                                                const ActivityFilter& filter);

  Database& db_;
  // One search word in the index as of change-log seq `postings_seq_`: the activities holding
  // it (ascending) and its weighted occurrences in each; `docs` as the index counted it.
  struct WordPostings {
    double docs = 0;
    bool left_out = false;  // the engine leaves the word out (ActivityTextIndex::LeftOut)
    std::vector<int64_t> ids;
    std::vector<double> freqs;
  };
  // The postings of `word` at change-log seq `seq` (which `tx` reads): kept, or read and kept.
  Result<std::shared_ptr<const WordPostings>> PostingsOf(Tx& tx, int64_t seq,
                                                         const std::string& word);
  std::mutex postings_mu_;
  int64_t postings_seq_ = -1;  // guarded by postings_mu_, as the two below
  std::unordered_map<std::string, std::shared_ptr<const WordPostings>> postings_;
  size_t postings_kept_ = 0;
  std::unique_ptr<ActivityTextIndex> index_;
  ActivityCatalog catalog_;
};

// Seeds the theme taxonomy when the table is empty.
Status SeedThemes(Database& db);
// Whether `actor` may write activities of `organization_id` (AccessPolicy::CheckMayChange).
Status CheckCanWriteActivities(const Principal& actor, const std::string& organization_id);

}  // namespace gmg
