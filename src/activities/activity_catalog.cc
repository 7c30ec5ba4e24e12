#include "activities/activity_catalog.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <functional>
#include <mutex>
#include <tuple>

#include "core/codelists.h"
#include "core/date.h"
#include "core/huge_pages.h"
#include "core/text.h"
#include "store/sql.h"

namespace gmg {
namespace {

// Beyond this many changed activities a full reload is cheaper than one by one.
constexpr size_t kMaxIncremental = 5000;
// Ids are handed out in order (SQLite rowids, PostgreSQL identities), so a table of slots
// indexed by id is dense enough: at most 4 bytes × kMaxId (1 GiB). A larger id would mean
// rows inserted with chosen ids or 268 million ids skipped: refuse rather than allocate.
constexpr int64_t kMaxId = int64_t{1} << 28;

// Beyond this many changed activities the posting lists are made anew rather than edited.
constexpr size_t kMaxPostedOneByOne = 64;

int32_t Days(std::string_view date) {
  auto d = Date::Parse(date);
  return d ? d->days() : ActivityCatalog::kOpen;
}

// lists[at], made when missing.
template <typename T>
T& At(std::vector<T>& lists, size_t at) {
  if (at >= lists.size()) lists.resize(at + 1);
  return lists[at];
}

// Adds `id` to the ascending `list` (appending when it is the largest, as in a full load).
void Insert(std::vector<uint32_t>& list, uint32_t id) {
  if (list.empty() || list.back() < id) {
    list.push_back(id);
    return;
  }
  auto it = std::lower_bound(list.begin(), list.end(), id);
  if (*it != id) list.insert(it, id);
}

void Erase(std::vector<std::vector<uint32_t>>& lists, size_t at, uint32_t id) {
  if (at >= lists.size()) return;
  auto& list = lists[at];
  auto it = std::lower_bound(list.begin(), list.end(), id);
  if (it != list.end() && *it == id) list.erase(it);
}

// The ids in both ascending lists; `small` is the shorter. Binary search from where the last
// one was found when `large` is much longer, else a merge.
std::vector<uint32_t> Intersect(const std::vector<uint32_t>& small,
                                const std::vector<uint32_t>& large) {
  std::vector<uint32_t> out;
  if (large.size() / 16 > small.size()) {
    auto from = large.begin();
    for (uint32_t id : small) {
      from = std::lower_bound(from, large.end(), id);
      if (from == large.end()) break;
      if (*from == id) out.push_back(id);
    }
  } else {
    std::set_intersection(small.begin(), small.end(), large.begin(), large.end(),
                          std::back_inserter(out));
  }
  return out;
}

}  // namespace

uint32_t ActivityCatalog::Names::Intern(std::string_view name) {
  if (auto it = index.find(name); it != index.end()) return it->second;
  auto id = static_cast<uint32_t>(names.size());
  names.emplace_back(name);
  index.emplace(names.back(), id);
  return id;
}

bool ActivityCatalog::Reader::Visible(const Audience& audience, const Entry& e) const {
  return AccessPolicy::MaySee(audience, e.visibility, c_.organizations_.names[e.organization]);
}

ActivityCatalog::FacetTally ActivityCatalog::Reader::Tally() const {
  FacetTally t;
  t.lists_ = &c_.lists_;
  t.orgs_.assign(c_.organizations_.names.size(), 0);
  t.types_.assign(c_.types_.names.size(), 0);
  t.statuses_.assign(7, 0);
  t.themes_.assign(c_.themes_.names.size(), 0);
  t.countries_.assign(c_.countries_.names.size(), 0);
  return t;
}

ActivityCatalog::FacetCounts ActivityCatalog::Reader::Facets(const FacetTally& tally) const {
  // Counted by index (no string work per match); only the values that occur are named.
  FacetCounts out;
  auto name = [&](const char* facet, const std::vector<uint32_t>& counts, const Names& names) {
    auto& m = out[facet];
    for (size_t i = 0; i < counts.size() && i < names.names.size(); ++i) {
      if (counts[i] > 0) m[names.names[i]] = counts[i];
    }
  };
  name("organization", tally.orgs_, c_.organizations_);
  name("type", tally.types_, c_.types_);
  name("theme", tally.themes_, c_.themes_);
  name("country", tally.countries_, c_.countries_);
  auto& status = out["status"];
  for (size_t s = 0; s < tally.statuses_.size(); ++s) {
    if (tally.statuses_[s] > 0) status[std::to_string(s)] = tally.statuses_[s];
  }
  return out;
}

void ActivityCatalog::Reader::ForEachPassing(const Audience& audience, const ActivityFilter& f,
                                             const std::vector<int64_t>* text_matches,
                                             const std::function<void(const Entry&)>& fn) const {
  // The filter's values as indexes; a value nothing carries matches nothing.
  auto indexes = [](const Names& names, const auto& values) {
    std::vector<uint32_t> out;
    for (const auto& v : values) {
      if (auto it = names.index.find(v); it != names.index.end()) out.push_back(it->second);
    }
    return out;
  };
  std::vector<uint32_t> orgs = indexes(c_.organizations_, f.organizations);
  std::vector<uint32_t> types = indexes(c_.types_, f.types);
  std::vector<uint32_t> themes = indexes(c_.themes_, f.themes);
  std::vector<bool> places;  // by country index: covered by the country and region filters
  if (!f.countries.empty() || !f.regions.empty()) {
    places.assign(c_.countries_.names.size(), false);
    auto mark = [&](const std::string& code) {
      if (auto it = c_.countries_.index.find(code); it != c_.countries_.index.end())
        places[it->second] = true;
    };
    for (const auto& c : f.countries) mark(c);
    for (const auto& r : f.regions) {
      if (const RegionRecord* region = FindRegion(r)) {
        for (const auto& c : region->countries) mark(c);
      }
    }
  }
  bool any_place = std::find(places.begin(), places.end(), true) != places.end();
  int32_t from = f.from ? f.from->days() : kOpen;
  int32_t to = f.to ? f.to->days() : kOpen;
  auto in = [](const std::vector<uint32_t>& list, uint32_t v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  };
  auto passes = [&](const Entry& e) {
    if (!e.indexed || !Visible(audience, e)) return false;
    if (!f.organizations.empty() && !in(orgs, e.organization)) return false;
    if (!f.types.empty() && !in(types, e.type)) return false;
    if (!f.statuses.empty() &&
        std::find(f.statuses.begin(), f.statuses.end(), e.status) == f.statuses.end())
      return false;
    if (!f.themes.empty() && std::none_of(Themes(e).begin(), Themes(e).end(),
                                          [&](uint16_t t) { return in(themes, t); })) {
      return false;
    }
    if (!places.empty() && (!any_place || std::none_of(Countries(e).begin(), Countries(e).end(),
                                                       [&](uint16_t c) { return places[c]; }))) {
      return false;
    }
    if (from != kOpen && e.ends_on != kOpen && e.ends_on < from) return false;
    if (to != kOpen && e.starts_on != kOpen && e.starts_on > to) return false;
    return true;
  };
  if (text_matches) {
    for (int64_t id : *text_matches) {
      if (const Entry* e = Find(id); e != nullptr && passes(*e)) fn(*e);
    }
    return;
  }
  // The posting lists of each facet filtered (several values united), shortest first.
  const PostingLists& pl = c_.postings_;
  static const Postings kNone;
  std::vector<std::vector<const Postings*>> facets;
  auto facet = [&](const std::vector<std::vector<uint32_t>>& lists, const auto& indexes) {
    std::vector<const Postings*>& out = facets.emplace_back();
    for (auto i : indexes)
      out.push_back(static_cast<size_t>(i) < lists.size() ? &lists[i] : &kNone);
  };
  if (!f.organizations.empty()) facet(pl.organizations, orgs);
  if (!f.types.empty()) facet(pl.types, types);
  if (!f.statuses.empty()) {
    std::vector<size_t> statuses;
    for (int st : f.statuses) {
      if (st >= 0 && static_cast<size_t>(st) < pl.statuses.size()) statuses.push_back(st);
    }
    std::sort(statuses.begin(), statuses.end());
    statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());
    facet(pl.statuses, statuses);
  }
  if (!f.themes.empty()) facet(pl.themes, themes);
  if (!places.empty()) {
    std::vector<size_t> covered;
    for (size_t i = 0; i < places.size(); ++i) {
      if (places[i]) covered.push_back(i);
    }
    facet(pl.countries, covered);
  }
  if (facets.empty()) {
    for (const Entry& e : c_.entries_) {
      if (passes(e)) fn(e);
    }
    return;
  }
  std::vector<Postings> unions;
  unions.reserve(facets.size());
  std::vector<const Postings*> lists;
  for (const auto& values : facets) {
    if (values.empty()) return;  // no value of this facet occurs: nothing passes
    if (values.size() == 1) {
      lists.push_back(values.front());
      continue;
    }
    Postings& u = unions.emplace_back();
    for (const Postings* v : values) u.insert(u.end(), v->begin(), v->end());
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    lists.push_back(&u);
  }
  std::sort(lists.begin(), lists.end(),
            [](const Postings* a, const Postings* b) { return a->size() < b->size(); });
  const Postings* candidates = lists.front();
  Postings narrowed;
  for (size_t i = 1; i < lists.size() && !candidates->empty(); ++i) {
    narrowed = Intersect(*candidates, *lists[i]);
    candidates = &narrowed;
  }
  for (uint32_t id : *candidates) {
    if (const Entry* e = Find(id); e != nullptr && passes(*e)) fn(*e);
  }
}

