#include "library/library_text_index.h"

#include <algorithm>

namespace gmg {

// In library_text_index_sqlite.cc and library_text_index_postgres.cc.
std::unique_ptr<LibraryTextIndex> MakeSqliteLibraryIndex();
std::unique_ptr<LibraryTextIndex> MakePostgresLibraryIndex();

std::unique_ptr<LibraryTextIndex> LibraryTextIndex::For(Dialect dialect) {
  return dialect == Dialect::kPostgres ? MakePostgresLibraryIndex() : MakeSqliteLibraryIndex();
}

Status RebuildLibraryIndex(Tx& tx) {
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM library_items ORDER BY id"));
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  for (const Row& r : rows) ids.push_back(r.Int(0));
  auto index = LibraryTextIndex::For(tx.Dialect());
  constexpr size_t kSlice = 5000;
  for (size_t at = 0; at < ids.size(); at += kSlice) {
    std::vector<int64_t> slice(
        ids.begin() + static_cast<std::ptrdiff_t>(at),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kSlice)));
    GMG_RETURN_IF_ERROR(index->Reindex(tx, slice));
  }
  return Ok();
}

int64_t TokensOf(std::string_view text) {
  int64_t n = 0;
  bool in_token = false;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    bool token =
        c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (token && !in_token) ++n;
    in_token = token;
  }
  return n;
}

}  // namespace gmg
