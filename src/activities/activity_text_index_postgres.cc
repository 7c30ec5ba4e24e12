// ActivityTextIndex on PostgreSQL: `activity_search` holds a tsvector per activity that is not
// archived and its length in tokens. Each text is analysed with the configuration of its
// language (gmg_french for fr, gmg_spanish for es, gmg_english for anything else and partner
// names: the stock ones with unaccent first), titles weighted A, bodies B, and each lexeme tagged
// with its language ("fr:migr"). A query word matches through its stem in each language: its
// lexemes are read once per query (to_tsvector of the word in each configuration), and the
// activities holding them come from `activity_search_postings` (per lexeme and block of ids,
// each holder's weighted occurrences, written with the rows): a search reads its words'
// postings and intersects them here, a filter (AppendIdFilter) in SQL; no user text reaches a
// query syntax (highlights cast a tsquery built here from the lexemes). Lengths count tokens as
// FTS5's unicode61 does for ASCII text (runs of letters and digits; a non-ASCII character counts
// as a letter), so the engines rank alike. Differences from FTS5, by design of the engines: a
// word that is a stop word in any of the three configurations is left out of the query (a query
// of only such words matches nothing); French and Spanish texts are stemmed by their own
// stemmers, not Porter's English one; ts_headline drops what its parser takes for an HTML tag
// ("<b>") from a highlighted text. The DDL needs the unaccent extension (contrib, shipped with
// Debian's postgresql-15; trusted, so the database's owner may create it).
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "activities/activity_text_index.h"
#include "activities/postgres_postings.h"
#include "activities/tagged_lexemes.h"
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

// How many rows of `activity_search` hold each lexeme (activities migration 5; replaced by
// the postings below in migration 6, which drops it).
const std::string_view kActivitySearchLexemesPostgresDdl = R"sql(
CREATE TABLE activity_search_lexemes (
  lexeme TEXT PRIMARY KEY,
  docs   BIGINT NOT NULL
);
INSERT INTO activity_search_lexemes (lexeme, docs)
  SELECT u.lexeme, count(*) FROM activity_search s, unnest(s.doc) u GROUP BY u.lexeme;
)sql";

// Per lexeme and block of 1,024 activity ids, the rows of `activity_search` holding it, as
// ascending entries id * 65536 + weighted occurrences (5 per occurrence in a title, 1 in a
// body, at most 65535): what ranking reads per query word, instead of each match's tsvector
// (unnest(doc) cost about 9 µs a match, 159 ms for a word found in 13,000 of 100,000). A block
// keeps an edit's update small (one short array per lexeme of the activity) and a search's
// read to one row per block. Kept by Reindex and Rebuild in the same transaction as the rows
// (counted in C++ from the documents each INSERT returns: DocumentPostings, below).
const std::string_view kActivitySearchPostingsPostgresDdl = R"sql(
CREATE TABLE activity_search_postings (
  lexeme  TEXT NOT NULL,
  block   BIGINT NOT NULL,
  entries BIGINT[] NOT NULL,
  PRIMARY KEY (lexeme, block)
);
INSERT INTO activity_search_postings (lexeme, block, entries)
  SELECT u.lexeme, s.activity_id / 1024, array_agg(s.activity_id * 65536 + least(65535,
    cardinality(u.weights) + 4 * cardinality(array_positions(u.weights, 'A')))
    ORDER BY s.activity_id)
  FROM activity_search s, unnest(s.doc) u GROUP BY u.lexeme, s.activity_id / 1024;
DROP TABLE activity_search_lexemes;
)sql";