bool ActivityCatalog::Reader::Unfiltered(const ActivityFilter& f) {
  return f.organizations.empty() && f.types.empty() && f.statuses.empty() && f.themes.empty() &&
         f.countries.empty() && f.regions.empty() && !f.from && !f.to;
}

template <typename Fn>
void ActivityCatalog::Reader::ForEachOwnedOnly(const Audience& audience, Fn fn) const {
  if (audience.organization_id.empty()) return;
  auto org = c_.organizations_.index.find(audience.organization_id);
  if (org == c_.organizations_.index.end() || org->second >= c_.postings_.restricted.size()) return;
  for (uint32_t id : c_.postings_.restricted[org->second]) {
    const Entry* e = Find(id);
    if (e != nullptr && !AccessPolicy::SeesLevel(audience, e->visibility)) fn(*e);
  }
}

int64_t ActivityCatalog::Reader::Count(const Audience& audience, const ActivityFilter& filter,
                                       const std::vector<int64_t>* text_matches) const {
  int64_t n = 0;
  if (text_matches == nullptr && Unfiltered(filter)) {
    for (Visibility v : kAllVisibilities) {
      if (AccessPolicy::SeesLevel(audience, v))
        n += c_.postings_.by_visibility[static_cast<size_t>(v)];
    }
    ForEachOwnedOnly(audience, [&](const Entry&) { ++n; });
    return n;
  }
  ForEachPassing(audience, filter, text_matches, [&](const Entry&) { ++n; });
  return n;
}

