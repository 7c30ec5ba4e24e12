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
  bool operator==(const LocalizedText&) const = default;
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

// A classification of the activity as its publisher gave it (IATI `sector`, any vocabulary):
// kept as written, exported back unchanged, compared by the coherence engine as
// "vocabulary:code" (vocabulary "" read as "1").
struct Sector {
  std::string vocabulary;  // IATI SectorVocabulary; "" = 1 (OECD DAC 5-digit purpose codes)
  std::string code;        // e.g. "72010" (DAC 5), "151" (DAC 3), "A1" (own, 98/99)
  std::optional<double> percentage;  // 0..100; per vocabulary they should sum to 100
  std::string narrative;             // the publisher's label (first narrative), may be ""
  std::string vocabulary_uri;        // where an own vocabulary (98/99) is defined, may be ""
  bool operator==(const Sector&) const = default;
};

// An organisation a transaction's money comes from or goes to (IATI provider-org/receiver-org).
struct TransactionOrg {
  std::string ref;          // IATI organisation identifier, may be ""
  std::string type;         // OrganisationType code, may be ""
  std::string activity_id;  // provider-activity-id / receiver-activity-id, may be ""
  std::string name;         // first narrative, may be ""
  [[nodiscard]] bool empty() const {
    return ref.empty() && type.empty() && activity_id.empty() && name.empty();
  }
  bool operator==(const TransactionOrg&) const = default;
};

// A transaction's classification by (vocabulary, code): its sectors (vocabulary "" = 1) and
// aid types (vocabulary "" = 1, OECD DAC).
struct TransactionCode {
  std::string vocabulary;
  std::string code;
  std::string vocabulary_uri;  // sectors only, may be ""
  std::string narrative;       // sectors only, may be ""
  bool operator==(const TransactionCode&) const = default;
};

// One IATI 2.03 `transaction`, as the publisher wrote it (imports only; exported unchanged).
// Codes are kept as written ("" = not given); only type, date and value are required.
struct Transaction {
  std::string type;  // IATI TransactionType 1..13 (1 incoming funds … 4 expenditure …)
  Date date{};       // transaction-date/@iso-date
  double value = 0;
  std::string currency;            // "" = the activity's default currency
  std::optional<Date> value_date;  // value/@value-date (required by IATI: date when absent)
  std::string ref;                 // @ref, the publisher's own reference
  std::string humanitarian;        // @humanitarian: "1", "0", "true", "false" or ""
  std::string description;         // first narrative of description
  TransactionOrg provider;
  TransactionOrg receiver;
  std::string disbursement_channel;  // DisbursementChannel code
  std::vector<TransactionCode> sectors;
  std::string recipient_country;  // ISO 3166-1 alpha-2, as written
  std::string recipient_region;   // code
  std::string recipient_region_vocabulary;
  std::string flow_type;
  std::string finance_type;
  std::vector<TransactionCode> aid_types;
  std::string tied_status;
  bool operator==(const Transaction&) const = default;
};

// Bounds ActivityService validates (and imports keep to).
inline constexpr size_t kMaxSectors = 100;
inline constexpr size_t kMaxTransactions = 1000;

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
  // IATI OrganisationType of the reporting organisation as the file gave it ("" if none), for
  // the export (members are written as 40, multilateral, whatever this says).
  std::string reporting_org_type;
  std::vector<std::pair<std::string, std::string>> tags;  // (vocabulary, code)
  // The publisher's own classifications, in their order (IATI import, or the form); an import
  // still derives `themes` from the DAC and SDG ones.
  std::vector<Sector> sectors;
  std::vector<Transaction> transactions;  // imports only
  // False when a request body left `sectors` / `transactions` out: an update keeps the stored
  // ones (the web form sends sectors, never transactions).
  bool sectors_given = true;
  bool transactions_given = true;
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
