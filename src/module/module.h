// Module: the contract every capability (governance, auth, audit, activities, and each later
// one) offers the composition root (src/app/). A module is one folder that owns its tables,
// their migrations (store/migrations.h), its SQL, its service and its routes; other modules
// reach its data only through its service's C++ interface, never through its tables.
//
// Life cycle, driven by App in dependency order: construct (no I/O; a module is handed the
// modules it depends on) → the database is opened → every module's Migrations() applied →
// Seed() → Start() (creates the services) → AddRoutes() → BackgroundJobs() run while serving.
// LoadDemoData() only on `gmg demo load`.
// Thread-safety: built and started on one thread; after Start the services it hands out are
// shared by the server threads (each service states its own rule).
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/router.h"
#include "store/database.h"
#include "store/migrations.h"

namespace gmg {

// Work a module wants done now and then while the server runs (e.g. purging expired rows).
// With several instances on one PostgreSQL database, `run` must be safe to run on each (take
// Database::AcquireNamedLock where one instance must lead). `stop` is requested when the
// server stops (JobRunner::Stop waits for the run): a run made of many steps (the outbox's
// batch of mails) checks it between steps and leaves the rest for the next start.
struct BackgroundJob {
  std::string name;
  std::chrono::seconds every{0};
  std::function<Status(const std::stop_token& stop)> run;
};

class Module {
 public:
  virtual ~Module() = default;
  Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // Lower-case, as in schema_migrations and the folder name: "governance".
  virtual std::string_view Name() const = 0;
  // The modules whose services or tables this one uses; they come earlier in App's list.
  virtual std::vector<std::string_view> Dependencies() const = 0;
  // This module's migrations, numbered 1, 2, 3 … with module == Name().
  virtual const std::vector<Migration>& Migrations() const = 0;
  // Rows every installation has (idempotent: runs at every start).
  virtual Status Seed(Database& /*db*/) { return Ok(); }
  // Creates the services over the migrated database.
  virtual Status Start(Database& db) = 0;
  // Registers the module's routes (after Start).
  virtual void AddRoutes(http::Router& router) = 0;
  // Jobs to run while serving (after Start); none by default.
  virtual std::vector<BackgroundJob> BackgroundJobs() { return {}; }
  // Adds example rows for a demonstration (after Start); returns how many were added.
  virtual Result<int> LoadDemoData(Database& /*db*/) { return 0; }
};

}  // namespace gmg