ActivityCatalog::Page ActivityCatalog::Reader::ByStart(const Audience& audience,
                                                       const ActivityFilter& filter,
                                                       const std::vector<int64_t>* text_matches,
                                                       bool newest_first, int64_t limit,
                                                       int64_t offset) const {
  // (start, id) of every passing activity; an open start sorts last either way.
  std::vector<std::pair<int64_t, int64_t>> keys;
  ForEachPassing(audience, filter, text_matches, [&](const Entry& e) {
    int64_t start = e.starts_on == kOpen ? INT64_MAX : int64_t{newest_first ? -1 : 1} * e.starts_on;
    keys.emplace_back(start, newest_first ? -e.id : e.id);
  });
  Page page;
  page.total = static_cast<int64_t>(keys.size());
  auto end = static_cast<size_t>(std::min<int64_t>(offset + limit, page.total));
  auto begin = static_cast<size_t>(std::min<int64_t>(offset, page.total));
  std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(end), keys.end());
  for (size_t i = begin; i < end; ++i)
    page.ids.push_back(newest_first ? -keys[i].second : keys[i].second);
  return page;
}

ActivityMapCounts ActivityCatalog::Reader::CountByCountry(
    const Audience& audience, const ActivityFilter& f,
    const std::vector<int64_t>* text_matches) const {
  // By the places as recorded, not the countries covered: a region's activities are listed
  // beside the map, not shaded in each of its countries.
  std::vector<int64_t> countries(c_.countries_.names.size());
  std::vector<int64_t> regions(c_.regions_.names.size());
  ActivityMapCounts out;
  auto add = [&](const Entry& e) {
    for (uint16_t p : c_.PlacesOf(e)) {
      if (p >= kRegionPlace) {
        regions[p - kRegionPlace]++;
      } else {
        countries[p]++;
      }
    }
    if (e.global) ++out.global;
  };
  if (text_matches == nullptr && Unfiltered(f)) {
    auto add_up = [](std::vector<int64_t>& to, const std::vector<int64_t>& from) {
      for (size_t i = 0; i < from.size() && i < to.size(); ++i) to[i] += from[i];
    };
    for (Visibility v : kAllVisibilities) {
      if (!AccessPolicy::SeesLevel(audience, v)) continue;
      add_up(countries, c_.postings_.countries_by_visibility[static_cast<size_t>(v)]);
      add_up(regions, c_.postings_.regions_by_visibility[static_cast<size_t>(v)]);
      out.global += c_.postings_.global_by_visibility[static_cast<size_t>(v)];
    }
    ForEachOwnedOnly(audience, add);
  } else {
    ForEachPassing(audience, f, text_matches, add);
  }
  for (size_t i = 0; i < countries.size(); ++i) {
    if (countries[i] > 0) out.countries[c_.countries_.names[i]] = countries[i];
  }
  for (size_t i = 0; i < regions.size(); ++i) {
    if (regions[i] > 0) out.regions[c_.regions_.names[i]] = regions[i];
  }
  return out;
}

