// gmg: the GMG Hub server and command-line tool.
//
//   gmg serve      start the HTTP server (first start seeds the GMG and creates an admin)
//   gmg migrate    bring a database to the latest schema
//   gmg user add   create a user (password from GMG_PASSWORD or standard input)
//   gmg backup     write a consistent copy of the database to a file
//   gmg migrate-data  copy a whole installation between databases (SQLite ⇄ PostgreSQL)
//   gmg coherence  likely duplication and synergies between the organisations' activities
//   gmg coherence gaps  where need (from the statistics) is high and coverage low
//   gmg stats      statistics: import a file into a dataflow, list dataflows, show one
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <thread>

#include "activities/demo.h"
#include "activities/iati_mapping.h"
#include "app/app.h"
#include "app/modules.h"
#include "auth/crypto.h"
#include "coherence/coherence_api.h"
#include "coherence/coherence_gaps_api.h"
#include "coherence/coherence_json.h"
#include "coherence/coherence_query_api.h"
#include "coherence/synthetic.h"
#include "http/server.h"
#include "library/library_text_index.h"
#include "module/job_runner.h"
#include "notifications/outbox.h"
#include "notifications/smtp.h"
#include "statistics/stats_service.h"
#include "store/copy.h"
#include "store/migrations.h"
#include "store/open.h"
#include "store/sqlite/sqlite_database.h"

