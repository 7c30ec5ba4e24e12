// PositionService: the GMG's common positions (issue 12) — a lead organisation's draft, its
// versions, comments during consultation, endorsement rounds with each member's stand, and
// delegations of the right to stand (docs/positions.md).
//
// Rules kept here (each a test in position_service_test.cc):
// - Drafts, consultation, rounds under way, not adopted positions and positions withdrawn
//   before adoption are seen by the secretariat, administrators, and the focal points and
//   members of organisations that are members today (Principal::IsMemberStaff); adopted ones,
//   and adopted ones withdrawn later, by everyone, with their versions and rounds (kNotFound
//   for what one may not see).
// - Create: staff (any lead organisation) or a focal point/member (lead = its organisation).
//   Edit and new versions: staff or the lead's focal points/members, in draft or consultation
//   only (kConflict after). Text ≤ 200 KB. Comments: staff, focal points and members, while in
//   consultation and before consultation_until.
// - A round (rule consensus|silence, deadline ≥ 1 hour and ≤ 366 days ahead, else
//   kFailedPrecondition: in_past, too_soon, too_late) is opened by staff or the lead's focal
//   point; its electorate is the current members at opening (read in the opening transaction); a
//   second open round on one position is kConflict (also a unique index).
// - A stand (endorse; object with a reason, else kFailedPrecondition; abstain) for an
//   organisation is made by its focal point or a user it delegated (this round or every round,
//   not revoked; recorded as_delegate); anyone else kPermissionDenied, as is an organisation
//   outside the electorate or no longer a member. A second stand, or a stand once the deadline
//   has come (deadline ≤ now, by the injected clock), is kConflict.
// - Closing happens exactly once: one conditional UPDATE … WHERE status = 'open' decides which
//   caller records the outcome, moves the position to adopted/not_adopted, audits and notifies
//   (any number of instances, threads, restarts). Every read of a round and every stand first
//   closes it when due; RunJobs() (the module's 5-second job) closes due rounds and sends the
//   48-hour reminders (once: the `reminded` flag). A consensus round closes early once every
//   counted member has stood.
// Every write is audited and notified in its own transaction.
// Thread-safety: stateless over the Database; any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "core/principal.h"
#include "core/result.h"
#include "governance/governance_service.h"
#include "notifications/notification.h"
#include "positions/round_rules.h"
#include "store/database.h"

namespace gmg {

inline constexpr size_t kMaxPositionTextBytes = size_t{200} * 1024;
inline constexpr int64_t kMinRoundLeadSeconds = 3600;
inline constexpr int64_t kMaxRoundLeadSeconds = int64_t{366} * 86400;
inline constexpr int64_t kReminderBeforeSeconds = int64_t{48} * 3600;

struct Position {
  int64_t id = 0;
  std::string title;
  std::vector<std::string> themes;
  std::string lead_org;
  std::string status;
  int64_t current_version = 1;
  std::optional<int64_t> consultation_until;
  std::optional<int64_t> adopted_at;
  std::optional<int64_t> withdrawn_at;
  std::string withdrawn_reason;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::string text;  // the current version's text (detail only)
};

struct PositionVersion {
  int64_t number = 0;
  std::string title;
  std::string text;
  std::string user_name;
  std::string note;
  int64_t created_at = 0;
};

struct PositionComment {
  int64_t id = 0;
  int64_t version = 0;
  std::string user_name;
  std::string organization_id;
  std::string text;
  int64_t created_at = 0;
};

struct StandRecord {
  std::string organization_id;
  std::string stand;
  std::string reason;
  int64_t user_id = 0;
  std::string user_name;
  bool as_delegate = false;
  int64_t created_at = 0;
};

struct Round {
  int64_t id = 0;
  int64_t position_id = 0;
  int64_t version_number = 0;
  std::string rule;
  std::vector<std::string> electorate;
  int64_t opened_at = 0;
  int64_t deadline = 0;
  std::string status;  // open|closed|cancelled
  std::optional<std::string> outcome;
  std::optional<positions::Tally> tally;
  std::optional<int64_t> closed_at;
  std::optional<std::string> closed_by;
  bool reminded = false;
  std::vector<StandRecord> stands;
};

struct Delegation {
  int64_t id = 0;
  std::string organization_id;
  int64_t delegate_user_id = 0;
  std::string delegate_name;
  int64_t granted_by = 0;
  std::optional<int64_t> round_id;
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
};

struct NewPosition {
  std::string title;
  std::vector<std::string> themes;
  std::string text;
  std::string lead_org;  // "" = the actor's organisation
  std::string note;
};

struct PositionChange {
  std::optional<std::string> title;
  std::optional<std::vector<std::string>> themes;
  std::optional<std::string> status;  // only "consultation" (from draft)
  std::optional<int64_t> consultation_until;
};

struct PositionFilter {
  std::string status;  // "" = any the viewer may see
  int64_t limit = 100;
  std::optional<int64_t> before_id;  // paging: ids below this
};

struct PositionPage {
  std::vector<Position> items;
  int64_t total = 0;
  bool more = false;
};

class PositionService {
 public:
  PositionService(Database& db, Notifier notify, std::function<GovernanceService&()> governance,
                  std::function<AuthService&()> auth, std::function<int64_t()> now = UnixNow);
  PositionService(const PositionService&) = delete;
  PositionService& operator=(const PositionService&) = delete;

