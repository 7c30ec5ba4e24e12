// LibraryService: the GMG's knowledge library (issue 13): research findings, publications,
// policy briefs, best practices and training materials, each with its authors, organisations,
// year, language, themes, countries, abstract, and a file or a link; full-text search with
// BM25 ranking, highlighted snippets and facets on both engines.
//
// Rules.
// - Who writes: the secretariat/admin for any organisation; a focal point for its own
//   organisation only (403 for another's). Edit and withdraw: the owning organisation's focal
//   point or the secretariat/admin; anyone else gets 403.
// - Best practices go submission → review → published (or rejected with a reason): created
//   (or edited) they are "in_review"; a reviewer (secretariat/admin, or a focal point or member
//   of a current GMG member designated with AddReviewer) approves or rejects, never an item it
//   created or edited (403, rule "own_submission"). Other kinds are published when created; a
//   best practice not yet published keeps its kind unless the secretariat changes it (422,
//   rule "invalid_transition": review is not skipped by calling it a publication).
// - Who sees: a published item, anyone (anonymous included); an unpublished one (in review,
//   rejected, withdrawn), the owning organisation's focal points and members, the
//   secretariat/admin, and for items in review the designated reviewers. Others get 404.
// - Every write validates every field (422 with every broken rule in details[]), runs in one
//   transaction, is audited (entity "library_item") and changes nothing when refused.
// - Files: at most kMaxLibraryFileBytes, typed by content (http/file_type.h), stored once per
//   SHA-256 of their content. An item may hold a file its organisation's staff uploaded (or one
//   of its items holds), or the one it holds already; the secretariat attaches any. Another
//   organisation's file is "unknown_file", as a SHA-256 never uploaded: knowing a hash gives
//   no access to the file.
//
// Search: the words of the query (activities' SearchWords: at most 16) must all occur (by stem);
// results ranked by BM25 computed in C++ from the same inputs on both engines (the activities'
// Bm25Scorer; library/library_text_index.h), facets counted over every visible match that passes
// the filters. The per-item facts a search filters and counts by are held in memory (the
// catalog) and reloaded when `library_state.seq`, bumped by every write, has moved: exact
// whichever instance wrote.
// Thread-safety: thread-safe (the catalog is swapped under a mutex; the injected functions must
// be thread-safe).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

// The largest file an item may hold (the route's body limit too).
inline constexpr size_t kMaxLibraryFileBytes = 20u << 20;  // 20 MiB
// The most bytes of stored files one organisation may own (those its staff uploaded, or its
// items hold): an upload past it is refused (UploadFile).
inline constexpr int64_t kLibraryBytesPerOrganization = int64_t{2} << 30;  // 2 GiB
// A stored file no item holds (an upload never attached, a file an edit replaced) is deleted
// this long after its latest upload (DeleteUnheldFiles).
inline constexpr int64_t kUnheldFileSeconds = int64_t{7} * 86400;
// The kinds of library item.
inline constexpr const char* kLibraryItemKinds[] = {
    "research_finding", "publication", "policy_brief", "best_practice", "training_material"};

// The theme ids of the taxonomy that are not archived (the activities' themes).
using LibraryThemeSource = std::function<Result<std::set<std::string>>()>;
// What the library needs to know of a user account (auth's, handed over by the composition
// root: the library reads no other module's table).
struct LibraryUserRef {
  Role role = Role::kAnonymous;
  std::string organization_id;
};
// The account `user_id`, or nullopt when there is none.
using LibraryUserCheck = std::function<Result<std::optional<LibraryUserRef>>(int64_t user_id)>;