Status ActivityCatalog::Sync(Tx& tx, const ActivityTextIndex& index, int64_t* seq) {
  GMG_ASSIGN_OR_RETURN(auto bounds, tx.QueryOne("SELECT (SELECT min(seq) FROM activity_changes), "
                                                "(SELECT max(seq) FROM activity_changes)"));
  int64_t oldest = bounds->Int(0);
  int64_t newest = bounds->Int(1);
  if (seq != nullptr) *seq = newest;
  {
    std::shared_lock lock(mu_);
    // Up to date, or another thread already applied a newer snapshot: what it holds was
    // committed, and each activity's entry is whole.
    if (loaded_ && seq_ >= newest) return Ok();
  }
  std::unique_lock lock(mu_);
  if (loaded_ && seq_ >= newest) return Ok();
  if (!loaded_ || seq_ + 1 < oldest) {  // never loaded, or the log was pruned past us
    Reset();
    loaded_ = false;
    GMG_ASSIGN_OR_RETURN(bool restored, Restore(tx, oldest, newest));
    if (!restored) return LoadAll(tx, index, newest);
    if (seq_ >= newest) return Ok();
  }
  std::vector<int64_t> ids;
  GMG_ASSIGN_OR_RETURN(
      auto changes, tx.Query("SELECT activity_id FROM activity_changes WHERE seq > ? AND seq <= ?",
                             {seq_, newest}));
  for (const Row& r : changes) {
    if (r.IsNull(0) || ids.size() >= kMaxIncremental) return LoadAll(tx, index, newest);
    ids.push_back(r.Int(0));
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const bool one_by_one = ids.size() <= kMaxPostedOneByOne;
  boost::json::array json;
  for (int64_t id : ids) {
    json.push_back(id);
    if (const Entry* e = Indexed(id); e != nullptr && one_by_one) Unpost(*e);
    Clear(id);
  }
  // A failed load leaves the catalog unloaded: the next Sync loads it whole.
  loaded_ = false;
  GMG_RETURN_IF_ERROR(Load(tx, index, boost::json::serialize(json)));
  if (one_by_one) {
    for (int64_t id : ids) {
      if (const Entry* e = Indexed(id)) Post(*e);
    }
  } else {
    RebuildPostings();
  }
  seq_ = newest;
  loaded_ = true;
  return Ok();
}

Status ActivityCatalog::LoadAll(Tx& tx, const ActivityTextIndex& index, int64_t newest) {
  Reset();
  loaded_ = false;
  GMG_RETURN_IF_ERROR(Load(tx, index, ""));
  RebuildPostings();
  seq_ = newest;
  loaded_ = true;
  from_tables_ = true;
  return Ok();
}

Result<bool> ActivityCatalog::Restore(Tx& tx, int64_t oldest, int64_t newest) {
  // A whole snapshot: parts 1 to n, all of one seq, that seq one the log reaches.
  GMG_ASSIGN_OR_RETURN(auto head, tx.QueryOne("SELECT count(*), min(seq), max(seq), max(part), "
                                              "sum(length(data)) FROM activity_catalog_snapshot"));
  const int64_t parts = head ? head->Int(0) : 0;
  const int64_t seq = parts > 0 ? head->Int(1) : 0;
  if (parts == 0 || head->Int(2) != seq || head->Int(3) != parts || seq < oldest - 1 ||
      seq > newest || head->Int(4) <= 0) {
    return false;
  }
  // The snapshot's names are numbered from zero.
  for (Names* names : {&organizations_, &types_, &themes_, &countries_, &regions_}) {
    *names = Names{};
  }
  DecodeState state{.total_bytes = static_cast<size_t>(head->Int(4))};
  bool decoded = true;
  for (int64_t part = 1; part <= parts && decoded; ++part) {
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT data FROM activity_catalog_snapshot WHERE part = ?", {part}));
    decoded = row && DecodePart(row->Bytes(0), state);
  }
  if (!decoded || state.entries_left != 0 || seq_ != seq) {
    Reset();
    return false;
  }
  RebuildPostings();
  loaded_ = true;
  from_tables_ = false;
  return true;
}

Status ActivityCatalog::SaveSnapshot(Tx& tx, size_t part_bytes) const {
  std::vector<std::string> parts;
  int64_t seq = 0;
  {
    std::shared_lock lock(mu_);
    if (!loaded_) return Ok();
    parts = Serialize(part_bytes);
    seq = seq_;
  }
  // Parameters are text: SQLite keeps the bytes as a blob, PostgreSQL receives them as hex.
  const bool postgres = tx.Dialect() == Dialect::kPostgres;
  const std::string upsert =
      std::string("INSERT INTO activity_catalog_snapshot (part, seq, data) VALUES (?, ?, ") +
      (postgres ? "decode(?, 'hex')" : "CAST(? AS BLOB)") +
      ") ON CONFLICT (part) DO UPDATE SET seq = excluded.seq, data = excluded.data "
      "WHERE activity_catalog_snapshot.seq <= excluded.seq";
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string bytes = postgres ? HexOf(parts[i]) : std::move(parts[i]);
    GMG_ASSIGN_OR_RETURN(int64_t changed,
                         tx.Exec(upsert, {static_cast<int64_t>(i + 1), seq, std::move(bytes)}));
    if (i == 0 && changed == 0) return Ok();  // a newer snapshot is stored
  }
  GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM activity_catalog_snapshot WHERE part > ?",
                              {static_cast<int64_t>(parts.size())}));
  return Ok();
}

