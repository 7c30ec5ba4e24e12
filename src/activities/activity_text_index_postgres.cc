// ActivityTextIndex on PostgreSQL: `activity_search` holds a tsvector per activity that is not
// archived (GIN index) and its length in tokens. Each text is analysed with the configuration
// of its language (gmg_french for fr, gmg_spanish for es, gmg_english for anything else and
// partner names: the stock ones with unaccent first), titles weighted A, bodies B, and each
// lexeme tagged with its language ("fr:migr"). A query word matches through its stem in each
// language: its lexemes are read once per query (to_tsvector of the word in each
// configuration) and the match is a tsquery of those tagged lexemes, built here and cast, so
// no user text reaches the query syntax. Frequencies come from the matching rows' tsvectors
// (unnest: lexeme, weights). Lengths count tokens as FTS5's unicode61 does for ASCII text (runs of
// letters and digits; a non-ASCII character counts as a letter), so the engines rank alike.
// Differences from FTS5, by design of the engines: a word that is a stop word in any of the
// three configurations is left out of the query (a query of only such words matches nothing);
// French and Spanish texts are stemmed by their own stemmers, not Porter's English one; ts_headline
// drops what its parser takes for an HTML tag ("<b>") from a highlighted text. The DDL needs the
// unaccent extension (contrib, shipped with Debian's postgresql-15; trusted, so the database's
// owner may create it).
#include <algorithm>
#include <boost/json.hpp>
#include <unordered_map>

#include "activities/activity_text_index.h"
#include "store/sql.h"

namespace gmg {

const std::string_view kActivitySearchPostgresDdl = R"sql(
CREATE TABLE activity_search (
  activity_id BIGINT PRIMARY KEY REFERENCES activities(id),
  doc         tsvector NOT NULL,
  tokens      BIGINT NOT NULL
);
CREATE INDEX activity_search_doc ON activity_search USING gin (doc);
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION gmg_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION gmg_english
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION gmg_french (COPY = french);
ALTER TEXT SEARCH CONFIGURATION gmg_french
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION gmg_spanish (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION gmg_spanish
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
)sql";

// How many rows of `activity_search` hold each lexeme (what ranking needs per query word:
// counting the matches instead reads every matching row, 10-60 ms for a common word at 100,000
// activities). Kept by Reindex and Rebuild in the same transaction as the rows.
const std::string_view kActivitySearchLexemesPostgresDdl = R"sql(
CREATE TABLE activity_search_lexemes (
  lexeme TEXT PRIMARY KEY,
  docs   BIGINT NOT NULL
);
INSERT INTO activity_search_lexemes (lexeme, docs)
  SELECT u.lexeme, count(*) FROM activity_search s, unnest(s.doc) u GROUP BY u.lexeme;
)sql";

