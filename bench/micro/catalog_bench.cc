// Micro-benchmarks of the search path's in-memory part at 1,000,000 activities: restoring the
// catalog from its snapshot (the first search after a start), and what a search does per
// match (find the entry, check visibility, score it, tally its facets, keep the page's best
// 20 in a bounded heap), over match sets of the sizes a two-word and a broad one-word search
// give. The catalog is synthetic (snapshot bytes made here, in the catalog's format 1), with
// the value counts of bench/activities/run.py: 11 organisations, 6 statuses, 7 themes, 36
// countries. The database's part of a search (FTS5, PostgreSQL postings) is not measured
// here; bench/activities/run.py measures the whole.
//
//   cmake --preset release && cmake --build --preset release --target gmg_catalog_bench
//   build/release/gmg_catalog_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "activities/activity_catalog.h"
#include "activities/activity_text_index.h"
#include "core/access_policy.h"

namespace gmg {
namespace {

constexpr int64_t kActivities = 1000000;

void PutNumber(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void PutNames(std::string& out, const std::vector<std::string>& names) {
  PutNumber(out, names.size());
  for (const auto& n : names) {
    PutNumber(out, n.size());
    out += n;
  }
}

// A day as the snapshot stores it (zigzag + 1; days here are positive).
uint64_t Day(int32_t d) { return (static_cast<uint64_t>(d) << 1) + 1; }

const std::string& SnapshotBytes() {
  static const std::string bytes = [] {
    std::mt19937 rnd(7);
    std::string out = "gmg-activity-catalog-2\n";
    PutNumber(out, 1);  // seq
    std::vector<std::string> orgs, countries;
    for (int i = 0; i < 11; ++i) orgs.push_back("XM-DAC-" + std::to_string(41100 + i));
    for (int i = 0; i < 36; ++i) countries.push_back({char('A' + i / 26), char('A' + i % 26)});
    PutNames(out, orgs);
    PutNames(out, {"10"});
    PutNames(out, {"labour-migration", "remittances", "trafficking", "refugee-protection",
                   "return-reintegration", "diaspora", "data"});
    PutNames(out, countries);
    PutNames(out, {"002", "142", "150"});  // regions
    PutNumber(out, kActivities);
    for (int64_t id = 1; id <= kActivities; ++id) {
      PutNumber(out, 1);                      // id difference
      PutNumber(out, rnd() % 11);             // organisation
      PutNumber(out, 0);                      // type
      PutNumber(out, 1 + rnd() % 6);          // status
      PutNumber(out, (rnd() % 10 == 0) * 2);  // visibility (a tenth for members), not global
      PutNumber(out, 40 + rnd() % 260);       // tokens
      int32_t start = 16000 + static_cast<int32_t>(rnd() % 4000);
      PutNumber(out, Day(start));
      PutNumber(out, Day(start + 365 + static_cast<int32_t>(rnd() % 1000)));
      int themes = static_cast<int>(rnd() % 3);
      PutNumber(out, static_cast<uint64_t>(themes));
      for (int t = 0; t < themes; ++t) PutNumber(out, (rnd() % 7));
      // Countries covered, then the places as recorded: those countries, a tenth also a region.
      std::vector<uint64_t> named(1 + rnd() % 2);
      for (uint64_t& c : named) c = rnd() % 36;
      PutNumber(out, named.size());
      for (uint64_t c : named) PutNumber(out, c);
      if (rnd() % 10 == 0) named.push_back(ActivityCatalog::kRegionPlace + rnd() % 3);
      PutNumber(out, named.size());
      for (uint64_t p : named) PutNumber(out, p);
    }
    return out;
  }();
  return bytes;
}

const ActivityCatalog& Catalog() {
  static const std::unique_ptr<ActivityCatalog> c = ActivityCatalog::FromSnapshot(SnapshotBytes());
  return *c;
}

void BM_RestoreFromSnapshot(benchmark::State& state) {
  const std::string& bytes = SnapshotBytes();
  for (auto _ : state) {
    auto c = ActivityCatalog::FromSnapshot(bytes);
    benchmark::DoNotOptimize(c.get());
  }
  state.counters["bytes"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_RestoreFromSnapshot)->Unit(benchmark::kMillisecond);

struct Hit {
  int64_t id;
  double rank;
};
bool Better(const Hit& a, const Hit& b) {
  return a.rank < b.rank || (a.rank == b.rank && a.id < b.id);
}

// What ActivityService::Search does per match; every `state.range(0)`-th activity matches.
void BM_RankAndTallyMatches(benchmark::State& state) {
  const ActivityCatalog& catalog = Catalog();
  const int64_t every = state.range(0);
  Audience audience;  // anonymous: public activities only
  std::vector<double> freqs = {5.0, 1.0};
  int64_t total = 0;
  for (auto _ : state) {
    ActivityCatalog::Reader reader = catalog.Read();
    ActivityCatalog::FacetTally tally = reader.Tally();
    std::vector<double> docs = {static_cast<double>(kActivities / every), 300000.0};
    Bm25Scorer scorer(static_cast<double>(reader.Count()),
                      static_cast<double>(reader.TotalTokens()), docs);
    std::vector<Hit> best;
    total = 0;
    for (int64_t id = 1; id <= kActivities; id += every) {
      const ActivityCatalog::Entry* e = reader.Find(id);
      if (e == nullptr || !reader.Visible(audience, *e)) continue;
      ++total;
      tally.Add(*e);
      freqs[0] = static_cast<double>(1 + id % 3);
      Hit hit{id, scorer.Score(freqs, e->tokens)};
      if (best.size() < 20) {
        best.push_back(hit);
        std::push_heap(best.begin(), best.end(), Better);
      } else if (Better(hit, best.front())) {
        std::pop_heap(best.begin(), best.end(), Better);
        best.back() = hit;
        std::push_heap(best.begin(), best.end(), Better);
      }
    }
    std::sort_heap(best.begin(), best.end(), Better);
    auto facets = reader.Facets(tally);
    benchmark::DoNotOptimize(facets);
  }
  state.counters["matches"] = static_cast<double>(total);
}
BENCHMARK(BM_RankAndTallyMatches)->Arg(50)->Arg(8)->Arg(2)->Unit(benchmark::kMillisecond);

// The map's and a filtered list's count from the posting lists (one country).
void BM_CountOneCountry(benchmark::State& state) {
  const ActivityCatalog& catalog = Catalog();
  Audience audience;
  ActivityFilter f;
  f.countries = {"AB"};
  for (auto _ : state) benchmark::DoNotOptimize(catalog.Read().Count(audience, f, nullptr));
}
BENCHMARK(BM_CountOneCountry)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gmg

BENCHMARK_MAIN();