namespace {

// The snapshot's bytes: a format tag, then unsigned LEB128 numbers throughout. Version 2 adds
// the region codes and each entry's places; a snapshot of version 1 is ignored (the tables are
// read and the next save writes version 2).
constexpr std::string_view kSnapshotFormat = "gmg-activity-catalog-2\n";

void PutNumber(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// A day as a number: 0 for an open date.
uint64_t DayNumber(int32_t day) {
  if (day == ActivityCatalog::kOpen) return 0;
  auto zigzag = static_cast<uint64_t>((static_cast<int64_t>(day) << 1) ^ (day < 0 ? -1 : 0));
  return zigzag + 1;
}

class SnapshotReader {
 public:
  explicit SnapshotReader(std::string_view bytes) : p_(bytes.data()), end_(p_ + bytes.size()) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return p_ == end_; }
  uint64_t Number() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) break;
      auto b = static_cast<unsigned char>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    ok_ = false;
    return 0;
  }
  // A number below `limit`.
  uint64_t Below(uint64_t limit) {
    uint64_t v = Number();
    if (v >= limit) ok_ = false;
    return ok_ ? v : 0;
  }
  int32_t Day() {
    uint64_t v = Number();
    if (v == 0) return ActivityCatalog::kOpen;
    uint64_t z = v - 1;
    auto day = static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
    if (day < INT32_MIN + 1 || day > INT32_MAX) ok_ = false;
    return static_cast<int32_t>(day);
  }
  std::string_view Bytes(uint64_t n) {
    if (n > static_cast<uint64_t>(end_ - p_)) {
      ok_ = false;
      return {};
    }
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

}  // namespace

std::vector<std::string> ActivityCatalog::Serialize(size_t part_bytes) const {
  std::vector<std::string> parts(1, std::string(kSnapshotFormat));
  std::string* out = &parts.back();
  out->reserve(std::min(static_cast<size_t>(count_) * 24, part_bytes) + 4096);
  PutNumber(*out, static_cast<uint64_t>(seq_));
  for (const Names* names : {&organizations_, &types_, &themes_, &countries_, &regions_}) {
    PutNumber(*out, names->names.size());
    for (const std::string& n : names->names) {
      PutNumber(*out, n.size());
      *out += n;
    }
  }
  PutNumber(*out, static_cast<uint64_t>(count_));
  int64_t previous = 0;
  for (size_t id = 0; id < slot_by_id_.size(); ++id) {  // ascending ids: small differences
    const Entry* e = Indexed(static_cast<int64_t>(id));
    if (e == nullptr) continue;
    if (out->size() >= part_bytes) {
      parts.emplace_back();
      out = &parts.back();
      out->reserve(part_bytes + 4096);
    }
    PutNumber(*out, static_cast<uint64_t>(e->id - previous));
    previous = e->id;
    PutNumber(*out, e->organization);
    PutNumber(*out, e->type);
    PutNumber(*out, e->status);
    PutNumber(*out, static_cast<uint64_t>(e->visibility) * 2 + (e->global ? 1 : 0));
    PutNumber(*out, e->tokens);
    PutNumber(*out, DayNumber(e->starts_on));
    PutNumber(*out, DayNumber(e->ends_on));
    PutNumber(*out, e->themes_n);
    for (uint16_t t : ThemesOf(*e)) PutNumber(*out, t);
    PutNumber(*out, e->countries_n);
    for (uint16_t c : CountriesOf(*e)) PutNumber(*out, c);
    PutNumber(*out, e->places_n);
    for (uint16_t p : PlacesOf(*e)) PutNumber(*out, p);
  }
  return parts;
}

bool ActivityCatalog::Deserialize(std::string_view bytes) {
  DecodeState state{.total_bytes = bytes.size()};
  return DecodePart(bytes, state) && state.entries_left == 0;
}

