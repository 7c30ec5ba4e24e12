// Micro-benchmarks of the request path without sockets: how much of a request's time is the
// router, the cache and the handler. The HTTP benchmark against nginx is bench/http/run.sh.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "app/app.h"
#include "governance/chair_rotation.h"

namespace gmg {
namespace {

std::unique_ptr<App> OpenBenchApp() {
  std::string path = (std::filesystem::temp_directory_path() / "gmg-micro-bench.db").string();
  std::filesystem::remove(path);
  AppConfig config;
  config.db_path = path;
  return std::move(App::Open(config).value());
}

void BM_DispatchOrganizations(benchmark::State& state, bool cached) {
  auto app = OpenBenchApp();
  for (auto _ : state) {
    if (!cached) app->router().InvalidateCache();
    http::Request req;
    req.method = "GET";
    req.target = req.path = "/api/v1/organizations";
    http::Response res = app->router().Dispatch(req);
    benchmark::DoNotOptimize(res.body.data());
  }
}
BENCHMARK_CAPTURE(BM_DispatchOrganizations, cached, true);
BENCHMARK_CAPTURE(BM_DispatchOrganizations, uncached, false);

void BM_ChairSchedule100Years(benchmark::State& state) {
  std::vector<MembershipSpan> spans;
  std::vector<std::string> order = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
  for (const auto& id : order) spans.push_back({id, Date::FromCivil(2006, 5, 9), std::nullopt});
  ChairRotation rotation({{1, Date::FromCivil(2006, 5, 9), 6, order, 0}}, {}, spans);
  for (auto _ : state) {
    auto terms = rotation.Schedule(Date::FromCivil(2006, 1, 1), Date::FromCivil(2106, 1, 1));
    benchmark::DoNotOptimize(terms.data());
  }
}
BENCHMARK(BM_ChairSchedule100Years);

}  // namespace
}  // namespace gmg

BENCHMARK_MAIN();
