#include "meetings/meetings_module.h"

#include "meetings/action_api.h"
#include "meetings/ical_feed.h"
#include "meetings/meeting_api.h"
#include "meetings/meeting_demo.h"
#include "meetings/meetings_migrations.h"
#include "meetings/minutes_api.h"
#include "meetings/minutes_demo.h"

namespace gmg {

MeetingsModule::MeetingsModule(Notifier notify, std::function<GovernanceService&()> governance,
                               std::function<int64_t()> now, InitiativeCheck initiative_exists)
    : notify_(std::move(notify)),
      governance_(std::move(governance)),
      now_(std::move(now)),
      initiative_exists_(std::move(initiative_exists)) {}

const std::vector<Migration>& MeetingsModule::Migrations() const { return MeetingsMigrations(); }

Status MeetingsModule::Start(Database& db) {
  db_ = &db;
  service_ = std::make_unique<MeetingService>(db, governance_, now_);
  minutes_ = std::make_unique<MinutesService>(db, notify_, now_);
  actions_ = std::make_unique<ActionService>(db, notify_, now_, initiative_exists_);
  return Ok();
}

void MeetingsModule::AddRoutes(http::Router& router) {
  AddMeetingRoutes(router, *service_);
  meetings::AddIcalRoutes(router, *db_, now_);
  AddMinutesRoutes(router, *minutes_);
  AddActionRoutes(router, *actions_);
}

std::vector<BackgroundJob> MeetingsModule::BackgroundJobs() {
  // Exactly once per action across instances: NotifyOverdue's conditional UPDATE decides.
  return {{"meetings.actions_overdue", std::chrono::seconds(60),
           [this](const std::stop_token&) -> Status {
             GMG_RETURN_IF_ERROR(actions_->NotifyOverdue());
             return Ok();
           }}};
}

Result<int> MeetingsModule::LoadDemoData(Database& db) {
  GMG_ASSIGN_OR_RETURN(int meetings, LoadDemoMeetings(*service_, now_()));
  GMG_ASSIGN_OR_RETURN(int minutes, LoadMinutesDemo(db, *minutes_, *actions_, now_));
  return meetings + minutes;
}

}  // namespace gmg