bool ActivityCatalog::DecodePart(std::string_view bytes, DecodeState& state) {
  if (!state.header && !bytes.starts_with(kSnapshotFormat)) return false;
  SnapshotReader in(state.header ? bytes : bytes.substr(kSnapshotFormat.size()));
  // Ids below 64 per byte of the snapshot (4 bytes of slot table each): a few bytes cannot
  // make it allocate a gigabyte. A real one is far within (about 18 bytes per activity); one
  // beyond (a small catalog after a gap of millions of ids) is ignored and the tables read.
  const int64_t max_id = static_cast<int64_t>(std::min<uint64_t>(
      kMaxId, std::max<uint64_t>(uint64_t{1} << 16, 64 * uint64_t{state.total_bytes})));
  if (!state.header) {
    seq_ = static_cast<int64_t>(in.Below(uint64_t{1} << 62));
    for (Names* names : {&organizations_, &types_, &themes_, &countries_, &regions_}) {
      uint64_t n = in.Below(uint64_t{1} << 20);
      for (uint64_t i = 0; i < n && in.ok(); ++i) {
        std::string_view name = in.Bytes(in.Number());
        // Each name once, in index order.
        if (in.ok() && names->Intern(name) != i) return false;
      }
    }
    state.entries_left = in.Below(static_cast<uint64_t>(kMaxId));
    if (!in.ok()) return false;
    state.header = true;
    // Reserved at once, on huge pages (core/huge_pages.h): grown as they filled, a million
    // activities' arrays were copied and touched twice, a page fault per 4 KiB. At least 10
    // bytes an entry: no more room than the bytes can fill. The lists: a value for every two
    // bytes (real snapshots hold one for every four or five; beyond, they grow).
    const uint64_t entries = std::min<uint64_t>(state.entries_left, state.total_bytes / 10);
    entries_.reserve(entries);
    AdviseHugePages(entries_.data(), entries_.capacity() * sizeof(Entry));
    slot_by_id_.reserve(std::min<uint64_t>(max_id, entries + entries / 4 + 1));
    AdviseHugePages(slot_by_id_.data(), slot_by_id_.capacity() * sizeof(uint32_t));
    lists_.reserve(state.total_bytes / 2);
    AdviseHugePages(lists_.data(), lists_.capacity() * sizeof(uint16_t));
  }
  for (; state.entries_left > 0 && !in.AtEnd(); --state.entries_left) {
    int64_t& id = state.id;
    id += static_cast<int64_t>(in.Below(static_cast<uint64_t>(max_id)));
    Entry* e = in.ok() && id < max_id ? Slot(id) : nullptr;
    if (e == nullptr || e->indexed) return false;  // out of range, or not ascending
    e->id = id;
    e->indexed = true;
    e->organization = static_cast<uint32_t>(in.Below(organizations_.names.size()));
    e->type = static_cast<uint16_t>(in.Below(std::min<size_t>(types_.names.size(), 65536)));
    e->status = static_cast<uint8_t>(in.Below(256));
    uint64_t flags = in.Below(6);
    e->visibility = static_cast<Visibility>(flags / 2);
    e->global = flags % 2 == 1;
    e->tokens = static_cast<uint32_t>(in.Below(uint64_t{1} << 32));
    e->starts_on = in.Day();
    e->ends_on = in.Day();
    e->lists_at = static_cast<uint32_t>(lists_.size());
    e->themes_n = static_cast<uint16_t>(in.Below(65536));
    for (uint16_t i = 0; i < e->themes_n && in.ok(); ++i)
      lists_.push_back(static_cast<uint16_t>(in.Below(themes_.names.size())));
    e->countries_n = static_cast<uint16_t>(in.Below(65536));
    for (uint16_t i = 0; i < e->countries_n && in.ok(); ++i)
      lists_.push_back(static_cast<uint16_t>(in.Below(countries_.names.size())));
    e->places_n = static_cast<uint16_t>(in.Below(65536));
    for (uint16_t i = 0; i < e->places_n && in.ok(); ++i) {
      const auto p = static_cast<uint16_t>(in.Below(kRegionPlace + regions_.names.size()));
      if (p < kRegionPlace && p >= countries_.names.size()) return false;
      lists_.push_back(p);
    }
    if (!in.ok()) return false;
    ++count_;
    total_tokens_ += e->tokens;
  }
  return in.ok() && in.AtEnd();
}

std::unique_ptr<ActivityCatalog> ActivityCatalog::FromSnapshot(std::string_view bytes) {
  auto c = std::make_unique<ActivityCatalog>();
  if (!c->Deserialize(bytes)) return nullptr;
  c->RebuildPostings();
  return c;
}

bool ActivityCatalog::DecodeSnapshot(std::string_view bytes, int64_t* seq, int64_t* count) {
  auto c = FromSnapshot(bytes);
  if (c == nullptr) return false;
  *seq = c->seq_;
  *count = c->count_;
  return true;
}

std::string ActivityCatalog::ReencodeSnapshot(std::string_view bytes) {
  ActivityCatalog c;
  if (!c.Deserialize(bytes)) return "";
  return c.Serialize(SIZE_MAX).front();
}

void ActivityCatalog::Reset() {
  slot_by_id_.clear();
  entries_.clear();
  free_slots_.clear();
  count_ = 0;
  total_tokens_ = 0;
  lists_.clear();
  lists_garbage_ = 0;
  postings_ = PostingLists{};
}

void ActivityCatalog::Post(const Entry& e) {
  auto id = static_cast<uint32_t>(e.id);
  ForEachList(e,
              [&](size_t, std::vector<Postings>& lists, size_t at) { Insert(At(lists, at), id); });
  Count(e, 1);
}

void ActivityCatalog::Unpost(const Entry& e) {
  auto id = static_cast<uint32_t>(e.id);
  ForEachList(e, [&](size_t, std::vector<Postings>& lists, size_t at) { Erase(lists, at, id); });
  Count(e, -1);
}

