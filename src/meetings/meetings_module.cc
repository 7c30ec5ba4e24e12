#include "meetings/meetings_module.h"

#include "meetings/meeting_api.h"
#include "meetings/meeting_demo.h"
#include "meetings/meetings_migrations.h"

namespace gmg {

MeetingsModule::MeetingsModule(Notifier notify, std::function<GovernanceService&()> governance,
                               std::function<int64_t()> now)
    : notify_(std::move(notify)), governance_(std::move(governance)), now_(std::move(now)) {}

const std::vector<Migration>& MeetingsModule::Migrations() const { return MeetingsMigrations(); }

Status MeetingsModule::Start(Database& db) {
  service_ = std::make_unique<MeetingService>(db, governance_, now_);
  return Ok();
}

void MeetingsModule::AddRoutes(http::Router& router) {
  AddMeetingRoutes(router, *service_);
  // The minutes, decisions and actions routes (the minutes part) are added here too.
}

Result<int> MeetingsModule::LoadDemoData(Database& /*db*/) {
  GMG_ASSIGN_OR_RETURN(int meetings, LoadDemoMeetings(*service_, now_()));
  // Hook: the minutes part's demo (minutes, decisions, actions of the held meetings) goes here.
  return meetings;
}

}  // namespace gmg
