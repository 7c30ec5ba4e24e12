#include "library/library_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "app/testing.h"
#include "library/library_text_index.h"

namespace gmg {
namespace {

constexpr int64_t kNow = 1796122800;  // 2026-12-01T11:00:00Z

Principal Person(int64_t user_id, Role role, const std::string& org = "") {
  Principal p;
  p.user_id = user_id;
  p.email = "u" + std::to_string(user_id) + "@example.org";
  p.role = role;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

const Principal kIomFocal = Person(11, Role::kFocalPoint, "iom");
const Principal kIloFocal = Person(12, Role::kFocalPoint, "ilo");
const Principal kIomMember = Person(13, Role::kMember, "iom");
const Principal kSecretariat = Person(14, Role::kSecretariat);
const Principal kAdmin = Person(15, Role::kAdmin);
const Principal kAnonymous;

std::vector<std::string> Rules(const Error& e) {
  std::vector<std::string> out;
  for (const auto& d : e.details) out.push_back(d.field + ":" + d.rule);
  return out;
}

class LibraryServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    service_ = std::make_unique<LibraryService>(
        *db_,
        []() -> Result<std::set<std::string>> {
          return std::set<std::string>{"remittances", "labour-migration", "protection"};
        },
        [](int64_t id) -> Result<std::optional<LibraryUserRef>> {
          // The accounts of the principals below, a stakeholder, and a focal point of an
          // organisation that is not a GMG member.
          static const std::map<int64_t, LibraryUserRef> kUsers = {
              {11, {Role::kFocalPoint, "iom"}}, {12, {Role::kFocalPoint, "ilo"}},
              {13, {Role::kMember, "iom"}},     {14, {Role::kSecretariat, ""}},
              {20, {Role::kStakeholder, ""}},   {21, {Role::kFocalPoint, "no-such-org"}}};
          auto it = kUsers.find(id);
          if (it == kUsers.end()) return std::optional<LibraryUserRef>();
          return std::optional(it->second);
        },
        [this] { return now_; });
  }

  LibraryItemInput Item(std::string title, std::string abstract = "", std::string lang = "en",
                        std::string kind = "publication") {
    LibraryItemInput in;
    in.kind = std::move(kind);
    in.title = std::move(title);
    in.abstract = std::move(abstract);
    in.language = std::move(lang);
    in.year = 2020;
    in.authors = {"A. Author"};
    in.themes = {"remittances"};
    in.countries = {"MEX"};
    return in;
  }

  int64_t Count(const std::string& sql) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }

  LibrarySearchResult Find(const Principal& p, std::string text, LibraryQuery q = {}) {
    q.text = std::move(text);
    auto r = service_->Search(p, q);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : LibrarySearchResult{};
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<LibraryService> service_;
  int64_t now_ = kNow;  // the service's clock; tests step it
};

TEST_P(LibraryServiceTest, SearchRanksByBm25WithSnippetsAndFacets) {
  auto a =
      service_->Create(kIomFocal, Item("Remittances to Mexico", "A study of money sent home."));
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto in = Item("Labour markets",
                 "Remittances are mentioned once in a long text about labour "
                 "markets, employment, wages, contracts and recruitment.");
  in.themes = {"labour-migration"};
  in.countries = {"PHL", "MEX"};
  auto b = service_->Create(kIomFocal, in);
  ASSERT_TRUE(b.ok()) << b.error().message;
  auto c = service_->Create(kIloFocal, Item("Unrelated", "Nothing about money."));
  ASSERT_TRUE(c.ok());

  auto r = Find(kAnonymous, "remittance");
  ASSERT_EQ(r.total, 2);
  EXPECT_EQ(r.hits[0].item.id, a->id);  // in the title: ranked first
  EXPECT_LT(r.hits[0].score, r.hits[1].score);
  EXPECT_NE(r.hits[0].title_html.find("<mark>Remittances</mark>"), std::string::npos);
  EXPECT_NE(r.hits[1].snippet_html.find("<mark>Remittances</mark>"), std::string::npos);
  ASSERT_EQ(r.facets["country"].size(), 2u);
  EXPECT_EQ(r.facets["country"][0].value, "MEX");
  EXPECT_EQ(r.facets["country"][0].count, 2);
  EXPECT_EQ(r.facets["organization"][0].value, "iom");
  // Again: the word's postings now come from the catalog's memory; the same scores.
  auto again = Find(kAnonymous, "remittance");
  ASSERT_EQ(again.total, 2);
  EXPECT_DOUBLE_EQ(again.hits[0].score, r.hits[0].score);
  EXPECT_DOUBLE_EQ(again.hits[1].score, r.hits[1].score);

  LibraryQuery q;
  q.countries = {"PHL"};
  EXPECT_EQ(Find(kAnonymous, "remittances", q).total, 1);
  q = {};
  q.organizations = {"ilo"};
  EXPECT_EQ(Find(kAnonymous, "", q).total, 1);
  EXPECT_EQ(Find(kAnonymous, "").total, 3);
  // The one-search form.
  auto hits = service_->Search(kAnonymous, "remittances mexico", 5);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].item.id, a->id);
}

