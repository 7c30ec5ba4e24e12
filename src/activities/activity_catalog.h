// ActivityCatalog: what search ranks and counts, held in memory for every activity in the
// full-text index (that is, not archived): organisation, type, status, visibility, themes,
// countries covered, the places as recorded (countries named and regions), whether it is
// global, its period, and its length in tokens.
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
// Filters read posting lists, not every entry: for each organisation, type, status, theme and
// country the ids of the indexed activities carrying it, ascending. A filter's values in one
// facet are united, the facets intersected smallest first, and only the ids left are checked
// against the whole filter and AccessPolicy::MaySee; so a filtered count or page costs what
// its smallest facet holds, not the corpus. Without any filter, counts by visibility (in all,
// by country, and for global activities) answer, plus the viewer's own organisation's
// activities it sees only as their owner (its non-public ids are listed apart).
//
// Snapshot (derived data, never trusted over the database). A large catalog takes seconds to
// read from its tables (1.4 s at 1,000,000 activities), so a whole catalog can be kept in
// `activity_catalog_snapshot` (the `activity_changes` seq it is up to, and the entries as
// bytes, cut at entries into parts of about kSnapshotPartBytes, each part a row with the seq):
// SaveSnapshot() writes it, and a Sync that has to load everything starts from it instead when
// the change log still reaches back to its seq (no bulk write and no pruning since), then
// applies the changes logged after it as usual. Anything else (a newer seq than the log's,
// parts of different seqs or one missing, a format it does not know, a value out of range) and
// it is ignored and the tables are read. The parts are read one at a time, so the bytes pass
// through buffers the driver reuses (fresh memory costs a page fault per 4 KiB: three copies
// of one 21 MB value were half of PostgreSQL's load at 1,000,000 activities). The table is
// rebuildable, copied by no one (ActivityService::DerivedTables), and a writer that changes
// activities without logging them in `activity_changes` must delete it.
//
// Thread-safety: any thread. Sync() locks exclusively only when there is something to apply;
// a Reader holds a shared lock for as long as it lives.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
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

// What the map shows under a filter: the activities naming each country (ISO alpha-2), those
// recorded for each region (UN M49 code, or LDC, LLDC, SIDS), and the global ones. An activity
// counts once in every place it names; one recorded for a region counts under the region, not
// under its countries (the filters still read a region as its countries).
struct ActivityMapCounts {
  std::map<std::string, int64_t> countries;
  std::map<std::string, int64_t> regions;
  int64_t global = 0;
  bool operator==(const ActivityMapCounts&) const = default;
};

class ActivityCatalog {
 public:
  using Visibility = gmg::Visibility;

  static constexpr int32_t kOpen = INT32_MIN;
  // In Entry::places: a region's index into the region codes plus kRegionPlace; below it, a
  // country's index into the country codes.
  static constexpr uint16_t kRegionPlace = 0x8000;

  // One activity's fields, fixed size, no allocation of its own: entries sit in one array
  // (a dense ordinal, the slot), and their themes and countries in one shared array of value
  // indexes (`lists_`, CSR style: an entry's themes at [lists_at, lists_at + themes_n), its
  // countries right after), so that walking the matches of a search reads memory in order.
  // A further per-activity value goes here (a field) or beside the countries (a list).
  struct Entry {
    int64_t id = 0;             // the activity's, once indexed
    uint32_t organization = 0;  // index into the organisation ids
    uint32_t tokens = 0;        // title and body, as the full-text index counts them
    int32_t starts_on = kOpen;  // days since 1970-01-01 (Date::days), kOpen when not given
    int32_t ends_on = kOpen;
    uint32_t lists_at = 0;     // where its themes, then its countries, start in lists_
    uint16_t type = 0;         // index into the type names
    uint16_t themes_n = 0;     // how many themes (indexes into the theme ids)
    uint16_t countries_n = 0;  // how many countries covered (indexes into the country codes)
    // How many places as recorded, for the map (the countries named, the regions: see
    // kRegionPlace), after the countries.
    uint16_t places_n = 0;
    uint8_t status = 0;  // IATI ActivityStatus 1-6
    Visibility visibility = Visibility::kPublic;
    bool indexed = false;  // false: no such activity, or archived
    bool global = false;
  };

