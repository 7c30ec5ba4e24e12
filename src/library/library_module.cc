#include "library/library_module.h"

#include "library/library_api.h"
#include "library/library_demo.h"
#include "library/library_migrations.h"

namespace gmg {

LibraryModule::LibraryModule(LibraryThemeSource themes, LibraryUserCheck users,
                             std::function<int64_t()> now)
    : themes_(std::move(themes)), users_(std::move(users)), now_(std::move(now)) {}

const std::vector<Migration>& LibraryModule::Migrations() const { return LibraryMigrations(); }

Status LibraryModule::Start(Database& db) {
  service_ = std::make_unique<LibraryService>(db, themes_, users_, now_);
  return Ok();
}

void LibraryModule::AddRoutes(http::Router& router) { AddLibraryRoutes(router, *service_); }

std::vector<BackgroundJob> LibraryModule::BackgroundJobs() {
  LibraryService* s = service_.get();
  // A sweep deletes at most 100 files in one transaction; the next one goes on.
  return {{"library.files", std::chrono::hours(1), [s](const std::stop_token&) -> Status {
             auto deleted = s->DeleteUnheldFiles();
             return deleted ? Ok() : Status(deleted.error());
           }}};
}

Result<int> LibraryModule::LoadDemoData(Database& db) {
  GMG_ASSIGN_OR_RETURN(std::set<std::string> themes, themes_());
  return LoadDemoLibrary(db, *service_, {themes.begin(), themes.end()});
}

}  // namespace gmg