namespace {

using tagged::InEveryLanguage;
using tagged::kWordLexemes;
using tagged::Lexemes;
using tagged::LexemesOf;
using tagged::Tagged;
using tagged::Untranslated;
using tagged::WithEllipses;

constexpr int64_t kEntryShift = kPostingEntryShift;
// Activities indexed per statement.
constexpr size_t kIndexSlice = 4096;

// The configuration of a text in language `lang_column`.
std::string ConfigOf(const std::string& lang_column) {
  return "CAST(CASE " + lang_column +
         " WHEN 'fr' THEN 'gmg_french' WHEN 'es' THEN 'gmg_spanish' ELSE 'gmg_english' END AS "
         "regconfig)";
}

// The configurations and the tags their lexemes carry in `activity_search.doc`.
constexpr size_t kTagLength = 3;  // "en:", "fr:", "es:"

// Tokens as unicode61 counts them for ASCII text: runs of ASCII letters and digits and
// non-ASCII characters (whose UTF-8 bytes are all 0x80 or above). Counted here: the same
// count as regexp_count(text, '[0-9A-Za-z\u0080-\U0010FFFF]+') in SQL, where it cost as much
// as to_tsvector.
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

// The parts of an activity's search document, in order: a group of texts (joined by newlines,
// in language order; partner names in their order) analysed with one configuration and
// weighted. IndexRows aggregates each group from the rows, DocumentsOfTexts takes it as an
// array (DocumentsAhead fills group g as part g says): the same expressions, the same documents.
struct DocumentPart {
  const char* field;   // activity_texts.field, or nullptr for the partner names
  const char* lang;    // the texts in this language, or nullptr: in any other
  const char* config;  // text search configuration
  const char* weight;
};
constexpr DocumentPart kDocumentParts[] = {
    {"title", nullptr, "gmg_english", "A"},   {"title", "fr", "gmg_french", "A"},
    {"title", "es", "gmg_spanish", "A"},      {"description", nullptr, "gmg_english", "B"},
    {"description", "fr", "gmg_french", "B"}, {"description", "es", "gmg_spanish", "B"},
    {nullptr, nullptr, "gmg_english", "B"}};
constexpr size_t kDocumentGroups = std::size(kDocumentParts);

// The group of a text of `field` (nullptr: a partner's name) in `lang`.
size_t DocumentGroupOf(const char* field, std::string_view lang) {
  size_t other = 0;
  for (size_t g = 0; g < kDocumentGroups; ++g) {
    const DocumentPart& part = kDocumentParts[g];
    if ((part.field == nullptr) != (field == nullptr)) continue;
    if (field != nullptr && std::string_view(part.field) != field) continue;
    if (part.lang == nullptr) other = g;
    if (part.lang != nullptr && std::string_view(part.lang) == lang) return g;
  }
  return other;
}

// The document of groups whose texts are the columns `prefix`0 … `prefix`6.
std::string DocumentOfColumns(const std::string& prefix) {
  std::string doc;
  for (size_t g = 0; g < kDocumentGroups; ++g) {
    const DocumentPart& part = kDocumentParts[g];
    if (!doc.empty()) doc += " || ";
    doc +=
        "setweight(" + Tagged(part.config, prefix + std::to_string(g)) + ", '" + part.weight + "')";
  }
  return doc;
}

// Inserts the rows of the activities whose ids are the first bigint[] parameter and tokens
// the second (archived ones skipped), returning each one's id and document.
std::string IndexRows() {
  std::string groups;
  for (size_t g = 0; g < kDocumentGroups; ++g) {
    const DocumentPart& part = kDocumentParts[g];
    groups += g == 0 ? "" : ", ";
    groups += part.field == nullptr
                  ? std::string(
                        "(SELECT coalesce(string_agg(q.name, E'\\n' ORDER BY q.id), '') "
                        "FROM activity_partners q WHERE q.activity_id = a.id)")
                  : std::string(
                        "coalesce(string_agg(t.text, E'\\n' ORDER BY t.lang) FILTER "
                        "(WHERE t.field = '") +
                        part.field + "' AND t.lang " +
                        (part.lang == nullptr ? std::string("NOT IN ('fr', 'es')")
                                              : std::string("= '") + part.lang + "'") +
                        "), '')";
    groups += " AS g" + std::to_string(g);
  }
  return "INSERT INTO activity_search (activity_id, doc, tokens) SELECT a.id, " +
         DocumentOfColumns("x.g") +
         ", k.tokens FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[])) AS k(id, tokens) "
         "JOIN activities a ON a.id = k.id, LATERAL (SELECT " +
         groups +
         " FROM activity_texts t WHERE t.activity_id = a.id) x "
         "WHERE a.archived_at IS NULL RETURNING activity_id, doc";
}

// Sorts by id and sums the occurrences of an id listed more than once (a word's lexemes in
// several languages, all in one text). The list comes in ascending blocks of 1,024 ids (the
// rows' order), so only each block's part is sorted, and only when it is not already.
void SortAndMerge(std::vector<TextPosting>* list) {
  constexpr int64_t kBlock = 1024;  // as activity_search_postings groups ids (any size works)
  auto by_id = [](const TextPosting& a, const TextPosting& b) { return a.id < b.id; };
  for (auto from = list->begin(); from != list->end();) {
    const int64_t block = from->id / kBlock;
    auto to = std::find_if(from, list->end(),
                           [&](const TextPosting& p) { return p.id / kBlock != block; });
    if (!std::is_sorted(from, to, by_id)) std::sort(from, to, by_id);
    from = to;
  }
  if (!std::is_sorted(list->begin(), list->end(), by_id))  // rows not in block order
    std::sort(list->begin(), list->end(), by_id);
  size_t out = 0;
  for (size_t i = 0; i < list->size(); ++i) {
    if (out > 0 && (*list)[out - 1].id == (*list)[i].id) {
      (*list)[out - 1].freq += (*list)[i].freq;
    } else {
      (*list)[out++] = (*list)[i];
    }
  }
  list->resize(out);
}

// The posting of `id` in `list` (ascending), searched from *from, which moves to where it
// stopped (the ids looked up ascend; a query's words differ much in how many hold them).
const TextPosting* FindIn(const std::vector<TextPosting>& list, size_t* from, int64_t id) {
  auto it = std::lower_bound(list.begin() + static_cast<std::ptrdiff_t>(*from), list.end(), id,
                             [](const TextPosting& p, int64_t v) { return p.id < v; });
  *from = static_cast<size_t>(it - list.begin());
  return it != list.end() && it->id == id ? &*it : nullptr;
}

std::string IdsArray(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(ids[i]);
  }
  out += '}';
  return out;
}