namespace {

// Per lexeme, how many of the rows of `activity_search` chosen by a condition on `s` hold it.
constexpr char kLexemeCounts[] =
    "SELECT u.lexeme, count(*) AS n FROM activity_search s, unnest(s.doc) u";

// Adds the rows of `activity_search` chosen by `where` (a condition on `s`) to the counts.
std::string AddLexemeCounts(const std::string& where) {
  return std::string("INSERT INTO activity_search_lexemes (lexeme, docs) ") + kLexemeCounts +
         where +
         " GROUP BY u.lexeme ON CONFLICT (lexeme) DO UPDATE SET docs = "
         "activity_search_lexemes.docs + excluded.docs";
}

std::string IdsJson(const std::vector<int64_t>& ids) {
  boost::json::array a;
  for (int64_t id : ids) a.push_back(id);
  return boost::json::serialize(a);
}

// The configuration of a text in language `lang_column`.
std::string ConfigOf(const std::string& lang_column) {
  return "CAST(CASE " + lang_column +
         " WHEN 'fr' THEN 'gmg_french' WHEN 'es' THEN 'gmg_spanish' ELSE 'gmg_english' END AS "
         "regconfig)";
}

// Tokens as unicode61 counts them for ASCII text.
constexpr char kTokenPattern[] = "'[0-9A-Za-z\\u0080-\\U0010FFFF]+'";

// The configurations and the tags their lexemes carry in `activity_search.doc`.
constexpr size_t kTagLength = 3;  // "en:", "fr:", "es:"

const char* TagOf(std::string_view config) {
  if (config == "gmg_french") return "fr:";
  if (config == "gmg_spanish") return "es:";
  return "en:";
}

// to_tsvector(config, text) with each lexeme tagged by its configuration ("fr:migr"), so a
// query word matches a French text only through its French stem and an English text through
// its English one, as one stemmer per text would (untagged, "data", whose Spanish stem is
// "dat", found "datos"). The tag goes into the tsvector's text form, where every lexeme is
// quoted (a quote inside doubled).
std::string Tagged(const char* config, const std::string& text) {
  return std::string("CAST(regexp_replace(CAST(to_tsvector('") + config + "', " + text +
         R"() AS text), '''((?:[^'']|'''')*)''', ''')" + TagOf(config) +
         R"(\1''', 'g') AS tsvector))";
}

// Per word (n, from 1) its tagged stems in each configuration.
constexpr char kWordLexemes[] =
    "SELECT w.n, c.tag || u.lexeme FROM json_array_elements_text(CAST(? AS json)) WITH "
    "ORDINALITY AS w(word, n), (VALUES ('gmg_english', 'en:'), ('gmg_french', 'fr:'), "
    "('gmg_spanish', 'es:')) AS c(config, tag), unnest(to_tsvector(CAST(c.config AS regconfig), "
    "w.word)) u";

// The rows of activities `a` to index (a condition on `a` follows).
std::string IndexRows() {
  auto texts = [](const char* field, const char* langs, const char* config, const char* weight) {
    return "setweight(" +
           Tagged(config,
                  std::string("coalesce(string_agg(t.text, E'\\n') FILTER (WHERE t.field = '") +
                      field + "' AND " + langs + "), '')") +
           ", '" + weight + "')";
  };
  const char* en = "t.lang NOT IN ('fr', 'es')";
  return "INSERT INTO activity_search (activity_id, doc, tokens) SELECT a.id, "
         "x.doc || setweight(" +
         Tagged("gmg_english", "p.names") +
         ", 'B'), x.tokens + p.tokens "
         "FROM activities a, LATERAL (SELECT " +
         texts("title", en, "gmg_english", "A") + " || " +
         texts("title", "t.lang = 'fr'", "gmg_french", "A") + " || " +
         texts("title", "t.lang = 'es'", "gmg_spanish", "A") + " || " +
         texts("description", en, "gmg_english", "B") + " || " +
         texts("description", "t.lang = 'fr'", "gmg_french", "B") + " || " +
         texts("description", "t.lang = 'es'", "gmg_spanish", "B") +
         " AS doc, coalesce(sum(regexp_count(t.text, " + kTokenPattern +
         ")), 0) AS tokens FROM activity_texts t WHERE t.activity_id = a.id) x, "
         "LATERAL (SELECT coalesce(string_agg(q.name, E'\\n'), '') AS names, "
         "coalesce(sum(regexp_count(q.name, " +
         kTokenPattern +
         ")), 0) AS tokens "
         "FROM activity_partners q WHERE q.activity_id = a.id) p "
         "WHERE a.archived_at IS NULL";
}

// A lexeme quoted for tsquery input.
std::string QuoteLexeme(std::string_view lexeme) {
  std::string out = "'";
  for (char c : lexeme) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

// A query's words as lexemes: per word, its stems in the three configurations.
struct Lexemes {
  std::vector<std::vector<std::string>> of_word;
  bool any = false;

  // ('l1' | 'l2') for word i, or "" when it has none.
  std::string Word(size_t i) const {
    std::string q;
    for (const auto& l : of_word[i]) q += (q.empty() ? "(" : " | ") + QuoteLexeme(l);
    return q.empty() ? q : q + ")";
  }
  // Every word with lexemes required (" & "), or any of them (" | ").
  std::string All(std::string_view op = " & ") const {
    std::string q;
    for (size_t i = 0; i < of_word.size(); ++i) {
      std::string w = Word(i);
      if (!w.empty()) q += (q.empty() ? "" : std::string(op)) + w;
    }
    return q;
  }
};

// Whether a word's lexemes include one of each configuration's tag.
bool InEveryLanguage(const std::vector<std::string>& lexemes) {
  for (std::string_view tag : {"en:", "fr:", "es:"}) {
    if (std::none_of(lexemes.begin(), lexemes.end(),
                     [&](const std::string& l) { return l.rfind(tag, 0) == 0; })) {
      return false;
    }
  }
  return true;
}

Result<Lexemes> LexemesOf(Tx& tx, const std::vector<std::string>& words) {
  Lexemes out;
  out.of_word.resize(words.size());
  boost::json::array list;
  for (const auto& w : words) list.emplace_back(w);
  GMG_RETURN_IF_ERROR(
      tx.QueryEach(kWordLexemes, {boost::json::serialize(list)}, [&](const RowView& r) -> Status {
        auto i = static_cast<size_t>(r.Int(0) - 1);
        if (i < out.of_word.size()) out.of_word[i].emplace_back(r.Text(1));
        return Ok();
      }));
  // A stop word of any one language ("the" in English, "de" in French) is left out of the
  // query, as FTS5 would not be asked to require it of a text in that language: "Imported by
  // the matrix" must find an English title whose "by" and "the" were never indexed.
  for (auto& lexemes : out.of_word) {
    if (!InEveryLanguage(lexemes)) lexemes.clear();
    out.any = out.any || !lexemes.empty();
  }
  return out;
}

// ts_headline's parser reads "<migrant>" as an HTML tag and "&lt;" as an entity, neither a
// word: they go in as \x03, \x04, \x05 (separators to it) and come back here.
std::string Untranslated(std::string s) {
  for (char& c : s) {
    if (c == '\x03') c = '<';
    if (c == '\x04') c = '>';
    if (c == '\x05') c = '&';
  }
  return s;
}

// "…" where a headline cuts its text.
std::string WithEllipses(std::string headline, std::string_view text) {
  std::string plain;
  for (char c : headline) {
    if (c != '\x01' && c != '\x02') plain += c;
  }
  size_t at = text.find(plain);
  if (plain.empty() || at == std::string_view::npos) return headline;
  if (at > 0) headline = "…" + headline;
  if (at + plain.size() < text.size()) headline += "…";
  return headline;
}

class PostgresTextIndex final : public ActivityTextIndex {
 public:
  Status Reindex(Tx& tx, const std::vector<int64_t>& ids, bool bulk) override {
    if (ids.empty()) return Ok();
    std::string json = IdsJson(ids);
    std::string in(sql::InJsonList(Dialect::kPostgres, sql::ListOf::kIntegers));
    GMG_RETURN_IF_ERROR(
        tx.Exec(std::string("UPDATE activity_search_lexemes l SET docs = l.docs - c.n "
                            "FROM (") +
                    kLexemeCounts + " WHERE s.activity_id" + in +
                    " GROUP BY u.lexeme) c WHERE l.lexeme = c.lexeme",
                {json}));
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM activity_search WHERE activity_id" + in, {json}));
    GMG_RETURN_IF_ERROR(tx.Exec(IndexRows() + " AND a.id" + in, {json}));
    GMG_RETURN_IF_ERROR(tx.Exec(AddLexemeCounts(" WHERE s.activity_id" + in), {json}));
    if (!bulk) return Ok();
    // Fresh statistics for the planner's choice between the filters' indexes.
    return tx.ExecScript(
        "ANALYZE activities; ANALYZE activity_themes; ANALYZE activity_countries; "
        "ANALYZE activity_search; ANALYZE activity_search_lexemes; "
        // And what the index reads, which the pages read too: a server started right after
        // an import planned them without statistics (a sequential scan of activity_texts,
        // 80 ms a page).
        "ANALYZE activity_texts; ANALYZE activity_partners; "
        // The GIN index's pending list into the index proper: until autovacuum does it,
        // every search reads the whole list (a search right after an import: 100 ms, not 20).
        "SELECT gin_clean_pending_list(CAST('activity_search_doc' AS regclass));");
  }

  Status Rebuild(Tx& tx) override {
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM activity_search"));
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM activity_search_lexemes"));
    GMG_RETURN_IF_ERROR(tx.Exec(IndexRows()));
    GMG_RETURN_IF_ERROR(tx.Exec(AddLexemeCounts("")));
    return Ok();
  }

  void AppendIdFilter(const std::vector<std::string>& words, std::string* sql,
                      SqlParams* params) const override {
    // The stems are looked up in SQL here (a filter is one condition): every word's lexemes
    // in the three configurations, each word required but the stop words (InEveryLanguage).
    *sql +=
        std::string(
            " IN (SELECT s.activity_id FROM activity_search s WHERE s.doc @@ (SELECT "
            "coalesce(string_agg('(' || l.q || ')', ' & '), '') FROM (SELECT string_agg(") +
        R"('''' || replace(replace(x.lexeme, '\', '\\'), '''', '''''') || '''')" +
        ", ' | ') AS q FROM (" + kWordLexemes +
        ") AS x(n, lexeme) GROUP BY x.n HAVING count(DISTINCT left(x.lexeme, 3)) = 3) l)::tsquery)";
    boost::json::array list;
    for (const auto& w : words) list.emplace_back(w);
    params->emplace_back(boost::json::serialize(list));
  }

  Status Match(Tx& tx, const std::vector<std::string>& words, const TextMatchFilter* filter,
               std::vector<double>* docs, const MatchFn& fn) override {
    docs->assign(words.size(), 0.0);
    GMG_ASSIGN_OR_RETURN(Lexemes lexemes, LexemesOf(tx, words));
    if (!lexemes.any) return Ok();
    std::unordered_map<std::string, std::vector<size_t>> words_of;  // lexeme → word indexes
    boost::json::array all;
    // One word and no filter: the matches are the activities containing it, so its count
    // comes from the match itself. Otherwise from the lexeme counts: exact when at most one of
    // a word's lexemes occurs anywhere (a text holds it in one language); a word found in
    // several languages is counted from the rows (a text may hold it in two).
    const bool count_from_match = words.size() == 1 && filter == nullptr;
    for (size_t i = 0; i < words.size(); ++i) {
      for (const auto& l : lexemes.of_word[i]) {
        auto& list = words_of[l];
        if (std::find(list.begin(), list.end(), i) == list.end()) {
          if (list.empty()) all.emplace_back(l);
          list.push_back(i);
        }
      }
    }
    if (!count_from_match) GMG_RETURN_IF_ERROR(CountDocs(tx, lexemes, all, docs));
    std::string from = " FROM activity_search s";
    std::string where;
    SqlParams p{boost::json::serialize(all), lexemes.All()};
    if (filter != nullptr) {
      from = filter->from;
      from.replace(from.find(" FROM activities a"), 18,
                   " FROM activity_search s JOIN activities a ON a.id = s.activity_id");
      where = " AND " + filter->where;
      p.insert(p.end(), filter->params.begin(), filter->params.end());
    }
    std::vector<double> freqs(words.size());
    // Per match, "lexeme weights lexeme weights …" of the query's lexemes (weights: one
    // letter per occurrence, A in a title, B in a body).
    std::vector<std::pair<int64_t, double>> held;  // count_from_match: (id, freq) until counted
    GMG_RETURN_IF_ERROR(
        tx.QueryEach("SELECT s.activity_id, (SELECT string_agg(u.lexeme || ' ' || "
                     "array_to_string(u.weights, ''), ' ') FROM unnest(s.doc) u WHERE u.lexeme IN "
                     "(SELECT json_array_elements_text(CAST(? AS json))))" +
                         from + " WHERE s.doc @@ CAST(? AS tsquery)" + where,
                     p, [&](const RowView& r) -> Status {
                       std::fill(freqs.begin(), freqs.end(), 0.0);
                       std::string_view s = r.Text(1);
                       while (!s.empty()) {
                         size_t sp = s.find(' ');
                         if (sp == std::string_view::npos) break;
                         std::string lexeme(s.substr(0, sp));
                         s.remove_prefix(sp + 1);
                         size_t end = std::min(s.find(' '), s.size());
                         double f = 0;
                         for (char w : s.substr(0, end)) f += w == 'A' ? 5.0 : 1.0;
                         s.remove_prefix(std::min(end + 1, s.size()));
                         if (auto it = words_of.find(lexeme); it != words_of.end()) {
                           for (size_t i : it->second) freqs[i] += f;
                         }
                       }
                       if (count_from_match) {
                         held.emplace_back(r.Int(0), freqs[0]);
                         return Ok();
                       }
                       return fn(r.Int(0), freqs);
                     }));
    if (!count_from_match) return Ok();
    (*docs)[0] = static_cast<double>(held.size());
    for (const auto& [id, f] : held) {
      freqs[0] = f;
      GMG_RETURN_IF_ERROR(fn(id, freqs));
    }
    return Ok();
  }

  // (*docs)[i]: how many rows hold word i (see Match).
  static Status CountDocs(Tx& tx, const Lexemes& lexemes, const boost::json::array& all,
                          std::vector<double>* docs) {
    std::unordered_map<std::string, int64_t> of_lexeme;
    GMG_RETURN_IF_ERROR(
        tx.QueryEach("SELECT lexeme, docs FROM activity_search_lexemes WHERE docs > 0 AND lexeme" +
                         std::string(sql::InJsonList(Dialect::kPostgres, sql::ListOf::kTexts)),
                     {boost::json::serialize(all)}, [&](const RowView& r) -> Status {
                       of_lexeme[std::string(r.Text(0))] = r.Int(1);
                       return Ok();
                     }));
    for (size_t i = 0; i < lexemes.of_word.size(); ++i) {
      int64_t n = 0;
      int held = 0;
      for (const auto& l : lexemes.of_word[i]) {
        if (auto it = of_lexeme.find(l); it != of_lexeme.end()) {
          n = it->second;
          ++held;
        }
      }
      if (held > 1) {
        GMG_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*) FROM activity_search "
                                                     "WHERE doc @@ CAST(? AS tsquery)",
                                                     {lexemes.Word(i)}));
        n = count->Int(0);
      }
      (*docs)[i] = static_cast<double>(n);
    }
    return Ok();
  }

  Result<std::map<int64_t, TextHighlight>> Highlight(Tx& tx, const std::vector<std::string>& words,
                                                     const std::vector<int64_t>& ids) override {
    std::map<int64_t, TextHighlight> out;
    if (ids.empty()) return out;
    GMG_ASSIGN_OR_RETURN(Lexemes lexemes, LexemesOf(tx, words));
    // ts_headline analyses each text with its configuration and compares untagged stems.
    for (auto& word : lexemes.of_word) {
      for (auto& l : word) l.erase(0, kTagLength);
    }
    // Any word: ts_headline looks for a stretch holding every term of an AND, and a body
    // without the title's words would show no mark; FTS5 marks each word where it is.
    std::string query = lexemes.All(" | ");
    // Titles whole with every match marked; bodies as about 24 words around the matches.
    const std::string title_options = "StartSel=\"\x01\", StopSel=\"\x02\", HighlightAll=true";
    const std::string body_options =
        "StartSel=\"\x01\", StopSel=\"\x02\", MaxWords=24, MinWords=12, ShortWord=2";
    std::string in(sql::InJsonList(Dialect::kPostgres, sql::ListOf::kIntegers));
    std::string headline =
        query.empty() ? "x.text"
                      : "ts_headline(" + ConfigOf("x.lang") +
                            ", translate(x.text, '<>&', E'\\x03\\x04\\x05'), CAST(? AS tsquery), "
                            "CASE WHEN x.field = 'title' THEN CAST(? AS TEXT) "
                            "ELSE CAST(? AS TEXT) END)";
    SqlParams p;
    if (!query.empty()) p = {query, title_options, body_options};
    p.emplace_back(IdsJson(ids));
    p.emplace_back(IdsJson(ids));
    // Titles, then descriptions, by language (the order FTS5's columns are filled in), then
    // partner names.
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT x.activity_id, x.field, " + headline +
                     ", x.text FROM ("
                     "SELECT activity_id, field, lang, text, 0 AS part FROM activity_texts "
                     "WHERE activity_id" +
                     in +
                     " UNION ALL SELECT activity_id, 'partner', 'en', name, id FROM "
                     "activity_partners WHERE activity_id" +
                     in +
                     ") x ORDER BY x.activity_id, "
                     "CASE x.field WHEN 'title' THEN 0 WHEN 'description' THEN 1 ELSE 2 END, "
                     "x.lang, x.part",
                 p));
    std::map<int64_t, std::string> first_body;
    for (const Row& r : rows) {
      TextHighlight& h = out[r.Int(0)];
      std::string field = r.Text(1);
      std::string marked = Untranslated(r.Text(2));
      if (field == "title") {
        if (h.title.empty()) h.title = MarkedHtml(marked);
        continue;
      }
      std::string text = r.Text(3);
      bool hit = marked.find('\x01') != std::string::npos;
      if (!h.snippet.empty()) continue;
      if (hit) {
        h.snippet = MarkedHtml(WithEllipses(marked, text));
      } else if (!first_body.contains(r.Int(0))) {
        first_body[r.Int(0)] = WithEllipses(marked, text);
      }
    }
    for (auto& [id, h] : out) {
      if (h.snippet.empty() && first_body.contains(id)) h.snippet = MarkedHtml(first_body[id]);
    }
    return out;
  }

  std::string_view LengthJoin() const override {
    return " JOIN activity_search d ON d.activity_id = a.id";
  }
  std::string_view LengthColumn() const override { return "d.tokens"; }
  uint32_t DecodeLength(const RowView& row, size_t column) const override {
    return static_cast<uint32_t>(row.Int(column));
  }
};

}  // namespace

std::unique_ptr<ActivityTextIndex> MakePostgresTextIndex() {
  return std::make_unique<PostgresTextIndex>();
}

}  // namespace gmg
