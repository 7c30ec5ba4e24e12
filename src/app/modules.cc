#include "app/modules.h"

#include <set>
#include <string>

#include "activities/activity_service.h"
#include "governance/organization_directory.h"
#include "library/library_text_index.h"
#include "meetings/meetings_migrations.h"

namespace gmg {
namespace {

// True when `r` found its record, false when it was not found, else its error.
template <typename T>
Result<bool> Found(const Result<T>& r) {
  if (r.ok()) return true;
  if (r.error().code == ErrorCode::kNotFound) return false;
  return r.error();
}

// The demo's meetings from four months before now to four months after, and its positions.
Result<std::vector<int64_t>> DemoItems(MeetingService& meetings, PositionService& positions,
                                       std::string_view kind) {
  std::vector<int64_t> ids;
  if (kind == "meeting") {
    constexpr int64_t kSpan = int64_t{120} * 86400;
    int64_t now = UnixNow();
    MeetingFilter around_now;
    around_now.from = now - kSpan;
    around_now.to = now + kSpan;
    GMG_ASSIGN_OR_RETURN(auto page, meetings.ListMeetings(around_now));
    for (const Meeting& m : page.items) {
      if (m.title.starts_with("Demo:")) ids.push_back(m.id);
    }
    return ids;
  }
  GMG_ASSIGN_OR_RETURN(auto page, positions.List(Principal::Cli(), PositionFilter{}));
  for (const Position& p : page.items) {
    if (p.title.starts_with("Demo:")) ids.push_back(p.id);
  }
  return ids;
}

Status AddFollowUp(ActionService& actions, int64_t initiative_id, const std::string& title,
                   const std::string& owner_org, const std::string& due_date,
                   const std::string& status) {
  auto due = Date::Parse(due_date);
  if (!due) return MakeError(ErrorCode::kInternal, "demo follow-up: bad due date " + due_date);
  NewAction a;
  a.initiative_id = initiative_id;
  a.title = title;
  a.description = "Demo: a follow-up action of the demonstration initiative.";
  a.owner_org = owner_org;
  a.due_date = *due;
  a.status = status;
  Principal loader = Principal::Cli();
  loader.email = "demo";
  GMG_RETURN_IF_ERROR(actions.Create(loader, a));
  return Ok();
}

}  // namespace

Result<std::map<int64_t, LinkedItem>> InitiativeLinkReader::Meetings(
    const Principal& /*viewer*/, const std::vector<int64_t>& ids) {
  GMG_ASSIGN_OR_RETURN(auto found, meetings_.service().GetMeetings(ids));
  std::map<int64_t, LinkedItem> out;
  for (const Meeting& m : found) {
    out.emplace(m.id, LinkedItem{m.id, m.title, m.starts_at, m.status});
  }
  return out;
}

Result<std::map<int64_t, LinkedItem>> InitiativeLinkReader::Positions(
    const Principal& viewer, const std::vector<int64_t>& ids) {
  GMG_ASSIGN_OR_RETURN(auto found, positions_.service().GetMany(viewer, ids));
  std::map<int64_t, LinkedItem> out;
  for (const Position& p : found) {
    out.emplace(p.id, LinkedItem{p.id, p.title, std::nullopt, p.status});
  }
  return out;
}

Modules::Modules(AuthHttpOptions auth_http, DownloadSettings downloads, StatsApiOptions stats_api,
                 NotificationModuleOptions notifications, AuthLimits auth_limits)
    : auth_(std::move(auth_http), OrganizationExists, IsMemberOn, auth_limits),
      activities_(std::move(downloads)),
      statistics_([this]() -> AuthService& { return auth_.service(); }, stats_api),
      coherence_([this]() -> ActivityService& { return activities_.service(); },
                 [this]() -> AuthService& { return auth_.service(); },
                 [this]() -> StatsService& { return statistics_.service(); }),
      notifications_([this]() -> AuthService& { return auth_.service(); },
                     std::move(notifications)),
      meetings_(
          [this](Tx& tx, const NewNotification& n) { return notifications_.notifier()(tx, n); },
          [this]() -> GovernanceService& { return governance_.service(); }, UnixNow,
          [this](int64_t id) { return Found(initiatives_.service().Get(std::to_string(id))); }),
      positions_(
          [this](Tx& tx, const NewNotification& n) { return notifications_.notifier()(tx, n); },
          [this]() -> GovernanceService& { return governance_.service(); },
          [this]() -> AuthService& { return auth_.service(); }),
      initiatives_(
          [this]() -> GovernanceService& { return governance_.service(); },
          [this](std::string_view kind, int64_t id) -> Result<bool> {
            if (kind == "meeting") return Found(meetings_.service().GetMeeting(id));
            return Found(positions_.service().Get(Principal::Cli(), id));
          },
          initiative_links_,
          InitiativeDemoSources{
              .demo_items =
                  [this](std::string_view kind) {
                    return DemoItems(meetings_.service(), positions_.service(), kind);
                  },
              .add_follow_up =
                  [this](int64_t initiative_id, const std::string& title, const std::string& owner,
                         const std::string& due, const std::string& status) {
                    return AddFollowUp(meetings_.actions(), initiative_id, title, owner, due,
                                       status);
                  }}),
      library_(
          [this]() -> Result<std::set<std::string>> {
            GMG_ASSIGN_OR_RETURN(auto themes, activities_.service().ListThemes());
            std::set<std::string> ids;
            for (const auto& t : themes) {
              if (!t.archived) ids.insert(t.id);
            }
            return ids;
          },
          [this](int64_t id) -> Result<std::optional<LibraryUserRef>> {
            Result<User> user = auth_.service().GetUser(id);
            if (!user.ok()) {
              if (user.error().code == ErrorCode::kNotFound) {
                return std::optional<LibraryUserRef>();
              }
              return user.error();
            }
            return std::optional(LibraryUserRef{user->role, user->organization_id});
          }),
      engagement_([this]() -> GovernanceService& { return governance_.service(); },
                  [this]() -> AuthService& { return auth_.service(); }),
      training_([this]() -> GovernanceService& { return governance_.service(); }),
      research_([this](int64_t id) -> Result<std::optional<ExchangeUserRef>> {
        auto user = auth_.service().GetUser(id);
        if (!user.ok() && user.error().code == ErrorCode::kNotFound) {
          return std::optional<ExchangeUserRef>();
        }
        if (!user.ok()) return user.error();
        return std::optional<ExchangeUserRef>(
            ExchangeUserRef{.organization_id = user->organization_id});
      }),
      in_order_{&audit_,     &auth_,          &governance_, &activities_, &statistics_,
                &coherence_, &notifications_, &meetings_,   &positions_,  &initiatives_,
                &library_,   &engagement_,    &training_,   &research_} {}

std::vector<Migration> Modules::Migrations() const {
  std::vector<Migration> all;
  for (const Module* m : in_order_) {
    all.insert(all.end(), m->Migrations().begin(), m->Migrations().end());
  }
  return all;
}

Status CheckModules(const std::vector<Module*>& in_order) {
  std::set<std::string_view> before;
  for (const Module* m : in_order) {
    for (std::string_view dependency : m->Dependencies()) {
      if (!before.contains(dependency)) {
        return MakeError(ErrorCode::kInternal, "module '" + std::string(m->Name()) +
                                                   "' depends on '" + std::string(dependency) +
                                                   "', which does not come before it");
      }
    }
    for (const Migration& migration : m->Migrations()) {
      if (migration.module != m->Name()) {
        return MakeError(ErrorCode::kInternal, "module '" + std::string(m->Name()) +
                                                   "' declares a migration of '" +
                                                   std::string(migration.module) + "'");
      }
    }
    before.insert(m->Name());
  }
  return Ok();
}

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kAll = Modules().Migrations();
  return kAll;
}

int LatestSchemaVersion() { return static_cast<int>(AllMigrations().size()); }

Status Migrate(Database& db) { return Migrate(db, AllMigrations()); }

std::set<std::string> DerivedTables() {
  std::set<std::string> out = ActivityService::DerivedTables();
  out.merge(LibraryDerivedTables());
  out.merge(MeetingsDerivedTables());
  return out;
}

}  // namespace gmg
