#include "interop/iati.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef GMG_SHARED_DIR
#define GMG_SHARED_DIR "/work/shared"
#endif

namespace gmg::iati {
namespace {

namespace fs = std::filesystem;

const fs::path kIatiDir = fs::path(GMG_SHARED_DIR) / "reference" / "iati";
const fs::path kTestData = fs::path(__FILE__).parent_path() / "testdata";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Example() { return ReadFile(kIatiDir / "example-activity-2.03.xml"); }

// The error message of a Parse that must fail.
std::string ParseError(std::string_view xml, const ParseLimits& limits = {}) {
  Result<ParseResult> r = Parse(xml, limits);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  return r.error().message;
}

bool HasWarning(const ParseResult& r, std::string_view element, std::string_view part) {
  return std::any_of(r.warnings.begin(), r.warnings.end(), [&](const Warning& w) {
    return w.element == element && w.message.find(part) != std::string::npos;
  });
}

std::string WriteAll(const std::vector<Activity>& activities) {
  std::string out;
  Writer writer([&](std::string_view chunk) { out.append(chunk); }, "2024-06-01T12:00:00Z");
  for (const Activity& a : activities) writer.Write(a);
  writer.Finish();
  return out;
}

// The fewest fields the writer needs for schema-valid output, as GMG Hub fills them.
Activity MinimalActivity(std::string id) {
  Activity a;
  a.iati_identifier = std::move(id);
  a.reporting_org = {"XM-DAC-47066", "40", "", {{"", "IOM"}}};
  a.titles = {{"", "Minimal activity"}};
  a.descriptions = {{"", "Built from scratch."}};
  a.participating_orgs = {{"XM-DAC-47066", "40", "4", {}}};
  a.activity_status = "2";
  a.planned_start = "2024-01-01";
  return a;
}

// ---------------------------------------------------------------------------------------------
// Reader

TEST(IatiParseTest, ReadsTheOfficialExample) {
  Result<ParseResult> r = Parse(Example());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->version, "2.03");
  ASSERT_EQ(r->activities.size(), 1u);
  EXPECT_TRUE(r->warnings.empty()) << r->warnings[0].line << " " << r->warnings[0].message;
  const Activity& a = r->activities[0];
  EXPECT_EQ(a.line, 8);
  EXPECT_EQ(a.iati_identifier, "AA-AAA-123456789-ABC123");
  EXPECT_EQ(a.lang, "en");
  EXPECT_EQ(a.default_currency, "USD");
  EXPECT_EQ(a.last_updated, "2014-09-10T07:15:37Z");
  EXPECT_EQ(a.humanitarian, "1");

  EXPECT_EQ(a.reporting_org.ref, "AA-AAA-123456789");
  EXPECT_EQ(a.reporting_org.type, "40");
  ASSERT_EQ(a.reporting_org.names.size(), 2u);
  EXPECT_EQ(a.reporting_org.names[0].text, "Organisation name");
  EXPECT_EQ(a.reporting_org.names[1].lang, "fr");
  EXPECT_EQ(a.reporting_org.names[1].text, "Nom de l'organisme");

  ASSERT_EQ(a.titles.size(), 3u);
  EXPECT_EQ(a.titles[0].lang, "");
  EXPECT_EQ(a.titles[0].text, "Activity title");
  EXPECT_EQ(a.titles[1].lang, "fr");
  EXPECT_EQ(a.titles[1].text, "Titre de l'activité");
  EXPECT_EQ(a.titles[2].lang, "es");
  EXPECT_EQ(a.titles[2].text, "Título de la actividad");

  ASSERT_EQ(a.descriptions.size(), 2u);  // type 1, not the objectives (2) or target groups (3)
  EXPECT_EQ(a.descriptions[0].text,
            "General activity description text.  Long description of the activity with no "
            "particular structure.");

  ASSERT_EQ(a.participating_orgs.size(), 3u);
  EXPECT_EQ(a.participating_orgs[0].ref, "BB-BBB-123456789");
  EXPECT_EQ(a.participating_orgs[0].role, "1");
  EXPECT_EQ(a.participating_orgs[1].type, "10");
  EXPECT_EQ(a.participating_orgs[2].role, "3");
  EXPECT_EQ(a.participating_orgs[2].names[0].text, "Name of Agency A");

  EXPECT_EQ(a.activity_status, "2");
  EXPECT_EQ(a.planned_start, "2012-04-15");
  EXPECT_EQ(a.actual_start, "2012-04-28");
  EXPECT_EQ(a.planned_end, "2015-12-31");
  EXPECT_EQ(a.actual_end, "");
  EXPECT_EQ(a.contact_email, "transparency@example.org");

  ASSERT_EQ(a.recipient_countries.size(), 2u);
  EXPECT_EQ(a.recipient_countries[0].code, "AF");
  EXPECT_EQ(a.recipient_countries[0].percentage, 25);
  EXPECT_EQ(a.recipient_countries[1].code, "AG");
  ASSERT_EQ(a.recipient_regions.size(), 2u);
  EXPECT_EQ(a.recipient_regions[0].code, "489");
  EXPECT_EQ(a.recipient_regions[0].vocabulary, "1");
  EXPECT_EQ(a.recipient_regions[1].vocabulary, "99");

  ASSERT_EQ(a.sectors.size(), 3u);
  EXPECT_EQ(a.sectors[0].vocabulary, "2");
  EXPECT_EQ(a.sectors[0].code, "111");
  EXPECT_EQ(a.sectors[0].percentage, 50);
  EXPECT_EQ(a.sectors[2].code, "A1");
  EXPECT_EQ(a.sectors[2].percentage, 100);
  ASSERT_EQ(a.sectors[2].narratives.size(), 1u);
  EXPECT_EQ(a.sectors[2].narratives[0].text, "A description of the sector");

  ASSERT_EQ(a.tags.size(), 2u);
  EXPECT_EQ(a.tags[1].vocabulary, "99");
  EXPECT_EQ(a.tags[1].code, "T1");
  EXPECT_LT(a.tags[1].percentage, 0);

  ASSERT_EQ(a.budgets.size(), 1u);
  EXPECT_EQ(a.budgets[0].period_start, "2014-01-01");
  EXPECT_EQ(a.budgets[0].period_end, "2014-12-31");
  EXPECT_EQ(a.budgets[0].value, 3000);
  EXPECT_EQ(a.budgets[0].currency, "EUR");
  EXPECT_EQ(a.budgets[0].value_date, "2014-01-01");