void ActivityCatalog::Count(const Entry& e, int64_t by) {
  PostingLists& pl = postings_;
  auto v = static_cast<size_t>(e.visibility);
  pl.by_visibility[v] += by;
  for (uint16_t p : PlacesOf(e)) {
    if (p >= kRegionPlace) {
      At(pl.regions_by_visibility[v], p - kRegionPlace) += by;
    } else {
      At(pl.countries_by_visibility[v], p) += by;
    }
  }
  if (e.global) pl.global_by_visibility[v] += by;
}

void ActivityCatalog::RebuildPostings() {
  postings_ = PostingLists{};
  // Every list's length first, so that each is allocated once at its size, a long one on huge
  // pages: grown as they filled, the lists touched twice their memory a 4 KiB page fault at a
  // time, most of the time a million-activity catalog took to load (core/huge_pages.h).
  std::array<std::vector<size_t>, kPostingKinds> lengths;
  std::array<std::vector<Postings>*, kPostingKinds> kinds{};
  auto each_indexed = [&](auto fn) {
    for (size_t id = 0; id < slot_by_id_.size(); ++id) {
      if (const Entry* e = Indexed(static_cast<int64_t>(id))) fn(*e);
    }
  };
  each_indexed([&](const Entry& e) {
    ForEachList(e, [&](size_t kind, std::vector<Postings>& lists, size_t at) {
      kinds[kind] = &lists;
      At(lengths[kind], at)++;
    });
  });
  for (size_t kind = 0; kind < kPostingKinds; ++kind) {
    if (kinds[kind] == nullptr) continue;
    std::vector<Postings>& lists = *kinds[kind];
    lists.resize(lengths[kind].size());
    for (size_t at = 0; at < lists.size(); ++at) {
      lists[at].reserve(lengths[kind][at]);
      AdviseHugePages(lists[at].data(), lengths[kind][at] * sizeof(uint32_t));
    }
  }
  // In id order, so every list is appended to.
  each_indexed([&](const Entry& e) { Post(e); });
}

ActivityCatalog::Entry* ActivityCatalog::Slot(int64_t id) {
  if (id < 0 || id >= kMaxId) return nullptr;
  auto at = static_cast<size_t>(id);
  if (at >= slot_by_id_.size()) slot_by_id_.resize(std::max(at + 1, slot_by_id_.size() * 3 / 2));
  if (slot_by_id_[at] == 0) {
    if (free_slots_.empty()) {
      entries_.emplace_back();
      slot_by_id_[at] = static_cast<uint32_t>(entries_.size());
    } else {
      slot_by_id_[at] = free_slots_.back();
      free_slots_.pop_back();
    }
  }
  return &entries_[slot_by_id_[at] - 1];
}

void ActivityCatalog::Clear(int64_t id) {
  if (id < 0 || static_cast<size_t>(id) >= slot_by_id_.size()) return;
  uint32_t& slot = slot_by_id_[static_cast<size_t>(id)];
  if (slot == 0) return;
  Entry& e = entries_[slot - 1];
  if (e.indexed) {
    --count_;
    total_tokens_ -= e.tokens;
  }
  lists_garbage_ += size_t{e.themes_n} + e.countries_n + e.places_n;
  e = Entry{};
  free_slots_.push_back(slot);
  slot = 0;
}