// Each (lexeme, block) of the stored rows whose ids are the JSON list parameter, once.
constexpr char kOldPostings[] =
    "(SELECT DISTINCT u.lexeme, s.activity_id / 1024 AS block FROM activity_search s, "
    "unnest(s.doc) u WHERE s.activity_id IN (SELECT CAST(value AS bigint) FROM "
    "json_array_elements_text(CAST(? AS json)))) o";

// The postings of documents as PostgreSQL returns them (a tsvector's text form), counted here
// rather than by unnest(doc) and array_agg in SQL (a sixth of a bulk import's time went there).
// An entry's weighted occurrences are as activities migration 6 counts them: every position,
// plus 4 more for each of weight A, at most 65535.
class DocumentPostings {
 public:
  // Adds the lexemes of activity `id`'s document `doc`: "'lex':1A,5 'other':2" (a quote
  // or backslash in a lexeme doubled, weight D not written).
  Status Add(int64_t id, std::string_view doc) {
    return ForEachTsvectorLexeme(doc, [&](const std::string& lexeme, int64_t occurrences) {
      entries_[lexeme].push_back(id * kEntryShift + std::min<int64_t>(occurrences, 65535));
    });
  }

  // Merges them into `activity_search_postings` (one statement, in the primary key's order as
  // RemovePostings locks).
  Status Write(Tx& tx) {
    if (entries_.empty()) return Ok();
    std::string lexemes = "{";
    std::string blocks = "{";
    std::string lists = "{";
    for (auto& [lexeme, list] : entries_) {
      std::sort(list.begin(), list.end());
      for (size_t b = 0; b < list.size();) {
        int64_t block = list[b] / kEntryShift / 1024;
        size_t e = b;
        std::string array = "{";
        while (e < list.size() && list[e] / kEntryShift / 1024 == block) {
          if (e > b) array += ',';
          array += std::to_string(list[e++]);
        }
        sql::AppendArrayElement(&lexemes, lexeme);
        if (blocks.size() > 1) blocks += ',';
        blocks += std::to_string(block);
        sql::AppendArrayElement(&lists, array + "}");
        b = e;
      }
    }
    entries_.clear();
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO activity_search_postings (lexeme, block, entries) SELECT x.lexeme, "
                "x.block, CAST(x.entries AS bigint[]) FROM unnest(CAST(? AS text[]), "
                "CAST(? AS bigint[]), CAST(? AS text[])) AS x(lexeme, block, entries) "
                "ORDER BY 1, 2 ON CONFLICT (lexeme, block) DO UPDATE SET entries = ARRAY(SELECT e "
                "FROM unnest(activity_search_postings.entries || excluded.entries) e ORDER BY e)",
                {lexemes + "}", blocks + "}", lists + "}"}));
    return Ok();
  }

 private:
  std::unordered_map<std::string, std::vector<int64_t>> entries_;  // by lexeme
};