TEST_P(LibraryServiceTest, SearchFollowsEveryWriteAndEveryWordMustOccur) {
  auto a = service_->Create(kIomFocal, Item("Remittance corridors", "Costs of sending money."));
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(service_->Create(kIomFocal, Item("Remittances", "Households and money.")).ok());
  EXPECT_EQ(Find(kAnonymous, "corridors").total, 1);
  EXPECT_EQ(Find(kAnonymous, "remittances money").total, 2);
  EXPECT_EQ(Find(kAnonymous, "remittances corridors money").total, 1);
  EXPECT_EQ(Find(kAnonymous, "corridors households").total, 0);
  // Each write is seen by the next search, though the words' postings were kept in memory.
  auto c = service_->Create(kIloFocal, Item("Corridors of labour migration", "Money too."));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Find(kAnonymous, "corridors").total, 2);
  EXPECT_EQ(Find(kAnonymous, "corridors money").total, 2);
  auto edited = Item("Labour migration", "Money too.");
  ASSERT_TRUE(service_->Update(kIloFocal, c->id, c->version, edited).ok());
  EXPECT_EQ(Find(kAnonymous, "corridors").total, 1);
  ASSERT_TRUE(service_->Withdraw(kIomFocal, a->id).ok());
  EXPECT_EQ(Find(kAnonymous, "corridors").total, 0);
  EXPECT_EQ(Find(kAnonymous, "money").total, 2);
  // The one search's form: the same matches, no counts, no marks.
  LibraryQuery q;
  q.facets = false;
  q.highlights = false;
  auto bare = Find(kAnonymous, "money", q);
  EXPECT_EQ(bare.total, 2);
  EXPECT_TRUE(bare.facets.empty());
  ASSERT_EQ(bare.hits.size(), 2u);
  EXPECT_EQ(bare.hits[0].snippet_html.find("<mark>"), std::string::npos);
  // PostgreSQL leaves out a stop word of its configurations ("the"); FTS5 requires it.
  EXPECT_EQ(Find(kAnonymous, "the money").total, GetParam() == Dialect::kPostgres ? 2 : 0);
}

