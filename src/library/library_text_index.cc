#include "library/library_text_index.h"

namespace gmg {

// In library_text_index_sqlite.cc and library_text_index_postgres.cc.
std::unique_ptr<LibraryTextIndex> MakeSqliteLibraryIndex();
std::unique_ptr<LibraryTextIndex> MakePostgresLibraryIndex();

std::unique_ptr<LibraryTextIndex> LibraryTextIndex::For(Dialect dialect) {
  return dialect == Dialect::kPostgres ? MakePostgresLibraryIndex() : MakeSqliteLibraryIndex();
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
