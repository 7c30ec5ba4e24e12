// The activity map's records: what a member (or partner) organisation does on migration,
// where, when, with whom — and the fixed vocabularies they are described with.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access_policy.h"
#include "core/date.h"

namespace gmg {

// Activity types (fixed: they drive the coherence engine's comparisons).
inline constexpr std::string_view kActivityTypes[] = {"research",
                                                      "data_statistics",
                                                      "technical_assistance",
                                                      "training",
                                                      "policy_dialogue",
                                                      "operational_programme",
                                                      "normative",
                                                      "event"};
// Cross-cutting dimensions of the Terms of Reference (purpose 9).
inline constexpr std::string_view kDimensions[] = {"human_rights", "labour_rights",
                                                   "human_security", "criminal_justice"};
inline constexpr std::string_view kVisibilities[] = {"public", "members", "organization"};
inline constexpr std::string_view kPartnerRoles[] = {"funding", "accountable", "extending",
                                                     "implementing"};
// IATI ActivityStatus 1..6.
const char* ActivityStatusName(int status);

struct LocalizedText {
  std::string lang;  // ISO 639-1, e.g. "en", "fr"
  std::string text;
};

struct Partner {
  std::string organization_id;  // "" when the partner is not in the registry
  std::string name;
  std::string role;  // one of kPartnerRoles
};

struct ActivityLink {
  std::string url;
  std::string title;
};

struct Theme {
  std::string id;
  std::string name;
  std::string description;
  int position = 0;
  bool archived = false;
  int64_t version = 1;
};

// What a user (or an import) supplies. Validated by ActivityService.
struct ActivityInput {
  std::string organization_id;
  std::vector<LocalizedText> titles;        // first is the main one
  std::vector<LocalizedText> descriptions;  // same languages or a subset
  std::string type;
  std::vector<std::string> themes;
  std::vector<int> purposes;
  std::vector<std::string> dimensions;
  std::vector<std::string> countries;  // ISO 3166-1 alpha-2
  std::vector<std::string> regions;    // UN M49 codes or LDC/LLDC/SIDS
  bool is_global = false;
  std::optional<Date> starts_on;
  std::optional<Date> ends_on;
  int status = 2;  // implementation
  std::optional<double> budget_amount;
  std::string budget_currency;
  std::vector<Partner> partners;
  std::string contact_name;
  std::string contact_email;
  std::vector<ActivityLink> links;
  std::string visibility = "public";
  // Set by imports only.
  std::string iati_identifier;
  std::string source = "manual";
  std::vector<std::pair<std::string, std::string>> tags;  // (vocabulary, code)
};

struct Activity {
  int64_t id = 0;
  ActivityInput fields;
  std::string organization_name;
  std::string organization_acronym;
  bool organization_is_member = true;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> archived_at;  // set once archived (only LoadInTx returns those)
};

// Who is looking, as far as visibility goes: Audience and the rule over it are the access
// policy's (core/access_policy.h), which the SQL filter, the service's checks and the search
// catalog all apply (ActivityService::AudienceOf builds it).

// Filters of the map, the list, the search and the downloads.
struct ActivityFilter {
  std::vector<std::string> organizations;
  std::vector<std::string> themes;
  std::vector<std::string> countries;
  std::vector<std::string> regions;  // a region includes its countries
  std::vector<std::string> types;
  std::vector<int> statuses;
  std::optional<Date> from;  // period overlaps [from, to]
  std::optional<Date> to;
  std::string scope = "all";  // "members", "partners", "all"
  std::string text;           // full-text query
  std::string sort =
      "-updated";  // title, -title, starts_on, -starts_on, updated, -updated, relevance
};

}  // namespace gmg