// The service matches word by word from postings kept in memory; the index matches all the
// words at once. Both must give the same items with the same BM25 scores.
TEST_P(LibraryServiceTest, PostingsInMemoryMatchAndScoreAsTheIndexDoes) {
  const char* const texts[][2] = {
      {"Remittance corridors", "Costs of sending money home to households."},
      {"Remittances and households", "Money, money and more money sent by migrant workers."},
      {"Migrant workers' rights", "Recruitment fees, wages and the money workers send."},
      {"Corridors of labour migration", "Households in corridors of migration."},
      {"Unrelated", "Nothing here."}};
  for (const auto& t : texts) ASSERT_TRUE(service_->Create(kIomFocal, Item(t[0], t[1])).ok());
  for (std::string q : {"money", "remittances money", "money households corridors", "the money",
                        "migrant workers money", "corridors nothing"}) {
    LibraryQuery lq;
    lq.limit = 100;
    std::map<int64_t, double> found;
    for (const auto& hit : Find(kAnonymous, q, lq).hits) found[hit.item.id] = hit.score;
    std::map<int64_t, double> expected;
    ASSERT_TRUE(
        db_->Read([&](Tx& tx) -> Status {
             GMG_ASSIGN_OR_RETURN(auto totals,
                                  tx.QueryOne("SELECT count(*), sum(tokens) FROM "
                                              "library_items WHERE status <> 'withdrawn'"));
             std::map<int64_t, double> tokens;
             GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, tokens FROM library_items"));
             for (const Row& r : rows) tokens[r.Int(0)] = static_cast<double>(r.Int(1));
             std::vector<std::pair<int64_t, std::vector<double>>> matches;
             std::vector<double> docs;
             GMG_RETURN_IF_ERROR(
                 LibraryTextIndex::For(tx.Dialect())
                     ->Match(tx, SearchWords(q), &docs, [&](int64_t id, std::span<const double> f) {
                       matches.emplace_back(id, std::vector(f.begin(), f.end()));
                     }));
             for (double& d : docs) d = std::max(d, 0.0);
             Bm25Scorer scorer(static_cast<double>(totals->Int(0)),
                               static_cast<double>(totals->Int(1)), docs);
             for (const auto& [id, f] : matches) expected[id] = scorer.Score(f, tokens[id]);
             return Ok();
           })
            .ok());
    ASSERT_EQ(found.size(), expected.size()) << q;
    for (const auto& [id, score] : expected) {
      ASSERT_TRUE(found.contains(id)) << q << ": item " << id;
      EXPECT_DOUBLE_EQ(found[id], score) << q << ": item " << id;
    }
  }
}

// Each item is stemmed in its language, with the stemmers PostgreSQL runs, on both engines: the
// French and Spanish cases below are the ones FTS5's English-only Porter stemmer missed
// ("nationaux" is "nationaux" to Porter, "políticas" "politica").
TEST_P(LibraryServiceTest, FrenchAndSpanishStemAsOnPostgres) {
  ASSERT_TRUE(service_->Create(kIomFocal, Item("Protection des réfugiés", "", "fr")).ok());
  ASSERT_TRUE(
      service_->Create(kIomFocal, Item("Derechos de los trabajadores migrantes", "", "es")).ok());
  ASSERT_TRUE(service_->Create(kIomFocal, Item("Recruiting migrant workers", "", "en")).ok());
  ASSERT_TRUE(service_->Create(kIomFocal, Item("Travailleurs nationaux", "", "fr")).ok());
  ASSERT_TRUE(service_->Create(kIomFocal, Item("Políticas migratorias", "", "es")).ok());
  EXPECT_EQ(Find(kAnonymous, "refugies").total, 1);
  EXPECT_EQ(Find(kAnonymous, "réfugié").total, 1);
  EXPECT_EQ(Find(kAnonymous, "trabajador").total, 1);
  EXPECT_EQ(Find(kAnonymous, "recruited").total, 1);
  EXPECT_EQ(Find(kAnonymous, "national").total, 1);
  EXPECT_EQ(Find(kAnonymous, "político").total, 1);
  // "migrant": one stem in all three languages; "migrantes" is "migrant" in English too.
  EXPECT_EQ(Find(kAnonymous, "migrant").total, 2);
  EXPECT_EQ(Find(kAnonymous, "migrantes").total, 2);
  // A highlight shows the text as written, without the index's language marks.
  auto found = Find(kAnonymous, "nationaux");
  ASSERT_EQ(found.hits.size(), 1u);
  EXPECT_EQ(found.hits[0].title_html, "Travailleurs <mark>nationaux</mark>");
}