struct LibraryItem {
  int64_t id = 0;
  std::string kind;  // research_finding|publication|policy_brief|best_practice|training_material
  std::string title;
  std::vector<std::string> authors;
  std::string organization_id;             // the owner
  std::vector<std::string> organizations;  // contributing organisations, owner first
  int64_t year = 0;
  std::string language;  // ISO 639-1
  std::vector<std::string> themes;
  std::vector<std::string> countries;  // ISO 3166-1 alpha-3
  std::string abstract;
  std::string url;
  std::string file_sha256;  // "" when none
  std::string file_name;
  std::string file_media_type;
  int64_t file_size = 0;
  std::string status;  // published|in_review|rejected|withdrawn
  std::string reject_reason;
  std::optional<int64_t> submitted_by;
  std::optional<int64_t> reviewed_by;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// What a writer gives (create and edit: the whole record).
struct LibraryItemInput {
  std::string kind;
  std::string title;
  std::vector<std::string> authors;        // at most 50, each 1-200 bytes
  std::string organization_id;             // the owner; "" = the caller's organisation
  std::vector<std::string> organizations;  // at most 20 known organisations
  int64_t year = 0;                        // 1900-2100
  std::string language;                    // two lower-case letters
  std::vector<std::string> themes;         // at most 20 known theme ids
  std::vector<std::string> countries;      // at most 60 ISO alpha-3 codes
  std::string abstract;                    // at most 20,000 bytes
  std::string url;                         // "" or http(s)://host…
  std::string file_sha256;                 // "" or a stored file (UploadFile)
  std::string file_name;                   // the name to download it under
};

struct StoredFile {
  std::string sha256;
  std::string media_type;
  std::string extension;
  int64_t size = 0;
  bool existed = false;  // the caller's organisation had stored identical content already
};

struct LibraryFileContent {
  std::string file_name;
  std::string media_type;
  std::string content;
};

struct LibraryQuery {
  std::string text;
  // Filters, each "any of" (empty = no filter).
  std::vector<std::string> kinds, organizations, themes, countries, languages;
  std::vector<int64_t> years;
  bool review_queue = false;  // only the best practices in review the viewer may review
  // The one search's form: no facets, and the hits' title_html and snippet_html are the title
  // and the abstract's start, escaped, without reading the index for marks.
  bool facets = true;
  bool highlights = true;
  int64_t limit = 20;  // 1-100
  int64_t offset = 0;  // 0-10,000
};

struct LibraryHit {
  LibraryItem item;
  double score = 0;          // BM25, negative, lower is better; 0 without words
  std::string title_html;    // the title, HTML-escaped, matches in <mark>
  std::string snippet_html;  // part of the abstract around the matches, HTML
};

struct LibraryFacetValue {
  std::string value;
  int64_t count = 0;
};

struct LibrarySearchResult {
  int64_t total = 0;
  std::vector<LibraryHit> hits;
  // "kind", "organization", "theme", "country", "year", "language" → the 30 commonest values.
  std::map<std::string, std::vector<LibraryFacetValue>> facets;
};

class LibraryCatalog;

class LibraryService {
 public:
  LibraryService(Database& db, LibraryThemeSource themes, LibraryUserCheck users,
                 std::function<int64_t()> now = UnixNow);
  ~LibraryService();
  LibraryService(const LibraryService&) = delete;
  LibraryService& operator=(const LibraryService&) = delete;

  // kNotFound when the item does not exist or `viewer` may not see it.
  Result<LibraryItem> Get(const Principal& viewer, int64_t id);
  Result<LibraryItem> Create(const Principal& actor, const LibraryItemInput& input);
  // Replaces the record; `if_version` (when given) must be the stored version (412). A best
  // practice goes (back) into review.
  Result<LibraryItem> Update(const Principal& actor, int64_t id, std::optional<int64_t> if_version,
                             const LibraryItemInput& input);
  Result<LibraryItem> Withdraw(const Principal& actor, int64_t id);
  // `approve` publishes; else rejects with `reason` (required, at most 2,000 bytes). kConflict
  // unless the item is a best practice in review.
  Result<LibraryItem> Review(const Principal& actor, int64_t id, bool approve,
                             const std::string& reason);

  // Stores `content` (a focal point or the secretariat): kPayloadTooLarge above
  // kMaxLibraryFileBytes; kFailedPrecondition (422, field "file") when empty, of no accepted
  // type, when `file_name`'s extension names another type than the content's, or (rule
  // "organization_quota" {used_mib, limit_mib}) when a new file would take the actor's
  // organisation past its quota (kLibraryBytesPerOrganization).
  Result<StoredFile> UploadFile(const Principal& actor, std::string_view file_name,
                                const std::string& content);
  // Deletes up to `max_files` stored files that no item holds and that were last uploaded more
  // than kUnheldFileSeconds ago, with their owners, each audited ("delete", "library_file", by the
  // system); returns how many. The library's background job runs it every hour. An item that
  // held a file keeps holding it while withdrawn or rejected.
  Result<int> DeleteUnheldFiles(int max_files = 100);
  // Replaces kLibraryBytesPerOrganization, so tests can reach the quota with small files.
  void SetFileQuotaForTesting(int64_t bytes) { file_quota_ = bytes; }
  // The file of item `id` (kNotFound when none or not visible).
  Result<LibraryFileContent> GetFile(const Principal& viewer, int64_t id);

  // Designated reviewers of best practices (the secretariat's to manage). AddReviewer: 422
  // "unknown_user" when there is no such account, "not_gmg_member" unless it is the
  // secretariat's, an administrator's, or a focal point's or member's of a current member.
  Result<std::vector<int64_t>> ListReviewers(const Principal& actor);
  Status AddReviewer(const Principal& actor, int64_t user_id);
  Status RemoveReviewer(const Principal& actor, int64_t user_id);

  // The items `viewer` may see matching `query`, ranked, with facets. kInvalidArgument for
  // limits or offsets out of range.
  Result<LibrarySearchResult> Search(const Principal& viewer, const LibraryQuery& query);
  // For the one search: the best `limit` (1-100) items for `text`, with their score (no facets,
  // no highlights).
  Result<std::vector<LibraryHit>> Search(const Principal& viewer, std::string_view text,
                                         int64_t limit);

 private:
  Result<std::shared_ptr<const LibraryCatalog>> CatalogIn(Tx& tx);
  // `held_file`: the SHA-256 of the file the item holds now ("" for none, or on create).
  Status CheckInput(Tx& tx, const Principal& actor, LibraryItemInput& input,
                    const std::string& held_file);

  Database& db_;
  LibraryThemeSource themes_;
  LibraryUserCheck users_;
  std::function<int64_t()> now_;
  int64_t file_quota_ = kLibraryBytesPerOrganization;
  std::mutex mu_;
  std::shared_ptr<const LibraryCatalog> catalog_;  // guarded by mu_
};

}  // namespace gmg