namespace gmg {
namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

// GMG_TEST_PASSWORD_HASH=minimum hashes new passwords at libsodium's minimum cost, so the
// end-to-end suites' hundreds of users and sign-ins do not each spend 64 MiB of Argon2id. Only
// test builds (GMG_TEST_HOOKS: the debug and asan presets) read it; a release build always
// hashes at the interactive cost (docs/security.md "Password hashes").
PasswordHashCost PasswordHashCostFromEnv() {
#ifdef GMG_TEST_HOOKS
  if (EnvOr("GMG_TEST_PASSWORD_HASH", "") == "minimum") return kMinimumHashCost;
#endif
  return kInteractiveHashCost;
}

int Fail(const Error& e) {
  std::cerr << "gmg: " << e.message << "\n";
  for (const auto& d : e.details) std::cerr << "  " << d.field << ": " << d.problem << "\n";
  return 1;
}

int Serve(const AppConfig& config, const http::ServerOptions& options) {
  if (config.auth_limits.password_hash.memory_bytes < kInteractiveHashCost.memory_bytes) {
    std::cerr << "gmg: test build: new password hashes at the minimum cost "
                 "(GMG_TEST_PASSWORD_HASH=minimum); never serve real users with it\n";
  }
  auto app = App::Open(config);
  if (!app) return Fail(app.error());
  std::string admin_email = EnvOr("GMG_ADMIN_EMAIL", "admin@localhost");
  std::string admin_password = EnvOr("GMG_ADMIN_PASSWORD", "");
  bool generated = admin_password.empty();
  if (generated) admin_password = RandomToken(15);
  auto created = (*app)->auth().EnsureFirstAdmin(admin_email, admin_password);
  if (!created) return Fail(created.error());
  if (*created) {
    std::cout << "created the first administrator " << admin_email;
    if (generated) std::cout << " with password " << admin_password << " (shown once; change it)";
    std::cout << "\n";
  }
  http::Router& router = (*app)->router();
  http::Server server(
      options, [&router](http::Request& req) { return router.Dispatch(req); },
      [&app](http::Request& head) { return (*app)->Admit(head); });
  auto port = server.Listen();
  if (!port) return Fail(port.error());
  std::cout << "listening on http://" << options.bind << ":" << *port << std::endl;
  JobRunner jobs((*app)->BackgroundJobs());  // each on its own thread (module/job_runner.h)
  // Loads the search catalog beside the server, so the first search does not wait for it, and
  // only then starts the background jobs: the coherence analysis of a large map keeps both
  // cores busy for minutes, and started with it made the catalog's load at 1,000,000
  // activities take several times as long.
  std::thread warm([&app, &jobs] {
    if (auto s = (*app)->activities().PrepareSearch(); !s.ok())
      std::cerr << "gmg: search: " << s.error().message << "\n";
    jobs.Start();
  });
  server.Run();
  warm.join();
  jobs.Stop();
  std::cout << "stopped" << std::endl;
  return 0;
}

// A file mapped read-only into memory (pages are read as the parser reaches them, and the
// kernel may drop them again: a file larger than memory can be imported).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    off_t size = ::lseek(fd, 0, SEEK_END);
    if (size == 0) ok_ = true;
    if (size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        ::madvise(p, static_cast<size_t>(size), MADV_SEQUENTIAL);
        data_ = static_cast<const char*>(p);
        size_ = static_cast<size_t>(size);
        ok_ = true;
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  bool Ok() const { return ok_; }
  std::string_view View() const { return {data_ == nullptr ? "" : data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  bool ok_ = false;
};

// The command line's import limits: a file up to 2 GiB (line numbers in messages are ints)
// and 10 million activities. The reader holds the mapped file and one activity at a time;
// the import keeps 8 bytes per activity (its id, for the index) and the first 10,000 report
// rows. The HTTP import keeps iati::ParseLimits' defaults (256 MiB, one million).
iati::ParseLimits CommandLineImportLimits() {
  iati::ParseLimits limits;
  limits.max_bytes = (size_t{2} << 30) - 1;
  limits.max_activities = 10'000'000;
  return limits;
}

// `gmg demo generate`: needs no database.
int GenerateCorpus(size_t n, uint64_t seed, bool project_names, const std::string& out_path,
                   const std::string& labels_path) {
  coherence::SyntheticCorpus corpus =
      coherence::Generate(n, seed, {.project_names = project_names});
  std::ofstream file;
  if (!out_path.empty()) {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(MakeError(ErrorCode::kInvalidArgument, "cannot write " + out_path));
  }
  std::ostream& out = out_path.empty() ? std::cout : file;
  coherence::WriteIati(
      corpus,
      [&](std::string_view piece) {
        out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      },
      FormatTimestamp(UnixNow()));
  out.flush();
  if (!out)
    return Fail(
        MakeError(ErrorCode::kInvalidArgument,
                  "cannot write " + (out_path.empty() ? std::string("the activities") : out_path)));
  if (!labels_path.empty()) {
    std::ofstream labels(labels_path, std::ios::binary | std::ios::trunc);
    labels << coherence::LabelsCsv(corpus, /*iati_ids=*/true);
    labels.flush();
    if (!labels) return Fail(MakeError(ErrorCode::kInvalidArgument, "cannot write " + labels_path));
  }
  std::cerr << "generated " << corpus.records.size() << " activities, " << corpus.pairs.size()
            << " planted pairs (seed " << seed << (project_names ? "" : ", no project names")
            << ")\n";
  return 0;
}

// `gmg import iati FILE…`: each file all-or-nothing; prints its report. Exit 1 if any failed.
int ImportFiles(App& app, const std::vector<std::string>& files, bool dry_run) {
  int failures = 0;
  for (const auto& file : files) {
    MappedFile mapped(file);
    if (!mapped.Ok()) {
      std::cerr << file << ": cannot read (not a readable file)\n";
      ++failures;
      continue;
    }
    std::string_view xml = mapped.View();
    auto report = ImportIati(app.db(), app.activities(), Principal::Cli(), xml, dry_run,
                             CommandLineImportLimits());
    if (!report) {
      std::cerr << file << ": " << report.error().message << " (nothing imported from this file)\n";
      ++failures;
      continue;
    }
    for (const auto& w : report->warnings) {
      std::cerr << file << ":" << w.line << ": warning: " << w.element << ": " << w.message << "\n";
    }
    if (auto more = report->warnings_total - static_cast<int64_t>(report->warnings.size());
        more > 0) {
      std::cerr << file << ": and " << more << " more warnings\n";
    }
    for (const auto& item : report->items) {
      if (item.action == "skipped") {
        std::cout << file << ":" << item.line << ": skipped " << item.iati_identifier << ": "
                  << item.reason << "\n";
      }
    }
    std::cout << file << ": " << (dry_run ? "would create " : "created ") << report->created
              << ", updated " << report->updated << ", skipped " << report->skipped
              << ", unchanged " << report->unchanged << ", kept archived " << report->kept_archived
              << " (IATI " << report->file_version << ")\n";
    // A large import makes every server reload the whole search catalog: its snapshot, saved
    // now, spares them the reading of every activity.
    if (!dry_run && report->created + report->updated >= 1000) {
      if (auto s = app.activities().PrepareSearch(); !s.ok())
        std::cerr << file << ": search catalog not prepared: " << s.error().message << "\n";
    }
  }
  return failures ? 1 : 0;
}

// Flushes FILE (and the directory that names it) to stable storage: VACUUM INTO does not fsync
// the copy it writes, and a backup that a power cut can truncate is no backup.
bool SyncToDisk(const std::filesystem::path& file) {
  for (const auto& p :
       {file, file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path()}) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return false;
  }
  return true;
}

int CopyInstallation(Database& from, Database& to, const std::string& from_name,
                     const std::string& to_name);

// `gmg backup FILE`: a consistent copy of DB_PATH, taken while a server may be writing to it
// (SQLite: a read transaction on the WAL snapshot; PostgreSQL: one REPEATABLE READ snapshot
// copied into a new SQLite installation, verified by checksums). Refuses a missing database and
// an existing FILE.
int BackupDatabase(const AppConfig& config, const std::string& file) {
  std::error_code ec;
  if (!IsPostgresSpec(config.db_path) && !std::filesystem::is_regular_file(config.db_path, ec)) {
    return Fail(MakeError(ErrorCode::kNotFound,
                          "no database at " + config.db_path + " (nothing to back up)"));
  }
  if (std::filesystem::exists(file, ec) || ec) {
    return Fail(
        MakeError(ErrorCode::kConflict,
                  file + " already exists; a backup never overwrites a file, choose a new name"));
  }
  auto app = App::Open(config);
  if (!app) return Fail(app.error());
  if (IsPostgresSpec(config.db_path)) {
    // A whole SQLite installation (migrated, search index built): `gmg serve --db FILE` opens
    // it, `gmg migrate-data --from FILE --to postgresql://…` restores it.
    int rc = 1;
    {
      auto copy = SqliteDatabase::Open(file);
      if (!copy) return Fail(copy.error());
      if (auto s = Migrate(**copy); !s) {
        rc = Fail(s.error());
      } else {
        rc = CopyInstallation((*app)->db(), **copy, DescribeDatabase(config.db_path), file);
      }
    }
    if (rc != 0) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix, ec);
      return rc;
    }
  } else if (auto s = (*app)->db().Backup(file); !s) {
    return Fail(s.error());
  }
  if (!SyncToDisk(file))
    return Fail(MakeError(ErrorCode::kInternal, "cannot flush " + file + " to disk"));
  std::cout << "wrote " << file << "\n";
  return 0;
}

