// ExchangeService: inter-agency staff transfers, secondments and loans between GMG member
// organisations (issue 13, "Staff exchanges"; purpose 8 of the GMG's Terms of Reference,
// "shared expertise and staff exchange").
//
// Seeing: GMG insiders only (Principal::IsMemberStaff, the secretariat, administrators);
// anyone else signed in gets kPermissionDenied, nobody signed in kUnauthenticated.
// Changing: the secretariat, administrators, and the focal point of either organisation (the
// one the person leaves or the one it joins); a third agency's focal point: kPermissionDenied.
// Status moves only along kExchangeTransitions (kFailedPrecondition "invalid_transition"
// otherwise). Every write is validated, runs in one transaction with its audit row (entity
// "staff_exchange"); a refused write changes nothing.
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

class ExchangeService {
 public:
  // `user_exists` says whether a user id names an account (the auth module's, wired by app/).
  ExchangeService(Database& db, std::function<Result<bool>(int64_t)> user_exists,
                  std::function<int64_t()> now = UnixNow);

  // Latest start first, then id; `organization` "" = all, else those it sends or receives.
  Result<std::vector<StaffExchange>> List(const Principal& viewer, const std::string& organization);
  Result<StaffExchange> Get(const Principal& viewer, int64_t id);
  // Status "proposed".
  Result<StaffExchange> Create(const Principal& actor, const ExchangeFields& fields);
  Result<StaffExchange> Update(const Principal& actor, int64_t id, const ExchangeChange& change);

  // Exchanges whose person, purpose or organisations hold `query`, for GMG insiders only (empty
  // for others); as ResearchService::Search.
  Result<std::vector<ResearchHit>> Search(const Principal& viewer, std::string_view query,
                                          int64_t limit);

 private:
  Database& db_;
  std::function<Result<bool>(int64_t)> user_exists_;
  std::function<int64_t()> now_;
};

}  // namespace gmg
