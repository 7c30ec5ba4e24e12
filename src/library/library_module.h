// The library module: the knowledge library of issue 13 (library/library_service.h) and its
// routes (library/library_api.h).
// Thread-safety: see module/module.h.
#pragma once

#include <functional>
#include <memory>

#include "library/library_service.h"
#include "module/module.h"

namespace gmg {

class LibraryModule final : public Module {
 public:
  // `themes` gives the taxonomy's theme ids (the activities module's, wired by app/).
  LibraryModule(LibraryThemeSource themes, LibraryUserCheck users,
                std::function<int64_t()> now = UnixNow);

  std::string_view Name() const override { return "library"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance", "activities"};
  }
  const std::vector<Migration>& Migrations() const override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  // A dozen "Demo:" items of each kind, one best practice in review.
  Result<int> LoadDemoData(Database& db) override;
  // "library.files": every hour, deletes the stored files no item holds
  // (LibraryService::DeleteUnheldFiles).
  std::vector<BackgroundJob> BackgroundJobs() override;

  // After Start.
  LibraryService& service() { return *service_; }

 private:
  LibraryThemeSource themes_;
  LibraryUserCheck users_;
  std::function<int64_t()> now_;
  std::unique_ptr<LibraryService> service_;
};

}  // namespace gmg
