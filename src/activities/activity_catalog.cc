#include "activities/activity_catalog.h"

#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <mutex>
#include <tuple>

#include "core/codelists.h"
#include "core/date.h"
#include "store/sql.h"

namespace gmg {
namespace {

// Beyond this many changed activities a full reload is cheaper than one by one.
constexpr size_t kMaxIncremental = 5000;
// Ids are handed out in order (SQLite rowids, PostgreSQL identities), so a table of slots
// indexed by id is dense enough: at most 4 bytes × kMaxId (1 GiB). A larger id would mean
// rows inserted with chosen ids or 268 million ids skipped: refuse rather than allocate.
constexpr int64_t kMaxId = int64_t{1} << 28;

int32_t Days(std::string_view date) {
  auto d = Date::Parse(date);
  return d ? d->days() : ActivityCatalog::kOpen;
}

}  // namespace

uint32_t ActivityCatalog::Names::Intern(std::string_view name) {
  if (auto it = index.find(name); it != index.end()) return it->second;
  auto id = static_cast<uint32_t>(names.size());
  names.emplace_back(name);
  index.emplace(names.back(), id);
  return id;
}

const ActivityCatalog::Entry* ActivityCatalog::Reader::Find(int64_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= c_.slot_by_id_.size()) return nullptr;
  uint32_t slot = c_.slot_by_id_[static_cast<size_t>(id)];
  if (slot == 0) return nullptr;
  const Entry& e = c_.entries_[slot - 1];
  return e.indexed ? &e : nullptr;
}

bool ActivityCatalog::Reader::Visible(const Audience& audience, const Entry& e) const {
  return AccessPolicy::MaySee(audience, e.visibility, c_.organizations_.names[e.organization]);
}

ActivityCatalog::FacetCounts ActivityCatalog::Reader::Facets(
    const std::vector<const Entry*>& entries) const {
  // Count by index first (no string work per match), then name the values that occur.
  std::vector<int64_t> orgs(c_.organizations_.names.size());
  std::vector<int64_t> types(c_.types_.names.size());
  std::vector<int64_t> statuses(7);
  std::vector<int64_t> themes(c_.themes_.names.size());
  std::vector<int64_t> countries(c_.countries_.names.size());
  for (const Entry* e : entries) {
    orgs[e->organization]++;
    types[e->type]++;
    if (e->status < statuses.size()) statuses[e->status]++;
    for (uint16_t t : e->themes) themes[t]++;
    for (uint16_t c : e->countries) countries[c]++;
  }
  FacetCounts out;
  auto name = [&](const char* facet, const std::vector<int64_t>& counts, const Names& names) {
    auto& m = out[facet];
    for (size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] > 0) m[names.names[i]] = counts[i];
    }
  };
  name("organization", orgs, c_.organizations_);
  name("type", types, c_.types_);
  name("theme", themes, c_.themes_);
  name("country", countries, c_.countries_);
  auto& status = out["status"];
  for (size_t s = 0; s < statuses.size(); ++s) {
    if (statuses[s] > 0) status[std::to_string(s)] = statuses[s];
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
    if (!f.themes.empty() &&
        std::none_of(e.themes.begin(), e.themes.end(), [&](uint16_t t) { return in(themes, t); })) {
      return false;
    }
    if (!places.empty() && (!any_place || std::none_of(e.countries.begin(), e.countries.end(),
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
  } else {
    for (const Entry& e : c_.entries_) {
      if (passes(e)) fn(e);
    }
  }
}

int64_t ActivityCatalog::Reader::Count(const Audience& audience, const ActivityFilter& filter,
                                       const std::vector<int64_t>* text_matches) const {
  int64_t n = 0;
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

std::map<std::string, int64_t> ActivityCatalog::Reader::CountByCountry(
    const Audience& audience, const ActivityFilter& f,
    const std::vector<int64_t>* text_matches) const {
  std::vector<int64_t> counts(c_.countries_.names.size());
  int64_t global = 0;
  ForEachPassing(audience, f, text_matches, [&](const Entry& e) {
    for (uint16_t c : e.countries) counts[c]++;
    if (e.global) ++global;
  });
  std::map<std::string, int64_t> out;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] > 0) out[c_.countries_.names[i]] = counts[i];
  }
  if (global > 0) out["001"] = global;
  return out;
}

