#include "positions/positions_demo.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "auth/crypto.h"

namespace gmg {
namespace {

constexpr int64_t kDay = 86400;

struct DemoStand {
  const char* org;
  const char* stand;
  const char* reason;
  bool delegated;
};

std::string JsonList(const std::vector<std::string>& items) {
  boost::json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return boost::json::serialize(a);
}

Result<int64_t> InsertPosition(Tx& tx, const std::string& title, const std::string& themes,
                               const std::string& lead, const std::string& status, int64_t versions,
                               const SqlValue& consultation_until, const SqlValue& adopted_at,
                               int64_t created) {
  GMG_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("INSERT INTO positions (title, themes, lead_org, status, "
                            "current_version, consultation_until, adopted_at, created_at, "
                            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {title, themes, lead, status, versions, consultation_until, adopted_at,
                             created, created}));
  return row->Int(0);
}

Status InsertVersion(Tx& tx, int64_t id, int64_t number, const std::string& title,
                     const std::string& text, const std::string& note, int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO position_versions (position_id, number, title, text, user_name, note, "
      "created_at) VALUES (?, ?, ?, ?, 'Demo: secretariat', ?, ?)",
      {id, number, title, text, note, at});
  if (!n.ok()) return std::move(n).TakeError();
  return Ok();
}

Result<int64_t> InsertRound(Tx& tx, int64_t position, int64_t version, const char* rule,
                            const std::vector<std::string>& electorate, int64_t opened,
                            int64_t deadline) {
  GMG_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("INSERT INTO position_rounds (position_id, version_number, rule, "
                  "electorate, opened_at, deadline, status) VALUES (?, ?, ?, ?, ?, ?, "
                  "'open') RETURNING id",
                  {position, version, std::string(rule), JsonList(electorate), opened, deadline}));
  return row->Int(0);
}

Status InsertStand(Tx& tx, int64_t round, const DemoStand& s, int64_t user_id, int64_t at) {
  std::string who = s.delegated ? "Demo: delegate (" : "Demo: focal point (";
  auto n = tx.Exec(
      "INSERT INTO position_stands (round_id, organization_id, stand, reason, user_id, "
      "user_name, as_delegate, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {round, std::string(s.org), std::string(s.stand), std::string(s.reason), user_id,
       who + s.org + ")", int64_t{s.delegated ? 1 : 0}, at});
  if (!n.ok()) return std::move(n).TakeError();
  return Ok();
}

// The ILO member user the demo's delegated stand is made by; 0 when it cannot be created.
int64_t DemoDelegate(AuthService& auth) {
  NewUser u;
  u.email = "demo.delegate@ilo.example.org";
  u.name = "Demo: ILO delegate";
  u.role = Role::kMember;
  u.organization_id = "ilo";
  u.password = RandomToken(24);
  auto user = auth.CreateUser(Principal::Cli(), u);
  return user.ok() ? user->id : 0;
}

}  // namespace