TEST_P(LibraryServiceTest, OnlyTheOwnersFocalPointOrTheSecretariatEdits) {
  auto created = service_->Create(kIomFocal, Item("Ours"));
  ASSERT_TRUE(created.ok());
  auto other = service_->Update(kIloFocal, created->id, std::nullopt, Item("Theirs"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  auto member = service_->Withdraw(kIomMember, created->id);
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.error().code, ErrorCode::kPermissionDenied);
  auto foreign = service_->Create(kIloFocal, [&] {
    auto in = Item("For IOM");
    in.organization_id = "iom";
    return in;
  }());
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kPermissionDenied);
  auto stale = service_->Update(kIomFocal, created->id, 7, Item("Stale"));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  auto edited = service_->Update(kSecretariat, created->id, created->version, Item("Edited"));
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_EQ(edited->title, "Edited");
  EXPECT_EQ(edited->organization_id, "iom");
  ASSERT_TRUE(service_->Withdraw(kIomFocal, created->id).ok());
  EXPECT_EQ(Find(kAnonymous, "edited").total, 0);
  EXPECT_FALSE(service_->Get(kAnonymous, created->id).ok());
  EXPECT_TRUE(service_->Get(kIomMember, created->id).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'library_item'"), 3);
}

TEST_P(LibraryServiceTest, BestPracticesAreReviewedNeverByTheirSubmitter) {
  auto bp = service_->Create(kSecretariat, [&] {
    auto in = Item("Good practice on remittances", "", "en", "best_practice");
    in.organization_id = "iom";
    return in;
  }());
  ASSERT_TRUE(bp.ok()) << bp.error().message;
  EXPECT_EQ(bp->status, "in_review");
  EXPECT_EQ(Find(kAnonymous, "practice").total, 0);
  EXPECT_EQ(Find(kIloFocal, "practice").total, 0);
  EXPECT_EQ(Find(kIomMember, "practice").total, 1);
  EXPECT_FALSE(service_->Get(kAnonymous, bp->id).ok());
  LibraryQuery queue;
  queue.review_queue = true;
  EXPECT_EQ(Find(kAdmin, "", queue).total, 1);
  EXPECT_EQ(Find(kIomFocal, "", queue).total, 0);

  auto own = service_->Review(kSecretariat, bp->id, true, "");
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Rules(own.error()), std::vector<std::string>{":own_submission"});
  auto by_focal = service_->Review(kIloFocal, bp->id, true, "");
  EXPECT_FALSE(by_focal.ok());
  auto no_reason = service_->Review(kAdmin, bp->id, false, "");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(Rules(no_reason.error()), std::vector<std::string>{"reason:required"});

  auto rejected = service_->Review(kAdmin, bp->id, false, "Needs evidence");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_EQ(rejected->reject_reason, "Needs evidence");
  // Edited by its organisation: back into review; its creator still may not review it (it is
  // no longer the last submitter, but it wrote the item); another reviewer approves.
  auto resubmitted = service_->Update(kIomFocal, bp->id, std::nullopt, [&] {
    return Item("Good practice on remittances, with evidence", "", "en", "best_practice");
  }());
  ASSERT_TRUE(resubmitted.ok()) << resubmitted.error().message;
  EXPECT_EQ(resubmitted->status, "in_review");
  auto creator = service_->Review(kSecretariat, bp->id, true, "");
  ASSERT_FALSE(creator.ok());
  EXPECT_EQ(Rules(creator.error()), std::vector<std::string>{":own_submission"});
  auto approved = service_->Review(kAdmin, bp->id, true, "");
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->status, "published");
  EXPECT_EQ(Find(kAnonymous, "practice").total, 1);
  // Who submitted and reviewed it (user ids) is for those involved, not for every reader.
  EXPECT_EQ(service_->Get(kAdmin, bp->id)->reviewed_by, kAdmin.user_id);
  EXPECT_TRUE(service_->Get(kIomMember, bp->id)->submitted_by.has_value()) << "its organisation";
  for (const Principal& reader : {kAnonymous, kIloFocal}) {
    auto read = service_->Get(reader, bp->id);
    ASSERT_TRUE(read.ok());
    EXPECT_FALSE(read->submitted_by.has_value());
    EXPECT_FALSE(read->reviewed_by.has_value());
    LibrarySearchResult found = Find(reader, "practice");
    ASSERT_EQ(found.hits.size(), 1u);
    EXPECT_FALSE(found.hits[0].item.submitted_by.has_value());
    EXPECT_FALSE(found.hits[0].item.reviewed_by.has_value());
  }
}