// Rebuilds the activities' derived data (search index, catalog change log) after a copy.
Status ReindexAllActivities(Database& db) {
  std::vector<int64_t> ids;
  GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) {
    return tx.QueryEach("SELECT id FROM activities ORDER BY id", {},
                        [&](const RowView& r) -> Status {
                          ids.push_back(r.Int(0));
                          return Ok();
                        });
  }));
  ActivityService activities(db);
  constexpr size_t kBatch = 10000;
  for (size_t at = 0; at < ids.size(); at += kBatch) {
    std::vector<int64_t> batch(
        ids.begin() + static_cast<std::ptrdiff_t>(at),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kBatch)));
    GMG_RETURN_IF_ERROR(db.Write([&](Tx& tx) { return activities.ReindexInTx(tx, batch); }));
  }
  return Ok();
}

// `gmg migrate-data --from SPEC --to SPEC`: migrates the destination, copies every table in
// one transaction (store/copy.h), prints rows and checksums per table; exit 1 on any mismatch
// (the destination then keeps nothing).
// Copies `from` into `to` (migrated, empty) in one transaction, rebuilds the activities'
// derived data, prints rows and checksums per table. Returns the exit code.
int CopyInstallation(Database& from, Database& to, const std::string& from_name,
                     const std::string& to_name) {
  CopyOptions options;
  // Derived data (SQLite's FTS5 tables are left out by the copier itself); the search
  // indexes are rebuilt below.
  options.skip_tables = DerivedTables();
  double reindex_seconds = 0;
  options.after_copy = [&](Database& db) {
    auto t0 = std::chrono::steady_clock::now();
    Status s = ReindexAllActivities(db);
    if (s.ok()) s = db.Write([](Tx& tx) { return RebuildLibraryIndex(tx); });
    reindex_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return s;
  };
  std::vector<TableCopy> report;
  auto started = std::chrono::steady_clock::now();
  Status copied = CopyDatabase(from, to, options, &report);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int64_t rows = 0;
  std::printf("%-24s %12s %12s  %-16s %-16s\n", "table", "source rows", "copied rows",
              "source sha256", "copy sha256");
  for (const auto& t : report) {
    rows += t.destination_rows;
    std::printf("%-24s %12lld %12lld  %.16s %.16s %s\n", t.table.c_str(),
                static_cast<long long>(t.source_rows), static_cast<long long>(t.destination_rows),
                t.source_checksum.c_str(), t.destination_checksum.c_str(),
                t.matches() ? "ok" : "MISMATCH");
  }
  std::fflush(stdout);
  if (!copied) return Fail(copied.error());
  std::cout << "copied " << rows << " rows in " << report.size() << " tables from " << from_name
            << " to " << to_name << " in " << std::fixed << std::setprecision(1)
            << seconds - reindex_seconds << " s (search index rebuilt in " << reindex_seconds
            << " s); every table matches\n";
  return 0;
}

int MigrateData(const std::string& from_spec, const std::string& to_spec) {
  if (from_spec == to_spec)
    return Fail(MakeError(ErrorCode::kInvalidArgument, "--from and --to name the same database"));
  if (auto s = InitCrypto(); !s) return Fail(s.error());
  auto from = OpenDatabase(from_spec);
  if (!from) return Fail(from.error());
  auto to = OpenDatabase(to_spec);
  if (!to) return Fail(to.error());
  if (auto s = Migrate(**to); !s) return Fail(s.error());
  return CopyInstallation(**from, **to, DescribeDatabase(from_spec), DescribeDatabase(to_spec));
}

// `gmg coherence`: the findings as the secretariat sees them, once the analysis is done.
int PrintCoherence(App& app, const std::string& format, const http::Request& filters,
                   int64_t limit) {
  auto filter = ParseOverlapFilter(filters);
  if (!filter) return Fail(filter.error());
  if (auto s = app.coherence().AnalyseNow(); !s) return Fail(s.error());
  Principal secretariat = Principal::Cli();
  secretariat.role = Role::kSecretariat;
  auto page = app.coherence().Overlaps(secretariat, *filter, limit, 0);
  if (!page) return Fail(page.error());
  if (format == "json") {
    boost::json::array items;
    for (const Overlap& o : page->items) items.push_back(OverlapJson(o));
    std::cout << boost::json::serialize(boost::json::object{{"items", std::move(items)},
                                                            {"total", page->total},
                                                            {"status", StatusJson(page->status)}})
              << "\n";
    return 0;
  }
  auto side = [](const OverlapActivity& a) {
    const auto& titles = a.record.titles;
    return "#" + std::to_string(a.record.id) + " " + a.organization_name + ": " +
           (titles.empty() ? std::string() : titles.front().text);
  };
  std::printf("%4s  %-11s  %5s  %s\n", "rank", "class", "prob", "activities");
  int rank = 0;
  for (const Overlap& o : page->items) {
    std::printf("%4d  %-11s  %5.2f  %s  <->  %s\n", ++rank,
                coherence::FindingClassName(o.finding.finding_class), o.finding.probability,
                side(o.a).c_str(), side(o.b).c_str());
    std::printf("%24s%s\n", "", o.summary.c_str());
  }
  std::printf("%lld findings (%d shown) among %zu activities\n",
              static_cast<long long>(page->total), rank, page->status.activities);
  return 0;
}

