// ActivityCatalog: what search ranks and counts, held in memory for every activity in the
// full-text index (that is, not archived): organisation, type, status, visibility, themes,
// countries covered, whether it is global, its period, and its length in tokens.
//
// Search ranks every match and counts facets over all of them, and the map counts activities
// by country under any filter. Reading these per activity from the database cost about 2 µs
// each (4 ms for a 2,000-match search, 100 ms for the unfiltered map at 100,000 activities);
// the catalog answers in nanoseconds. It follows the database through the `activity_changes`
// log, which ActivityService::ReindexInTx appends to in every transaction that writes
// activities: Sync() applies what changed since it last looked, or reloads everything after a
// bulk write. So a write from another process (`gmg import iati` beside a running server) is
// seen by the next search, and the database stays the only truth.
//
// Thread-safety: any thread. Sync() locks exclusively only when there is something to apply;
// a Reader holds a shared lock for as long as it lives.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "activities/activity.h"
#include "activities/activity_text_index.h"
#include "core/principal.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

class ActivityCatalog {
 public:
  using Visibility = gmg::Visibility;

  static constexpr int32_t kOpen = INT32_MIN;

  struct Entry {
    bool indexed = false;  // false: no such activity, or archived
    int64_t id = 0;        // the activity's, once indexed
    Visibility visibility = Visibility::kPublic;
    uint8_t status = 0;         // IATI ActivityStatus 1-6
    uint16_t type = 0;          // index into the type names
    uint32_t organization = 0;  // index into the organisation ids
    uint32_t tokens = 0;        // title and body, as the full-text index counts them
    bool global = false;
    int32_t starts_on = kOpen;  // days since 1970-01-01 (Date::days), kOpen when not given
    int32_t ends_on = kOpen;
    std::vector<uint16_t> themes;     // indexes into the theme ids
    std::vector<uint16_t> countries;  // indexes into the country codes
  };

  // A list page: the ids on it, in order, and how many activities pass in all.
  struct Page {
    std::vector<int64_t> ids;
    int64_t total = 0;
  };

  // Facet name ("organization", "type", "status", "theme", "country") → value → count.
  using FacetCounts = std::map<std::string, std::map<std::string, int64_t>>;

  // A consistent view; holds the catalog's shared lock.
  class Reader {
   public:
    // nullptr when the activity is not in the full-text index.
    const Entry* Find(int64_t id) const;
    // Activities in the full-text index, and their lengths in tokens added up: the totals
    // BM25 ranks by (the same on both engines, as the lengths are).
    int64_t Count() const { return c_.count_; }
    int64_t TotalTokens() const { return c_.total_tokens_; }
    // AccessPolicy::MaySee, the rule ActivityService's filter and checks apply too.
    bool Visible(const Audience& audience, const Entry& e) const;
    FacetCounts Facets(const std::vector<const Entry*>& entries) const;
    // Activities by country covered, and global ones under "001", among those `audience` may
    // see that pass `filter`, but for its text and scope: `text_matches`, when given, are the
    // ids that match the text, and the caller turns a scope into organisations. The same
    // answer as the SQL filters give, from memory.
    std::map<std::string, int64_t> CountByCountry(const Audience& audience,
                                                  const ActivityFilter& filter,
                                                  const std::vector<int64_t>* text_matches) const;
    // How many activities pass, as CountByCountry reads them: a list's total from memory.
    int64_t Count(const Audience& audience, const ActivityFilter& filter,
                  const std::vector<int64_t>* text_matches) const;

    // The page [offset, offset + limit) of the activities Count counts, ordered by start
    // (oldest first, or newest first), then id (in the same direction), open starts last:
    // the order of ActivityService's "starts_on" and "-starts_on" sorts, without reading
    // the rows (PostgreSQL cannot estimate the filters' JSON lists and walked thousands).
    Page ByStart(const Audience& audience, const ActivityFilter& filter,
                 const std::vector<int64_t>* text_matches, bool newest_first, int64_t limit,
                 int64_t offset) const;

   private:
    friend class ActivityCatalog;
    void ForEachPassing(const Audience& audience, const ActivityFilter& filter,
                        const std::vector<int64_t>* text_matches,
                        const std::function<void(const Entry&)>& fn) const;
    explicit Reader(const ActivityCatalog& c) : c_(c), lock_(c.mu_) {}
    const ActivityCatalog& c_;
    std::shared_lock<std::shared_mutex> lock_;
  };

  ActivityCatalog() = default;
  ActivityCatalog(const ActivityCatalog&) = delete;
  ActivityCatalog& operator=(const ActivityCatalog&) = delete;

  // Brings the catalog up to the snapshot `tx` reads (call it inside the transaction whose
  // full-text matches it will be asked about). Errors are the database's.
  // `index` gives the lengths in tokens.
  Status Sync(Tx& tx, const ActivityTextIndex& index);
  Reader Read() const { return Reader(*this); }
  // Whether a Sync has loaded it (since then Sync only applies changes, but after a bulk
  // write, which reloads).
  bool Loaded() const {
    std::shared_lock lock(mu_);
    return loaded_;
  }

 private:
  // Interned strings: a facet value is stored once and referred to by index.
  struct Names {
    // Looked up by string_view: no allocation per row read.
    struct Hash {
      using is_transparent = void;
      size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> index;
    std::vector<std::string> names;
    uint32_t Intern(std::string_view name);
  };

  // Loads the activities in `ids_json` (a JSON array), or all when it is empty.
  Status Load(Tx& tx, const ActivityTextIndex& index, const std::string& ids_json);
  // The entry of `id`, made when missing; nullptr for an id beyond kMaxId.
  Entry* Slot(int64_t id);
  // Empties the entry of `id` (no longer indexed), keeping the totals.
  void Clear(int64_t id);
  void Reset();

  mutable std::shared_mutex mu_;
  bool loaded_ = false;
  int64_t seq_ = 0;  // the newest activity_changes entry applied
  // Entries packed (a cleared one is reused), found through slot_by_id_[id] - 1: 4 bytes per
  // id ever handed out, so ids with gaps (PostgreSQL identities skip the values of rolled
  // back inserts, e.g. dry-run imports) cost little; the entries follow the live activities.
  std::vector<uint32_t> slot_by_id_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> free_slots_;
  int64_t count_ = 0;         // indexed entries
  int64_t total_tokens_ = 0;  // their tokens
  Names organizations_, types_, themes_, countries_;
};

}  // namespace gmg
