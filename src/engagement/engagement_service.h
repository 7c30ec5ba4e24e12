// EngagementService: the GMG's stakeholders (states, regional bodies, regional consultative
// processes, employers' and workers' organisations, civil society), their contacts, the log of
// interactions with them, states' requests for support routed to GMG members, and the user
// accounts a stakeholder signs in with.
//
// Who sees what:
//   stakeholders         public (the directory);
//   contacts             personal data: GMG insiders only (secretariat, administrators, focal
//                        points and members of current member organisations), 403 for others;
//   interactions         "public" to everyone; "shared" also to the accounts of a stakeholder
//                        that took part; "internal" to insiders only;
//   support requests     insiders see all; a stakeholder account sees its own stakeholder's
//                        requests only (another's is kNotFound: its existence does not leak);
//                        anyone else sees none.
// Who changes what: the secretariat and administrators manage stakeholders, contacts, account
// links and the routing of requests, and move a request's status (allowed transitions only:
// received → routed → in_progress → answered → closed, and closed from any open status). An
// interaction is logged by staff, or by an insider of a GMG member that took part. A request is
// recorded by staff, or by a stakeholder account for its own state. Each routed member's focal
// point answers for its organisation (another organisation's → kPermissionDenied); staff may
// record an answer on a member's behalf.
//
// Every write validates first (kFailedPrecondition naming the field, with a rule code), runs
// in one transaction with its audit row (entities "stakeholder", "stakeholder_contact",
// "stakeholder_interaction", "stakeholder_account", "support_request"), and changes nothing
// when refused. Times come from the injected clock.
// Thread-safety: stateless over the Database; the injected functions must be thread-safe.
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
#include "store/database.h"

namespace gmg {

inline constexpr std::string_view kStakeholderKinds[] = {"state",
                                                         "regional_body",
                                                         "regional_consultative_process",
                                                         "employers_organization",
                                                         "workers_organization",
                                                         "civil_society"};
inline constexpr std::string_view kInteractionKinds[] = {"consultation", "briefing", "dialogue",
                                                         "meeting", "correspondence"};
inline constexpr std::string_view kInteractionVisibilities[] = {"internal", "shared", "public"};
inline constexpr std::string_view kRequestStatuses[] = {"received", "routed", "in_progress",
                                                        "answered", "closed"};

// Whether a request may move from `from` to `to` (the table in docs/engagement.md).
bool IsAllowedTransition(std::string_view from, std::string_view to);

struct Stakeholder {
  int64_t id = 0;
  std::string kind;
  std::string name;
  std::string country;  // ISO 3166 alpha-3, "" when none (required for a state)
  std::string region;
  std::string website;  // "" or http(s)://…
  std::string description;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct NewStakeholder {
  std::string kind;
  std::string name;     // a state's defaults to the codelist's name
  std::string country;  // alpha-3; upper-cased
  std::string region;   // a state's defaults to its M49 region
  std::string website;
  std::string description;
};

// Absent = unchanged. The kind does not change.
struct StakeholderChange {
  std::optional<std::string> name;
  std::optional<std::string> country;
  std::optional<std::string> region;
  std::optional<std::string> website;
  std::optional<std::string> description;
};

struct StakeholderFilter {
  std::string kind;    // "" = any
  std::string region;  // "" = any (exact)
  std::string query;   // "" = any; words matched in name, description, region, country
};

struct Contact {
  int64_t id = 0;
  int64_t stakeholder_id = 0;
  std::string name;
  std::string title;
  std::string email;
  std::string phone;
  int64_t created_at = 0;
};

struct NewContact {
  std::string name;
  std::string title;
  std::string email;  // "" or an address
  std::string phone;  // "" or digits, spaces and + ( ) - .
};

struct Interaction {
  int64_t id = 0;
  std::string date;  // YYYY-MM-DD
  std::string kind;
  std::string summary;
  std::string visibility;
  std::vector<int64_t> stakeholder_ids;       // ascending
  std::vector<std::string> organization_ids;  // GMG members involved, ascending
  int64_t created_at = 0;
};

struct NewInteraction {
  std::string date;
  std::string kind;
  std::string summary;
  std::string visibility = "internal";
  std::vector<int64_t> stakeholder_ids;       // 1-50, each once
  std::vector<std::string> organization_ids;  // 0-50, each once
};

struct RequestRoute {
  std::string organization_id;
  std::string response;  // pending|accepted|declined
  std::string answer;
  std::optional<int64_t> answered_at;
};

struct SupportRequest {
  int64_t id = 0;
  int64_t stakeholder_id = 0;
  std::string stakeholder_name;
  std::string title;
  std::string description;
  std::string received_on;  // YYYY-MM-DD
  std::string status;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<RequestRoute> routes;  // by organisation id
};

struct NewSupportRequest {
  int64_t stakeholder_id = 0;  // 0 = the caller's own stakeholder (a stakeholder account)
  std::string title;
  std::string description;
  std::string received_on;  // "" = today
};

struct SupportAnswer {
  std::string organization_id;  // "" = the caller's organisation
  std::string response;         // accepted|declined
  std::string answer;
};

struct RequestFilter {
  std::string status;          // "" = any
  int64_t stakeholder_id = 0;  // 0 = any
};

struct StakeholderAccount {
  int64_t user_id = 0;
  std::string email;
  std::string name;
  int64_t stakeholder_id = 0;
};

// What the engagement module needs of a user account (read through auth's interface).
struct AccountRef {
  int64_t user_id = 0;
  std::string email;
  std::string name;
  Role role = Role::kMember;
  bool active = true;
};
// The account with this e-mail, or nullopt; asked inside the caller's transaction.
using AccountFinder =
    std::function<Result<std::optional<AccountRef>>(Tx& tx, const std::string& email)>;

// One record a viewer may see that matches a search ("stakeholder" or "interaction").
struct EngagementHit {
  std::string kind;
  int64_t id = 0;
  std::string title;
  std::string snippet;
  double score = 0;
};

class EngagementService {
 public:
  EngagementService(Database& db, AccountFinder accounts, std::function<int64_t()> now = UnixNow);