// `gmg coherence gaps` (H4): the gap cells as the secretariat sees them.
int PrintGaps(App& app, const std::string& format, const GapQuery& query) {
  Principal secretariat = Principal::Cli();
  secretariat.role = Role::kSecretariat;
  auto report = app.gaps().Gaps(secretariat, query);
  if (!report) return Fail(report.error());
  if (format == "json") {
    std::cout << boost::json::serialize(GapsJson(*report)) << "\n";
  } else {
    std::cout << GapsTable(*report);
  }
  return 0;
}

// `--flow AGENCY:ID` or `AGENCY:ID(VERSION)`.
Result<StatsFlowRef> ParseFlowRef(const std::string& text) {
  StatsFlowRef ref;
  size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--flow: expected AGENCY:ID or AGENCY:ID(VERSION), e.g. UNDESA:MIGRANT_STOCK");
  }
  ref.agency = text.substr(0, colon);
  ref.id = text.substr(colon + 1);
  if (size_t open = ref.id.find('('); open != std::string::npos && ref.id.back() == ')') {
    ref.version = ref.id.substr(open + 1, ref.id.size() - open - 2);
    ref.id.resize(open);
  }
  return ref;
}

std::string FlowName(const StatsFlowSummary& s) {
  return s.agency + ":" + s.id + "(" + s.version + ")";
}

struct StatsImportFlags {
  std::string file;
  std::string flow;
  std::string name;
  std::string note;
  bool infer = false;
  bool dry_run = false;
  bool merge = false;
};

void PrintInference(const std::string& file, const stats::Inference& inference) {
  std::cout << file << ": inferred " << inference.structure.dimensions.size() << " dimensions (";
  for (size_t d = 0; d < inference.structure.dimensions.size(); ++d) {
    const auto& dim = inference.structure.dimensions[d];
    size_t codes = 0;
    for (const auto& cl : inference.structure.codelists) {
      if (cl.id == dim.codelist) codes = cl.codes.size();
    }
    std::cout << (d ? ", " : "") << dim.id << " " << codes << " codes";
  }
  std::cout << "), " << inference.preview_observations << " observations\n";
  for (const auto& note : inference.notes) {
    std::cout << file << ": note: " << note.column << ": " << note.message << " [" << note.rule
              << "]\n";
  }
}

// `gmg stats import`: one file, all-or-nothing; prints the report. Exit 1 when refused.
int ImportStats(App& app, const StatsImportFlags& flags) {
  auto ref = ParseFlowRef(flags.flow);
  if (!ref) return Fail(ref.error());
  MappedFile mapped(flags.file);
  if (!mapped.Ok()) {
    std::cerr << flags.file << ": cannot read (not a readable file)\n";
    return 1;
  }
  StatsImportRequest request;
  request.flow = *ref;
  request.name = flags.name;
  request.data = mapped.View();
  request.file_name = std::filesystem::path(flags.file).filename().string();
  request.infer = flags.infer;
  request.dry_run = flags.dry_run;
  request.note = flags.note;
  request.replace = !flags.merge;
  auto report = app.statistics().Import(Principal::Cli(), request);
  if (!report) {
    std::cerr << flags.file << ": " << report.error().message << " (nothing imported)\n";
    for (const auto& d : report.error().details) {
      std::cerr << "  " << d.field << ": " << d.problem << "\n";
    }
    return 1;
  }
  if (report->inference) PrintInference(flags.file, *report->inference);
  for (const auto& p : report->problems) {
    std::cout << flags.file << ":" << p.line << ": " << (p.column.empty() ? "row" : p.column)
              << ": " << p.message << " [" << p.rule << "]\n";
  }
  if (auto more = report->problem_count - static_cast<int64_t>(report->problems.size()); more > 0) {
    std::cout << flags.file << ": and " << more << " more problems\n";
  }
  std::cout << flags.file << ": " << report->format << ", " << report->rows << " rows, "
            << report->observations << " observations in " << report->series << " series";
  if (!report->ignored_columns.empty()) {
    std::cout << "; ignored columns:";
    for (const auto& c : report->ignored_columns) std::cout << " '" << c << "'";
  }
  std::cout << "\n";
  if (report->problem_count > 0) {
    std::cout << flags.file << ": refused: " << report->problem_count
              << " problems (nothing imported)\n";
    return 1;
  }
  std::cout << flags.file << ": " << (flags.dry_run ? "would add " : "added ") << report->added
            << ", replaced " << report->replaced << ", deleted " << report->deleted
            << ", unchanged " << report->unchanged << " observations";
  if (report->release) {
    std::cout << " (release " << report->release->number << " of " << ref->agency << ":" << ref->id
              << ", " << report->release->observations << " observations now)";
  }
  std::cout << "\n";
  return 0;
}

// `gmg stats list`: every dataflow, one a line.
int ListStats(App& app) {
  auto flows = app.statistics().ListFlows();
  if (!flows) return Fail(flows.error());
  if (flows->empty()) std::cout << "no dataflows\n";
  for (const auto& f : *flows) {
    std::cout << FlowName(f) << "  " << f.series << " series, " << f.observations
              << " observations";
    if (!f.first_period.empty()) std::cout << ", " << f.first_period << "–" << f.last_period;
    if (f.current) std::cout << ", release " << f.current->number;
    std::cout << "  " << f.name << "\n";
  }
  return 0;
}