Result<int> LoadDemoPositions(Database& db, PositionService& positions, AuthService& auth,
                              int64_t now) {
  bool present = false;
  GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto n,
                         tx.QueryOne("SELECT count(*) FROM positions WHERE title LIKE 'Demo:%'"));
    present = n->Int(0) > 0;
    return Ok();
  }));
  if (present) return 0;
  GMG_ASSIGN_OR_RETURN(auto members, positions.LoadMembers());
  std::vector<std::string> electorate(members.current.begin(), members.current.end());
  int64_t delegate = DemoDelegate(auth);
  Principal loader = Principal::Cli();
  loader.email = "demo";
  int added = 0;
  GMG_RETURN_IF_ERROR(db.Write([&](Tx& tx) -> Status {
    // 1. Adopted, with two versions and a closed consensus round.
    const std::string t1 = "Demo: Common position on fair and ethical recruitment";
    GMG_ASSIGN_OR_RETURN(int64_t p1,
                         InsertPosition(tx, t1, R"(["labour-migration"])", "ilo", "adopted", 2,
                                        now - 100 * kDay, now - 46 * kDay, now - 120 * kDay));
    GMG_RETURN_IF_ERROR(InsertVersion(
        tx, p1, 1, t1,
        "The GMG members call on States to eliminate recruitment fees charged to workers.",
        "First draft", now - 120 * kDay));
    GMG_RETURN_IF_ERROR(InsertVersion(
        tx, p1, 2, t1,
        "The GMG members call on States to eliminate recruitment fees and related costs "
        "charged to migrant workers, in line with the ILO General Principles and Operational "
        "Guidelines for Fair Recruitment.",
        "After the consultation: related costs, ILO guidelines", now - 95 * kDay));
    GMG_ASSIGN_OR_RETURN(int64_t r1, InsertRound(tx, p1, 2, "consensus", electorate,
                                                 now - 60 * kDay, now - 46 * kDay));
    for (const auto& org : electorate) {
      GMG_RETURN_IF_ERROR(
          InsertStand(tx, r1, {org.c_str(), "endorse", "", false}, 0, now - 50 * kDay));
    }
    positions::Tally all{static_cast<int>(electorate.size()), 0, 0, 0};
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE position_rounds SET status = 'closed', outcome = "
                "'adopted', tally = ?, closed_at = ?, closed_by = 'all_stands' "
                "WHERE id = ?",
                {positions::TallyToJson(all), now - 50 * kDay, r1}));
    ++added;
    // 2. In consultation, with comments.
    const std::string t2 = "Demo: Joint response on climate-related displacement";
    GMG_ASSIGN_OR_RETURN(
        int64_t p2, InsertPosition(tx, t2, R"(["environment","displacement"])", "unhcr",
                                   "consultation", 1, now + 10 * kDay, nullptr, now - 7 * kDay));
    GMG_RETURN_IF_ERROR(InsertVersion(
        tx, p2, 1, t2,
        "Members recognise that the adverse effects of climate change increasingly drive "
        "displacement, and commit to joint data and protection responses.",
        "Draft for consultation", now - 7 * kDay));
    const char* comments[][2] = {
        {"iom", "Please refer to planned relocation as well as displacement."},
        {"undesa", "Could the text cite the latest internal displacement estimates?"}};
    for (const auto& c : comments) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO position_comments (position_id, version, "
                  "user_name, organization_id, text, created_at) VALUES (?, 1, "
                  "?, ?, ?, ?)",
                  {p2, std::string("Demo: focal point (") + c[0] + ")", std::string(c[0]),
                   std::string(c[1]), now - 3 * kDay}));
    }
    ++added;
    // 3. In a silence-procedure round closing in about five days.
    const std::string t3 = "Demo: Statement on the human rights of migrants at borders";
    GMG_ASSIGN_OR_RETURN(int64_t p3,
                         InsertPosition(tx, t3, R"(["human-rights"])", "ohchr", "endorsement", 1,
                                        nullptr, nullptr, now - 20 * kDay));
    GMG_RETURN_IF_ERROR(InsertVersion(
        tx, p3, 1, t3,
        "Border governance measures must respect the human rights of all migrants, whatever "
        "their status, including the principle of non-refoulement.",
        "Final text for endorsement", now - 20 * kDay));
    GMG_ASSIGN_OR_RETURN(
        int64_t r3, InsertRound(tx, p3, 1, "silence", electorate, now - 2 * kDay, now + 5 * kDay));
    const DemoStand stands[] = {{"ohchr", "endorse", "", false},
                                {"iom", "endorse", "", false},
                                {"unhcr", "abstain", "", false},
                                {"ilo", "endorse", "", delegate > 0}};
    for (const DemoStand& s : stands) {
      if (!members.current.contains(s.org)) continue;
      GMG_RETURN_IF_ERROR(InsertStand(tx, r3, s, s.delegated ? delegate : 0, now - kDay));
    }
    if (delegate > 0) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO position_delegations (organization_id, "
                  "delegate_user_id, granted_by, round_id, created_at) VALUES "
                  "('ilo', ?, 0, ?, ?)",
                  {delegate, r3, now - 2 * kDay}));
    }
    ++added;
    return RecordAudit(tx, loader, "demo_load", "position", "demo", nullptr,
                       boost::json::object{{"positions", added}});
  }));
  return added;
}

}  // namespace gmg
