#include "store/sqlite/fts5_functions.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "core/stem.h"

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

// gmg_stem's languages: a document's words are stemmed in one, a query's in all three.
constexpr std::array<std::string_view, 3> kStemLanguages = {"en", "fr", "es"};
constexpr size_t kMaxLanguageCode = 16;

// The length of the language mark at text[at] (0 when there is none) and its language's
// index in kStemLanguages (English for any code but "fr" and "es", and for none).
size_t MarkAt(std::string_view text, size_t at, int* language) {
  if (at >= text.size() || text[at] != kLanguageMarkByte) return 0;
  size_t close = text.find(kLanguageMarkByte, at + 1);
  if (close == std::string_view::npos || close - at - 1 > kMaxLanguageCode) return 0;
  std::string_view lang = text.substr(at + 1, close - at - 1);
  *language = lang == "fr" ? 1 : lang == "es" ? 2 : 0;
  return close - at + 1;
}

// One gmg_stem instance: the unicode61 it wraps, a stemmer per language (kStemLanguages's
// order), and a buffer for the tagged stems.
struct StemTokenizer {
  fts5_tokenizer inner_api{};
  Fts5Tokenizer* inner = nullptr;
  std::array<Stemmer, 3> stemmers{Stemmer("en"), Stemmer("fr"), Stemmer("es")};
  std::string token;
};

using TokenFn = int (*)(void* ctx, int tflags, const char* token, int size, int start, int end);

// What EmitStems needs of one call of StemTokenize.
struct StemPass {
  StemTokenizer* self = nullptr;
  void* ctx = nullptr;
  TokenFn emit = nullptr;
  int offset = 0;    // of the text given to unicode61, in the whole text
  int language = 0;  // index in kStemLanguages, or -1: a query word, stemmed in all of them
};

int EmitStem(StemPass& pass, int language, int tflags, std::string_view word, int start, int end) {
  std::string& out = pass.self->token;
  out.assign(kStemLanguages[language]);
  out += ':';
  out += pass.self->stemmers[static_cast<size_t>(language)](word);
  return pass.emit(pass.ctx, tflags, out.data(), static_cast<int>(out.size()), start + pass.offset,
                   end + pass.offset);
}

// unicode61's callback: its token (lower-cased, diacritics off) as tagged stems. No exception
// crosses SQLite's C frames: running out of memory is SQLITE_NOMEM.
int EmitStems(void* p, int tflags, const char* token, int size, int start, int end) {
  auto& pass = *static_cast<StemPass*>(p);
  std::string_view word(token, static_cast<size_t>(size));
  try {
    if (pass.language >= 0) return EmitStem(pass, pass.language, tflags, word, start, end);
    int rc = SQLITE_OK;
    for (int l = 0; rc == SQLITE_OK && l < static_cast<int>(kStemLanguages.size()); ++l) {
      rc = EmitStem(pass, l, l == 0 ? tflags : tflags | FTS5_TOKEN_COLOCATED, word, start, end);
    }
    return rc;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
}

int StemCreate(void* api_ptr, const char** argv, int argc, Fts5Tokenizer** out) {
  auto* api = static_cast<fts5_api*>(api_ptr);
  auto self = std::unique_ptr<StemTokenizer>(new (std::nothrow) StemTokenizer());
  if (!self) return SQLITE_NOMEM;
  void* inner_ctx = nullptr;
  int rc = api->xFindTokenizer(api, "unicode61", &inner_ctx, &self->inner_api);
  if (rc == SQLITE_OK) rc = self->inner_api.xCreate(inner_ctx, argv, argc, &self->inner);
  if (rc != SQLITE_OK) return rc;
  *out = reinterpret_cast<Fts5Tokenizer*>(self.release());
  return SQLITE_OK;
}

void StemDelete(Fts5Tokenizer* tokenizer) {
  auto* self = reinterpret_cast<StemTokenizer*>(tokenizer);
  self->inner_api.xDelete(self->inner);
  delete self;
}

// A document's text piece by piece between its language marks; a query's whole.
int StemTokenize(Fts5Tokenizer* tokenizer, void* ctx, int flags, const char* data, int size,
                 TokenFn emit) {
  auto* self = reinterpret_cast<StemTokenizer*>(tokenizer);
  const bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
  StemPass pass{self, ctx, emit, 0, query ? -1 : 0};
  std::string_view text(data, size > 0 ? static_cast<size_t>(size) : 0);
  size_t at = 0;
  while (at < text.size()) {
    size_t end = at;
    size_t mark = 0;
    int language = 0;
    while (end < text.size() && (query || (mark = MarkAt(text, end, &language)) == 0)) {
      end = query ? text.size() : text.find(kLanguageMarkByte, end + 1);
      if (end == std::string_view::npos) end = text.size();
    }
    if (end > at) {
      pass.offset = static_cast<int>(at);
      int rc = self->inner_api.xTokenize(self->inner, &pass, flags, data + at,
                                         static_cast<int>(end - at), EmitStems);
      if (rc != SQLITE_OK) return rc;
    }
    if (mark > 0) pass.language = language;
    at = end + mark;
  }
  return SQLITE_OK;
}

}  // namespace

std::string WithoutLanguageMarks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  int language = 0;
  for (size_t at = 0; at < text.size();) {
    size_t mark = MarkAt(text, at, &language);
    if (mark == 0) out += text[at];
    at += mark == 0 ? 1 : mark;
  }
  return out;
}

bool RegisterFts5Functions(sqlite3* db) {
  // The documented way to reach the FTS5 API: SELECT fts5(?) with a pointer bound to it.
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return false;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr || api->iVersion < 2) return false;
  fts5_tokenizer stem{StemCreate, StemDelete, StemTokenize};
  return api->xCreateFunction(api, "phrase_stats", nullptr, PhraseStatsFunction, nullptr) ==
             SQLITE_OK &&
         api->xCreateFunction(api, "phrase_freqs", nullptr, PhraseFreqsFunction, nullptr) ==
             SQLITE_OK &&
         api->xCreateTokenizer(api, "gmg_stem", api, &stem, nullptr) == SQLITE_OK;
}

}  // namespace gmg