// `gmg stats show AGENCY:ID`: the dataflow, its structure and its releases.
int ShowStats(App& app, const std::string& flow) {
  auto ref = ParseFlowRef(flow);
  if (!ref) return Fail(ref.error());
  auto f = app.statistics().GetFlow(*ref);
  if (!f) return Fail(f.error());
  const StatsFlowSummary& s = f->summary;
  std::cout << FlowName(s) << ": " << s.name << "\n";
  if (!s.description.empty()) std::cout << "  " << s.description << "\n";
  std::cout << "  provider " << s.provider << "; " << s.series << " series, " << s.observations
            << " observations";
  if (!s.first_period.empty()) std::cout << ", " << s.first_period << "–" << s.last_period;
  std::cout << "\n";
  const sdmx::DataStructure& dsd = f->flow.structure;
  for (const auto& d : dsd.dimensions) {
    size_t codes = 0;
    for (const auto& cl : dsd.codelists) {
      if (cl.id == d.codelist) codes = cl.codes.size();
    }
    std::cout << "  dimension " << d.id << " (" << d.name << "): " << d.codelist << ", " << codes
              << " codes\n";
  }
  std::cout << "  time " << dsd.time_dimension << ", measure " << dsd.primary_measure << "\n";
  for (const auto& a : dsd.attributes) {
    std::cout << "  attribute " << a.id << (a.codelist.empty() ? "" : ": " + a.codelist) << "\n";
  }
  if (f->mapping) std::cout << "  column mapping saved (plain CSV uploads reuse it)\n";
  for (const auto& r : f->releases) {
    std::cout << "  release " << r.number << " (" << r.status << ") "
              << FormatTimestamp(r.created_at) << " " << r.format << " " << r.file_name << ": "
              << r.observations << " observations, " << r.changed << " changed";
    if (!r.user_name.empty()) std::cout << ", by " << r.user_name;
    if (!r.note.empty()) std::cout << " — " << r.note;
    std::cout << "\n";
  }
  return 0;
}

std::string ReadPassword() {
  std::string pw = EnvOr("GMG_PASSWORD", "");
  if (!pw.empty()) return pw;
  std::getline(std::cin, pw);
  if (!pw.empty() && pw.back() == '\r') pw.pop_back();
  return pw;
}

}  // namespace
}  // namespace gmg

