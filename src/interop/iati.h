// IATI 2.03 activity XML: a reader (2.01/2.02/2.03 `iati-activities` files or a bare
// `iati-activity`) and a streaming writer of valid 2.03.
//
// Pure: no database, no HTTP. IatiActivity carries what GMG Hub maps onto its activities; the
// mapping (DAC sectors and SDG targets onto themes, reporting-org onto members) is the
// activities module's job.
// Thread-safety: functions are reentrant; an IatiWriter belongs to one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace gmg::iati {

struct Narrative {
  std::string lang;  // "" = the activity's default language
  std::string text;
};

struct OrgRef {
  std::string ref;   // IATI organisation identifier, e.g. "XM-DAC-47066"; may be ""
  std::string type;  // OrganisationType code, may be ""
  std::string role;  // OrganisationRole code (participating-org only): 1 funding … 4 implementing
  std::vector<Narrative> names;
};

struct Coded {
  std::string code;
  std::string vocabulary;  // "" when the element has none (defaults apply)
  double percentage = -1;  // < 0: not given
  std::vector<Narrative> narratives;
  std::string vocabulary_uri;  // "" when not given
};

struct Budget {
  std::string period_start;  // YYYY-MM-DD
  std::string period_end;
  double value = 0;
  std::string currency;  // "" = the activity's default-currency
  std::string value_date;
};

// provider-org / receiver-org of a transaction; every part optional.
struct TransactionOrg {
  std::string ref;
  std::string type;         // OrganisationType code
  std::string activity_id;  // provider-activity-id / receiver-activity-id
  std::vector<Narrative> names;
};

// One `transaction`, in the schema's terms. Codes are kept as written; "" = not given.
struct Transaction {
  std::string ref;           // @ref
  std::string humanitarian;  // @humanitarian as written
  std::string type;          // transaction-type/@code (TransactionType)
  std::string date;          // transaction-date/@iso-date, YYYY-MM-DD
  double value = 0;
  std::string currency;    // value/@currency, "" = the activity's default-currency
  std::string value_date;  // value/@value-date, YYYY-MM-DD or ""
  std::vector<Narrative> descriptions;
  TransactionOrg provider;
  TransactionOrg receiver;
  std::string disbursement_channel;  // disbursement-channel/@code
  std::vector<Coded> sectors;        // code, vocabulary, vocabulary_uri, narratives
  std::string recipient_country;     // recipient-country/@code
  Coded recipient_region;            // code and vocabulary ("" code: none)
  std::string flow_type;             // flow-type/@code
  std::string finance_type;          // finance-type/@code
  std::vector<Coded> aid_types;      // code and vocabulary
  std::string tied_status;           // tied-status/@code
};

struct Link {
  std::string url;
  std::vector<Narrative> titles;
};

struct Activity {
  int line = 0;  // line of <iati-activity> in the source (reader only)
  std::string iati_identifier;
  std::string lang;              // xml:lang of the activity, "" if none
  std::string default_currency;  // "" if none
  std::string last_updated;      // last-updated-datetime attribute as written, "" if none
  std::string humanitarian;      // "1"/"0"/"" as written
  OrgRef reporting_org;
  std::vector<Narrative> titles;
  std::vector<Narrative> descriptions;  // description type 1 (general), or the first of any type
  std::vector<OrgRef> participating_orgs;
  std::string activity_status;                                       // ActivityStatus code "1".."6"
  std::string planned_start, actual_start, planned_end, actual_end;  // YYYY-MM-DD or ""
  std::vector<Coded> recipient_countries;                            // ISO 3166-1 alpha-2
  std::vector<Coded> recipient_regions;  // code + vocabulary (1 OECD DAC, 2 UN M49, …)
  std::vector<Coded> sectors;            // vocabulary "" means 1 (DAC 5-digit)
  std::vector<Coded> tags;               // vocabulary 2 SDG goal, 3 SDG target, 99 own…
  std::vector<Budget> budgets;
  std::vector<Transaction> transactions;
  std::vector<Link> links;    // document-link url + title
  std::string contact_email;  // first contact-info/email, "" if none
};

