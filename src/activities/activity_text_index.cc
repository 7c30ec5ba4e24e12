#include "activities/activity_text_index.h"

#include <cctype>
#include <cmath>

namespace gmg {

// In activity_text_index_sqlite.cc and activity_text_index_postgres.cc.
std::unique_ptr<ActivityTextIndex> MakeSqliteTextIndex();
std::unique_ptr<ActivityTextIndex> MakePostgresTextIndex();

std::unique_ptr<ActivityTextIndex> ActivityTextIndex::For(Dialect dialect) {
  return dialect == Dialect::kPostgres ? MakePostgresTextIndex() : MakeSqliteTextIndex();
}

std::vector<std::string> SearchWords(std::string_view text) {
  std::vector<std::string> words;
  std::string w;
  auto flush = [&] {
    if (!w.empty() && words.size() < kMaxSearchWords) words.push_back(std::move(w));
    w.clear();
  };
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {
      w += static_cast<char>(c);
    } else {
      flush();
    }
  }
  flush();
  return words;
}

double Bm25(double rows, double tokens, std::span<const double> docs, std::span<const double> freqs,
            double row_tokens) {
  return Bm25Scorer(rows, tokens, docs).Score(freqs, row_tokens);
}

// As fts5Bm25Function in SQLite's ext/fts5/fts5_aux.c (k1 1.2, b 0.75).
Bm25Scorer::Bm25Scorer(double rows, double tokens, std::span<const double> docs)
    : avgdl_(rows > 0 ? tokens / rows : 1.0) {
  for (double d : docs) {
    double idf = std::log((rows - d + 0.5) / (d + 0.5));
    if (idf <= 0.0) idf = 1e-6;
    idf_.push_back(idf);
  }
}

std::string MarkedHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\x01':
        out += "<mark>";
        break;
      case '\x02':
        out += "</mark>";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace gmg