  // Only the activity's own document-link, not those inside result.
  ASSERT_EQ(a.links.size(), 1u);
  EXPECT_EQ(a.links[0].url, "http:www.example.org/docs/report_en.odt");
  ASSERT_EQ(a.links[0].titles.size(), 2u);
  EXPECT_EQ(a.links[0].titles[0].text, "Project Report 2013");
}

TEST(IatiParseTest, RefusesTextThatIsNotXml) {
  EXPECT_EQ(ParseError("hello"), "line 1, column 1: not XML: the input does not start with '<'");
}

TEST(IatiParseTest, RefusesAnEmptyFile) {
  EXPECT_EQ(ParseError(""), "line 1, column 1: not XML: the input is empty");
  EXPECT_EQ(ParseError("  \n "), "line 1, column 1: not XML: the input is empty");
}

// Regression (issue 7, defect 13): a body of just a byte order mark was read one byte past
// its end. The bytes are copied into a buffer of their own size, so AddressSanitizer sees it.
TEST(IatiParseTest, RefusesAByteOrderMarkAloneOrWithWhiteSpace) {
  for (std::string_view body : {std::string_view("\xEF\xBB\xBF"),
                                std::string_view("\xEF\xBB\xBF \r\n\t "), std::string_view("")}) {
    std::vector<char> exact(body.begin(), body.end());
    std::string message = ParseError(std::string_view(exact.data(), exact.size()));
    EXPECT_NE(message.find("not XML: the input is empty"), std::string::npos) << message;
  }
}

// Found by fuzzing: an identifier the writer cannot write as it is (bytes that are not UTF-8, a
// character XML 1.0 forbids even as a reference) came back different from an export, so a
// re-import of the export duplicated the activity instead of updating it.
TEST(IatiParseTest, RefusesAnIdentifierThatCouldNotBeWrittenBack) {
  for (std::string id : {std::string("A\xB0"), std::string("A&#1;B"), std::string("A&#xFFFE;B"),
                         std::string("A\xED\xA0\x80"
                                     "B")}) {
    std::string message =
        ParseError("<iati-activities version=\"2.03\">\n<iati-activity>\n  <iati-identifier>" + id +
                   "</iati-identifier>\n</iati-activity>\n</iati-activities>");
    EXPECT_NE(message.find("line 3, column 3: the iati-identifier holds bytes that are not UTF-8"),
              std::string::npos)
        << id << ": " << message;
  }
}

TEST(IatiParseTest, RefusesAnotherRootElement) {
  EXPECT_EQ(ParseError("<!-- page -->\n<html><body>IATI</body></html>"),
            "line 2, column 1: not IATI activity XML: the root element is <html>, expected "
            "<iati-activities> or <iati-activity> (element html)");
}

TEST(IatiParseTest, RefusesVersion1) {
  std::string message = ParseError(
      "<?xml version=\"1.0\"?>\n<iati-activities version=\"1.05\">\n<iati-activity>"
      "<iati-identifier>A-1</iati-identifier></iati-activity></iati-activities>");
  EXPECT_EQ(message,
            "line 2, column 1: IATI version 1.05 is refused: 1.x files are not read (2.01, 2.02 "
            "and 2.03 are) (element iati-activities)");
}

TEST(IatiParseTest, RefusesOtherAndMissingVersions) {
  EXPECT_NE(ParseError("<iati-activities version=\"2.04\"/>").find("\"2.04\" is not supported"),
            std::string::npos);
  EXPECT_EQ(ParseError("<iati-activities/>"),
            "line 1, column 1: no version attribute (element iati-activities)");
}

TEST(IatiParseTest, ReportsTruncationWithItsPosition) {
  std::string xml = Example();
  xml.resize(xml.size() / 2);  // ends with "<value …>3000</"
  int last_line = static_cast<int>(std::count(xml.begin(), xml.end(), '\n')) + 1;
  std::string message = ParseError(xml);
  EXPECT_EQ(message.rfind("line " + std::to_string(last_line) + ", column ", 0), 0u) << message;
  EXPECT_NE(message.find("truncated XML"), std::string::npos) << message;
  EXPECT_NE(message.find("(element value)"), std::string::npos) << message;
}

TEST(IatiParseTest, RefusesMalformedXmlWithLineAndColumn) {
  EXPECT_EQ(ParseError("<iati-activities version=\"2.03\">\n  <iati-activity>\n  </title>\n"
                       "</iati-activities>"),
            "line 3, column 5: not well-formed XML: Start-end tags mismatch (element title)");
}

TEST(IatiParseTest, ReadsUtf8OnlyAndSaysSo) {
  EXPECT_EQ(ParseError("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<iati-activity/>"),
            "line 1, column 1: encoding \"iso-8859-1\" is not read: IATI XML must be UTF-8");
  EXPECT_EQ(ParseError(std::string("\xFF\xFE<\0", 4)),
            "line 1, column 1: UTF-16 is not read: IATI XML must be UTF-8");
  // A UTF-8 byte order mark is fine.
  Result<ParseResult> r = Parse(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<iati-activity>"
      "<iati-identifier>A-1</iati-identifier></iati-activity>");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->activities[0].line, 2);
}

TEST(IatiParseTest, RefusesASecondRootElement) {
  EXPECT_EQ(ParseError("<iati-activity><iati-identifier>A</iati-identifier></iati-activity>\n"
                       "<iati-activity/>"),
            "line 2, column 1: not well-formed XML: a second root element (element iati-activity)");
}

TEST(IatiParseTest, RefusesDoctypeSoEntitiesCannotExpand) {
  std::string xml = ReadFile(kTestData / "billion-laughs.xml");
  EXPECT_EQ(ParseError(xml), "line 2, column 1: DOCTYPE/entity declarations are not allowed");
  // Whatever the case, and wherever it is.
  EXPECT_NE(ParseError("<iati-activity><!doctype x></iati-activity>").find("DOCTYPE"),
            std::string::npos);
}

TEST(IatiParseTest, RefusesAnActivityWithoutIdentifierNamingItsLine) {
  std::string xml =
      "<iati-activities version=\"2.03\">\n"
      "  <iati-activity><iati-identifier>A-1</iati-identifier></iati-activity>\n"
      "  <iati-activity>\n"
      "    <title><narrative>No id</narrative></title>\n"
      "  </iati-activity>\n"
      "  <iati-activity><iati-identifier>  </iati-identifier></iati-activity>\n"
      "</iati-activities>";
  EXPECT_EQ(ParseError(xml),
            "line 3, column 3: activity without iati-identifier (element iati-activity)");
  EXPECT_EQ(ParseError("<iati-activities version=\"2.03\">\n"
                       "  <iati-activity><iati-identifier> </iati-identifier></iati-activity>\n"
                       "</iati-activities>"),
            "line 2, column 3: activity with an empty iati-identifier (element iati-activity)");
}