  // --- Stakeholders (public) ----------------------------------------------------------------
  // By name; kFailedPrecondition naming `kind` for an unknown kind.
  Result<std::vector<Stakeholder>> ListStakeholders(const StakeholderFilter& filter);
  Result<Stakeholder> GetStakeholder(int64_t id);
  // Staff only. kFailedPrecondition naming the field (kind, name, country: unknown_country,
  // website); kConflict naming `name` (same name, any case) or `country` (a state already there).
  Result<Stakeholder> CreateStakeholder(const Principal& actor, const NewStakeholder& s);
  // Staff only; kPreconditionFailed when `if_version` is stale.
  Result<Stakeholder> UpdateStakeholder(const Principal& actor, int64_t id, int64_t if_version,
                                        const StakeholderChange& change);
  // The distinct regions in use, sorted (the directory's filter).
  Result<std::vector<std::string>> ListRegions();

  // --- Contacts (insiders) ------------------------------------------------------------------
  Result<std::vector<Contact>> ListContacts(const Principal& viewer, int64_t stakeholder_id);
  Result<Contact> AddContact(const Principal& actor, int64_t stakeholder_id, const NewContact& c);
  Status DeleteContact(const Principal& actor, int64_t stakeholder_id, int64_t contact_id);

  // --- Interactions -------------------------------------------------------------------------
  // Newest first, what `viewer` may see; `stakeholder_id` 0 = all. At most `limit` (1-500).
  Result<std::vector<Interaction>> ListInteractions(const Principal& viewer, int64_t stakeholder_id,
                                                    int64_t limit);
  Result<Interaction> LogInteraction(const Principal& actor, const NewInteraction& i);
  Status DeleteInteraction(const Principal& actor, int64_t id);

  // --- Support requests ---------------------------------------------------------------------
  // Newest first, those `viewer` may see.
  Result<std::vector<SupportRequest>> ListRequests(const Principal& viewer,
                                                   const RequestFilter& filter);
  // kNotFound when absent or not visible to `viewer`.
  Result<SupportRequest> GetRequest(const Principal& viewer, int64_t id);
  Result<SupportRequest> CreateRequest(const Principal& actor, const NewSupportRequest& r);
  // Staff only: adds members (each a current GMG member, not routed yet; 1-30); a received
  // request becomes routed.
  Result<SupportRequest> RouteRequest(const Principal& actor, int64_t id,
                                      const std::vector<std::string>& organization_ids);
  // A routed member's answer (once); the first acceptance moves routed → in_progress and the
  // last answer makes it answered.
  Result<SupportRequest> AnswerRequest(const Principal& actor, int64_t id, const SupportAnswer& a);
  // Staff only; kFailedPrecondition (field "status", rule invalid_transition) outside the table.
  Result<SupportRequest> SetRequestStatus(const Principal& actor, int64_t id,
                                          const std::string& status);

  // --- Stakeholder accounts -----------------------------------------------------------------
  Result<std::vector<StakeholderAccount>> ListAccounts(const Principal& actor,
                                                       int64_t stakeholder_id);
  // Staff only: links the user with this e-mail (role stakeholder, not linked yet).
  Result<StakeholderAccount> LinkAccount(const Principal& actor, int64_t stakeholder_id,
                                         const std::string& email);
  Status UnlinkAccount(const Principal& actor, int64_t stakeholder_id, int64_t user_id);
  // The stakeholder `viewer`'s account is linked to, or nullopt.
  Result<std::optional<Stakeholder>> StakeholderOf(const Principal& viewer);

  // --- Search (for the "one search") ----------------------------------------------------------
  // Stakeholders and the interactions `viewer` may see whose text holds the query's words
  // (case-insensitive; at most 8 words of at most 64 bytes), best first, at most `limit`
  // (1-100). The score counts matched words, a name match weighing more.
  Result<std::vector<EngagementHit>> Search(const Principal& viewer, std::string_view query,
                                            int64_t limit);

 private:
  Database& db_;
  AccountFinder accounts_;
  std::function<int64_t()> now_;
};

}  // namespace gmg