// IndexRows' documents of texts given as parameters: one text[] per group of kDocumentParts,
// one element per activity.
std::string DocumentsOfTexts() {
  std::string arrays, columns;
  for (size_t g = 0; g < kDocumentGroups; ++g) {
    arrays += std::string(g == 0 ? "" : ", ") + "CAST(? AS text[])";
    columns += "g" + std::to_string(g) + ", ";
  }
  return "SELECT CAST(" + DocumentOfColumns("k.g") + " AS text) FROM unnest(" + arrays +
         ") WITH ORDINALITY AS k(" + columns + "ord) ORDER BY k.ord";
}

// DocumentsAhead on PostgreSQL: a thread builds each batch of queued activities' documents
// with DocumentsOfTexts in a read-only transaction of its own (it reads no table).
class PostgresDocumentsAhead final : public DocumentsAhead {
 public:
  explicit PostgresDocumentsAhead(Database& db) : db_(db), worker_([this] { Run(); }) {}

  ~PostgresDocumentsAhead() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }

  PostgresDocumentsAhead(const PostgresDocumentsAhead&) = delete;
  PostgresDocumentsAhead& operator=(const PostgresDocumentsAhead&) = delete;

  void Add(int64_t id, const ActivityInput& in) override {
    std::array<std::string, kDocumentGroups> group;
    int64_t tokens = 0;
    for (const auto* texts : {&in.titles, &in.descriptions}) {
      std::vector<const LocalizedText*> by_lang;
      for (const LocalizedText& t : *texts) by_lang.push_back(&t);
      std::sort(by_lang.begin(), by_lang.end(),
                [](const LocalizedText* a, const LocalizedText* b) { return a->lang < b->lang; });
      const char* field = texts == &in.titles ? "title" : "description";
      for (const LocalizedText* t : by_lang) {
        JoinLine(&group[DocumentGroupOf(field, t->lang)], t->text);
        tokens += TokensOf(t->text);
      }
    }
    for (const Partner& p : in.partners) {
      JoinLine(&group[DocumentGroupOf(nullptr, "")], p.name);
      tokens += TokensOf(p.name);
    }
    std::lock_guard lock(mu_);
    if (queued_bytes_ + built_bytes_ > kMaxBytes) {
      dropped_.insert(id);
      return;
    }
    for (size_t g = 0; g < kDocumentGroups; ++g) {
      open_.bytes += group[g].size();
      queued_bytes_ += group[g].size();
      sql::AppendArrayElement(&open_.texts[g], group[g]);
    }
    open_.ids.push_back(id);
    open_.tokens.push_back(tokens);
    if (open_.ids.size() >= kBatch) QueueOpen();
  }

  std::optional<std::vector<Document>> Take(std::span<const int64_t> ids) override {
    std::unique_lock lock(mu_);
    if (!open_.ids.empty()) QueueOpen();
    cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
    for (int64_t id : ids) {
      if (!built_.contains(id) || dropped_.contains(id)) return std::nullopt;
    }
    std::vector<Document> out;
    out.reserve(ids.size());
    for (int64_t id : ids) {
      auto node = built_.extract(id);
      built_bytes_ -= node.mapped().text.size();
      out.push_back(std::move(node.mapped()));
    }
    return out;
  }

 private:
  static constexpr size_t kBatch = 1024;  // activities per statement

  struct Batch {
    Batch() { texts.fill("{"); }
    std::vector<int64_t> ids;
    std::vector<int64_t> tokens;
    std::array<std::string, kDocumentGroups> texts;  // array literals, still open ("{…")
    size_t bytes = 0;                                // of the texts
  };

  static void JoinLine(std::string* group, std::string_view text) {
    if (!group->empty()) *group += '\n';
    *group += text;
  }

  // Moves the open batch to the queue (mu_ held).
  void QueueOpen() {
    queue_.push_back(std::move(open_));
    open_ = Batch();
    cv_.notify_all();
  }

  void Run() {
    const std::string sql = DocumentsOfTexts();
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      Batch batch = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lock.unlock();
      std::vector<std::string> docs;
      Status built = Build(sql, &batch, &docs);
      lock.lock();
      busy_ = false;
      queued_bytes_ -= batch.bytes;
      if (!built.ok()) {
        std::cerr << "gmg: search documents built ahead: " << built.error().message
                  << " (the write builds them itself)" << std::endl;
      }
      for (size_t i = 0; built.ok() && i < batch.ids.size(); ++i) {
        Document& slot = built_[batch.ids[i]];  // a later Add of an id replaces its document
        built_bytes_ = built_bytes_ - slot.text.size() + docs[i].size();
        slot = Document{std::move(docs[i]), batch.tokens[i]};
      }
      if (!built.ok()) {
        for (int64_t id : batch.ids) dropped_.insert(id);
      }
      cv_.notify_all();
    }
  }

  // The documents of `batch`, in its order.
  Status Build(const std::string& sql, Batch* batch, std::vector<std::string>* docs) {
    SqlParams params;
    for (std::string& texts : batch->texts) params.emplace_back(std::move(texts += '}'));
    return db_.Read([&](Tx& tx) -> Status {
      docs->clear();
      GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
      if (rows.size() != batch->ids.size())
        return MakeError(ErrorCode::kInternal, "a document for each activity was not returned");
      for (const Row& r : rows) docs->emplace_back(r.Text(0));
      return Ok();
    });
  }

  Database& db_;
  std::mutex mu_;
  std::condition_variable cv_;
  Batch open_;               // being filled by Add
  std::deque<Batch> queue_;  // waiting for the worker
  bool busy_ = false;        // the worker builds a batch
  bool stop_ = false;
  std::unordered_map<int64_t, Document> built_;
  std::unordered_set<int64_t> dropped_;  // past the bound or not built: Take gives nullopt
  size_t queued_bytes_ = 0;              // texts queued, not yet built
  size_t built_bytes_ = 0;               // documents built, not yet taken
  std::thread worker_;                   // last: starts once the members above exist
};