TEST_P(LibraryServiceTest, RefusesBadInputWithEveryRuleAndChangesNothing) {
  auto in = Item("");
  in.kind = "novel";
  in.year = 1700;
  in.language = "english";
  in.countries = {"MEX", "XXX"};
  in.themes = {"astrology"};
  in.organizations = {"nobody"};
  in.url = "ftp://example.org";
  in.file_sha256 = std::string(64, 'a');
  auto r = service_->Create(kIomFocal, in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  std::vector<std::string> want = {"kind:not_in_list",        "title:required",
                                   "year:out_of_range",       "language:invalid_language",
                                   "url:invalid_url",         "organizations:unknown_organization",
                                   "themes:unknown_theme",    "countries:unknown_country",
                                   "file_sha256:unknown_file"};
  EXPECT_EQ(Rules(r.error()), want);
  EXPECT_EQ(Count("SELECT count(*) FROM library_items"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'library_item'"), 0);
  LibraryQuery q;
  q.limit = 1000;
  EXPECT_FALSE(service_->Search(kAnonymous, q).ok());
}

// A focal point cannot fill the disk: its organisation's files have a quota. A refused upload
// stores nothing; a file the organisation owns already, and the secretariat's, are not counted.
TEST_P(LibraryServiceTest, AnOrganisationsFilesStayWithinItsQuota) {
  service_->SetFileQuotaForTesting(100);
  std::string first = "first note, sixty bytes of plain text for the library quota.\n";
  std::string second = "second note, also plain text, that would pass the quota.\n";
  auto a = service_->UploadFile(kIomFocal, "a.txt", first);
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto b = service_->UploadFile(kIomFocal, "b.txt", second);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Rules(b.error()), std::vector<std::string>{"file:organization_quota"});
  EXPECT_EQ(b.error().details[0].args, (std::vector<std::pair<std::string, std::string>>{
                                           {"used_mib", "1"}, {"limit_mib", "1"}}));
  EXPECT_EQ(Count("SELECT count(*) FROM library_files"), 1);
  EXPECT_TRUE(service_->UploadFile(kIomFocal, "a-again.txt", first).ok()) << "owned already";
  EXPECT_TRUE(service_->UploadFile(kIloFocal, "b.txt", second).ok()) << "another organisation";
  EXPECT_TRUE(service_->UploadFile(kSecretariat, "c.txt", second + "c").ok()) << "no quota";
  EXPECT_EQ(Count("SELECT count(*) FROM library_files"), 3);
}

// Uploads at the same instant are checked one after the other (writes are serialised on both
// engines): of eight files that each fit the quota alone, exactly one is stored.
TEST_P(LibraryServiceTest, UploadsAtOnceCannotPassTheQuotaTogether) {
  service_->SetFileQuotaForTesting(100);
  std::vector<std::thread> threads;
  std::atomic<int> stored = 0, refused = 0;
  for (int k = 0; k < 8; ++k) {
    threads.emplace_back([&, k] {
      std::string text = "note " + std::to_string(k) +
                         ", seventy bytes of plain text for the library upload quota test.\n";
      auto r = service_->UploadFile(kIomFocal, "n.txt", text);
      ++(r.ok() ? stored : refused);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(refused, 7);
  EXPECT_EQ(Count("SELECT count(*) FROM library_files"), 1);
}

// A file no item holds (never attached, or replaced by an edit) goes a week after its upload;
// a held one stays, whatever the item's status.
TEST_P(LibraryServiceTest, FilesNoItemHoldsAreDeletedAWeekAfterTheirUpload) {
  std::string pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
  auto held = service_->UploadFile(kIomFocal, "held.pdf", pdf);
  auto loose = service_->UploadFile(kIomFocal, "loose.txt", "never attached to an item\n");
  auto replaced = service_->UploadFile(kIomFocal, "old.txt", "an older version of the text\n");
  ASSERT_TRUE(held.ok() && loose.ok() && replaced.ok());
  auto in = Item("Holds a file");
  in.file_sha256 = replaced->sha256;
  in.file_name = "old.txt";
  auto item = service_->Create(kIomFocal, in);
  ASSERT_TRUE(item.ok()) << item.error().message;
  in.file_sha256 = held->sha256;
  in.file_name = "held.pdf";
  ASSERT_TRUE(service_->Update(kIomFocal, item->id, item->version, in).ok());
  ASSERT_TRUE(service_->Withdraw(kIomFocal, item->id).ok());

  now_ += kUnheldFileSeconds;
  EXPECT_EQ(*service_->DeleteUnheldFiles(), 0) << "a week to the second: kept";
  now_ += 1;
  EXPECT_EQ(*service_->DeleteUnheldFiles(1), 1) << "at most max_files a sweep";
  EXPECT_EQ(*service_->DeleteUnheldFiles(), 1);
  EXPECT_EQ(*service_->DeleteUnheldFiles(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM library_files"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM library_file_owners"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'delete' AND "
                  "entity = 'library_file'"),
            2);
  EXPECT_TRUE(service_->GetFile(kIomFocal, item->id).ok()) << "the withdrawn item keeps its file";
  auto again = Item("Attaches a deleted file");
  again.file_sha256 = loose->sha256;
  again.file_name = "loose.txt";
  auto refused = service_->Create(kIomFocal, again);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(Rules(refused.error()), std::vector<std::string>{"file_sha256:unknown_file"});

  // Content uploaded again is kept a week from its latest upload, not its first.
  std::string twice = "uploaded twice, attached late\n";
  ASSERT_TRUE(service_->UploadFile(kIomFocal, "twice.txt", twice).ok());
  now_ += kUnheldFileSeconds + 1;
  ASSERT_TRUE(service_->UploadFile(kIomFocal, "twice.txt", twice).ok());
  EXPECT_EQ(*service_->DeleteUnheldFiles(), 0);
  now_ += kUnheldFileSeconds + 1;
  EXPECT_EQ(*service_->DeleteUnheldFiles(), 1);
}

TEST_P(LibraryServiceTest, FilesAreTypedByContentAndStoredOncePerHash) {
  std::string pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
  auto first = service_->UploadFile(kIomFocal, "report.pdf", pdf);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->existed);
  EXPECT_EQ(first->media_type, "application/pdf");
  EXPECT_EQ(first->sha256.size(), 64u);
  auto again = service_->UploadFile(kIomFocal, "copy.pdf", pdf);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(again->sha256, first->sha256);
  EXPECT_EQ(Count("SELECT count(*) FROM library_files"), 1);

  auto fake = service_->UploadFile(kIomFocal, "report.pdf", "just some text, not a PDF\n");
  ASSERT_FALSE(fake.ok());
  EXPECT_EQ(fake.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Rules(fake.error()), std::vector<std::string>{"file:content_mismatch"});
  auto binary = service_->UploadFile(kIomFocal, "x.bin", std::string("MZ\x90\x00\x03", 5));
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(Rules(binary.error()), std::vector<std::string>{"file:unsupported_file_type"});
  auto huge =
      service_->UploadFile(kIomFocal, "big.txt", std::string(kMaxLibraryFileBytes + 1, 'a'));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_FALSE(service_->UploadFile(kAnonymous, "a.pdf", pdf).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM library_files"), 1);

  auto in = Item("With a file");
  in.file_sha256 = first->sha256;
  in.file_name = "Report \"2020\"/final.pdf";
  auto item = service_->Create(kIomFocal, in);
  ASSERT_TRUE(item.ok()) << item.error().message;
  auto file = service_->GetFile(kAnonymous, item->id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->content, pdf);
  EXPECT_EQ(file->media_type, "application/pdf");
  EXPECT_EQ(file->file_name.find('"'), std::string::npos);
  EXPECT_TRUE(file->file_name.ends_with(".pdf"));
}

// What an attacker with a focal point's account tried (docs/library.md, "Security").
TEST_P(LibraryServiceTest, ReviewAndFilesCannotBeBypassed) {
  // A file's hash learnt elsewhere attaches nothing; whether another organisation stored the
  // same content is not told.
  std::string pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
  auto iom_file = service_->UploadFile(kIomFocal, "brief.pdf", pdf);
  ASSERT_TRUE(iom_file.ok()) << iom_file.error().message;
  auto with_file = [&](const std::string& sha) {
    auto in = Item("Attached");
    in.file_sha256 = sha;
    return in;
  };
  auto stolen = service_->Create(kIloFocal, with_file(iom_file->sha256));
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(Rules(stolen.error()), std::vector<std::string>{"file_sha256:unknown_file"});
  auto by_secretariat = service_->Create(kSecretariat, [&] {
    auto in = with_file(iom_file->sha256);
    in.organization_id = "ilo";
    return in;
  }());
  ASSERT_TRUE(by_secretariat.ok()) << by_secretariat.error().message;
  // ILO now holds it on an item: its focal point keeps it through an edit.
  auto kept =
      service_->Update(kIloFocal, by_secretariat->id, std::nullopt, with_file(iom_file->sha256));
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  auto unhcr = Person(16, Role::kFocalPoint, "unhcr");
  auto unhcr_up = service_->UploadFile(unhcr, "mine.pdf", pdf);
  ASSERT_TRUE(unhcr_up.ok());
  EXPECT_FALSE(unhcr_up->existed) << "UNHCR learns nothing of IOM's files";
  EXPECT_TRUE(service_->Create(unhcr, with_file(iom_file->sha256)).ok()) << "its own upload";
  EXPECT_EQ(Count("SELECT count(*) FROM library_files"), 1);

  // A best practice does not skip review by becoming a publication.
  auto bp = service_->Create(kIomFocal, Item("Good practice", "", "en", "best_practice"));
  ASSERT_TRUE(bp.ok()) << bp.error().message;
  auto renamed = service_->Update(kIomFocal, bp->id, std::nullopt, Item("Good practice"));
  ASSERT_FALSE(renamed.ok());
  EXPECT_EQ(Rules(renamed.error()), std::vector<std::string>{"kind:invalid_transition"});
  auto unchanged = service_->Get(kSecretariat, bp->id);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->status, "in_review");
  EXPECT_EQ(Find(kAnonymous, "practice").total, 0);

  // Reviewers: the secretariat's or a current member's staff; never of what they wrote; a
  // reviewer whose organisation left the GMG reviews nothing.
  auto stakeholder = service_->AddReviewer(kSecretariat, 20);
  ASSERT_FALSE(stakeholder.ok());
  EXPECT_EQ(Rules(stakeholder.error()), std::vector<std::string>{"user_id:not_gmg_member"});
  auto outsider = service_->AddReviewer(kSecretariat, 21);
  ASSERT_FALSE(outsider.ok());
  EXPECT_EQ(Rules(outsider.error()), std::vector<std::string>{"user_id:not_gmg_member"});
  auto nobody = service_->AddReviewer(kSecretariat, 99);
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(Rules(nobody.error()), std::vector<std::string>{"user_id:unknown_user"});
  ASSERT_TRUE(service_->AddReviewer(kSecretariat, kIomFocal.user_id).ok());
  ASSERT_TRUE(service_->AddReviewer(kSecretariat, kIloFocal.user_id).ok());
  auto own = service_->Review(kIomFocal, bp->id, true, "");
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(Rules(own.error()), std::vector<std::string>{":own_submission"});
  Principal left = kIloFocal;
  left.outside_gmg = true;
  LibraryQuery queue;
  queue.review_queue = true;
  EXPECT_EQ(Find(left, "", queue).total, 0);
  auto by_left = service_->Review(left, bp->id, true, "");
  ASSERT_FALSE(by_left.ok());
  EXPECT_EQ(by_left.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Find(kIloFocal, "", queue).total, 1);
  auto approved = service_->Review(kIloFocal, bp->id, true, "");
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->status, "published");
}

INSTANTIATE_TEST_SUITE_P(Engines, LibraryServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
