// IATI ↔ GMG Hub activities: the import (a file, all-or-nothing) and the export mapping.
//
// Import rules: reporting-org is matched to an organisation by IATI identifier ("XM-DAC-47066"
// and "47066" are the same); an organisation that is not in the registry joins it as a partner.
// DAC 5-digit sectors and SDG targets (as sectors or tags) map onto themes (table in
// iati_mapping.cc); every sector is also kept as written (ActivityInput::sectors, any
// vocabulary, with its percentage and narrative), and so are the transactions; other tags and
// non-M49 regions are kept as tags. An activity with no migration
// theme is skipped (a whole agency file holds much more than migration work). The same
// iati-identifier updates the stored activity instead of duplicating it, and changes only
// what the file says: a part the file leaves out (no description, dates, places, budget,
// participating-org, contact email, tags, sectors, transactions) keeps its stored value; what IATI
// does not carry (visibility, type, purposes, dimensions, contact name, global) is never touched;
// the file's document-links are added to the links recorded by hand; an archived activity stays
// archived and unchanged. Each activity's row in the report says what changed. Unknown country,
// region, status or currency codes, and end dates before start dates, reject the whole file
// naming the line: every detail of the error carries a rule code and the args `line` and
// `identifier` (besides the rule's own), so a client can say where in its own language.
// A focal point may import only activities its own organisation reports,
// under identifiers that begin with its organisation's IATI identifier (as IATI requires):
// so whether another organisation's identifier exists is never its answer to see.
// One import runs at a time across every process on the database (Database::AcquireNamedLock
// "activities.import"); the others wait for it. The whole file is one transaction, decided in
// file order and written a chunk of activities at a time (ActivityService::InsertManyInTx: a
// dozen statements per chunk, not about ten per activity, which on PostgreSQL are round trips).
// Thread-safety: stateless over the Database.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "activities/activity_service.h"
#include "core/principal.h"
#include "core/result.h"
#include "interop/iati.h"

namespace gmg {

struct ImportItem {
  int line = 0;
  std::string iati_identifier;
  // "created", "updated" (see `changed`), "unchanged", "kept_archived" (an archived
  // activity: left as it is), "skipped" (see `reason`).
  std::string action;
  int64_t activity_id = 0;
  std::string reason;  // English, for the CLI and scripts; "" when nothing needs explaining
  // The reason's stable code ("no_migration_theme", "archived") and values, which a client
  // translates; "" with `reason`.
  std::string rule;
  std::vector<std::pair<std::string, std::string>> args;
  std::vector<std::string> changed;  // "updated": the fields, as the activity JSON names them
};

struct ImportReport {
  // Rows kept in `items`: one per activity up to here, then only counted (a row costs about
  // three times an activity's smallest XML; a file may hold a million).
  static constexpr size_t kMaxItems = 10'000;

  std::string file_version;
  bool dry_run = false;
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t kept_archived = 0;
  int64_t skipped = 0;
  std::vector<ImportItem> items;        // the first kMaxItems, in file order
  int64_t items_total = 0;              // every activity of the file
  std::vector<iati::Warning> warnings;  // the first iati::ParseLimits::max_warnings
  int64_t warnings_total = 0;
};

// `limits` bound the file (size, activities): the defaults for uploads, larger for the CLI.
Result<ImportReport> ImportIati(Database& db, ActivityService& activities, const Principal& actor,
                                std::string_view xml, bool dry_run,
                                const iati::ParseLimits& limits = {});

// The themes an IATI sector or tag maps onto (empty when none); exposed for tests.
std::vector<std::string> ThemesForCode(const std::string& vocabulary, const std::string& code,
                                       bool is_tag);

// Streams the activities under `filter` as IATI 2.03 XML to `sink`: the publisher's sectors and
// transactions as they came, and our themes beside them — a vocabulary-99 block of sectors
// summing to 100 when the publisher has no vocabulary-99 sector, else vocabulary-99 tags (IATI
// wants each vocabulary's percentages to sum to 100). With the hub's
// `public_url` ("https://hub.example.org"), each activity also links to its page on the hub
// (a document-link, category A12 "Activity web page"); IATI wants absolute addresses, so
// there is no such link without one.
Status ExportIati(Database& db, ActivityService& activities, const Principal& viewer,
                  const ActivityFilter& filter, const std::function<bool(std::string_view)>& sink,
                  std::string_view public_url = {});

}  // namespace gmg
