// InitiativeService: the major initiatives the GMG contributes to (the 2006 High-level Dialogue,
// the follow-up to the Global Commission's report; purpose 10 of its Terms of Reference), the
// members' contributions to each (papers, events, commitments) and the meetings and positions
// each is linked to.
//
// Rules: initiatives are public; the secretariat (staff) creates and edits them and sets their
// links. A contribution is added by staff for any organisation, or by a focal point or member
// of a current member organisation for that organisation only (403 otherwise); it is removed by
// staff or by its organisation's member staff. Every write is validated (422 naming the field),
// runs in one transaction and is audited (entities "initiative", "contribution"). PATCH checks
// the version (412 when stale). Times come from the injected clock.
//
// Links: the meetings and positions belong to their own modules; the service asks `LinkTarget`
// whether each id exists (kind "meeting" or "position"), before its transaction, and stores
// only ids it said yes to. Answers name what is linked through a LinkDescriber
// (initiatives/link_describer.h): DescribeLinks, for the viewer, leaving out what it may not see.
// Thread-safety: stateless over the Database; the injected functions must be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "initiatives/link_describer.h"
#include "store/database.h"

namespace gmg {

// Whether the meeting or position `id` exists (kind "meeting" or "position").
using LinkTarget = std::function<Result<bool>(std::string_view kind, int64_t id)>;

struct Initiative {
  int64_t id = 0;
  std::string slug;
  std::string title;
  std::string description;
  std::string started_on;               // YYYY-MM-DD
  std::optional<std::string> ended_on;  // YYYY-MM-DD
  std::string status;                   // open|concluded
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t contributions_count = 0;
  std::vector<int64_t> meeting_ids;   // ascending
  std::vector<int64_t> position_ids;  // ascending
};

struct NewInitiative {
  std::string slug;  // [a-z0-9-], 1-80, starts with a letter or digit
  std::string title;
  std::string description;
  std::string started_on;
  std::optional<std::string> ended_on;
  std::string status = "open";
};

// Fields to change; absent = unchanged. ended_on set to "" clears it.
struct InitiativeChange {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> started_on;
  std::optional<std::string> ended_on;
  std::optional<std::string> status;
};

struct Contribution {
  int64_t id = 0;
  int64_t initiative_id = 0;
  std::string organization_id;
  std::string kind;  // paper|event|commitment
  std::string title;
  std::string description;
  std::string url;   // "" or http(s)://…
  std::string date;  // YYYY-MM-DD
  std::optional<int64_t> user_id;
  int64_t created_at = 0;
};

struct NewContribution {
  std::string organization_id;  // "" = the caller's organisation
  std::string kind;
  std::string title;
  std::string description;
  std::string url;
  std::string date;
};

struct InitiativeLinks {
  std::vector<int64_t> meetings;
  std::vector<int64_t> positions;
};

// What a viewer sees of the linked meetings and positions of some initiatives, by id.
struct LinkNames {
  std::map<int64_t, LinkedItem> meetings;
  std::map<int64_t, LinkedItem> positions;
};

// kFailedPrecondition (field "url") unless `url` is "" or an absolute http/https URL with a host
// and no spaces or control characters, at most 2,000 bytes.
Status CheckContributionUrl(std::string_view url);

class InitiativeService {
 public:
  // `describer` (may be null: links then stay unnamed) must outlive the service.
  InitiativeService(Database& db, LinkTarget link_target, std::function<int64_t()> now = UnixNow,
                    LinkDescriber* describer = nullptr);

  // Oldest start first.
  Result<std::vector<Initiative>> List();
  // `ref` is the numeric id or the slug; kNotFound when neither.
  Result<Initiative> Get(std::string_view ref);
  Result<Initiative> Create(const Principal& actor, const NewInitiative& initiative);
  Result<Initiative> Update(const Principal& actor, std::string_view ref, int64_t if_version,
                            const InitiativeChange& change);
  // Replaces both lists (each id once; at most 200 per kind); the version goes up (a new ETag).
  Result<Initiative> SetLinks(const Principal& actor, std::string_view ref,
                              const InitiativeLinks& links);

  // By date, then id.
  Result<std::vector<Contribution>> ListContributions(std::string_view ref);
  Result<Contribution> AddContribution(const Principal& actor, std::string_view ref,
                                       const NewContribution& contribution);
  Status DeleteContribution(const Principal& actor, std::string_view ref, int64_t id);

  // The id of the initiative `ref` names (kNotFound when none): for the follow-up actions that
  // the meetings module stores with an initiative_id.
  Result<int64_t> Resolve(std::string_view ref);

  // The linked meetings and positions of `initiatives` that `viewer` may see: one read per
  // kind, whatever the number of initiatives and links. Empty without a describer.
  Result<LinkNames> DescribeLinks(const Principal& viewer,
                                  const std::vector<Initiative>& initiatives);

 private:
  Status CheckLinks(const InitiativeLinks& links);

  Database& db_;
  LinkTarget link_target_;
  std::function<int64_t()> now_;
  LinkDescriber* describer_;
};

}  // namespace gmg
