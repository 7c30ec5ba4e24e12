#include "meetings/minutes_demo.h"

#include <string>
#include <vector>

#include "governance/organization_directory.h"

namespace gmg {
namespace {

struct DemoMeeting {
  int64_t id = 0;
  std::string title;
  std::optional<int64_t> first_item;
};

struct DemoFacts {
  bool already = false;
  std::vector<DemoMeeting> past;  // oldest first
  std::vector<std::string> orgs;  // current members
};

Result<DemoFacts> ReadFacts(Database& db, int64_t now) {
  DemoFacts f;
  GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto n, tx.QueryOne("SELECT count(*) FROM meeting_actions "
                                             "WHERE title LIKE 'Demo:%'"));
    f.already = n->Int(0) > 0;
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT m.id, m.title, (SELECT min(i.id) FROM "
                                             "meeting_agenda_items i WHERE i.meeting_id = m.id) "
                                             "FROM meetings m LEFT JOIN meeting_minutes mm "
                                             "ON mm.meeting_id = m.id WHERE m.title LIKE 'Demo:%' "
                                             "AND m.ends_at < ? AND m.status <> 'cancelled' "
                                             "AND mm.meeting_id IS NULL ORDER BY m.starts_at",
                                             {now}));
    for (const Row& r : rows) {
      DemoMeeting m{r.Int(0), r.Text(1), std::nullopt};
      if (!r.IsNull(2)) m.first_item = r.Int(2);
      f.past.push_back(std::move(m));
    }
    std::string today = FormatTimestamp(now).substr(0, 10);
    GMG_ASSIGN_OR_RETURN(auto ids, ListOrganizationIds(tx, std::string("member")));
    for (const auto& id : ids) {
      GMG_ASSIGN_OR_RETURN(bool member, IsMemberOn(tx, id, today));
      if (member) f.orgs.push_back(id);
    }
    return Ok();
  }));
  return f;
}

std::string MinutesText(const DemoMeeting& m) {
  return "# Demo: minutes of " + m.title +
         "\n\n## Attendance\n\nDemo: the members listed in the attendance record.\n\n"
         "## Discussion\n\nDemo: members exchanged updates on labour migration data and on the "
         "follow-up to the High-level Dialogue.\n\n## Decisions\n\nSee the decisions recorded "
         "against the agenda.\n";
}

}  // namespace

Result<int> LoadMinutesDemo(Database& db, MinutesService& minutes, ActionService& actions,
                            const std::function<int64_t()>& now) {
  int64_t t = now();
  GMG_ASSIGN_OR_RETURN(DemoFacts f, ReadFacts(db, t));
  if (f.already || f.orgs.empty()) return 0;
  Principal cli = Principal::Cli();
  int added = 0;
  std::vector<int64_t> decisions;
  for (size_t i = 0; i < f.past.size(); ++i) {
    const DemoMeeting& m = f.past[i];
    GMG_ASSIGN_OR_RETURN(
        Minutes draft, minutes.Save(cli, m.id, std::nullopt, MinutesText(m), "Demo: first draft"));
    GMG_ASSIGN_OR_RETURN(draft, minutes.Save(cli, m.id, draft.version,
                                             MinutesText(m) + "\nDemo: corrections from members.\n",
                                             "Demo: members' corrections"));
    added += 2;
    if (i + 1 == f.past.size()) {
      GMG_RETURN_IF_ERROR(minutes.Circulate(cli, m.id, draft.version, t + int64_t{7} * 86400));
    } else {
      GMG_RETURN_IF_ERROR(minutes.Approve(cli, m.id, draft.version));
    }
    GMG_ASSIGN_OR_RETURN(Decision d,
                         minutes.AddDecision(cli, m.id, m.first_item,
                                             "Demo: the Group agreed to prepare a joint note on "
                                             "the item for the next principals' meeting."));
    decisions.push_back(d.id);
    ++added;
  }
  // Overdue, open, in progress and done actions for several organisations.
  struct Plan {
    int due_in_days;
    const char* status;
    const char* title;
  };
  const Plan plans[] = {
      {-12, "open", "Demo: circulate the draft joint note"},
      {-3, "in_progress", "Demo: share labour migration figures for the annual report"},
      {14, "open", "Demo: propose speakers for the thematic session"},
      {30, "in_progress", "Demo: map training activities on migration data"},
      {-40, "done", "Demo: send comments on the terms of reference"},
      {-20, "dropped", "Demo: organise a side event (overtaken by events)"},
  };
  Date today = Date::FromDays(static_cast<int32_t>(t / 86400));
  size_t k = 0;
  for (const Plan& p : plans) {
    for (size_t j = 0; j < 2 && j < f.orgs.size(); ++j, ++k) {
      NewAction a;
      a.title = p.title;
      a.description = "Demo: an action item of the demonstration set.";
      a.owner_org = f.orgs[k % f.orgs.size()];
      a.due_date = today.AddDays(p.due_in_days);
      a.status = p.status;
      if (!decisions.empty()) a.decision_id = decisions[k % decisions.size()];
      GMG_RETURN_IF_ERROR(actions.Create(cli, a));
      ++added;
    }
  }
  return added;
}

}  // namespace gmg
