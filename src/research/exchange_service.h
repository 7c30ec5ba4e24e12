// ExchangeService: inter-agency staff transfers, secondments and loans between GMG member
// organisations (issue 13, "Staff exchanges"; purpose 8 of the GMG's Terms of Reference,
// "shared expertise and staff exchange").
//
// Seeing: GMG insiders only (Principal::IsMemberStaff, the secretariat, administrators);
// anyone else signed in gets kPermissionDenied, nobody signed in kUnauthenticated.
// Changing: the secretariat, administrators, and the focal point of either organisation (the
// one the person leaves or the one it joins); a third agency's focal point: kPermissionDenied.
// An agreement takes both sides: the exchange records the organisation that proposed it (the
// creating focal point's; none when the secretariat or an administrator created it), and only
// the other organisation's focal point, the secretariat or an administrator moves it from
// "proposed" to "agreed" (the proposing side's focal point: kPermissionDenied, rule
// "other_party_agrees"). Later moves are open to either side.
// Status moves only along kExchangeTransitions (kFailedPrecondition "invalid_transition"
// otherwise). `user_id` names an account of one of the two organisations (the secretariat and
// administrators: any account); any other id is refused exactly as one that does not exist
// ("unknown_user"), so the field tells nobody which accounts exist. Every write is validated,
// runs in one transaction with its audit row (entity "staff_exchange"); a refused write changes
// nothing. Each write bumps `version`; Update refuses a stale expected version
// (kPreconditionFailed, HTTP 412).
// Thread-safety: stateless over the Database; `now` must be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "research/research_service.h"
#include "store/database.h"

namespace gmg {

inline constexpr std::string_view kExchangeKinds[] = {"transfer", "secondment", "loan"};
inline constexpr std::string_view kExchangeStatuses[] = {"proposed", "agreed", "in_progress",
                                                         "completed", "cancelled"};
// {from, to}: the only status changes allowed (completed and cancelled are final).
inline constexpr std::pair<std::string_view, std::string_view> kExchangeTransitions[] = {
    {"proposed", "agreed"},  {"proposed", "cancelled"},    {"agreed", "in_progress"},
    {"agreed", "cancelled"}, {"in_progress", "completed"}, {"in_progress", "cancelled"},
};

struct StaffExchange {
  int64_t id = 0;
  std::string kind;  // one of kExchangeKinds
  std::string from_organization;
  std::string to_organization;
  std::string person_name;
  std::optional<int64_t> user_id;  // the person's account, when it has one
  std::string started_on;          // YYYY-MM-DD
  std::string ended_on;            // YYYY-MM-DD, not before started_on
  std::string purpose;
  std::string status;  // one of kExchangeStatuses
  // The organisation whose focal point proposed it; "" when the secretariat or an administrator
  // did (then neither side has agreed yet).
  std::string proposed_by_organization;
  int64_t version = 1;  // bumped by every write
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct ExchangeFields {
  std::string kind;
  std::string from_organization;  // a GMG member today
  std::string to_organization;    // a GMG member today, not from_organization
  std::string person_name;        // 1-200 bytes
  std::optional<int64_t> user_id;
  std::string started_on;
  std::string ended_on;
  std::string purpose;  // 0-4000 bytes
};

// Fields to change; absent = unchanged. The organisations stay as they are.
struct ExchangeChange {
  std::optional<std::string> kind;
  std::optional<std::string> person_name;
  std::optional<std::string> started_on;
  std::optional<std::string> ended_on;
  std::optional<std::string> purpose;
  std::optional<std::string> status;
};

bool IsExchangeTransition(std::string_view from, std::string_view to);

// What the exchange rules need to know of a user account (auth's, handed over by the
// composition root: this module reads no other module's table).
struct ExchangeUserRef {
  std::string organization_id;  // "" when none
};
// The account with this id, nullopt when there is none.
using ExchangeUserLookup = std::function<Result<std::optional<ExchangeUserRef>>(int64_t user_id)>;

class ExchangeService {
 public:
  // `users` finds an account by id (the auth module's, wired by app/).
  ExchangeService(Database& db, ExchangeUserLookup users, std::function<int64_t()> now = UnixNow);

  // Latest start first, then id; `organization` "" = all, else those it sends or receives.
  Result<std::vector<StaffExchange>> List(const Principal& viewer, const std::string& organization);
  Result<StaffExchange> Get(const Principal& viewer, int64_t id);
  // Status "proposed", proposed by the actor's organisation (none for the secretariat/admin).
  Result<StaffExchange> Create(const Principal& actor, const ExchangeFields& fields);
  // `if_version` (when given) must be the stored version: kPreconditionFailed otherwise.
  Result<StaffExchange> Update(const Principal& actor, int64_t id,
                               std::optional<int64_t> if_version, const ExchangeChange& change);

  // Exchanges whose person, purpose or organisations hold `query`, for GMG insiders only (empty
  // for others); as ResearchService::Search.
  Result<std::vector<ResearchHit>> Search(const Principal& viewer, std::string_view query,
                                          int64_t limit);

 private:
  Database& db_;
  ExchangeUserLookup users_;
  std::function<int64_t()> now_;
};

}  // namespace gmg