TEST(IatiParseTest, RefusesInputOverTheLimits) {
  std::string xml = Example();
  ParseLimits limits;
  limits.max_bytes = 1000;
  EXPECT_EQ(ParseError(xml, limits),
            "input of " + std::to_string(xml.size()) + " bytes is over the limit of 1000 bytes");

  limits = ParseLimits{};
  limits.max_activities = 1;
  std::string two =
      "<iati-activities version=\"2.03\">\n"
      "<iati-activity><iati-identifier>A-1</iati-identifier></iati-activity>\n"
      "<iati-activity><iati-identifier>A-2</iati-identifier></iati-activity>\n"
      "</iati-activities>";
  EXPECT_EQ(ParseError(two, limits),
            "line 3, column 1: more than 1 activities (the limit) (element iati-activity)");
}

TEST(IatiParseTest, CommentsCdataAndQuotedAngleBracketsDoNotCutAnActivity) {
  Result<ParseResult> r = Parse(
      "<iati-activities version=\"2.03\">\n"
      "<!-- <iati-activity> in a comment </iati-activity> -->\n"
      "<iati-activity note=\"a>b "
      "</iati-activity>\"><iati-identifier><![CDATA[A</iati-activity>]]></iati-identifier>"
      "</iati-activity>\n"
      "<?pi <iati-activity>?>\n"
      "<iati-activity><iati-identifier>B</iati-identifier></iati-activity>\n"
      "</iati-activities>\n<!-- done -->\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->activities.size(), 2u);
  EXPECT_EQ(r->activities[0].iati_identifier, "A</iati-activity>");
  EXPECT_EQ(r->activities[0].line, 3);
  EXPECT_EQ(r->activities[1].iati_identifier, "B");
  EXPECT_EQ(r->activities[1].line, 5);
}

TEST(IatiParseTest, RefusesWhatSurroundsTheActivitiesWrongly) {
  EXPECT_EQ(
      ParseError("<iati-activity><iati-identifier>A</iati-identifier></iati-activity>\n  stray"),
      "line 2, column 3: not well-formed XML: text outside the root element");
  EXPECT_EQ(
      ParseError("<iati-activities version=\"2.03\">\n</iati-activity>"),
      "line 2, column 3: not well-formed XML: Start-end tags mismatch (element iati-activity)");
  EXPECT_EQ(ParseError("<iati-activities version=\"2.03\">\n<iati-activity><!-- never closed"),
            "line 2, column 16: truncated XML: the input ends inside this markup (element "
            "iati-activity)");
  EXPECT_EQ(
      ParseError(
          "<iati-activities version=\"2.03\">\n<iati-activity>\n  <title lang=\"en>x</title>\n"
          "</iati-activity></iati-activities>\n"),
      "line 3, column 3: truncated XML: the input ends inside this tag (or a quote in it is not "
      "closed) "
      "(element title)");
  EXPECT_EQ(ParseError("<iati-activities version=\"2.03\">\n<iati-activity>\n"),
            "line 3, column 1: truncated XML: the input ends before its elements are closed "
            "(element iati-activity)");
}

TEST(IatiParseTest, ParseEachHandsActivitiesOverInOrderAndStopsWhenTold) {
  std::string xml = "<iati-activities version=\"2.02\">\n";
  for (int i = 0; i < 5; ++i) {
    xml += "<iati-activity><iati-identifier>A-" + std::to_string(i) +
           "</iati-identifier></iati-activity>\n";
  }
  xml += "<iati-activity>broken</iati-activit>\n</iati-activities>";
  ParseSummary summary;
  std::vector<std::string> seen;
  Status s = ParseEach(xml, {}, &summary, [&](Activity&& a) -> Status {
    EXPECT_EQ(summary.version, "2.02") << "known before the first activity";
    seen.push_back(a.iati_identifier);
    return Ok();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message.rfind("line 7, column ", 0), 0u) << s.error().message;
  EXPECT_EQ(seen, (std::vector<std::string>{"A-0", "A-1", "A-2", "A-3", "A-4"}))
      << "those before the fault";
  seen.clear();
  s = ParseEach(xml, {}, &summary, [&](Activity&& a) -> Status {
    seen.push_back(a.iati_identifier);
    return seen.size() == 2 ? MakeError(ErrorCode::kFailedPrecondition, "stop here") : Ok();
  });
  EXPECT_EQ(s.error().message, "stop here");
  EXPECT_EQ(seen.size(), 2u);
}

// Read on another thread, a file of more activities than are read ahead: the same activities
// in order, the same summary and fault; told to stop, it stops reading where it is.
TEST(IatiParseTest, ParseEachAheadGivesWhatParseEachGives) {
  std::string xml = "<iati-activities version=\"2.03\">\n";
  const int n = static_cast<int>(kParseAhead) * 4 + 7;
  for (int i = 0; i < n; ++i) {
    xml += "<iati-activity><iati-identifier>A-" + std::to_string(i) +
           "</iati-identifier><activity-status code=\"x\"/></iati-activity>\n";
  }
  const std::string whole = xml + "</iati-activities>";
  const std::string broken = xml + "<iati-activity>broken</iati-activit>\n</iati-activities>";
  ParseSummary summary_of_whole;
  for (const std::string* file : {&whole, &broken}) {
    ParseSummary each_summary, ahead_summary;
    std::vector<std::string> each, ahead;
    Status each_status = ParseEach(*file, {}, &each_summary, [&](Activity&& a) -> Status {
      each.push_back(a.iati_identifier);
      return Ok();
    });
    Status ahead_status = ParseEachAhead(*file, {}, &ahead_summary, [&](Activity&& a) -> Status {
      ahead.push_back(a.iati_identifier);
      return Ok();
    });
    EXPECT_EQ(ahead.size(), static_cast<size_t>(n));
    EXPECT_EQ(ahead, each);
    ASSERT_EQ(ahead_status.ok(), each_status.ok());
    if (!each_status.ok()) EXPECT_EQ(ahead_status.error().message, each_status.error().message);
    EXPECT_EQ(file == &broken, !ahead_status.ok());
    EXPECT_EQ(ahead_summary.version, each_summary.version);
    EXPECT_EQ(ahead_summary.warnings_total, each_summary.warnings_total);
    EXPECT_EQ(ahead_summary.warnings.size(), each_summary.warnings.size());
  }
  EXPECT_TRUE(ParseEachAhead(whole, {}, &summary_of_whole, [](Activity&&) { return Ok(); }).ok());
  EXPECT_EQ(summary_of_whole.version, "2.03");
  EXPECT_GE(summary_of_whole.warnings_total, n) << "an unknown status code is a warning";
  // Stopped with the reader waiting for room (1) or still reading (past the first batches).
  for (size_t stop_at : {size_t{1}, kParseAhead + 3}) {
    size_t seen = 0;
    ParseSummary summary;
    Status s = ParseEachAhead(whole, {}, &summary, [&](Activity&&) -> Status {
      return ++seen == stop_at ? MakeError(ErrorCode::kFailedPrecondition, "stop here") : Ok();
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().message, "stop here");
    EXPECT_EQ(seen, stop_at);
  }
}

// Whatever the damage, the reader either reads the file or says where it is wrong.
TEST(IatiParseTest, CutOrDamagedAnywhereTheFileGivesAResultOrAPositionedError) {
  std::string example = Example();
  auto check = [](const std::string& xml, const std::string& what) {
    Result<ParseResult> r = Parse(xml);
    if (!r.ok()) {
      EXPECT_EQ(r.error().message.rfind("line ", 0), 0u) << what << ": " << r.error().message;
    }
  };
  for (size_t cut = 0; cut < example.size(); cut += 7)
    check(example.substr(0, cut), "cut at " + std::to_string(cut));
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  const char bytes[] = {'<', '>', '/', '"', '\'', '!', '-', '?', '[', ']', '&', ' ', 'x', '\0'};
  for (int i = 0; i < 2000; ++i) {
    std::string xml = example;
    for (int k = 0; k < 3; ++k) xml[next() % xml.size()] = bytes[next() % sizeof bytes];
    check(xml, "damaged copy " + std::to_string(i));
  }
}

TEST(IatiParseTest, ReadsABareActivityRoot) {
  Result<ParseResult> r = Parse(ReadFile(kTestData / "bare-activity.xml"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->version, "");
  ASSERT_EQ(r->activities.size(), 1u);
  const Activity& a = r->activities[0];
  EXPECT_EQ(a.line, 3);
  EXPECT_EQ(a.iati_identifier, "XM-DAC-47066-MM.0123");
  // No general description: the first of any type.
  ASSERT_EQ(a.descriptions.size(), 1u);
  EXPECT_EQ(a.descriptions[0].text, "Objectives only.");
  ASSERT_EQ(a.sectors.size(), 1u);
  EXPECT_EQ(a.sectors[0].vocabulary, "");
  EXPECT_EQ(a.sectors[0].code, "13096");
  ASSERT_EQ(a.tags.size(), 1u);
  EXPECT_EQ(a.tags[0].code, "17.18");
  EXPECT_EQ(a.recipient_countries[1].percentage, 40);
  EXPECT_TRUE(a.participating_orgs[0].names.empty());
}

TEST(IatiParseTest, IsLenientAboutOrderAndOddValues) {
  Result<ParseResult> r = Parse(ReadFile(kTestData / "out-of-order.xml"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->version, "2.02");
  ASSERT_EQ(r->activities.size(), 1u);
  const Activity& a = r->activities[0];
  EXPECT_EQ(a.iati_identifier, "XM-DAC-41114-00099");
  EXPECT_EQ(a.titles[0].text, "Remittance cost study");
  EXPECT_EQ(a.reporting_org.ref, "XM-DAC-41114");
  EXPECT_EQ(a.activity_status, "9");
  EXPECT_EQ(a.planned_start, "2021-03-01");
  ASSERT_EQ(a.budgets.size(), 1u);
  EXPECT_EQ(a.budgets[0].value, 125000.50);
  EXPECT_EQ(a.budgets[0].currency, "USD");

  EXPECT_TRUE(HasWarning(*r, "iati-identifier", "after title is out of schema order"));
  EXPECT_TRUE(HasWarning(*r, "activity-status", "after sector is out of schema order"));
  EXPECT_TRUE(HasWarning(*r, "activity-status", "unknown activity-status code \"9\""));
  EXPECT_TRUE(HasWarning(*r, "activity-date", "not a plain date: kept the date part"));
  EXPECT_TRUE(HasWarning(*r, "budget", "budget without value"));
  EXPECT_TRUE(HasWarning(*r, "iati-activity", "activity without description"));
  EXPECT_TRUE(HasWarning(*r, "iati-activity", "activity without participating-org"));
  for (const Warning& w : r->warnings) EXPECT_GT(w.line, 0) << w.message;
}

TEST(IatiParseTest, ReadsNumbersAndWarnsAboutBadOnes) {
  Result<ParseResult> r = Parse(
      "<iati-activity><iati-identifier>A-1</iati-identifier>\n"
      "<recipient-country code=\"SD\" percentage=\"150\"/>\n"
      "<budget><period-start iso-date=\"2024-01-01\"/><period-end iso-date=\"2024-12-31\"/>"
      "<value currency=\"EUR\" value-date=\"2024-01-01\"> +1500.25 </value></budget>\n"
      "<budget><period-start iso-date=\"2024-01-01\"/><period-end iso-date=\"2024\"/>"
      "<value>1,000</value></budget>\n"
      "</iati-activity>");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Activity& a = r->activities[0];
  EXPECT_LT(a.recipient_countries[0].percentage, 0);
  ASSERT_EQ(a.budgets.size(), 1u);
  EXPECT_EQ(a.budgets[0].value, 1500.25);
  EXPECT_TRUE(HasWarning(*r, "recipient-country", "not a number from 0 to 100"));
  EXPECT_TRUE(HasWarning(*r, "period-end", "\"2024\" is not a date"));
  EXPECT_TRUE(HasWarning(*r, "value", "\"1,000\" is not a number: budget skipped"));
  for (const Warning& w : r->warnings) {
    if (w.element == "value") {
      EXPECT_EQ(w.line, 4);
    }
  }
}

// Regression (issue 7, defect 7): a 3.9 MiB file of unknown elements gave a million warnings
// and a 75 MiB answer. The first max_warnings are kept, all are counted.
TEST(IatiParseTest, KeepsTheFirstWarningsAndCountsTheRest) {
  std::string xml = "<iati-activities version=\"2.03\">\n";
  for (int i = 0; i < 5000; ++i) xml += "<x/>\n";
  xml += "<iati-activity><iati-identifier>A-1</iati-identifier></iati-activity></iati-activities>";
  Result<ParseResult> r = Parse(xml);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->warnings.size(), 1000u);
  EXPECT_GE(r->warnings_total, 5000);
  EXPECT_EQ(r->warnings.front().line, 2);
  EXPECT_EQ(r->warnings.back().line, 1001) << "the first ones, in file order";
  ParseLimits few;
  few.max_warnings = 3;
  Result<ParseResult> capped = Parse(xml, few);
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->warnings.size(), 3u);
  EXPECT_EQ(capped->warnings_total, r->warnings_total);
}

// Lines are counted per 1 KiB block: positions far into a file, at and across block edges.
TEST(IatiParseTest, NamesLinesAndColumnsFarIntoALongFile) {
  std::string pad(3000, '\n');
  Result<ParseResult> r =
      Parse("<iati-activities version=\"2.03\">" + pad + "  <x/></iati-activities>");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_EQ(r->warnings[0].element, "x");
  EXPECT_EQ(r->warnings[0].line, 3001);
  // The '<' at offset 1024, the first byte of the second block.
  EXPECT_EQ(ParseError("<iati-activities version=\"2.03\">" + std::string(1024 - 33, '\n') + "<"),
            "line 992, column 1: truncated XML: the input ends inside this markup (element "
            "iati-activities)");
}

TEST(IatiParseTest, KeepsTextOutsideNarrativesWithAWarning) {
  Result<ParseResult> r = Parse(
      "<iati-activity><iati-identifier>A-1</iati-identifier>\n"
      "<title>Old style title</title></iati-activity>");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->activities[0].titles.size(), 1u);
  EXPECT_EQ(r->activities[0].titles[0].text, "Old style title");
  EXPECT_TRUE(HasWarning(*r, "title", "text outside narrative"));
}

// The value of `name` among `args`, "" when absent.
std::string Arg(const std::vector<std::pair<std::string, std::string>>& args,
                std::string_view name) {
  for (const auto& [n, v] : args) {
    if (n == name) return v;
  }
  return "";
}

const Warning* FindWarning(const ParseResult& r, std::string_view element, std::string_view rule) {
  for (const Warning& w : r.warnings) {
    if (w.element == element && w.rule == rule) return &w;
  }
  return nullptr;
}

// Issue 9: a warning reaches a person, so each carries a stable code a client translates.
TEST(IatiParseTest, EveryWarningCarriesARuleCodeWithItsValues) {
  Result<ParseResult> r = Parse(ReadFile(kTestData / "out-of-order.xml"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (const Warning& w : r->warnings) EXPECT_FALSE(w.rule.empty()) << w.message;
  const Warning* order = FindWarning(*r, "iati-identifier", "out_of_order");
  ASSERT_NE(order, nullptr);
  EXPECT_EQ(Arg(order->args, "after"), "title");
  const Warning* status = FindWarning(*r, "activity-status", "unknown_code");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(Arg(status->args, "value"), "9");
  EXPECT_EQ(Arg(status->args, "codelist"), "ActivityStatus");
  const Warning* date = FindWarning(*r, "activity-date", "date_part_kept");
  ASSERT_NE(date, nullptr);
  EXPECT_EQ(Arg(date->args, "value"), "2021-03-01T00:00:00Z");
  EXPECT_NE(FindWarning(*r, "budget", "budget_without_value"), nullptr);
  const Warning* missing = FindWarning(*r, "iati-activity", "missing_element");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(Arg(missing->args, "element"), "description");

  Result<ParseResult> numbers = Parse(
      "<iati-activities version=\"2.03\"><x/><iati-activity humanitarian=\"maybe\">"
      "<iati-identifier>A-1</iati-identifier>\n"
      "<title>Old</title><recipient-country code=\"SD\" percentage=\"150\"/>\n"
      "<tag code=\"1\"/><document-link/><activity-date type=\"7\" iso-date=\"2024-01-01\"/>"
      "<budget><period-start iso-date=\"2024\"/><period-end iso-date=\"2024-12-31\"/>"
      "<value>1,000</value></budget></iati-activity></iati-activities>");
  ASSERT_TRUE(numbers.ok()) << numbers.error().message;
  for (const Warning& w : numbers->warnings) EXPECT_FALSE(w.rule.empty()) << w.message;
  EXPECT_NE(FindWarning(*numbers, "x", "unknown_element"), nullptr);
  EXPECT_EQ(Arg(FindWarning(*numbers, "iati-activity", "not_a_boolean")->args, "value"), "maybe");
  EXPECT_NE(FindWarning(*numbers, "title", "text_outside_narrative"), nullptr);
  EXPECT_EQ(Arg(FindWarning(*numbers, "recipient-country", "bad_percentage")->args, "value"),
            "150");
  EXPECT_EQ(Arg(FindWarning(*numbers, "tag", "missing_attribute")->args, "attribute"),
            "vocabulary");
  EXPECT_NE(FindWarning(*numbers, "document-link", "link_without_url"), nullptr);
  EXPECT_EQ(Arg(FindWarning(*numbers, "activity-date", "unknown_date_type")->args, "value"), "7");
  EXPECT_EQ(Arg(FindWarning(*numbers, "period-start", "not_a_date")->args, "value"), "2024");
  EXPECT_EQ(Arg(FindWarning(*numbers, "value", "budget_not_a_number")->args, "value"), "1,000");
}

// A refused file's error names the rule, and its detail the element, line and column.
TEST(IatiParseTest, EveryRefusalCarriesARuleCodeWithItsPosition) {
  struct Case {
    std::string xml;
    const char* rule;
    const char* line;
    const char* column;
  };
  const std::vector<Case> cases = {
      {"hello", "not_xml", "1", "1"},
      {"", "empty_file", "1", "1"},
      {"<!DOCTYPE x>\n<iati-activity/>", "doctype", "1", "1"},
      {std::string("\xFF\xFE<\0", 4), "not_utf8", "1", "1"},
      {"<?xml version=\"1.0\" encoding=\"latin1\"?><iati-activity/>", "not_utf8", "1", "1"},
      {"\n<html/>", "not_iati", "2", "1"},
      {"<iati-activities/>", "no_version", "1", "1"},
      {"<iati-activities version=\"1.05\"/>", "unsupported_version", "1", "1"},
      {"<iati-activities version=\"2.03\">\n <iati-activity>", "truncated", "2", "17"},
      {"<iati-activities version=\"2.03\">\n<iati-activity>\n</title>", "not_well_formed", "3",
       "3"},
      {"<iati-activity><iati-identifier>A</iati-identifier></iati-activity><x/>", "not_well_formed",
       "1", "68"},
      {"<iati-activities version=\"2.03\">\n  <iati-activity/></iati-activities>", "no_identifier",
       "2", "3"},
  };
  for (const Case& c : cases) {
    Result<ParseResult> r = Parse(c.xml);
    ASSERT_FALSE(r.ok()) << c.rule;
    ASSERT_EQ(r.error().details.size(), 1u) << r.error().message;
    const FieldProblem& d = r.error().details[0];
    EXPECT_EQ(d.rule, c.rule) << r.error().message;
    EXPECT_EQ(Arg(d.args, "line"), c.line) << r.error().message;
    EXPECT_EQ(Arg(d.args, "column"), c.column) << r.error().message;
  }
  Result<ParseResult> v1 = Parse("<iati-activities version=\"1.05\"/>");
  EXPECT_EQ(Arg(v1.error().details[0].args, "version"), "1.05");
  EXPECT_EQ(v1.error().details[0].field, "iati-activities");
  ParseLimits small;
  small.max_bytes = 10;
  Result<ParseResult> big = Parse(Example(), small);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().details.at(0).rule, "file_too_large");
  EXPECT_EQ(Arg(big.error().details.at(0).args, "max"), "10");
}

// ---------------------------------------------------------------------------------------------
// Writer

TEST(IatiWriteTest, RoundTripsTheExample) {
  Result<ParseResult> first = Parse(Example());
  ASSERT_TRUE(first.ok());
  std::string xml = WriteAll(first->activities);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities "
                      "version=\"2.03\" generated-datetime=\"2024-06-01T12:00:00Z\">\n",
                      0),
            0u);
  Result<ParseResult> second = Parse(xml);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->warnings.empty()) << second->warnings[0].message;
  ASSERT_EQ(second->activities.size(), 1u);
  const Activity& a = first->activities[0];
  const Activity& b = second->activities[0];
  EXPECT_EQ(b.iati_identifier, a.iati_identifier);
  EXPECT_EQ(b.lang, a.lang);
  EXPECT_EQ(b.default_currency, a.default_currency);
  EXPECT_EQ(b.last_updated, a.last_updated);
  EXPECT_EQ(b.humanitarian, a.humanitarian);
  EXPECT_EQ(b.reporting_org.ref, a.reporting_org.ref);
  EXPECT_EQ(b.reporting_org.names[1].text, a.reporting_org.names[1].text);
  ASSERT_EQ(b.titles.size(), a.titles.size());
  for (size_t i = 0; i < a.titles.size(); ++i) {
    EXPECT_EQ(b.titles[i].lang, a.titles[i].lang);
    EXPECT_EQ(b.titles[i].text, a.titles[i].text);
  }
  EXPECT_EQ(b.descriptions[0].text, a.descriptions[0].text);
  ASSERT_EQ(b.participating_orgs.size(), a.participating_orgs.size());
  EXPECT_EQ(b.participating_orgs[2].role, a.participating_orgs[2].role);
  EXPECT_EQ(b.activity_status, a.activity_status);
  EXPECT_EQ(b.planned_start, a.planned_start);
  EXPECT_EQ(b.actual_start, a.actual_start);
  EXPECT_EQ(b.planned_end, a.planned_end);
  EXPECT_EQ(b.contact_email, a.contact_email);
  ASSERT_EQ(b.recipient_countries.size(), a.recipient_countries.size());
  EXPECT_EQ(b.recipient_countries[1].code, a.recipient_countries[1].code);
  EXPECT_EQ(b.recipient_countries[1].percentage, a.recipient_countries[1].percentage);
  ASSERT_EQ(b.recipient_regions.size(), a.recipient_regions.size());
  EXPECT_EQ(b.recipient_regions[1].vocabulary, a.recipient_regions[1].vocabulary);
  ASSERT_EQ(b.sectors.size(), a.sectors.size());
  for (size_t i = 0; i < a.sectors.size(); ++i) {
    EXPECT_EQ(b.sectors[i].code, a.sectors[i].code);
    EXPECT_EQ(b.sectors[i].vocabulary, a.sectors[i].vocabulary);
    EXPECT_EQ(b.sectors[i].percentage, a.sectors[i].percentage);
  }
  ASSERT_EQ(b.tags.size(), a.tags.size());
  EXPECT_EQ(b.tags[1].code, a.tags[1].code);
  ASSERT_EQ(b.budgets.size(), 1u);
  EXPECT_EQ(b.budgets[0].value, a.budgets[0].value);
  EXPECT_EQ(b.budgets[0].currency, a.budgets[0].currency);
  EXPECT_EQ(b.budgets[0].value_date, a.budgets[0].value_date);
  EXPECT_EQ(b.budgets[0].period_end, a.budgets[0].period_end);
  ASSERT_EQ(b.links.size(), 1u);
  EXPECT_EQ(b.links[0].url, a.links[0].url);
  EXPECT_EQ(b.links[0].titles[1].text, a.links[0].titles[1].text);
}

