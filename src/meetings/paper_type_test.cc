#include "meetings/paper_type.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gmg::meetings {
namespace {

void PutLe(std::string& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A zip of stored (uncompressed) entries, as a real archiver writes it: local headers, the
// central directory, the end record. CRCs are left 0: the detector does not read them.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, central;
  for (const auto& [name, data] : entries) {
    uint32_t offset = static_cast<uint32_t>(out.size());
    out += std::string("PK\x03\x04", 4);
    PutLe(out, 10, 2);  // version
    PutLe(out, 0, 2);   // flags
    PutLe(out, 0, 2);   // stored
    PutLe(out, 0, 4);   // time, date
    PutLe(out, 0, 4);   // crc
    PutLe(out, static_cast<uint32_t>(data.size()), 4);
    PutLe(out, static_cast<uint32_t>(data.size()), 4);
    PutLe(out, static_cast<uint32_t>(name.size()), 2);
    PutLe(out, 0, 2);
    out += name + data;
    central += std::string("PK\x01\x02", 4);
    PutLe(central, 20, 2);
    PutLe(central, 10, 2);
    PutLe(central, 0, 2);
    PutLe(central, 0, 2);
    PutLe(central, 0, 4);
    PutLe(central, 0, 4);
    PutLe(central, static_cast<uint32_t>(data.size()), 4);
    PutLe(central, static_cast<uint32_t>(data.size()), 4);
    PutLe(central, static_cast<uint32_t>(name.size()), 2);
    PutLe(central, 0, 2);  // extra
    PutLe(central, 0, 2);  // comment
    PutLe(central, 0, 2);  // disk
    PutLe(central, 0, 2);  // internal attributes
    PutLe(central, 0, 4);  // external attributes
    PutLe(central, offset, 4);
    central += name;
  }
  uint32_t cd_offset = static_cast<uint32_t>(out.size());
  out += central;
  out += std::string("PK\x05\x06", 4);
  PutLe(out, 0, 4);
  PutLe(out, static_cast<uint32_t>(entries.size()), 2);
  PutLe(out, static_cast<uint32_t>(entries.size()), 2);
  PutLe(out, static_cast<uint32_t>(central.size()), 4);
  PutLe(out, cd_offset, 4);
  PutLe(out, 0, 2);
  return out;
}

std::string TypeOf(const std::string& content) {
  auto t = DetectPaperType(content);
  return t ? t->extension : "refused";
}

TEST(PaperTypeTest, RecognisesTheAcceptedKindsByContent) {
  EXPECT_EQ(TypeOf("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "pdf");
  EXPECT_EQ(TypeOf(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), "png");
  EXPECT_EQ(TypeOf("\xff\xd8\xff\xe0\x00\x10JFIF"), "jpg");
  EXPECT_EQ(TypeOf("Agenda\n1. Opening\n2. Migration data — résumé\n"), "txt");
  EXPECT_EQ(TypeOf("\xef\xbb\xbfWith a byte-order mark"), "txt");
  EXPECT_EQ(TypeOf(Zip({{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", "<w/>"}})),
            "docx");
  EXPECT_EQ(TypeOf(Zip({{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<x/>"}})),
            "xlsx");
  EXPECT_EQ(TypeOf(Zip({{"[Content_Types].xml", "<Types/>"}, {"ppt/presentation.xml", "<p/>"}})),
            "pptx");
  EXPECT_EQ(TypeOf(Zip({{"mimetype", "application/vnd.oasis.opendocument.text"},
                        {"content.xml", "<o/>"}})),
            "odt");
  EXPECT_EQ(TypeOf(Zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}})), "ods");
  EXPECT_EQ(DetectPaperType("%PDF-1.4")->media_type, "application/pdf");
  EXPECT_EQ(DetectPaperType(Zip({{"[Content_Types].xml", ""}, {"word/d.xml", ""}}))->media_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
}

TEST(PaperTypeTest, RefusesWhatIsNoneOfThemWhateverItIsCalled) {
  EXPECT_EQ(TypeOf(std::string("MZ\x90\x00\x03\x00\x00\x00\x04\x00", 10)), "refused");  // .exe
  EXPECT_EQ(TypeOf(std::string("\x7f"
                               "ELF\x02\x01\x01",
                               7)),
            "refused");
  EXPECT_EQ(TypeOf(""), "refused");
  EXPECT_EQ(TypeOf(std::string("text with a \0 byte", 18)), "refused");
  EXPECT_EQ(TypeOf("\xc0\xaf overlong"), "refused");
  EXPECT_EQ(TypeOf("\xed\xa0\x80 surrogate"), "refused");
  EXPECT_EQ(TypeOf("cut \xe2\x82"), "refused");
  // A zip that is no office document, a jar, an OOXML without its part folder, a bad ODF type.
  EXPECT_EQ(TypeOf(Zip({{"readme.txt", "hi"}})), "refused");
  EXPECT_EQ(TypeOf(Zip({{"META-INF/MANIFEST.MF", "Main-Class: X"}})), "refused");
  EXPECT_EQ(TypeOf(Zip({{"[Content_Types].xml", "<Types/>"}})), "refused");
  EXPECT_EQ(TypeOf(Zip({{"mimetype", "application/x-msdownload"}})), "refused");
  std::string truncated = Zip({{"[Content_Types].xml", ""}, {"word/d.xml", ""}});
  EXPECT_EQ(TypeOf(truncated.substr(0, truncated.size() - 30)), "refused");
}

TEST(PaperTypeTest, FileNamesAreMadeSafe) {
  EXPECT_EQ(SafeFileName("../../etc/passwd", "txt"), "passwd.txt");
  EXPECT_EQ(SafeFileName("C:\\Users\\x\\Report \"final\".pdf", "pdf"), "Report final.pdf");
  EXPECT_EQ(SafeFileName("a\r\nb;c.pdf", "pdf"), "abc.pdf");
  EXPECT_EQ(SafeFileName("", "pdf"), "paper.pdf");
  EXPECT_EQ(SafeFileName("...", "docx"), "paper.docx");
  EXPECT_EQ(SafeFileName("Résumé.pdf", "pdf"), "Résumé.pdf");
  EXPECT_LE(SafeFileName(std::string(300, 'x'), "pdf").size(), 200U);
}

// Security review of issue 12: the name ends in the detected type's extension, and no
// invisible character can make it read as another.
TEST(SafeFileNameTest, EndsInTheDetectedExtensionAndDropsFormatCharacters) {
  EXPECT_EQ(SafeFileName("agenda.exe", "pdf"), "agenda.exe.pdf");
  EXPECT_EQ(SafeFileName("Report.PDF", "pdf"), "Report.PDF");
  EXPECT_EQ(SafeFileName("photo.jpeg", "jpg"), "photo.jpeg");
  EXPECT_EQ(SafeFileName("notes", "txt"), "notes.txt");
  EXPECT_EQ(SafeFileName("notes.pdf. . ", "txt"), "notes.pdf.txt");
  // U+202E RIGHT-TO-LEFT OVERRIDE: "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
  EXPECT_EQ(SafeFileName("invoice\u202Efdp.exe", "pdf"), "invoicefdp.exe.pdf");
  for (const char* mark :
       {"\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D", "\u2066", "\u2067", "\u2068",
        "\u2069", "\uFEFF", "\u200B", "\u061C", "\u00AD", "\u2028", "\U000E0041"}) {
    EXPECT_EQ(SafeFileName(std::string("a") + mark + "b.pdf", "pdf"), "ab.pdf") << mark;
  }
  EXPECT_EQ(SafeFileName("\u202E", "pdf"), "paper.pdf");
  EXPECT_EQ(SafeFileName("bad\xff\xfe.pdf", "pdf"), "bad.pdf");  // not UTF-8
  EXPECT_EQ(SafeFileName("c1\u0085x.pdf", "pdf"), "c1x.pdf");    // a C1 control
  EXPECT_EQ(SafeFileName("Résumé — 会议.pdf", "pdf"), "Résumé — 会议.pdf");
  std::string long_name = std::string(198, 'x') + ".pdf";
  std::string cut = SafeFileName(long_name, "pdf");
  EXPECT_EQ(cut.size(), 200U);
  EXPECT_EQ(cut.substr(cut.size() - 4), ".pdf");
  std::string wide;
  for (int i = 0; i < 100; ++i) wide += "é";
  cut = SafeFileName(wide + ".exe", "docx");
  EXPECT_LE(cut.size(), 200U);
  EXPECT_EQ(cut.substr(cut.size() - 5), ".docx");
}

}  // namespace
}  // namespace gmg::meetings