// Something odd but not fatal (an unknown attribute value, elements out of schema order, a
// date without a day): imports go on and report these. `message` is English (the CLI, logs);
// `rule` is a stable code with `args` that a client translates (docs/api.md lists them).
struct Warning {
  int line = 0;
  std::string element;
  std::string message;
  std::string rule;
  std::vector<std::pair<std::string, std::string>> args;
};

struct ParseResult {
  std::string version;  // "2.03", "2.02", "2.01", or "" for a bare iati-activity
  std::vector<Activity> activities;
  std::vector<Warning> warnings;  // the first ParseLimits::max_warnings, in file order
  int64_t warnings_total = 0;     // all the file gave rise to (more than `warnings` holds)
};

struct ParseLimits {
  size_t max_bytes = 256u << 20;
  size_t max_activities = 1'000'000;
  // Warnings kept; the rest are only counted. A file can raise one warning per few bytes
  // (3.9 MiB gave a million): kept, they cost a hundred times the input in memory.
  size_t max_warnings = 1000;
};

// Parses a whole file. Fatal problems give kInvalidArgument whose message names the line,
// column and element, with one detail {field: the element, rule, args {line, column, …}}: not XML,
// not IATI (another root element), a version other than 2.01/2.02/2.03 (1.x is refused), truncated
// input, a DOCTYPE (entity declarations are refused outright, so no entity-expansion attack can
// work), over the limits, or an activity without iati-identifier. Missing optional parts and
// unknown codes are Warnings.
Result<ParseResult> Parse(std::string_view xml, const ParseLimits& limits = {});

// What a file says besides its activities.
struct ParseSummary {
  std::string version;            // as ParseResult's; set before the first activity is handed over
  std::vector<Warning> warnings;  // as ParseResult's
  int64_t warnings_total = 0;
};

// Parse, handing each activity to `on_activity` as soon as it is read: memory holds the input
// and one activity at a time (each element under the root is parsed on its own). The same
// errors as Parse, found in the order of the file, so activities before a fault have been
// handed over already; an error from `on_activity` stops the reading and is returned as is.
Status ParseEach(std::string_view xml, const ParseLimits& limits, ParseSummary* summary,
                 const std::function<Status(Activity&&)>& on_activity);

// ParseEach on a thread of its own while `on_activity` runs on the caller's, the reading a few
// hundred activities ahead (kParseAhead): for an importer that waits on a database per chunk,
// so reading the file and writing it overlap. The same activities in the same order, the same
// errors (activities before a fault handed over first) and the same summary, complete when it
// returns (not before: its version is not yet set when the first activity is handed over). An
// error from `on_activity` stops the reading and is returned as is. Memory holds the input and
// up to kParseAhead activities.
inline constexpr size_t kParseAhead = 256;
Status ParseEachAhead(std::string_view xml, const ParseLimits& limits, ParseSummary* summary,
                      const std::function<Status(Activity&&)>& on_activity);

// Writes `iati-activities` version 2.03 XML, one activity at a time, to `sink` (so an export of
// any size needs only one activity in memory). Elements follow the schema's order; text and
// attributes are escaped; the output validates against iati-activities-schema.xsd when every
// activity has an identifier, a reporting-org, a title, a description, a participating-org,
// a status and an activity-date (the caller supplies defaults where its data lacks one).
class Writer {
 public:
  using Sink = std::function<void(std::string_view)>;
  // `generated_datetime`: RFC 3339, written on the root element.
  Writer(Sink sink, const std::string& generated_datetime);
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  ~Writer();

  void Write(const Activity& activity);
  // Closes the root element; called by the destructor if not before.
  void Finish();

 private:
  Sink sink_;
  bool finished_ = false;
  std::string buf_;
};

}  // namespace gmg::iati