TEST(IatiWriteTest, EscapesMarkupAndDropsCharactersXmlForbids) {
  Activity a = MinimalActivity("XM-<&>\"'");
  a.titles = {{"en", std::string("Tom & Jerry <say> \"hi\" 'there'\x01\x1F end")}};
  a.reporting_org.ref = "A\"B<C";
  a.titles.push_back({"fr", "bad utf-8 \xC3( and U+FFFF \xEF\xBF\xBF gone"});
  std::string xml = WriteAll({a});
  EXPECT_NE(xml.find("<iati-identifier>XM-&lt;&amp;&gt;&quot;&apos;</iati-identifier>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("Tom &amp; Jerry &lt;say&gt; &quot;hi&quot; &apos;there&apos; end"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("ref=\"A&quot;B&lt;C\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\x1F'), std::string::npos);
  EXPECT_EQ(xml.find("\xEF\xBF\xBF"), std::string::npos);

  Result<ParseResult> back = Parse(xml);
  ASSERT_TRUE(back.ok()) << back.error().message;
  const Activity& b = back->activities[0];
  EXPECT_EQ(b.iati_identifier, "XM-<&>\"'");
  EXPECT_EQ(b.reporting_org.ref, "A\"B<C");
  EXPECT_EQ(b.titles[0].text, "Tom & Jerry <say> \"hi\" 'there' end");
  EXPECT_EQ(b.titles[1].text, "bad utf-8 \xEF\xBF\xBD( and U+FFFF  gone");
}

TEST(IatiWriteTest, OmitsAttributesThatWouldBeInvalid) {
  Activity a = MinimalActivity("A-1");
  a.last_updated = "yesterday";
  a.humanitarian = "maybe";
  a.lang = "not a language";
  std::string xml = WriteAll({a});
  EXPECT_NE(xml.find("  <iati-activity>\n"), std::string::npos) << xml;
  a.last_updated = "2024-05-31T08:00:00+02:00";
  a.lang = "en";
  a.humanitarian = "0";
  a.default_currency = "EUR";
  xml = WriteAll({a});
  EXPECT_NE(xml.find("<iati-activity last-updated-datetime=\"2024-05-31T08:00:00+02:00\" "
                     "xml:lang=\"en\" default-currency=\"EUR\" humanitarian=\"0\">"),
            std::string::npos)
      << xml;
}

TEST(IatiWriteTest, OutputValidatesAgainstTheSchema) {
  if (std::system("xmllint --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no xmllint";
  Result<ParseResult> example = Parse(Example());
  ASSERT_TRUE(example.ok());
  std::vector<Activity> activities = example->activities;
  activities.push_back(MinimalActivity("XM-DAC-47066-MIN"));

  Activity full = MinimalActivity("XM-DAC-41121-FULL & <odd>");
  full.lang = "fr";
  full.default_currency = "USD";
  full.last_updated = "2024-05-31T08:00:00Z";
  full.humanitarian = "1";
  full.titles.push_back({"ar", "عنوان \x02"});
  full.participating_orgs.push_back({"", "", "1", {{"", "Donor without ref"}}});
  full.actual_start = "2024-02-01T10:00:00";  // a datetime: its date part is written
  full.planned_end = "2026-12-31";
  full.actual_end = "not a date";  // skipped
  full.contact_email = "info@example.org";
  full.recipient_countries = {{"SD", "", 70, {}, {}}, {"TD", "", 30, {}, {}}};
  full.recipient_regions = {{"289", "1", -1, {}, {}}};
  full.sectors = {{"15190", "", 80.5, {}, {}},
                  {"10.7", "8", 19.5, {{"", "SDG 10.7"}}, {}},
                  {"", "99", 10, {}, {}},  // no code: not written
                  {"A1", "99", 100, {{"", "Own"}}, "https://example.org/vocab"}};
  full.tags = {{"10.7", "3", -1, {}, {}}, {"own", "", -1, {{"en", "no vocabulary given"}}, {}}};
  Transaction paid;
  paid.type = "3";
  paid.date = "2024-03-01";
  paid.value = 2500.5;
  paid.receiver = {"", "", "", {{"", "A partner without ref"}}};
  paid.sectors = {{"15190", "1", -1, {}, {}}};
  paid.aid_types = {{"C01", "1", -1, {}, {}}};
  Transaction undated = paid;  // no date: not writable
  undated.date = "";
  full.transactions = {paid, undated};
  full.budgets = {{"2024-01-01", "2024-12-31", 1234567.89, "USD", ""},
                  {"2025-01-01", "2025-12-31", 1e15, "", "2025-01-01"},
                  {"", "2025-12-31", 5, "", ""}};  // no period-start: not writable
  full.links = {{"https://example.org/a b?x=1&y=2", {{"", "Report"}}}, {"https://e.org/", {}}};
  activities.push_back(full);

  fs::path file =
      fs::temp_directory_path() / ("gmg_iati_validate_" + std::to_string(::getpid()) + ".xml");
  {
    std::ofstream out(file, std::ios::binary);
    Writer writer([&](std::string_view chunk) { out.write(chunk.data(), chunk.size()); },
                  "2024-06-01T12:00:00Z");
    for (const Activity& a : activities) writer.Write(a);
  }
  std::string command = "xmllint --noout --schema '" +
                        (kIatiDir / "iati-activities-schema.xsd").string() + "' '" + file.string() +
                        "'";
  int status = std::system(command.c_str());
  EXPECT_EQ(status, 0) << command << "\n" << ReadFile(file);

  Result<ParseResult> back = Parse(ReadFile(file));
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->activities.size(), 3u);
  const Activity& b = back->activities[2];
  EXPECT_EQ(b.iati_identifier, "XM-DAC-41121-FULL & <odd>");
  EXPECT_EQ(b.actual_start, "2024-02-01");
  EXPECT_EQ(b.actual_end, "");
  ASSERT_EQ(b.budgets.size(), 2u);
  EXPECT_EQ(b.budgets[0].value, 1234567.89);
  EXPECT_EQ(b.budgets[0].value_date, "2024-01-01");  // period-start stands in
  EXPECT_EQ(b.budgets[1].value, 1e15);
  EXPECT_EQ(b.tags[1].vocabulary, "99");
  EXPECT_EQ(b.sectors[0].percentage, 80.5);
  ASSERT_EQ(b.sectors.size(), 3u);
  EXPECT_EQ(b.sectors[2].vocabulary_uri, "https://example.org/vocab");
  ASSERT_EQ(b.transactions.size(), 1u);
  EXPECT_EQ(b.transactions[0].value_date, "2024-03-01");  // the transaction date stands in
  EXPECT_EQ(b.transactions[0].receiver.names.at(0).text, "A partner without ref");
  EXPECT_EQ(ReadFile(file).find("=\"\""), std::string::npos) << "no empty attribute";
  fs::remove(file);
}

TEST(IatiParseTest, ReadsTheOfficialExamplesTransactionWhole) {
  Result<ParseResult> r = Parse(Example());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Activity& a = r->activities.at(0);
  ASSERT_EQ(a.transactions.size(), 1u);
  const Transaction& t = a.transactions[0];
  EXPECT_EQ(t.ref, "1234");
  EXPECT_EQ(t.humanitarian, "1");
  EXPECT_EQ(t.type, "1");
  EXPECT_EQ(t.date, "2012-01-01");
  EXPECT_EQ(t.value, 1000);
  EXPECT_EQ(t.currency, "EUR");
  EXPECT_EQ(t.value_date, "2012-01-01");
  EXPECT_EQ(t.descriptions.at(0).text, "Transaction description text");
  EXPECT_EQ(t.provider.ref, "BB-BBB-123456789");
  EXPECT_EQ(t.provider.type, "10");
  EXPECT_EQ(t.provider.activity_id, "BB-BBB-123456789-1234AA");
  EXPECT_EQ(t.provider.names.at(0).text, "Agency B");
  EXPECT_EQ(t.receiver.activity_id, "AA-AAA-123456789-1234");
  EXPECT_EQ(t.disbursement_channel, "1");
  ASSERT_EQ(t.sectors.size(), 1u);
  EXPECT_EQ(t.sectors[0].vocabulary, "2");
  EXPECT_EQ(t.sectors[0].code, "111");
  EXPECT_EQ(t.recipient_country, "TM");
  EXPECT_EQ(t.recipient_region.code, "616");
  EXPECT_EQ(t.flow_type, "10");
  EXPECT_EQ(t.finance_type, "110");
  ASSERT_EQ(t.aid_types.size(), 2u);
  EXPECT_EQ(t.aid_types[1].code, "1");
  EXPECT_EQ(t.aid_types[1].vocabulary, "2");
  EXPECT_EQ(t.tied_status, "3");
  EXPECT_EQ(a.sectors.at(2).vocabulary_uri, "http://example.com/vocab.html");
}

TEST(IatiParseTest, ATransactionWithoutTypeDateOrNumberIsSkippedWithAWarning) {
  auto activity = [](const std::string& transactions) {
    return "<iati-activity><iati-identifier>XM-DAC-47066-T</iati-identifier>" + transactions +
           "</iati-activity>";
  };
  Result<ParseResult> r = Parse(activity(
      R"(<transaction><transaction-date iso-date="2020-01-01"/><value value-date="2020-01-01">5</value></transaction>
<transaction><transaction-type code="3"/><value value-date="2020-01-01">5</value></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value>1,000</value></transaction>
<transaction><transaction-type code="4"/><transaction-date iso-date="2020-02-01"/><value>7</value></transaction>)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->activities.at(0).transactions.size(), 1u);
  EXPECT_EQ(r->activities[0].transactions[0].type, "4");
  EXPECT_EQ(r->activities[0].transactions[0].value_date, "");
  std::vector<std::string> rules;
  for (const Warning& w : r->warnings) rules.push_back(w.rule);
  EXPECT_EQ(std::count(rules.begin(), rules.end(), "transaction_incomplete"), 2);
  EXPECT_EQ(std::count(rules.begin(), rules.end(), "transaction_not_a_number"), 1);
}

TEST(IatiWriteTest, TransactionsAndSectorsGoBackAsTheyCame) {
  Result<ParseResult> example = Parse(Example());
  ASSERT_TRUE(example.ok());
  std::string xml;
  {
    Writer writer([&](std::string_view chunk) { xml.append(chunk); }, "2024-06-01T12:00:00Z");
    writer.Write(example->activities.at(0));
  }
  Result<ParseResult> back = Parse(xml);
  ASSERT_TRUE(back.ok()) << back.error().message;
  const Activity& a = example->activities[0];
  const Activity& b = back->activities.at(0);
  ASSERT_EQ(b.sectors.size(), a.sectors.size());
  for (size_t i = 0; i < a.sectors.size(); ++i) {
    EXPECT_EQ(b.sectors[i].vocabulary, a.sectors[i].vocabulary);
    EXPECT_EQ(b.sectors[i].code, a.sectors[i].code);
    EXPECT_EQ(b.sectors[i].percentage, a.sectors[i].percentage);
    EXPECT_EQ(b.sectors[i].vocabulary_uri, a.sectors[i].vocabulary_uri);
  }
  ASSERT_EQ(b.transactions.size(), 1u);
  const Transaction& t = b.transactions[0];
  const Transaction& o = a.transactions[0];
  EXPECT_EQ(t.ref, o.ref);
  EXPECT_EQ(t.humanitarian, o.humanitarian);
  EXPECT_EQ(t.type, o.type);
  EXPECT_EQ(t.date, o.date);
  EXPECT_EQ(t.value, o.value);
  EXPECT_EQ(t.currency, o.currency);
  EXPECT_EQ(t.value_date, o.value_date);
  EXPECT_EQ(t.provider.activity_id, o.provider.activity_id);
  EXPECT_EQ(t.receiver.type, o.receiver.type);
  EXPECT_EQ(t.sectors.at(0).code, o.sectors.at(0).code);
  EXPECT_EQ(t.recipient_region.vocabulary, o.recipient_region.vocabulary);
  EXPECT_EQ(t.aid_types.size(), o.aid_types.size());
  EXPECT_EQ(t.tied_status, o.tied_status);
  // Schema order inside the transaction.
  size_t at = xml.find("<transaction ");
  size_t type = xml.find("<transaction-type", at), value = xml.find("<value ", at);
  size_t provider = xml.find("<provider-org", at), tied = xml.find("<tied-status", at);
  EXPECT_LT(type, value);
  EXPECT_LT(value, provider);
  EXPECT_LT(provider, tied);
  EXPECT_LT(xml.find("</budget>"), xml.find("<transaction "));
  EXPECT_LT(xml.find("</transaction>"), xml.find("<document-link"));
}

TEST(IatiWriteTest, NoAttributeIsWrittenEmpty) {
  Activity a = MinimalActivity("XM-DAC-47066-E");
  a.reporting_org.type = "";  // the publisher gave none
  a.participating_orgs.push_back({"", "", "", {{"", "No role, no ref"}}});
  a.recipient_countries = {{"", "", -1, {}, {}}};
  a.sectors = {{"72010", "", -1, {}, ""}};
  a.activity_status = " ";
  std::string xml;
  {
    Writer writer([&](std::string_view chunk) { xml.append(chunk); }, "not a datetime");
    writer.Write(a);
  }
  EXPECT_EQ(xml.find("=\"\""), std::string::npos) << xml;
  EXPECT_NE(xml.find(R"(<reporting-org ref="XM-DAC-47066">)"), std::string::npos) << xml;
  EXPECT_NE(xml.find(R"(<sector code="72010"/>)"), std::string::npos) << xml;
}

TEST(IatiWriteTest, StreamsOneActivityAtATime) {
  size_t bytes = 0, chunks = 0, largest = 0;
  {
    Writer writer(
        [&](std::string_view chunk) {
          bytes += chunk.size();
          ++chunks;
          largest = std::max(largest, chunk.size());
        },
        "2024-06-01T12:00:00Z");
    Activity a = MinimalActivity("");
    for (int i = 0; i < 10'000; ++i) {
      a.iati_identifier = "XM-DAC-47066-" + std::to_string(i);
      writer.Write(a);
      ASSERT_EQ(chunks, static_cast<size_t>(i) + 1);  // flushed after every activity
    }
  }  // the destructor closes the root
  EXPECT_EQ(chunks, 10'001u);
  EXPECT_GT(bytes, 10'000u * 500);
  EXPECT_LT(largest, 2000u);  // one activity (plus the header), never the document
}

TEST(IatiWriteTest, FinishClosesTheRootOnce) {
  std::string out;
  Writer writer([&](std::string_view chunk) { out.append(chunk); }, "not a date");
  writer.Write(MinimalActivity("A-1"));
  writer.Finish();
  writer.Finish();
  EXPECT_EQ(out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities "
                      "version=\"2.03\">\n",
                      0),
            0u);
  EXPECT_EQ(out.substr(out.size() - 20), "\n</iati-activities>\n");
  EXPECT_TRUE(Parse(out).ok());
}

}  // namespace
}  // namespace gmg::iati
