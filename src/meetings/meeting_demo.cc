#include "meetings/meeting_demo.h"

#include <string>
#include <vector>

namespace gmg {
namespace {

struct DemoItem {
  const char* title;
  const char* presenter;  // "" = none
  std::vector<int64_t> purposes;
};

// A plausible agenda: opening, two substantive items with their presenters and ToR purposes,
// any other business.
std::vector<DemoItem> AgendaFor(bool principals) {
  if (principals) {
    return {{"Opening by the chair and adoption of the agenda", "", {}},
            {"Towards a common position on migration and development", "undesa", {1, 2}},
            {"Protection at sea and in mixed movements", "unhcr", {2}},
            {"Any other business and the next chair", "", {}}};
  }
  return {{"Adoption of the agenda and of the last minutes", "", {}},
          {"Migration data: progress of the joint handbook", "iom", {1}},
          {"Labour migration and decent work: joint activities", "ilo", {2}},
          {"Any other business", "", {}}};
}

Principal DemoLoader() {
  Principal p = Principal::Cli();
  p.email = "demo";
  return p;
}

// The 15th of the month `months_back` months before `now`'s, at `time`.
std::string FirstLocal(int64_t now, int months_back, const char* time) {
  Date today = Date::FromDays(static_cast<int32_t>(now / 86400));
  Date first = Date::FromCivil(today.year(), today.month(), 15).AddMonths(-months_back);
  return first.ToString() + "T" + time;
}

Result<int> AddSeries(MeetingService& meetings, const SeriesFields& fields, bool principals,
                      int64_t now) {
  const Principal loader = DemoLoader();
  GMG_ASSIGN_OR_RETURN(MeetingSeries series, meetings.CreateSeries(loader, fields));
  MeetingFilter filter;
  filter.series_id = series.id;
  filter.limit = 100;
  GMG_ASSIGN_OR_RETURN(MeetingPage page, meetings.ListMeetings(filter));
  bool next_done = false;
  for (const Meeting& m : page.items) {
    bool past = m.ends_at < now;
    if (!past && next_done) continue;  // later meetings: planned, agenda still to come
    for (const DemoItem& item : AgendaFor(principals)) {
      AgendaFields a;
      a.title = item.title;
      if (*item.presenter != '\0') a.presenter_org = item.presenter;
      a.purposes = item.purposes;
      GMG_RETURN_IF_ERROR(meetings.AddAgendaItem(loader, m.id, a));
    }
    if (past) {
      MeetingFields held;
      held.status = "held";
      GMG_RETURN_IF_ERROR(meetings.UpdateMeeting(loader, m.id, m.version, held));
    } else {
      next_done = true;
    }
  }
  return static_cast<int>(page.items.size());
}

}  // namespace

Result<int> LoadDemoMeetings(MeetingService& meetings, int64_t now) {
  GMG_ASSIGN_OR_RETURN(auto existing, meetings.ListSeries(true));
  for (const MeetingSeries& s : existing) {
    if (s.name.rfind("Demo:", 0) == 0) return 0;
  }
  SeriesFields principals;
  principals.name = "Demo: Principals";
  principals.level = "principals";
  principals.description =
      "Demo: the executive heads of the member organisations, twice a year under the rotating "
      "chair.";
  principals.time_zone = "Europe/Zurich";
  principals.place = "Demo: Palais des Nations, Geneva";
  principals.link = "https://meet.example.org/demo-principals";
  principals.rule = "FREQ=MONTHLY;INTERVAL=6;COUNT=6";
  principals.first_local = FirstLocal(now, 24, "10:00");
  principals.duration_minutes = 180;
  GMG_ASSIGN_OR_RETURN(int added, AddSeries(meetings, principals, true, now));

  SeriesFields working;
  working.name = "Demo: Working level";
  working.level = "working";
  working.description = "Demo: the focal points, every two months, preparing the principals.";
  working.time_zone = "America/New_York";
  working.place = "Demo: UN Headquarters, New York";
  working.link = "https://meet.example.org/demo-working";
  working.rule = "FREQ=MONTHLY;INTERVAL=2;COUNT=9";
  working.first_local = FirstLocal(now, 10, "14:00");
  working.duration_minutes = 120;
  GMG_ASSIGN_OR_RETURN(int more, AddSeries(meetings, working, false, now));
  return added + more;
}

}  // namespace gmg