Status ActivityCatalog::Sync(Tx& tx, const ActivityTextIndex& index) {
  GMG_ASSIGN_OR_RETURN(auto bounds, tx.QueryOne("SELECT (SELECT min(seq) FROM activity_changes), "
                                                "(SELECT max(seq) FROM activity_changes)"));
  int64_t oldest = bounds->Int(0);
  int64_t newest = bounds->Int(1);
  {
    std::shared_lock lock(mu_);
    // Up to date, or another thread already applied a newer snapshot: what it holds was
    // committed, and each activity's entry is whole.
    if (loaded_ && seq_ >= newest) return Ok();
  }
  std::unique_lock lock(mu_);
  if (loaded_ && seq_ >= newest) return Ok();
  bool full = !loaded_ || seq_ + 1 < oldest;  // never loaded, or the log was pruned past us
  boost::json::array ids;
  if (!full) {
    GMG_ASSIGN_OR_RETURN(
        auto changes,
        tx.Query("SELECT activity_id FROM activity_changes WHERE seq > ? AND seq <= ?",
                 {seq_, newest}));
    for (const Row& r : changes) {
      if (r.IsNull(0) || ids.size() >= kMaxIncremental) {
        full = true;
        break;
      }
      ids.push_back(r.Int(0));
    }
  }
  if (full) {
    Reset();
    loaded_ = false;
    GMG_RETURN_IF_ERROR(Load(tx, index, ""));
  } else {
    std::string json = boost::json::serialize(ids);
    for (const auto& id : ids) Clear(id.as_int64());
    GMG_RETURN_IF_ERROR(Load(tx, index, json));
  }
  seq_ = newest;
  loaded_ = true;
  return Ok();
}

void ActivityCatalog::Reset() {
  slot_by_id_.clear();
  entries_.clear();
  free_slots_.clear();
  count_ = 0;
  total_tokens_ = 0;
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
  e = Entry{};
  free_slots_.push_back(slot);
  slot = 0;
}

Status ActivityCatalog::Load(Tx& tx, const ActivityTextIndex& index, const std::string& ids_json) {
  std::string only =
      ids_json.empty() ? "" : std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers));
  SqlParams p;
  if (!ids_json.empty()) p.emplace_back(ids_json);
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
        return Ok();
      }));
  for (const auto& lists :
       {std::tuple{"activity_themes", "theme_id", &themes_, &Entry::themes},
        std::tuple{"activity_countries", "country", &countries_, &Entry::countries}}) {
    // Named, not bound: a lambda may not capture a structured binding before C++20's P1091.
    const char* table = std::get<0>(lists);
    const char* column = std::get<1>(lists);
    Names* names = std::get<2>(lists);
    auto list = std::get<3>(lists);
    GMG_RETURN_IF_ERROR(
        tx.QueryEach(std::string("SELECT activity_id, ") + column + " FROM " + table +
                         (only.empty() ? "" : " WHERE activity_id" + only),
                     p, [&](const RowView& r) -> Status {
                       int64_t id = r.Int(0);
                       if (id < 0 || static_cast<size_t>(id) >= slot_by_id_.size() ||
                           slot_by_id_[static_cast<size_t>(id)] == 0) {
                         return Ok();
                       }
                       Entry& e = entries_[slot_by_id_[static_cast<size_t>(id)] - 1];
                       if (!e.indexed) return Ok();
                       (e.*list).push_back(static_cast<uint16_t>(names->Intern(r.Text(1))));
                       return Ok();
                     }));
  }
  return Ok();
}

}  // namespace gmg
