// The iCalendar feed at 10,000 meetings in one range (issue 12: "under 20 ms"; docs/performance.md
// "Meetings and positions (issue 12)"). bench/meetings/run.sh runs it with the peer.
//
//   BM_IcalFeed    GET /ical/meetings.ics's work without HTTP: the SQL read of 10,000 meetings
//                  (SQLite file, migrated and seeded as the server does) and the writer → bytes.
//   BM_IcalWriter  the writer alone on the same 10,000 events (interop/ical.h).
//
// `ical_bench --dump-events FILE` writes the same events as JSON lines for the peer
// (bench/meetings/icalendar_peer.py, python3-icalendar) and exits.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/modules.h"
#include "auth/crypto.h"
#include "governance/seed.h"
#include "interop/ical.h"
#include "meetings/ical_feed.h"
#include "store/open.h"

namespace gmg {
namespace {

constexpr int kMeetings = 10000;
constexpr int64_t kStart = 1798761600;  // 2027-01-01T00:00:00Z
const char* const kZones[] = {"Europe/Zurich", "America/New_York", "Africa/Nairobi", "Asia/Bangkok",
                              "Europe/Zurich"};
const char* const kOrgs[] = {"iom", "ilo", "unhcr", "unctad", "undp"};

struct Row {
  std::string uid, title, zone, place, description;
  int64_t starts_at, ends_at;
  const char* chair;
};

// 10,000 meetings of 2027, every 52 minutes, in four zones, with commas, semicolons and
// non-ASCII text in their titles and places.
std::vector<Row> Rows() {
  std::vector<Row> rows;
  rows.reserve(kMeetings);
  for (int i = 0; i < kMeetings; ++i) {
    Row r;
    r.uid = "meeting-" + std::to_string(i + 1) + "@gmg-hub.example";
    r.title = "GMG working group " + std::to_string(i % 40) +
              ": remittances, labour migration; data — réunion n° " + std::to_string(i);
    r.zone = kZones[i % 5];
    r.place = "Palais des Nations, Room " + std::to_string(i % 30) + "; Genève";
    r.description = "Series: Working level\nChair: " + std::string(kOrgs[i % 5]);
    r.starts_at = kStart + int64_t{i} * 52 * 60;
    r.ends_at = r.starts_at + 7200;
    r.chair = kOrgs[i % 5];
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<ical::Event> Events(const std::vector<Row>& rows) {
  std::vector<ical::Event> events;
  for (const Row& r : rows) {
    ical::Event e;
    e.uid = r.uid;
    e.starts_at = r.starts_at;
    e.ends_at = r.ends_at;
    e.time_zone = r.zone;
    e.summary = r.title;
    e.location = r.place;
    e.description = r.description;
    e.chair = r.chair;
    e.sequence = 1;
    e.last_modified = kStart;
    events.push_back(e);
  }
  return events;
}

std::unique_ptr<Database> MakeDatabase(const std::vector<Row>& rows) {
  if (!InitCrypto().ok()) std::abort();
  auto dir =
      std::filesystem::temp_directory_path() / ("gmg-ical-bench-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db = OpenDatabase((dir / "bench.db").string());
  if (!db.ok() || !Migrate(**db).ok() || !SeedGmg(**db).ok()) {
    std::fprintf(stderr, "ical_bench: cannot prepare the database\n");
    std::abort();
  }
  Status s = (*db)->Write([&](Tx& tx) -> Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      GMG_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO meetings (title, starts_local, ends_local, time_zone, starts_at, ends_at, "
          "place, chair_org, chair_from_rotation, status, uid, sequence, created_at, updated_at) "
          "VALUES (?, '', '', ?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?)",
          {r.title, r.zone, r.starts_at, r.ends_at, r.place, std::string(r.chair),
           std::string(i % 50 == 0 ? "cancelled" : "planned"), r.uid, kStart, kStart}));
    }
    return Ok();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "ical_bench: %s\n", s.error().message.c_str());
    std::abort();
  }
  return std::move(db).value();
}

void BM_IcalFeed(benchmark::State& state) {
  static auto rows = Rows();
  static auto db = MakeDatabase(rows);
  meetings::FeedQuery q;
  q.from = *Date::Parse("2027-01-01");
  q.to = *Date::Parse("2027-12-31");
  size_t bytes = 0;
  for (auto _ : state) {
    Status s = db->Read([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(auto feed, meetings::BuildFeed(tx, q));
      if (feed.events != kMeetings) return MakeError(ErrorCode::kInternal, "wrong count");
      bytes = feed.body.size();
      benchmark::DoNotOptimize(feed.body.data());
      return Ok();
    });
    if (!s.ok()) state.SkipWithError(s.error().message.c_str());
  }
  state.counters["events"] = kMeetings;
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_IcalFeed)->Unit(benchmark::kMillisecond);

void BM_IcalWriter(benchmark::State& state) {
  static auto rows = Rows();
  auto events = Events(rows);
  size_t bytes = 0;
  for (auto _ : state) {
    auto out = ical::WriteCalendar(ical::Calendar{"GMG meetings"}, events);
    bytes = out->size();
    benchmark::DoNotOptimize(out->data());
  }
  state.counters["events"] = kMeetings;
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_IcalWriter)->Unit(benchmark::kMillisecond);

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

int DumpEvents(const char* path) {
  std::ofstream out(path);
  for (const Row& r : Rows()) {
    out << "{\"uid\":" << JsonString(r.uid) << ",\"summary\":" << JsonString(r.title)
        << ",\"location\":" << JsonString(r.place)
        << ",\"description\":" << JsonString(r.description) << ",\"chair\":" << JsonString(r.chair)
        << ",\"zone\":" << JsonString(r.zone) << ",\"starts_at\":" << r.starts_at
        << ",\"ends_at\":" << r.ends_at << ",\"last_modified\":" << kStart << "}\n";
  }
  return out ? 0 : 1;
}

}  // namespace
}  // namespace gmg

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--dump-events") == 0) return gmg::DumpEvents(argv[2]);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
