// An organisation's open-actions query (its home page: open and in-progress actions, soonest
// due first, with the open and overdue counts; ActionService::ForOrganization) over 100,000
// actions of 10 organisations with mixed statuses (issue 12: target < 2 ms), for pages of 8 (what
// the home page asks), 20 and 100 items. SQLite in a temporary file; PostgreSQL too when
// GMG_BENCH_PG_URL names an EMPTY throwaway database (migrated and filled here).
//
//   cmake --preset release && cmake --build --preset release --target gmg_actions_bench
//   build/release/gmg_actions_bench
//   GMG_BENCH_PG_URL=postgresql://…/empty_db build/release/gmg_actions_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "app/modules.h"
#include "auth/crypto.h"
#include "governance/seed.h"
#include "meetings/action_service.h"
#include "store/open.h"

namespace gmg {
namespace {

constexpr int kActions = 100000;
constexpr int64_t kNow = 1796126400;  // 2026-12-01T12:00:00Z
const char* const kStatuses[] = {"open", "in_progress", "done", "dropped"};

// Migrates, seeds the GMG (ten members) and writes kActions actions spread over them, unless
// the database has actions already.
std::unique_ptr<Database> Fill(const std::string& spec) {
  auto db = OpenDatabase(spec);
  if (!db.ok()) {
    std::fprintf(stderr, "open %s: %s\n", spec.c_str(), db.error().message.c_str());
    std::exit(1);
  }
  std::unique_ptr<Database> out = std::move(db).value();
  if (!Migrate(*out).ok() || !SeedGmg(*out).ok()) {
    std::fprintf(stderr, "migrate/seed failed (is the database empty?)\n");
    std::exit(1);
  }
  const std::vector<std::string> orgs = {"ilo",   "iom",   "unctad", "undp",  "undesa",
                                         "unfpa", "ohchr", "unhcr",  "unodc", "worldbank"};
  std::mt19937 rnd(12);
  Status s = out->Write([&](Tx& tx) -> Status {
    // A PostgreSQL database kept from an earlier run (and vacuumed since, as autovacuum does
    // in a running one: `VACUUM ANALYZE`) is measured as it is.
    GMG_ASSIGN_OR_RETURN(auto had, tx.QueryOne("SELECT count(*) FROM meeting_actions"));
    if (had->Int(0) > 0) return Ok();
    for (int i = 0; i < kActions; ++i) {
      Date due = Date::FromDays(static_cast<int32_t>(kNow / 86400) - 365 +
                                static_cast<int32_t>(rnd() % 730));
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO meeting_actions (title, owner_org, due_date, status, created_at, "
                  "updated_at) VALUES (?,?,?,?,?,?)",
                  {"Action " + std::to_string(i), orgs[i % orgs.size()], due.ToString(),
                   std::string(kStatuses[rnd() % 4]), kNow, kNow}));
    }
    return Ok();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "fill: %s\n", s.error().message.c_str());
    std::exit(1);
  }
  return out;
}

Principal Staff() {
  Principal p;
  p.role = Role::kSecretariat;
  p.email = "bench@gmg";
  return p;
}

void RunOpenActions(benchmark::State& state, Database& db) {
  ActionService svc(
      db, [](Tx&, const NewNotification&) { return Ok(); }, [] { return kNow; });
  Principal staff = Staff();
  int64_t open = 0;
  for (auto _ : state) {
    auto r = svc.ForOrganization(staff, "unhcr", state.range(0));
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
    open = r->open_total;
    benchmark::DoNotOptimize(r);
  }
  state.counters["open_total"] = static_cast<double>(open);
}

void BM_OpenActionsSqlite(benchmark::State& state) {
  static std::string path =
      (std::filesystem::temp_directory_path() / "gmg_actions_bench.db").string();
  static std::unique_ptr<Database> db = [] {
    std::filesystem::remove(path);
    return Fill(path);
  }();
  RunOpenActions(state, *db);
}
BENCHMARK(BM_OpenActionsSqlite)->Arg(8)->Arg(20)->Arg(100)->Unit(benchmark::kMicrosecond);

void BM_OpenActionsPostgres(benchmark::State& state) {
  const char* url = std::getenv("GMG_BENCH_PG_URL");
  if (!url || !*url) {
    state.SkipWithError("GMG_BENCH_PG_URL not set");
    for (auto _ : state) {
    }
    return;
  }
  static std::unique_ptr<Database> db = Fill(url);
  RunOpenActions(state, *db);
}
BENCHMARK(BM_OpenActionsPostgres)->Arg(8)->Arg(20)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace gmg

int main(int argc, char** argv) {
  if (!gmg::InitCrypto().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