  // Facet counts over a set of entries, by value index: Add() is a few increments, no
  // lookup; Named() gives the values' names. Made by Reader::Tally().
  class FacetTally {
   public:
    void Add(const Entry& e) {
      orgs_[e.organization]++;
      types_[e.type]++;
      if (e.status < statuses_.size()) statuses_[e.status]++;
      const uint16_t* v = lists_->data() + e.lists_at;
      for (uint16_t i = 0; i < e.themes_n; ++i) themes_[v[i]]++;
      v += e.themes_n;
      for (uint16_t i = 0; i < e.countries_n; ++i) countries_[v[i]]++;
    }

   private:
    friend class ActivityCatalog;
    const std::vector<uint16_t>* lists_ = nullptr;
    std::vector<uint32_t> orgs_, types_, statuses_, themes_, countries_;
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
    // nullptr when the activity is not in the full-text index. Inline: a search calls it per
    // match.
    const Entry* Find(int64_t id) const { return c_.Indexed(id); }
    // Calls fn(i, entry) for each ids[i] in the full-text index, in order, as Find would find
    // it, but a batch at a time with the memory each entry needs (its slot, the entry, its
    // lists) asked for in stages beforehand, so that the cache misses of a batch overlap: a
    // search's matches are spread over the whole catalog, and at 1,000,000 activities three
    // misses in a row per match were most of a search's time.
    template <typename Fn>
    void ForEachFound(std::span<const int64_t> ids, Fn&& fn) const {
      constexpr size_t kBatch = 64;
      std::array<const Entry*, kBatch> found{};
      for (size_t from = 0; from < ids.size(); from += kBatch) {
        const size_t n = std::min(kBatch, ids.size() - from);
        const std::span<const int64_t> batch = ids.subspan(from, n);
        for (int64_t id : batch) c_.PrefetchSlot(id);
        for (size_t i = 0; i < n; ++i) {
          found[i] = c_.SlotEntry(batch[i]);
          if (found[i] != nullptr) PrefetchEntry(found[i]);
        }
        for (size_t i = 0; i < n; ++i) {
          if (found[i] == nullptr || !found[i]->indexed) continue;
          __builtin_prefetch(c_.lists_.data() + found[i]->lists_at);
        }
        for (size_t i = 0; i < n; ++i) {
          if (found[i] != nullptr && found[i]->indexed) fn(from + i, *found[i]);
        }
      }
    }
    // Activities in the full-text index, and their lengths in tokens added up: the totals
    // BM25 ranks by (the same on both engines, as the lengths are).
    int64_t Count() const { return c_.count_; }
    int64_t TotalTokens() const { return c_.total_tokens_; }
    // AccessPolicy::MaySee, the rule ActivityService's filter and checks apply too.
    bool Visible(const Audience& audience, const Entry& e) const;
    // An entry's themes and countries (value indexes).
    std::span<const uint16_t> Themes(const Entry& e) const { return c_.ThemesOf(e); }
    std::span<const uint16_t> Countries(const Entry& e) const { return c_.CountriesOf(e); }
    // An empty tally for this catalog's values, and the counts it holds, named.
    FacetTally Tally() const;
    FacetCounts Facets(const FacetTally& tally) const;
    // Activities by country named, by region recorded, and global ones, among those
    // `audience` may see that pass `filter`, but for its text and scope: `text_matches`, when
    // given, are the ids that match the text, and the caller turns a scope into
    // organisations. The same answer as the SQL filters give, from memory.
    ActivityMapCounts CountByCountry(const Audience& audience, const ActivityFilter& filter,
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
    // Whether `f` filters nothing but text and visibility (the counts by visibility answer).
    static bool Unfiltered(const ActivityFilter& f);
    // The entries of `audience`'s organisation that it sees only as their owner.
    template <typename Fn>
    void ForEachOwnedOnly(const Audience& audience, Fn fn) const;
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
  // `index` gives the lengths in tokens. `seq`, when given, is set to the newest change
  // `tx` sees (what the full-text index is as of, for a cache of its statistics).
  Status Sync(Tx& tx, const ActivityTextIndex& index, int64_t* seq = nullptr);
  Reader Read() const { return Reader(*this); }
  // The size a snapshot's part reaches before the next one starts (at the next entry).
  static constexpr size_t kSnapshotPartBytes = size_t{1} << 20;
  // Writes the catalog as the snapshot, in parts of `part_bytes` or a little more (a test
  // makes them small), unless the stored one is newer (another instance's: its first part's
  // row, locked by the first write, orders two instances saving at once). Call it after a
  // Sync, in a write transaction.
  Status SaveSnapshot(Tx& tx, size_t part_bytes = kSnapshotPartBytes) const;
  // Whether the last full load read the tables rather than a snapshot (one worth saving).
  bool LoadedFromTables() const {
    std::shared_lock lock(mu_);
    return loaded_ && from_tables_;
  }
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

  std::span<const uint16_t> ThemesOf(const Entry& e) const {
    return {lists_.data() + e.lists_at, e.themes_n};
  }
  std::span<const uint16_t> CountriesOf(const Entry& e) const {
    return {lists_.data() + e.lists_at + e.themes_n, e.countries_n};
  }
  std::span<const uint16_t> PlacesOf(const Entry& e) const {
    return {lists_.data() + e.lists_at + e.themes_n + e.countries_n, e.places_n};
  }
  // Everything from the tables (Reset first).
  Status LoadAll(Tx& tx, const ActivityTextIndex& index, int64_t newest);
  // Everything from the snapshot when it is usable (its seq in [oldest - 1, newest]): true
  // then, and seq_ is its seq; false (and the catalog empty) when there is none to use.
  Result<bool> Restore(Tx& tx, int64_t oldest, int64_t newest);
  // The snapshot's bytes cut into parts at entries, each (but the last) `part_bytes` or a
  // little more; joined, they are the snapshot in one part.
  std::vector<std::string> Serialize(size_t part_bytes) const;
  // Where decoding a snapshot part by part stands.
  struct DecodeState {
    size_t total_bytes = 0;  // of all its parts (bounds the ids and what is reserved)
    bool header = false;     // read (it opens the first part)
    uint64_t entries_left = 0;
    int64_t id = 0;  // the last entry's
  };
  // Decodes the next part into this (empty) catalog: false when it is not one, or holds an
  // entry cut short or a byte beyond its last entry. The snapshot is whole once every part is
  // decoded and `state.entries_left` is 0.
  bool DecodePart(std::string_view bytes, DecodeState& state);
  // A snapshot in one part.
  bool Deserialize(std::string_view bytes);

 public:
  // Whether `bytes` is a snapshot this catalog can read: Deserialize into a fresh catalog
  // (what Restore does with bytes read back from the database; for the fuzz target). When
  // true, `*seq` is its seq and `*count` its indexed activities.
  static bool DecodeSnapshot(std::string_view bytes, int64_t* seq, int64_t* count);
  // The snapshot of a catalog holding what `Serialize` would write (for the fuzz target and
  // the tests: an encode, decode, encode round trip gives the same bytes).
  static std::string ReencodeSnapshot(std::string_view bytes);
  // A catalog loaded from snapshot bytes alone (no database: for benchmarks and tests), or
  // nullptr when they do not decode. Sync on it would reload from the tables.
  static std::unique_ptr<ActivityCatalog> FromSnapshot(std::string_view bytes);

 private:
  // Loads the activities in `ids_json` (a JSON array), or all when it is empty.
  Status Load(Tx& tx, const ActivityTextIndex& index, const std::string& ids_json);
  // The places as recorded of the activities Load reads (`only`: its id condition on `p`),
  // added to `places` by slot.
  Status LoadPlaces(Tx& tx, const std::string& only, const SqlParams& p,
                    std::vector<std::pair<uint32_t, uint16_t>>* places);
  // The entry of `id` when it is indexed, else nullptr.
  const Entry* Indexed(int64_t id) const {
    const Entry* e = SlotEntry(id);
    return e != nullptr && e->indexed ? e : nullptr;
  }
  // The entry in id's slot (indexed or not), nullptr for none.
  const Entry* SlotEntry(int64_t id) const {
    if (id < 0 || static_cast<uint64_t>(id) >= slot_by_id_.size()) return nullptr;
    const uint32_t slot = slot_by_id_[static_cast<size_t>(id)];
    return slot == 0 ? nullptr : &entries_[slot - 1];
  }
  void PrefetchSlot(int64_t id) const {
    if (id >= 0 && static_cast<uint64_t>(id) < slot_by_id_.size()) {
      __builtin_prefetch(slot_by_id_.data() + id);
    }
  }
  // Both ends of an entry (one may lie across two cache lines).
  static void PrefetchEntry(const Entry* e) {
    __builtin_prefetch(e);
    __builtin_prefetch(reinterpret_cast<const char*>(e) + sizeof(Entry) - 1);
  }
  // The slot (index into entries_) of an entry of this catalog.
  uint32_t SlotOf(const Entry& e) const { return static_cast<uint32_t>(&e - entries_.data()); }
  // The entry of `id`, made when missing; nullptr for an id beyond kMaxId.
  Entry* Slot(int64_t id);
  // Empties the entry of `id` (no longer indexed), keeping the totals.
  void Clear(int64_t id);
  // Gives the entries at `slots` (ascending) their themes and countries: (slot, value index)
  // pairs, in any order. Their old lists become garbage; compacts lists_ when half is.
  using SlotValues = std::vector<std::pair<uint32_t, uint16_t>>;
  void SetLists(const std::vector<uint32_t>& slots, SlotValues themes, SlotValues countries,
                SlotValues places);
  void CompactLists();
  void Reset();
  // Adds the indexed entry `e` to, or removes it from, the posting lists and the counts.
  void Post(const Entry& e);
  void Unpost(const Entry& e);
  // Adds `by` (1 or -1) to the counts by visibility `e` is in.
  void Count(const Entry& e, int64_t by);
  // Calls fn(kind, lists, at) for each posting list `e` belongs in: lists[at], lists being
  // postings_'s kind number `kind` (< kPostingKinds).
  static constexpr size_t kPostingKinds = 6;
  template <typename Fn>
  void ForEachList(const Entry& e, Fn fn) {
    PostingLists& pl = postings_;
    fn(0, pl.organizations, e.organization);
    fn(1, pl.types, e.type);
    fn(2, pl.statuses, e.status);
    for (uint16_t t : ThemesOf(e)) fn(3, pl.themes, t);
    for (uint16_t c : CountriesOf(e)) fn(4, pl.countries, c);
    if (e.visibility != Visibility::kPublic) fn(5, pl.restricted, e.organization);
  }
  // Makes the posting lists and counts anew from the entries.
  void RebuildPostings();

  // Ids ascending (ids are below kMaxId = 2^28).
  using Postings = std::vector<uint32_t>;
  // Indexed by the value's index (status: its code).
  struct PostingLists {
    std::vector<Postings> organizations, types, statuses, themes, countries;
    // Per organisation, its indexed activities that are not public.
    std::vector<Postings> restricted;
    // Indexed entries by visibility; by visibility and country named (or region recorded);
    // global ones by visibility.
    std::array<int64_t, 3> by_visibility{};
    std::array<std::vector<int64_t>, 3> countries_by_visibility;
    std::array<std::vector<int64_t>, 3> regions_by_visibility;
    std::array<int64_t, 3> global_by_visibility{};
  };

  mutable std::shared_mutex mu_;
  bool loaded_ = false;
  bool from_tables_ = false;
  int64_t seq_ = 0;  // the newest activity_changes entry applied
  // Entries packed (a cleared one is reused), found through slot_by_id_[id] - 1: 4 bytes per
  // id ever handed out, so ids with gaps (PostgreSQL identities skip the values of rolled
  // back inserts, e.g. dry-run imports) cost little; the entries follow the live activities.
  std::vector<uint32_t> slot_by_id_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> free_slots_;
  // The entries' themes and countries (see Entry), and how many of them no entry refers to.
  std::vector<uint16_t> lists_;
  size_t lists_garbage_ = 0;
  int64_t count_ = 0;         // indexed entries
  int64_t total_tokens_ = 0;  // their tokens
  Names organizations_, types_, themes_, countries_, regions_;
  PostingLists postings_;
};

}  // namespace gmg