Status ActivityCatalog::Load(Tx& tx, const ActivityTextIndex& index, const std::string& ids_json) {
  std::string only =
      ids_json.empty() ? "" : std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers));
  SqlParams p;
  if (!ids_json.empty()) p.emplace_back(ids_json);
  std::vector<uint32_t> slots;  // of the entries loaded
  // The lengths come from the full-text index (on SQLite FTS5's own table of row sizes, so
  // ranking matches bm25() exactly).
  GMG_RETURN_IF_ERROR(tx.QueryEach(
      "SELECT a.id, a.organization_id, a.type, a.status, a.visibility, " +
          std::string(index.LengthColumn()) +
          ", a.is_global, a.starts_on, a.ends_on FROM activities a" +
          std::string(index.LengthJoin()) + " WHERE a.archived_at IS NULL" +
          (only.empty() ? "" : " AND a.id" + only),
      p, [&](const RowView& r) -> Status {
        Entry* e = Slot(r.Int(0));
        if (e == nullptr)
          return MakeError(ErrorCode::kInternal,
                           "activity id " + std::to_string(r.Int(0)) + " is out of range");
        e->id = r.Int(0);
        if (e->indexed) {  // read twice (a full load after a partial one): counted once
          --count_;
          total_tokens_ -= e->tokens;
        }
        e->indexed = true;
        e->organization = organizations_.Intern(r.Text(1));
        e->type = static_cast<uint16_t>(types_.Intern(r.Text(2)));
        e->status = static_cast<uint8_t>(r.Int(3));
        // An unknown name (the schema allows none) as the narrowest, as the SQL filter does.
        e->visibility = ParseVisibility(r.Text(4)).value_or(Visibility::kOrganization);
        e->tokens = index.DecodeLength(r, 5);
        ++count_;
        total_tokens_ += e->tokens;
        e->global = r.Int(6) != 0;
        e->starts_on = r.IsNull(7) ? kOpen : Days(r.Text(7));
        e->ends_on = r.IsNull(8) ? kOpen : Days(r.Text(8));
        slots.push_back(slot_by_id_[static_cast<size_t>(r.Int(0))] - 1);
        return Ok();
      }));
  SlotValues themes, countries;
  for (const auto& lists : {std::tuple{"activity_themes", "theme_id", &themes_, &themes},
                            std::tuple{"activity_countries", "country", &countries_, &countries}}) {
    // Named, not bound: a lambda may not capture a structured binding before C++20's P1091.
    const char* table = std::get<0>(lists);
    const char* column = std::get<1>(lists);
    Names* names = std::get<2>(lists);
    SlotValues* values = std::get<3>(lists);
    GMG_RETURN_IF_ERROR(tx.QueryEach(
        std::string("SELECT activity_id, ") + column + " FROM " + table +
            (only.empty() ? "" : " WHERE activity_id" + only),
        p, [&](const RowView& r) -> Status {
          const Entry* e = Indexed(r.Int(0));
          if (e == nullptr) return Ok();
          values->emplace_back(SlotOf(*e), static_cast<uint16_t>(names->Intern(r.Text(1))));
          return Ok();
        }));
  }
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  SlotValues places;
  GMG_RETURN_IF_ERROR(LoadPlaces(tx, only, p, &places));
  SetLists(slots, std::move(themes), std::move(countries), std::move(places));
  return Ok();
}

Status ActivityCatalog::LoadPlaces(Tx& tx, const std::string& only, const SqlParams& p,
                                   SlotValues* places) {
  return tx.QueryEach("SELECT activity_id, kind, code FROM activity_places" +
                          (only.empty() ? "" : " WHERE activity_id" + only),
                      p, [&](const RowView& r) -> Status {
                        const Entry* e = Indexed(r.Int(0));
                        if (e == nullptr) return Ok();
                        const bool region = r.Text(1) == "region";
                        uint32_t at = (region ? regions_ : countries_).Intern(r.Text(2));
                        if (at >= kRegionPlace) {
                          return MakeError(ErrorCode::kInternal, "more than 32,767 place codes");
                        }
                        places->emplace_back(
                            SlotOf(*e), static_cast<uint16_t>(region ? kRegionPlace + at : at));
                        return Ok();
                      });
}

void ActivityCatalog::SetLists(const std::vector<uint32_t>& slots, SlotValues themes,
                               SlotValues countries, SlotValues places) {
  auto by_slot = [](const auto& a, const auto& b) { return a.first < b.first; };
  const std::array<SlotValues*, 3> kinds = {&themes, &countries, &places};
  std::array<size_t, 3> next = {0, 0, 0};
  for (SlotValues* values : kinds) std::stable_sort(values->begin(), values->end(), by_slot);
  lists_.reserve(lists_.size() + themes.size() + countries.size() + places.size());
  for (uint32_t slot : slots) {
    Entry& e = entries_[slot];
    lists_garbage_ += size_t{e.themes_n} + e.countries_n + e.places_n;
    e.lists_at = static_cast<uint32_t>(lists_.size());
    std::array<uint16_t, 3> n = {0, 0, 0};
    for (size_t k = 0; k < kinds.size(); ++k) {
      const SlotValues& values = *kinds[k];
      size_t& i = next[k];
      while (i < values.size() && values[i].first < slot) ++i;
      // Beyond 65,535 values of one kind (never, in practice) the rest are dropped.
      for (; i < values.size() && values[i].first == slot; ++i) {
        if (n[k] == UINT16_MAX) continue;
        lists_.push_back(values[i].second);
        ++n[k];
      }
    }
    e.themes_n = n[0];
    e.countries_n = n[1];
    e.places_n = n[2];
  }
  if (lists_garbage_ > 4096 && lists_garbage_ > lists_.size() / 2) CompactLists();
}

void ActivityCatalog::CompactLists() {
  std::vector<uint16_t> compact;
  compact.reserve(lists_.size() - std::min(lists_.size(), lists_garbage_));
  for (Entry& e : entries_) {
    const uint32_t n = uint32_t{e.themes_n} + e.countries_n + e.places_n;
    const uint32_t at = e.lists_at;
    e.lists_at = static_cast<uint32_t>(compact.size());
    if (n == 0) continue;
    compact.insert(compact.end(), lists_.begin() + at, lists_.begin() + at + n);
  }
  lists_ = std::move(compact);
  lists_garbage_ = 0;
}

}  // namespace gmg
