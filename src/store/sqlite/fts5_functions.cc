#include "store/sqlite/fts5_functions.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
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

int CountRow(const Fts5ExtensionApi*, Fts5Context*, void* count) {
  ++*static_cast<int64_t*>(count);
  return SQLITE_OK;
}

void PhraseStatsFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
                         sqlite3_value** argv) {
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
      rc = api->xSetAuxdata(fts, fresh.release(), [](void* p) { delete static_cast<QueryTotals*>(p); });
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
  int instances = 0;
  int rc = api->xInstCount(fts, &instances);
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0;
    int column = 0;
    int offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    // argv holds the arguments after the table's: one weight per column.
    double weight = column < argc ? sqlite3_value_double(argv[column]) : 1.0;
    if (rc == SQLITE_OK && static_cast<size_t>(phrase) < phrases) out[3 + phrases + phrase] += weight;
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  sqlite3_result_blob(ctx, out.data(), static_cast<int>(out.size() * sizeof(double)), SQLITE_TRANSIENT);
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
  return api->xCreateFunction(api, "phrase_stats", nullptr, PhraseStatsFunction, nullptr) == SQLITE_OK;
}

double Bm25(std::string_view blob, double row_tokens) {
  // As fts5Bm25Function in SQLite's ext/fts5/fts5_aux.c.
  constexpr double kK1 = 1.2;
  constexpr double kB = 0.75;
  auto at = [&](size_t i) {
    double d;
    std::memcpy(&d, blob.data() + i * sizeof(double), sizeof d);
    return d;
  };
  size_t n = blob.size() / sizeof(double);
  if (n < 3 || blob.size() % sizeof(double) != 0) return 0;
  double rows = at(0);
  double avgdl = rows > 0 ? at(1) / rows : 1.0;
  size_t phrases = static_cast<size_t>(at(2));
  if (n != 3 + 2 * phrases) return 0;
  double score = 0;
  for (size_t i = 0; i < phrases; ++i) {
    double docs = at(3 + i);
    double f = at(3 + phrases + i);
    double idf = std::log((rows - docs + 0.5) / (docs + 0.5));
    if (idf <= 0.0) idf = 1e-6;
    score += idf * (f * (kK1 + 1.0)) / (f + kK1 * (1 - kB + kB * row_tokens / avgdl));
  }
  return -score;
}

}  // namespace gmg