class PostgresTextIndex final : public ActivityTextIndex {
 public:
  Status Reindex(Tx& tx, const std::vector<int64_t>& ids, bool bulk,
                 DocumentsAhead* ahead) override {
    if (ids.empty()) return Ok();
    GMG_RETURN_IF_ERROR(RemovePostings(tx, sql::JsonIdList(ids), IdsArray(ids)));
    GMG_RETURN_IF_ERROR(Index(tx, ids, ahead));
    if (!bulk) return Ok();
    // Fresh statistics for the planner's choice between the filters' indexes.
    return tx.ExecScript(
        "ANALYZE activities; ANALYZE activity_themes; ANALYZE activity_countries; "
        "ANALYZE activity_search; ANALYZE activity_search_postings; "
        // And what the index reads, which the pages read too: a server started right after
        // an import planned them without statistics (a sequential scan of activity_texts,
        // 80 ms a page).
        "ANALYZE activity_texts; ANALYZE activity_partners;");
  }

  // Takes the entries of the activities `json` (also as the bigint[] `array`) out of their
  // postings, found from their stored rows (before these are replaced); drops the postings
  // left empty.
  static Status RemovePostings(Tx& tx, const std::string& json, const std::string& array) {
    // Locked in the primary key's order first, as AddPostings writes (no deadlock between
    // two instances editing activities of one block).
    GMG_RETURN_IF_ERROR(tx.Exec(std::string("SELECT 1 FROM activity_search_postings p JOIN ") +
                                    kOldPostings +
                                    " ON p.lexeme = o.lexeme AND p.block = o.block "
                                    "ORDER BY p.lexeme, p.block FOR UPDATE OF p",
                                {json}));
    GMG_RETURN_IF_ERROR(
        tx.Exec(std::string("UPDATE activity_search_postings p SET entries = ARRAY(SELECT e FROM "
                            "unnest(p.entries) e WHERE e / 65536 <> ALL (CAST(? AS bigint[])) "
                            "ORDER BY e) FROM ") +
                    kOldPostings + " WHERE p.lexeme = o.lexeme AND p.block = o.block",
                {array, json}));
    GMG_RETURN_IF_ERROR(tx.Exec(std::string("DELETE FROM activity_search_postings p USING ") +
                                    kOldPostings +
                                    " WHERE p.lexeme = o.lexeme AND p.block = o.block AND "
                                    "cardinality(p.entries) = 0",
                                {json}));
    return Ok();
  }

