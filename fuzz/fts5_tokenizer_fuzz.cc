// Fuzz target: SQLite's gmg_stem tokenizer (src/store/sqlite/fts5_functions.h), which reads
// language marks in any indexed text and stems every word, and WithoutLanguageMarks.
// Input: a query, a newline, then a document's text (any bytes, marks or not).
//
// Checks beyond "no crash, no sanitizer report":
// - the document is indexed, and every term of the index is tagged "en:", "fr:" or "es:";
// - the query, split and quoted as the search indexes do it, runs without error;
// - highlight() with empty markers gives back the stored text (when it is UTF-8 without NUL
//   bytes, as every stored text is), and that text without its marks is no longer than it.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "store/sqlite/fts5_functions.h"

namespace {

sqlite3* Open() {
  sqlite3* db = nullptr;
  GMG_FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
  GMG_FUZZ_CHECK(gmg::RegisterFts5Functions(db));
  GMG_FUZZ_CHECK(sqlite3_exec(db,
                              "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'gmg_stem "
                              "remove_diacritics 2');"
                              "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');",
                              nullptr, nullptr, nullptr) == SQLITE_OK);
  return db;
}

// Runs `sql` with text parameters; calls fn for each row.
template <typename Fn>
void Each(sqlite3* db, const char* sql, std::initializer_list<std::string_view> params, Fn fn) {
  sqlite3_stmt* stmt = nullptr;
  GMG_FUZZ_CHECK(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
  int i = 0;
  for (std::string_view p : params) {
    sqlite3_bind_text(stmt, ++i, p.data(), static_cast<int>(p.size()), SQLITE_STATIC);
  }
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) fn(stmt);
  if (rc != SQLITE_DONE) std::fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
  GMG_FUZZ_CHECK(rc == SQLITE_DONE);
  sqlite3_finalize(stmt);
}

std::string_view Column(sqlite3_stmt* stmt, int i) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
  return {text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, i))};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static sqlite3* db = Open();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t newline = in.find('\n');
  std::string_view query = in.substr(0, newline);
  std::string_view text = newline == std::string_view::npos ? "" : in.substr(newline + 1);

  GMG_FUZZ_CHECK(sqlite3_exec(db, "DELETE FROM t", nullptr, nullptr, nullptr) == SQLITE_OK);
  Each(db, "INSERT INTO t (rowid, body) VALUES (1, ?)", {text}, [](sqlite3_stmt*) {});
  Each(db, "SELECT term FROM v", {}, [](sqlite3_stmt* stmt) {
    std::string_view term = Column(stmt, 0);
    GMG_FUZZ_CHECK(term.size() > 3 && term[2] == ':');
    std::string_view tag = term.substr(0, 3);
    GMG_FUZZ_CHECK(tag == "en:" || tag == "fr:" || tag == "es:");
  });

  // The query as the indexes make one (SearchWords, then FtsQuery): runs of ASCII letters and
  // digits and bytes above 0x7F, each in double quotes.
  std::string quoted;
  bool in_word = false;
  for (char c : query) {
    auto u = static_cast<unsigned char>(c);
    bool word =
        u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (word && !in_word) quoted += quoted.empty() ? "\"" : " \"";
    if (!word && in_word) quoted += '"';
    if (word) quoted += c;
    in_word = word;
  }
  if (in_word) quoted += '"';
  if (quoted.empty()) return 0;
  // highlight() copies the text as SQLite's printf does: exact for UTF-8 without NUL bytes,
  // which every stored text is (the API and the XML reader refuse anything else).
  const bool plain = gmg::fuzz::ValidUtf8(text) && text.find('\0') == std::string_view::npos;
  Each(db, "SELECT rowid, highlight(t, 0, '', '') FROM t WHERE t MATCH ?", {quoted},
       [&](sqlite3_stmt* stmt) {
         std::string_view stored = Column(stmt, 1);
         if (plain) GMG_FUZZ_CHECK(stored == text);
         GMG_FUZZ_CHECK(gmg::WithoutLanguageMarks(stored).size() <= stored.size());
       });
  return 0;
}
