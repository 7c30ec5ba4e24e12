#include "interop/csv_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef GMG_SHARED_DIR
#define GMG_SHARED_DIR "/work/shared"
#endif

namespace gmg::csv {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using Records = std::vector<std::vector<std::string>>;

// Every record of `text` read with `delimiter`, or the error message.
Result<Records> ReadAll(std::string_view text, char delimiter = ',', Limits limits = {}) {
  Reader reader(text, Dialect{delimiter, false}, limits);
  Records records;
  std::vector<std::string_view> fields;
  for (;;) {
    auto more = reader.Next(&fields);
    if (!more.ok()) return std::move(more).TakeError();
    if (!*more) break;
    records.emplace_back(fields.begin(), fields.end());
  }
  return records;
}

std::string ErrorOf(std::string_view text, char delimiter = ',', Limits limits = {}) {
  auto r = ReadAll(text, delimiter, limits);
  return r.ok() ? "no error" : r.error().message;
}

TEST(CsvReader, ReadsPlainRecordsWithLfAndCrlf) {
  auto lf = ReadAll("Year,Dest,Value\n2019,BF,10\n");
  ASSERT_TRUE(lf.ok());
  EXPECT_EQ(*lf, (Records{{"Year", "Dest", "Value"}, {"2019", "BF", "10"}}));
  auto crlf = ReadAll("Year,Dest\r\n2019,BF\r\n2020,ML");
  ASSERT_TRUE(crlf.ok());
  EXPECT_EQ(*crlf, (Records{{"Year", "Dest"}, {"2019", "BF"}, {"2020", "ML"}}));
  auto cr = ReadAll("a,b\rc,d\r");
  ASSERT_TRUE(cr.ok());
  EXPECT_EQ(*cr, (Records{{"a", "b"}, {"c", "d"}}));
}

TEST(CsvReader, EmptyLinesAndEmptyFields) {
  auto r = ReadAll("a,,c\n\n,\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Records{{"a", "", "c"}, {""}, {"", ""}}));
  auto trailing = ReadAll("a,b,\n");
  ASSERT_TRUE(trailing.ok());
  EXPECT_EQ(*trailing, (Records{{"a", "b", ""}}));
  EXPECT_EQ(ReadAll("")->size(), 0U);
}

TEST(CsvReader, QuotedFieldsWithDelimitersQuotesAndNewlines) {
  auto r = ReadAll(
      "\"Korea, Republic of\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
      "\"\",\"\"\"\",x\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Records{{"Korea, Republic of", "say \"hi\"", "two\nlines"}, {"", "\"", "x"}}));
}

TEST(CsvReader, ManyEscapedFieldsInOneRecordStayValid) {
  // More escaped fields than the reader has copies for: the vector of copies grows while the
  // record is read, and every view must still be right at the end.
  std::string line;
  Records want(1);
  for (int i = 0; i < 40; ++i) {
    line += (i ? "," : "") + std::string("\"q\"\"") + std::to_string(i) + "\"";
    want[0].push_back("q\"" + std::to_string(i));
  }
  auto r = ReadAll(line);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, want);
}

TEST(CsvReader, LineOfEachRecordCountsNewlinesInsideQuotes) {
  Reader reader("a\n\"b\nc\"\nd\n", Dialect{});
  std::vector<std::string_view> fields;
  std::vector<int64_t> lines;
  while (*reader.Next(&fields)) lines.push_back(reader.line());
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 4}));
}

TEST(CsvReader, SkipsTheByteOrderMarkAndKeepsUtf8) {
  auto r = ReadAll("\xEF\xBB\xBFPays;Valeur\nC\xC3\xB4te d'Ivoire;5\n", ';');
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Records{{"Pays", "Valeur"}, {"C\xC3\xB4te d'Ivoire", "5"}}));
}

