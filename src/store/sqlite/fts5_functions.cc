#include "store/sqlite/fts5_functions.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace gmg {
namespace {

// What is the same for every row of one query: computed at its first row.
struct QueryTotals {
  double rows = 0;
  double tokens = 0;
  std::vector<double> docs;
};

// Adds to out[phrase], for each phrase below `phrases` with instances in this row, the weight
// of the column of each instance: argv holds the arguments after the table's, one weight per
// column (at most kMaxColumns; any other column weighs 1). Returns an SQLite code.
int AddPhraseFrequencies(const Fts5ExtensionApi* api, Fts5Context* fts, int argc,
                         sqlite3_value** argv, int phrases, double* out) {
  constexpr int kMaxColumns = 8;
  double weights[kMaxColumns];
  const int columns = std::min(argc, kMaxColumns);
  for (int c = 0; c < columns; ++c) weights[c] = sqlite3_value_double(argv[c]);
  int instances = 0;
  int rc = api->xInstCount(fts, &instances);
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0;
    int column = 0;
    int offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    double weight = column >= 0 && column < columns ? weights[column] : 1.0;
    if (rc == SQLITE_OK && phrase >= 0 && phrase < phrases) out[phrase] += weight;
  }
  return rc;
}

int CountRow(const Fts5ExtensionApi*, Fts5Context*, void* count) {
  ++*static_cast<int64_t*>(count);
  return SQLITE_OK;
}

void PhraseStatsFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx,
                         int argc, sqlite3_value** argv) {
  auto* totals = static_cast<QueryTotals*>(api->xGetAuxdata(fts, 0));
  if (totals == nullptr) {
    auto fresh = std::make_unique<QueryTotals>();
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    for (int i = 0; rc == SQLITE_OK && i < api->xPhraseCount(fts); ++i) {
      int64_t n = 0;
      rc = api->xQueryPhrase(fts, i, &n, CountRow);
      fresh->docs.push_back(static_cast<double>(n));
    }
    if (rc == SQLITE_OK) {
      fresh->rows = static_cast<double>(rows);
      fresh->tokens = static_cast<double>(tokens);
      totals = fresh.get();
      rc = api->xSetAuxdata(fts, fresh.release(),
                            [](void* p) { delete static_cast<QueryTotals*>(p); });
    }
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
  }
  size_t phrases = totals->docs.size();
  // [rows, tokens, phrases, docs…, frequencies…]
  std::vector<double> out(3 + 2 * phrases, 0.0);
  out[0] = totals->rows;
  out[1] = totals->tokens;
  out[2] = static_cast<double>(phrases);
  std::copy(totals->docs.begin(), totals->docs.end(), out.begin() + 3);
  int rc = AddPhraseFrequencies(api, fts, argc, argv, static_cast<int>(phrases),
                                out.data() + 3 + phrases);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  sqlite3_result_blob(ctx, out.data(), static_cast<int>(out.size() * sizeof(double)),
                      SQLITE_TRANSIENT);
}

// phrase_freqs: phrase_stats's last part alone (per phrase its weighted occurrences in this
// row), for a caller that holds the counts already; no buffer allocated per row.
void PhraseFreqsFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx,
                         int argc, sqlite3_value** argv) {
  constexpr int kMaxPhrases = 64;
  const int phrases = std::min(api->xPhraseCount(fts), kMaxPhrases);
  double out[kMaxPhrases] = {};
  int rc = AddPhraseFrequencies(api, fts, argc, argv, phrases, out);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  sqlite3_result_blob(ctx, out, static_cast<int>(phrases * sizeof(double)), SQLITE_TRANSIENT);
}

}  // namespace

bool RegisterFts5Functions(sqlite3* db) {
  // The documented way to reach the FTS5 API: SELECT fts5(?) with a pointer bound to it.
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return false;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr || api->iVersion < 2) return false;
  return api->xCreateFunction(api, "phrase_stats", nullptr, PhraseStatsFunction, nullptr) ==
             SQLITE_OK &&
         api->xCreateFunction(api, "phrase_freqs", nullptr, PhraseFreqsFunction, nullptr) ==
             SQLITE_OK;
}

}  // namespace gmg
