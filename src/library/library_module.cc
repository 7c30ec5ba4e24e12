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

Result<int> LibraryModule::LoadDemoData(Database& db) {
  GMG_ASSIGN_OR_RETURN(std::set<std::string> themes, themes_());
  return LoadDemoLibrary(db, *service_, {themes.begin(), themes.end()});
}

}  // namespace gmg