TEST(CsvReader, QuoteInsideAnUnquotedFieldIsText) {
  auto r = ReadAll("5'10\",x\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Records{{"5'10\"", "x"}}));
}

TEST(CsvReader, OtherDelimiters) {
  EXPECT_EQ(*ReadAll("a\tb\tc,d\n", '\t'), (Records{{"a", "b", "c,d"}}));
  EXPECT_EQ(*ReadAll("a|\"b|c\"\n", '|'), (Records{{"a", "b|c"}}));
}

TEST(CsvReader, ErrorsNameLineAndColumn) {
  EXPECT_EQ(ErrorOf("a,b\nc,\"open\n"), "line 2, column 3: unterminated quoted field");
  EXPECT_EQ(ErrorOf("a,\"x\"y,b\n"), "line 1, column 6: text after the closing quote of a field");
  // Columns count characters, not bytes: "é" is one.
  EXPECT_EQ(ErrorOf("\xC3\xA9,\"x\" z\n"),
            "line 1, column 7: text after the closing quote of a field");
  EXPECT_EQ(ErrorOf("a,b\nc,d\xFF\n"), "line 2, column 4: not a CSV file: the text is not UTF-8");
  EXPECT_EQ(ErrorOf(std::string_view("a\n\"b\nc\0\"", 8)),
            "line 3, column 2: not a CSV file: a NUL byte (binary data)");
  // Spaces after a closing quote are tolerated.
  EXPECT_EQ(*ReadAll("\"a\"  ,b\n"), (Records{{"a", "b"}}));
}

TEST(CsvReader, ErrorsCarryTheirPositionAsDetails) {
  auto r = ReadAll("a\n\"x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(r.error().details.size(), 1U);
  const FieldProblem& p = r.error().details[0];
  EXPECT_EQ(p.rule, "unterminated_quote");
  EXPECT_EQ(p.args,
            (std::vector<std::pair<std::string, std::string>>{{"line", "2"}, {"column", "1"}}));
}

TEST(CsvReader, Limits) {
  Limits limits;
  limits.max_field_bytes = 4;
  limits.max_fields = 3;
  EXPECT_EQ(ErrorOf("abcd,e\nabcde\n", ',', limits),
            "line 2, column 1: a field longer than 4 bytes");
  EXPECT_EQ(ErrorOf("\"abcde\"\n", ',', limits), "line 1, column 1: a field longer than 4 bytes");
  EXPECT_EQ(ErrorOf("a,b,c\na,b,c,d\n", ',', limits),
            "line 2, column 7: a record of more than 3 fields");
}

TEST(CsvSniff, PicksTheConsistentDelimiter) {
  EXPECT_EQ(Sniff("Year,Dest,Value\n2019,BF,10\n")->delimiter, ',');
  EXPECT_EQ(Sniff("Pays;Ann\xC3\xA9\x65;Valeur\nBF;2019;1,5\nML;2019;2,25\n")->delimiter, ';');
  EXPECT_EQ(Sniff("a\tb\tc\n1\t2\t3\n")->delimiter, '\t');
  EXPECT_EQ(Sniff("a|b\n1|2\n")->delimiter, '|');
  EXPECT_EQ(Sniff("one column\nonly\n")->delimiter, ',');
  // Commas inside quotes do not count; a preamble line does not decide.
  EXPECT_EQ(Sniff("Table 1, migrant stock; by origin\n\"a,b\";c;d\n\"e,f\";g;h\n")->delimiter, ';');
  auto bom = Sniff("\xEF\xBB\xBFx,y\n1,2\n");
  ASSERT_TRUE(bom.ok());
  EXPECT_TRUE(bom->bom);
}

TEST(CsvSniff, RefusesWhatIsNotCsv) {
  EXPECT_EQ(Sniff("").error().message, "not a CSV file: the file is empty");
  EXPECT_EQ(Sniff("\xEF\xBB\xBF").error().message, "not a CSV file: the file is empty");
  auto zip = Sniff(std::string_view("PK\x03\x04\x14\0\0\0", 8));
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.error().message, "line 1, column 6: not a CSV file: a NUL byte (binary data)");
  EXPECT_EQ(Sniff("ok\nbad \xC0\xAF\n").error().message,
            "line 2, column 5: not a CSV file: the text is not UTF-8");
  // A UTF-8 character cut by the end of the 64 KiB sample is not an error.
  std::string big(64 * 1024 - 1, 'a');
  big += "\xC3\xA9,b\n";
  EXPECT_TRUE(Sniff(big).ok());
}

// The two public tables of issue 11 (shared/reference/migration): every record has the
// header's number of fields, quoted names with commas included.
TEST(CsvReader, ReadsTheReferenceMigrationTables) {
  const auto dir = std::filesystem::path(GMG_SHARED_DIR) / "reference" / "migration";
  struct Table {
    std::string file;
    size_t records;
    size_t fields;
  };
  for (const Table& t : {Table{"UN_MigrantStockByOriginAndDestination_2019_clean.csv", 1660, 234},
                         Table{"unhcr_2020.csv", 93937, 5}}) {
    std::string text = ReadFile(dir / t.file);
    auto dialect = Sniff(text);
    ASSERT_TRUE(dialect.ok()) << t.file;
    EXPECT_EQ(dialect->delimiter, ',');
    Reader reader(text, *dialect);
    std::vector<std::string_view> fields;
    size_t records = 0;
    std::string header_27;
    while (*reader.Next(&fields)) {
      ++records;
      ASSERT_EQ(fields.size(), t.fields) << t.file << " line " << reader.line();
      if (records == 1 && fields.size() > 27) header_27 = std::string(fields[27]);
    }
    EXPECT_EQ(records, t.records) << t.file;
    if (t.fields == 234) EXPECT_EQ(header_27, "Bonaire, Sint Eustatius and Saba");
  }
}

TEST(Utf8, SequenceLengths) {
  EXPECT_EQ(Utf8SequenceLength("a"), 1U);
  EXPECT_EQ(Utf8SequenceLength("\xC3\xA9"), 2U);
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82\xAC"), 3U);
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x98\x80"), 4U);
  EXPECT_EQ(Utf8SequenceLength("\xC0\x80"), 0U);          // overlong
  EXPECT_EQ(Utf8SequenceLength("\xED\xA0\x80"), 0U);      // surrogate
  EXPECT_EQ(Utf8SequenceLength("\xF4\x90\x80\x80"), 0U);  // over U+10FFFF
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82"), 0U);          // cut short
}

}  // namespace
}  // namespace gmg::csv