// An exception escaping main is a bug that ends the process with its message (std::terminate),
// which is what the CLI should do then.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) {
  using namespace gmg;
  CLI::App cli{"GMG Hub: the working system of the Global Migration Group"};
  // The last line of `gmg --help`: where the people who use the hub read how (issue 9).
  cli.footer(
      "Guide for people using the hub (sign in, activities, chair, users, tokens): "
      "docs/guide/README.md, or /help in the web app.");
  const std::string db_help =
      "Database: a SQLite file, or postgresql://user:password@host:5432/dbname (env GMG_DB)";
  cli.require_subcommand(1);
  std::string db_path = EnvOr("GMG_DB", "gmg.db");
  cli.add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));

  auto* serve = cli.add_subcommand("serve", "Start the HTTP server");
  http::ServerOptions options;
  options.port = static_cast<uint16_t>(std::stoi(EnvOr("GMG_PORT", "8080")));
  std::string web_dir;
  serve->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  serve->add_option("--port", options.port, "Port; 0 picks a free one (env GMG_PORT)")
      ->capture_default_str();
  serve->add_option("--bind", options.bind, "Address to listen on")->capture_default_str();
  serve->add_option("--web", web_dir, "Directory of the built web app (web/dist)");
  serve->add_option("--threads", options.threads, "Worker threads (0 = one per core)")
      ->capture_default_str();
  serve->add_flag("--access-log", options.access_log, "Log every request to standard error");
  AuthHttpOptions auth_http;
  serve
      ->add_flag(
          "--secure-cookies", auth_http.secure_cookies,
          "Served only over HTTPS (behind TLS): the session cookie is __Host-gmg_session; Secure")
      ->envname("GMG_SECURE_COOKIES");
  serve->add_option(
      "--trusted-proxy", auth_http.trusted_proxies,
      "Peer address of a reverse proxy whose X-Forwarded-Proto/-For are believed (repeatable)");
  std::string metrics_token;
  serve
      ->add_option("--metrics-token", metrics_token,
                   "Bearer secret for GET /metrics (env GMG_METRICS_TOKEN); without it only admins "
                   "read metrics")
      ->envname("GMG_METRICS_TOKEN");
  serve
      ->add_option("--max-connections-per-address", options.max_connections_per_address,
                   "Open connections one client address may hold (trusted proxies: no cap)")
      ->capture_default_str();
  serve
      ->add_option("--max-background-per-address", options.max_background_per_address,
                   "Downloads and imports one client address may have queued or running at once")
      ->capture_default_str();
  http::WriteLimitOptions write_limit;
  serve
      ->add_option("--writes-per-minute", write_limit.per_minute,
                   "Writes (POST, PUT, PATCH, DELETE) one user, or one client address when "
                   "anonymous, may make a minute; more get 429 with Retry-After (0 = no quota)")
      ->check(CLI::Range(int64_t{0}, http::kMaxWritesPerMinute))
      ->capture_default_str();
  serve
      ->add_option("--write-burst", write_limit.burst,
                   "Writes one user or address may make at once before --writes-per-minute "
                   "applies (0 = no quota)")
      ->check(CLI::Range(int64_t{0}, http::kMaxWriteBurst))
      ->capture_default_str();
  int64_t max_answer_observations = StatsApiOptions{}.max_answer_observations;
  serve
      ->add_option("--max-answer-observations", max_answer_observations,
                   "The most observations one statistics answer (SDMX or the web app's) may hold; "
                   "larger ones are refused with 413 and a hint to narrow the query")
      ->check(CLI::Range(int64_t{1}, int64_t{1'000'000'000}))
      ->capture_default_str();
  std::string public_url;
  serve
      ->add_option("--public-url", public_url,
                   "The address people reach the hub at, e.g. https://hub.example.org: downloads "
                   "then link to activity pages in full (env GMG_PUBLIC_URL)")
      ->envname("GMG_PUBLIC_URL");
  std::string data_licence;
  serve
      ->add_option("--data-licence", data_licence,
                   "The licence of the data, stated in every download, e.g. \"CC BY 4.0 "
                   "https://creativecommons.org/licenses/by/4.0/\" (env GMG_DATA_LICENCE; "
                   "default: no licence stated)")
      ->envname("GMG_DATA_LICENCE");

  // E-mail (docs/notifications.md): the password only from the environment, never a flag.
  SmtpConfig smtp;
  std::string smtp_starttls = "required";
  RetryPolicy smtp_retry;
  serve
      ->add_option("--smtp-url", smtp.url,
                   "SMTP server for notification e-mail, smtp://host:587 or smtps://host:465 "
                   "(env GMG_SMTP_URL); without it mail stays queued in the outbox")
      ->envname("GMG_SMTP_URL");
  serve
      ->add_option("--smtp-user", smtp.user,
                   "SMTP user name (env GMG_SMTP_USER); the password comes from GMG_SMTP_PASSWORD")
      ->envname("GMG_SMTP_USER");
  serve
      ->add_option("--smtp-from", smtp.from,
                   "Sender of notification e-mail, e.g. \"GMG Hub <hub@example.org>\" "
                   "(env GMG_SMTP_FROM)")
      ->envname("GMG_SMTP_FROM");
  serve
      ->add_option("--smtp-starttls", smtp_starttls,
                   "smtp://: required (refuse a server without STARTTLS), optional or off "
                   "(env GMG_SMTP_STARTTLS)")
      ->check(CLI::IsMember({"required", "optional", "off"}))
      ->envname("GMG_SMTP_STARTTLS")
      ->capture_default_str();
  serve
      ->add_option("--smtp-ca-file", smtp.ca_file,
                   "PEM file of the CAs that sign the SMTP server's certificate (env "
                   "GMG_SMTP_CA_FILE; default: the system's)")
      ->envname("GMG_SMTP_CA_FILE");
  serve
      ->add_option("--smtp-timeout", smtp.timeout_seconds,
                   "Seconds one message may take to send (connecting: at most 10)")
      ->check(CLI::Range(int64_t{1}, int64_t{600}))
      ->capture_default_str();
  serve
      ->add_option("--smtp-retry-base-seconds", smtp_retry.base_seconds,
                   "A refused message is retried after 2, 4, 8 … times this (at most 6 hours; "
                   "failed after 10 attempts)")
      ->check(CLI::Range(int64_t{1}, int64_t{3600}))
      ->capture_default_str();

  auto* migrate = cli.add_subcommand("migrate", "Bring the database to the latest schema version");
  migrate->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));

  auto* user = cli.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_add =
      user->add_subcommand("add", "Create a user; password from GMG_PASSWORD or standard input");
  NewUser new_user;
  std::string role = "member";
  user_add->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  user_add->add_option("--email", new_user.email, "E-mail (the sign-in name)")->required();
  user_add->add_option("--name", new_user.name, "Full name")->required();
  user_add->add_option("--role", role, "admin, secretariat, focal_point, member or stakeholder")
      ->check(CLI::IsMember({"admin", "secretariat", "focal_point", "member", "stakeholder"}))
      ->capture_default_str();
  user_add->add_option("--org", new_user.organization_id,
                       "Organisation id (e.g. iom) for focal_point and member");

  auto* backup = cli.add_subcommand(
      "backup", "Write a consistent copy of the database to FILE (from PostgreSQL: a SQLite file)");
  std::string backup_path;
  backup->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  backup->add_option("FILE", backup_path, "Where to write the copy (must not exist)")->required();

  auto* import_cmd = cli.add_subcommand("import", "Import data");
  import_cmd->require_subcommand(1);
  auto* import_iati = import_cmd->add_subcommand(
      "iati", "Import IATI 2.01-2.03 activity files (each all-or-nothing)");
  std::vector<std::string> import_files;
  bool dry_run = false;
  import_iati->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  import_iati->add_option("FILE", import_files, "IATI XML files")
      ->required()
      ->check(CLI::ExistingFile);
  import_iati->add_flag("--dry-run", dry_run, "Report what would change, change nothing");

  auto* export_cmd = cli.add_subcommand("export", "Export data");
  export_cmd->require_subcommand(1);
  auto* export_iati =
      export_cmd->add_subcommand("iati", "Write activities as IATI 2.03 XML (all, or filtered)");
  std::string export_out;
  ActivityFilter export_filter;
  export_iati->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  export_iati->add_option("--out", export_out, "Output file (default: standard output)");
  export_iati->add_option("--organization", export_filter.organizations,
                          "Only these organisations (ids)");
  export_iati->add_option("--theme", export_filter.themes, "Only these themes");
  export_iati->add_option("--country", export_filter.countries,
                          "Only these countries (ISO alpha-2)");

  auto* demo = cli.add_subcommand("demo", "Demonstration data");
  demo->require_subcommand(1);
  auto* demo_load = demo->add_subcommand("load", "Add the labelled demo activities (once)");
  demo_load->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  auto* demo_generate = demo->add_subcommand(
      "generate",
      "Write a synthetic corpus as IATI 2.03 XML (for `gmg import iati`) with planted, "
      "labelled overlaps (docs/performance.md)");
  size_t generate_n = 1000;
  uint64_t generate_seed = 1;
  std::string generate_out, generate_labels, generate_names = "yes";
  demo_generate->add_option("--activities", generate_n, "How many activities")
      ->check(CLI::Range(size_t{1}, size_t{10'000'000}))
      ->capture_default_str();
  demo_generate->add_option("--seed", generate_seed, "Seed (same seed, same corpus)")
      ->capture_default_str();
  demo_generate
      ->add_option("--project-names", generate_names,
                   "no: the same corpus without the project names at the end of the titles")
      ->check(CLI::IsMember({"yes", "no"}))
      ->capture_default_str();
  demo_generate->add_option("--out", generate_out, "IATI XML file (default: standard output)");
  demo_generate->add_option("--labels", generate_labels,
                            "CSV of the planted pairs by IATI identifier: "
                            "a,b,category,expected_class");

  auto* migrate_data = cli.add_subcommand(
      "migrate-data",
      "Copy a whole installation into an empty database (SQLite and PostgreSQL, either way)");
  std::string copy_from, copy_to;
  migrate_data->add_option("--from", copy_from, "Source: a SQLite file or a postgresql:// URL")
      ->required();
  migrate_data
      ->add_option("--to", copy_to,
                   "Destination: a new file or an empty PostgreSQL database (this command migrates "
                   "it; not `gmg migrate`, which seeds)")
      ->required();

  auto* coherence_cmd = cli.add_subcommand(
      "coherence",
      "Likely duplication and synergies between the organisations' activities, as the "
      "secretariat sees them (analyses first)");
  coherence_cmd->require_subcommand(0, 1);  // sub-commands (gaps) may follow
  std::string coherence_format = "table";
  int64_t coherence_limit = 50;
  http::Request coherence_filters;
  coherence_cmd->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  coherence_cmd->add_option("--format", coherence_format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  coherence_cmd->add_option("--limit", coherence_limit, "At most this many findings (1-500)")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  struct FilterFlag {
    const char* flag;
    const char* key;  // the API's query parameter
    const char* help;
  };
  static constexpr FilterFlag kCoherenceFilters[] = {
      {"--organization", "organization", "Involving this organisation (id)"},
      {"--country", "country", "In this country (ISO alpha-2)"},
      {"--region", "region", "In this region (UN M49 code, LDC, LLDC, SIDS)"},
      {"--theme", "theme", "On this theme (id)"},
      {"--class", "class", "duplication or synergy"},
      {"--min-score", "min_score", "Probability at least this (0 to 1)"},
      {"--from", "from", "Overlapping the period from this date (YYYY-MM-DD)"},
      {"--to", "to", "Overlapping the period up to this date (YYYY-MM-DD)"}};
  for (const FilterFlag& f : kCoherenceFilters) {
    const char* key = f.key;
    coherence_cmd->add_option_function<std::string>(
        f.flag,
        [&coherence_filters, key](const std::string& v) {
          coherence_filters.query.emplace_back(key, v);
        },
        f.help);
  }

  // `gmg coherence gaps` (H4).
  auto* gaps_cmd = coherence_cmd->add_subcommand(
      "gaps",
      "Country or region x theme cells where need (UN DESA, UNHCR figures) is high and coverage "
      "(activities) low, largest gaps first");
  std::string gaps_format = "table";
  GapQuery gaps_query;
  gaps_cmd->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  gaps_cmd->add_option("--format", gaps_format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  gaps_cmd->add_option("--level", gaps_query.level, "region, subregion or country")
      ->check(CLI::IsMember({"region", "subregion", "country"}))
      ->capture_default_str();
  gaps_cmd->add_option("--region", gaps_query.region,
                       "Only areas inside this region (UN M49 code, LDC, LLDC, SIDS)");
  gaps_cmd->add_option("--theme", gaps_query.theme, "Only this theme (id)");
  gaps_cmd->add_option("--limit", gaps_query.limit, "At most this many cells (1-5000)")
      ->check(CLI::Range(int64_t{1}, GapService::kMaxLimit))
      ->capture_default_str();

  // `gmg stats` (issue 11).
  auto* stats_cmd = cli.add_subcommand("stats", "Statistics: SDMX dataflows and their data");
  stats_cmd->require_subcommand(1);
  auto* stats_import = stats_cmd->add_subcommand(
      "import",
      "Import SDMX-CSV 1.0/2.0, SDMX-ML 2.1 or plain CSV into a dataflow (all-or-nothing; "
      "exit 1 listing line, column and problem when refused)");
  StatsImportFlags stats_flags;
  stats_import->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  stats_import->add_option("FILE", stats_flags.file, "The file")
      ->required()
      ->check(CLI::ExistingFile);
  stats_import
      ->add_option("--flow", stats_flags.flow,
                   "The dataflow, AGENCY:ID (created when new; agency = organisation id in "
                   "upper case), e.g. UNDESA:MIGRANT_STOCK")
      ->required();
  stats_import->add_flag("--infer", stats_flags.infer,
                         "Plain CSV: infer the structure and column mapping (and save them)");
  stats_import->add_flag("--dry-run", stats_flags.dry_run,
                         "Check and report what would change, change nothing");
  stats_import->add_option("--name", stats_flags.name, "A new dataflow's name");
  stats_import->add_flag("--merge", stats_flags.merge,
                         "Merge into the stored data instead of replacing it (files without "
                         "ACTION)");
  stats_import->add_option("--note", stats_flags.note, "A note kept with the release");
  auto* stats_list = stats_cmd->add_subcommand("list", "List the dataflows");
  stats_list->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  auto* stats_show = stats_cmd->add_subcommand("show", "Show a dataflow: structure and releases");
  std::string stats_show_flow;
  stats_show->add_option("--db", db_path, db_help)->default_str(DescribeDatabase(db_path));
  stats_show->add_option("FLOW", stats_show_flow, "AGENCY:ID")->required();

  cli.add_subcommand("version", "Print the version");

  CLI11_PARSE(cli, argc, argv);

  AppConfig config;
  config.db_path = db_path;
  config.web_dir = web_dir;
  config.auth_http = auth_http;
  config.metrics_token = metrics_token;
  config.write_limit = write_limit;
  config.auth_limits.password_hash = PasswordHashCostFromEnv();
  if (serve->parsed()) {
    auto downloads = MakeDownloadSettings(public_url, data_licence);
    if (!downloads) return Fail(downloads.error());
    config.downloads = *std::move(downloads);
    config.stats_api.max_answer_observations = max_answer_observations;
    smtp.password = EnvOr("GMG_SMTP_PASSWORD", "");
    smtp.connect_timeout_seconds = std::min<int64_t>(10, smtp.timeout_seconds);
    ParseStartTls(smtp_starttls, &smtp.starttls);
    if (auto s = CheckSmtpConfig(smtp); !s) return Fail(s.error());
    config.notifications.smtp = smtp;
    config.notifications.retry = smtp_retry;
    config.notifications.public_url = config.downloads.public_url;
  }
  options.unlimited_addresses = auth_http.trusted_proxies;

  if (serve->parsed()) return Serve(config, options);

  if (cli.got_subcommand("version")) {
    std::cout << "gmg " << kGmgVersion << " (schema " << LatestSchemaVersion() << ")\n";
    return 0;
  }

  if (backup->parsed()) return BackupDatabase(config, backup_path);
  if (demo_generate->parsed())
    return GenerateCorpus(generate_n, generate_seed, generate_names == "yes", generate_out,
                          generate_labels);
  if (migrate_data->parsed()) return MigrateData(copy_from, copy_to);

  auto app = App::Open(config);
  if (!app) return Fail(app.error());

  if (migrate->parsed()) {
    auto v = SchemaVersion((*app)->db());
    if (!v) return Fail(v.error());
    auto modules = ReadSchemaVersions((*app)->db());
    if (!modules) return Fail(modules.error());
    std::cout << DescribeDatabase(db_path) << " is at schema version " << *v << " ("
              << DescribeSchema(*modules) << ")\n";
    return 0;
  }
  if (user_add->parsed()) {
    ParseRole(role, &new_user.role);
    new_user.password = ReadPassword();
    auto created = (*app)->auth().CreateUser(Principal::Cli(), new_user);
    if (!created) return Fail(created.error());
    std::cout << "created user " << created->id << " " << created->email << " (" << role << ")\n";
    return 0;
  }
  if (import_iati->parsed()) return ImportFiles(**app, import_files, dry_run);
  if (export_iati->parsed()) {
    std::ofstream file;
    if (!export_out.empty()) {
      file.open(export_out, std::ios::binary | std::ios::trunc);
      if (!file) return Fail(MakeError(ErrorCode::kInvalidArgument, "cannot write " + export_out));
    }
    std::ostream& out = export_out.empty() ? std::cout : file;
    Principal everyone_visible = Principal::Cli();  // the shell sees every activity
    auto s = ExportIati((*app)->db(), (*app)->activities(), everyone_visible, export_filter,
                        [&](std::string_view piece) {
                          out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
                          return static_cast<bool>(out);
                        });
    if (!s) return Fail(s.error());
    return out ? 0 : 1;
  }
  if (stats_import->parsed()) return ImportStats(**app, stats_flags);
  if (stats_list->parsed()) return ListStats(**app);
  if (stats_show->parsed()) return ShowStats(**app, stats_show_flow);
  if (gaps_cmd->parsed()) return PrintGaps(**app, gaps_format, gaps_query);  // H4
  if (coherence_cmd->parsed()) {
    return PrintCoherence(**app, coherence_format, coherence_filters, coherence_limit);
  }
  if (demo_load->parsed()) {
    auto added = (*app)->LoadDemoData();
    if (!added) return Fail(added.error());
    std::cout
        << (*added ? "loaded " + std::to_string(*added) +
                         " demo records (activities, dataflows, meetings, positions, contributions)"
                   : std::string("the demo records are already there"))
        << "\n";
    return 0;
  }
  return 0;
}