  // Whether `viewer` sees positions that are not public (staff, and focal points and members
  // of current members).
  static bool IsInsider(const Principal& viewer);

  // Closes every due round first (one indexed query when none is), so no status lags.
  Result<PositionPage> List(const Principal& viewer, const PositionFilter& filter);
  // With the current text; closes a due round first.
  Result<Position> Get(const Principal& viewer, int64_t id);
  // The positions among `ids` that `viewer` may see (as Get, without the text; due rounds are
  // closed first, as List does), by id; unknown ids and positions the viewer may not see are
  // absent. One query whatever the number of ids.
  Result<std::vector<Position>> GetMany(const Principal& viewer, const std::vector<int64_t>& ids);
  Result<Position> Create(const Principal& actor, const NewPosition& in);
  Result<Position> Update(const Principal& actor, int64_t id, int64_t if_version,
                          const PositionChange& change);
  // kFailedPrecondition without a reason.
  Result<Position> Withdraw(const Principal& actor, int64_t id, const std::string& reason);

  // Oldest first.
  Result<std::vector<PositionVersion>> ListVersions(const Principal& viewer, int64_t id);
  Result<PositionVersion> GetVersion(const Principal& viewer, int64_t id, int64_t number);
  Result<PositionVersion> AddVersion(const Principal& actor, int64_t id, const std::string& title,
                                     const std::string& text, const std::string& note);

  Result<std::vector<PositionComment>> ListComments(const Principal& viewer, int64_t id);
  Result<PositionComment> AddComment(const Principal& actor, int64_t id, const std::string& text);

  // Newest first, with their stands.
  Result<std::vector<Round>> ListRounds(const Principal& viewer, int64_t id);
  Result<Round> GetRound(const Principal& viewer, int64_t id, int64_t round_id);
  Result<Round> OpenRound(const Principal& actor, int64_t id, const std::string& rule,
                          int64_t deadline);
  Result<Round> CancelRound(const Principal& actor, int64_t id, int64_t round_id);
  // `organization_id` "" = the actor's organisation.
  Result<Round> TakeStand(const Principal& actor, int64_t id, int64_t round_id,
                          const std::string& organization_id, const std::string& stand,
                          const std::string& reason);
  // The organisations `actor` may stand for in `round` now (focal point or delegate).
  Result<std::vector<std::string>> StandableFor(const Principal& actor, const Round& round);

  Result<std::vector<Delegation>> ListDelegations(const Principal& viewer,
                                                  const std::string& org_id);
  Result<Delegation> Delegate(const Principal& actor, const std::string& org_id,
                              int64_t delegate_user_id, std::optional<int64_t> round_id);
  Result<Delegation> RevokeDelegation(const Principal& actor, const std::string& org_id,
                                      int64_t delegation_id);

  // Closes every open round whose deadline has come; returns how many THIS call closed.
  Result<int> CloseDueRounds();
  // Sends the 48-hour reminder of every open round not yet reminded; returns how many.
  Result<int> SendReminders();
  // The module's job: CloseDueRounds, then SendReminders.
  Status RunJobs();

  // Organisation id → name, and the ids of the current members, on the clock's date.
  struct Members {
    std::map<std::string, std::string> names;
    std::set<std::string> current;
  };
  Result<Members> LoadMembers();

  int64_t Now() const { return now_(); }

 private:
  Result<Position> LoadVisible(Tx& tx, const Principal& viewer, int64_t id);
  // Closes round `round_id` if it is open and (deadline ≤ now, or `all_stood` for consensus):
  // true when this call closed it.
  // `current`: the members today (CurrentMembers, read in the same transaction).
  Result<bool> CloseInTx(Tx& tx, int64_t round_id, const std::set<std::string>& current,
                         bool early);
  // The ids of the organisations that are members today, read in `tx`.
  Result<std::set<std::string>> CurrentMembers(Tx& tx) const;
  Status CloseIfDue(int64_t position_id);

  Database& db_;
  Notifier notify_;
  std::function<GovernanceService&()> governance_;
  std::function<AuthService&()> auth_;
  std::function<int64_t()> now_;
};

}  // namespace gmg
