// Closing an endorsement round with every member's stand (issue 12: under 5 ms): what the
// positions job (or a stand, or a read) does once a round's deadline has come — read the
// current members, read the stands, count them, the conditional UPDATE that makes the close
// exactly-once, the position's new status, the audit entry and the notification (a recording
// Notifier here). Each iteration closes a fresh silence-procedure round whose electorate (the
// 10 seeded members, or 100 with 90 more admitted) has all stood; only the close is timed.
// SQLite (a file in a temporary directory); PostgreSQL too when GMG_BENCH_PG_URL names a
// database of its own (it is migrated and seeded; rows stay).
//
//   cmake --preset release && cmake --build --preset release --target gmg_round_bench
//   build/release/gmg_round_bench [GMG_BENCH_PG_URL=postgresql://…/bench_positions]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "app/modules.h"
#include "auth/crypto.h"
#include "governance/organization_directory.h"
#include "governance/seed.h"
#include "positions/position_service.h"
#include "store/open.h"

namespace gmg {
namespace {

struct Fixture {
  std::unique_ptr<Database> db;
  std::unique_ptr<GovernanceService> governance;
  std::unique_ptr<AuthService> auth;
  std::unique_ptr<PositionService> positions;
  int64_t now = 1796126400;  // 2026-12-01T12:00:00Z
};

std::unique_ptr<Fixture> Open(const std::string& spec, int members) {
  auto f = std::make_unique<Fixture>();
  auto db = OpenDatabase(spec);
  if (!db.ok()) return nullptr;
  f->db = std::move(*db);
  if (!Migrate(*f->db).ok() || !SeedGmg(*f->db).ok()) return nullptr;
  f->governance = std::make_unique<GovernanceService>(*f->db);
  f->auth = std::make_unique<AuthService>(*f->db, OrganizationExists, IsMemberOn);
  Fixture* raw = f.get();
  f->positions = std::make_unique<PositionService>(
      *f->db, [](Tx&, const NewNotification&) { return Ok(); },
      [raw]() -> GovernanceService& { return *raw->governance; },
      [raw]() -> AuthService& { return *raw->auth; }, [raw] { return raw->now; });
  for (int i = 10; i < members; ++i) {
    NewOrganization o;
    o.id = "bench" + std::to_string(i);
    o.name = "Bench member " + std::to_string(i);
    o.acronym = "B" + std::to_string(i);
    o.mandate = "Benchmark";
    o.joined_on = *Date::Parse("2010-01-01");
    (void)f->governance->AdmitOrganization(Principal::Cli(), o);  // present from an earlier run
  }
  return f;
}

Principal FocalPoint(const std::string& org) {
  Principal p;
  p.user_id = 42;
  p.name = "Focal point " + org;
  p.role = Role::kFocalPoint;
  p.organization_id = org;
  return p;
}

void CloseRound(benchmark::State& state, Fixture* f) {
  if (!f) {
    state.SkipWithError("cannot open the database");
    return;
  }
  auto members = f->positions->LoadMembers();
  if (!members.ok() || static_cast<int64_t>(members->current.size()) < state.range(0)) {
    state.SkipWithError("members missing");
    return;
  }
  for (auto _ : state) {
    NewPosition in;
    in.title = "Bench position";
    in.text = "Text";
    in.lead_org = "iom";
    auto p = f->positions->Create(Principal::Cli(), in);
    auto r = f->positions->OpenRound(Principal::Cli(), p->id, "silence", f->now + 7200);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    for (const auto& org : members->current) {
      (void)f->positions->TakeStand(FocalPoint(org), p->id, r->id, org, "endorse", "");
    }
    f->now += 7200;
    auto start = std::chrono::steady_clock::now();
    auto closed = f->positions->CloseDueRounds();
    auto end = std::chrono::steady_clock::now();
    if (!closed.ok() || *closed != 1) {
      state.SkipWithError("the round did not close");
      return;
    }
    state.SetIterationTime(std::chrono::duration<double>(end - start).count());
  }
}

void BM_CloseRoundSqlite(benchmark::State& state) {
  static std::string dir = [] {
    auto d =
        std::filesystem::temp_directory_path() / ("gmg-round-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d.string();
  }();
  std::string file = dir + "/m" + std::to_string(state.range(0)) + ".db";
  static std::map<std::string, std::unique_ptr<Fixture>> fixtures;
  auto& f = fixtures[file];
  if (!f) f = Open(file, static_cast<int>(state.range(0)));
  CloseRound(state, f.get());
}
BENCHMARK(BM_CloseRoundSqlite)->Arg(10)->Arg(100)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_CloseRoundPostgres(benchmark::State& state) {
  const char* url = std::getenv("GMG_BENCH_PG_URL");
  if (!url || !*url) {
    state.SkipWithError("GMG_BENCH_PG_URL not set");
    return;
  }
  static std::unique_ptr<Fixture> f;
  static int64_t members = 0;
  if (!f || members < state.range(0)) {
    f = Open(url, static_cast<int>(state.range(0)));
    members = state.range(0);
  }
  CloseRound(state, f.get());
}
BENCHMARK(BM_CloseRoundPostgres)->Arg(10)->Arg(100)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gmg

int main(int argc, char** argv) {
  if (!gmg::InitCrypto().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