  Status Rebuild(Tx& tx) override {
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM activity_search"));
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM activity_search_postings"));
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query("SELECT id FROM activities WHERE archived_at IS NULL"));
    std::vector<int64_t> ids;
    ids.reserve(rows.size());
    for (const Row& r : rows) ids.push_back(r.Int(0));
    return Index(tx, std::move(ids), nullptr);
  }

  std::unique_ptr<DocumentsAhead> StartDocumentsAhead(Database& db) override {
    return std::make_unique<PostgresDocumentsAhead>(db);
  }

  // Writes the rows of `ids` again (archived ones removed) and adds their postings (their
  // earlier entries already removed), a slice of ids per statement (what one returns stays a
  // few MB at 1,000,000 activities); a slice whose documents `ahead` holds stores them.
  static Status Index(Tx& tx, std::vector<int64_t> ids, DocumentsAhead* ahead) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const std::string insert = IndexRows();
    DocumentPostings postings;
    for (size_t at = 0; at < ids.size(); at += kIndexSlice) {
      std::vector<int64_t> slice(
          ids.begin() + static_cast<std::ptrdiff_t>(at),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kIndexSlice)));
      std::optional<std::vector<DocumentsAhead::Document>> built;
      if (ahead != nullptr) built = ahead->Take(slice);
      if (built) {
        GMG_RETURN_IF_ERROR(StoreDocuments(tx, slice, *built, &postings));
      } else {
        GMG_ASSIGN_OR_RETURN(std::vector<int64_t> tokens, TokensOfSlice(tx, slice));
        GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(insert, {IdsArray(slice), IdsArray(tokens)}));
        for (const Row& r : rows) GMG_RETURN_IF_ERROR(postings.Add(r.Int(0), r.Bytes(1)));
      }
      GMG_RETURN_IF_ERROR(postings.Write(tx));
    }
    return Ok();
  }

  // Replaces the stored rows of `ids` (ascending) by `docs` (built ahead, in their order;
  // archived ones skipped) and adds them to `postings`.
  static Status StoreDocuments(Tx& tx, const std::vector<int64_t>& ids,
                               const std::vector<DocumentsAhead::Document>& docs,
                               DocumentPostings* postings) {
    const std::string id_array = IdsArray(ids);
    GMG_RETURN_IF_ERROR(tx.Exec(
        "DELETE FROM activity_search WHERE activity_id = ANY (CAST(? AS bigint[]))", {id_array}));
    std::string texts = "{";
    std::vector<int64_t> tokens;
    for (const auto& d : docs) {
      sql::AppendArrayElement(&texts, d.text);
      tokens.push_back(d.tokens);
    }
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("INSERT INTO activity_search (activity_id, doc, tokens) SELECT k.id, "
                 "CAST(k.doc AS tsvector), k.tokens FROM unnest(CAST(? AS bigint[]), CAST(? AS "
                 "text[]), CAST(? AS bigint[])) AS k(id, doc, tokens) JOIN activities a ON a.id = "
                 "k.id WHERE a.archived_at IS NULL RETURNING activity_id",
                 {id_array, texts + "}", IdsArray(tokens)}));
    for (const Row& r : rows) {
      auto at = std::lower_bound(ids.begin(), ids.end(), r.Int(0));
      if (at == ids.end() || *at != r.Int(0))
        return MakeError(ErrorCode::kInternal, "a stored document has no activity of the slice");
      GMG_RETURN_IF_ERROR(postings->Add(r.Int(0), docs[at - ids.begin()].text));
    }
    return Ok();
  }

  // Deletes the stored rows of `ids` (ascending) and returns the tokens of each: its texts'
  // and partner names'. One statement, so an edit makes no more round trips than before.
  static Result<std::vector<int64_t>> TokensOfSlice(Tx& tx, const std::vector<int64_t>& ids) {
    std::string array = IdsArray(ids);
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("WITH gone AS (DELETE FROM activity_search WHERE activity_id = ANY (CAST(? AS "
                 "bigint[]))) SELECT activity_id, text FROM activity_texts WHERE activity_id = "
                 "ANY (CAST(? AS bigint[])) UNION ALL SELECT activity_id, name FROM "
                 "activity_partners WHERE activity_id = ANY (CAST(? AS bigint[]))",
                 {array, array, array}));
    std::vector<int64_t> tokens(ids.size(), 0);
    for (const Row& r : rows) {
      auto it = std::lower_bound(ids.begin(), ids.end(), r.Int(0));
      if (it != ids.end() && *it == r.Int(0)) tokens[it - ids.begin()] += TokensOf(r.Bytes(1));
    }
    return tokens;
  }

  void AppendIdFilter(const std::vector<std::string>& words, std::string* sql,
                      SqlParams* params) const override {
    // From the postings, in SQL (a filter is one condition): every word's lexemes in the three
    // configurations (k: the words that are a stop word in none, as InEveryLanguage keeps),
    // and the activities holding a lexeme of each of those words (a bit per word, at most
    // kMaxSearchWords of them, so an int's bits). No such word: no match.
    static_assert(kMaxSearchWords < 31);
    const std::string shift = std::to_string(kEntryShift);
    *sql += std::string(" IN (WITH l AS (SELECT x.n, x.lexeme FROM (") + kWordLexemes +
            ") AS x(n, lexeme)), k AS (SELECT n FROM l GROUP BY n HAVING count(DISTINCT "
            "left(l.lexeme, 3)) = 3) SELECT e / " +
            shift +
            " FROM l JOIN k USING (n) JOIN activity_search_postings p ON p.lexeme = l.lexeme, "
            "unnest(p.entries) e GROUP BY e / " +
            shift +
            " HAVING bit_or(1 << CAST(l.n AS int)) = (SELECT bit_or(1 << CAST(n AS int)) FROM k))";
    boost::json::array list;
    for (size_t i = 0; i < words.size() && i < kMaxSearchWords; ++i) list.emplace_back(words[i]);
    params->emplace_back(boost::json::serialize(list));
  }

  // The matches of Match, without their frequencies (the catalog's text filter).
  Result<std::vector<int64_t>> MatchingIds(Tx& tx, const std::vector<std::string>& words) override {
    std::vector<int64_t> ids;
    std::vector<double> docs;
    GMG_RETURN_IF_ERROR(Match(tx, words, nullptr, &docs, [&](int64_t id, std::span<const double>) {
      ids.push_back(id);
      return Ok();
    }));
    return ids;
  }

  // From the postings: per word, the activities holding one of its lexemes (how many: the
  // word's count), intersected over the words that have lexemes; then the filter, when
  // given, in SQL over what is left.
  Result<std::vector<bool>> LeftOut(Tx& tx, const std::vector<std::string>& words) override {
    GMG_ASSIGN_OR_RETURN(Lexemes lexemes, LexemesOf(tx, words));
    std::vector<bool> out;
    for (const auto& of : lexemes.of_word) out.push_back(of.empty());
    return out;
  }

  Status Match(Tx& tx, const std::vector<std::string>& words, const TextMatchFilter* filter,
               std::vector<double>* docs, const MatchFn& fn) override {
    docs->assign(words.size(), 0.0);
    GMG_ASSIGN_OR_RETURN(Lexemes lexemes, LexemesOf(tx, words));
    if (!lexemes.any) return Ok();
    GMG_ASSIGN_OR_RETURN(auto of_word, PostingsOf(tx, lexemes));
    // The words that have lexemes (the others, stop words, are left out), shortest first.
    std::vector<size_t> required;
    for (size_t i = 0; i < words.size(); ++i) {
      (*docs)[i] = static_cast<double>(of_word[i].size());
      if (!lexemes.of_word[i].empty()) required.push_back(i);
    }
    std::sort(required.begin(), required.end(),
              [&](size_t a, size_t b) { return of_word[a].size() < of_word[b].size(); });
    const size_t n = words.size();
    std::vector<int64_t> ids;   // ascending
    std::vector<double> freqs;  // n per id
    std::vector<size_t> from(n, 0);
    std::vector<double> f(n);
    for (const TextPosting& p : of_word[required[0]]) {
      std::fill(f.begin(), f.end(), 0.0);
      f[required[0]] = p.freq;
      bool in_all = true;
      for (size_t k = 1; k < required.size() && in_all; ++k) {
        const TextPosting* q = FindIn(of_word[required[k]], &from[required[k]], p.id);
        in_all = q != nullptr;
        if (in_all) f[required[k]] = q->freq;
      }
      if (!in_all) continue;
      ids.push_back(p.id);
      freqs.insert(freqs.end(), f.begin(), f.end());
    }
    std::vector<char> keep(ids.size(), 1);
    if (filter != nullptr && !ids.empty()) {
      GMG_RETURN_IF_ERROR(KeepFiltered(tx, *filter, ids, &keep));
    }
    for (size_t j = 0; j < ids.size(); ++j) {
      if (keep[j] == 0) continue;
      GMG_RETURN_IF_ERROR(fn(ids[j], std::span<const double>(&freqs[j * n], n)));
    }
    return Ok();
  }

  // Per word, the postings of its lexemes, by id (one list per word, ascending).
  static Result<std::vector<std::vector<TextPosting>>> PostingsOf(Tx& tx, const Lexemes& lexemes) {
    std::unordered_map<std::string, std::vector<size_t>> words_of;  // lexeme → word indexes
    boost::json::array all;
    for (size_t i = 0; i < lexemes.of_word.size(); ++i) {
      for (const auto& l : lexemes.of_word[i]) {
        auto& list = words_of[l];
        if (std::find(list.begin(), list.end(), i) == list.end()) {
          if (list.empty()) all.emplace_back(l);
          list.push_back(i);
        }
      }
    }
    std::vector<std::vector<TextPosting>> of_word(lexemes.of_word.size());
    std::vector<TextPosting> entries;
    // Query, not QueryEach: one round trip (a row per 1,024 activities and lexeme: about 100
    // for a common word at 100,000 activities, 1,000 at 1,000,000).
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT lexeme, array_send(entries) FROM activity_search_postings WHERE lexeme" +
                     std::string(sql::InJsonList(Dialect::kPostgres, sql::ListOf::kTexts)) +
                     " ORDER BY block",
                 {boost::json::serialize(all)}));
    for (const Row& r : rows) {
      entries.clear();
      GMG_RETURN_IF_ERROR(AppendPostingEntries(r.Bytes(1), &entries));
      auto it = words_of.find(r.Text(0));
      if (it == words_of.end()) continue;
      for (size_t i : it->second) {
        of_word[i].insert(of_word[i].end(), entries.begin(), entries.end());
      }
    }
    for (auto& list : of_word) SortAndMerge(&list);
    return of_word;
  }

  // keep[j] = whether ids[j] (ascending) meets the filter.
  static Status KeepFiltered(Tx& tx, const TextMatchFilter& filter, const std::vector<int64_t>& ids,
                             std::vector<char>* keep) {
    std::fill(keep->begin(), keep->end(), 0);
    SqlParams p = filter.params;
    p.emplace_back(IdsArray(ids));
    return tx.QueryEach("SELECT a.id" + filter.from + " WHERE " + filter.where +
                            " AND a.id = ANY (CAST(? AS bigint[]))",
                        p, [&](const RowView& r) -> Status {
                          auto it = std::lower_bound(ids.begin(), ids.end(), r.Int(0));
                          if (it != ids.end() && *it == r.Int(0)) (*keep)[it - ids.begin()] = 1;
                          return Ok();
                        });
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
    p.emplace_back(sql::JsonIdList(ids));
    p.emplace_back(sql::JsonIdList(ids));
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
