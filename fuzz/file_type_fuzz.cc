// Fuzz target: the upload sniffer (http/file_type.h) that types meeting papers and library
// files by their CONTENT, with the safe download names and Content-Disposition built from a
// sender's file name. Input: a file name, a NUL byte, the file's content (no NUL: the name is
// empty and the whole input is the content).
//
// Checks beyond "no crash, no sanitizer report":
// - DetectFileType: an accepted file has one of the listed extensions and a media type; a PDF
//   starts "%PDF-", a PNG and a JPEG with their signatures, a text is valid UTF-8 (as read by
//   the name check below), and an empty content is never accepted;
// - SafeFileName: never empty, at most 200 bytes, ends in ".<extension>" (any case; ".jpeg"
//   for jpg),
//   holds no control character, quote, backslash, slash or semicolon, and is valid UTF-8;
// - AttachmentDisposition of that name: one header line (no CR or LF), starting "attachment;".
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/file_type.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string_view name = nul == std::string_view::npos ? std::string_view() : input.substr(0, nul);
  std::string_view content = nul == std::string_view::npos ? input : input.substr(nul + 1);

  static const std::set<std::string> kExtensions = {"pdf", "docx", "xlsx", "pptx", "odt",
                                                    "ods", "odp",  "png",  "jpg",  "txt"};
  auto type = gmg::http::DetectFileType(content);
  if (content.empty()) GMG_FUZZ_CHECK(!type);
  std::string extension = "bin";
  if (type) {
    GMG_FUZZ_CHECK(kExtensions.contains(type->extension));
    GMG_FUZZ_CHECK(!type->media_type.empty());
    if (type->extension == "pdf") GMG_FUZZ_CHECK(content.starts_with("%PDF-"));
    if (type->extension == "png") GMG_FUZZ_CHECK(content.starts_with("\x89PNG\r\n\x1a\n"));
    if (type->extension == "jpg") GMG_FUZZ_CHECK(content.starts_with("\xff\xd8\xff"));
    if (type->extension == "txt") GMG_FUZZ_CHECK(gmg::fuzz::ValidUtf8(content));
    extension = type->extension;
  }

  std::string safe = gmg::http::SafeFileName(name, extension);
  GMG_FUZZ_CHECK(!safe.empty());
  GMG_FUZZ_CHECK(safe.size() <= 200);
  std::string lower = safe;
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  GMG_FUZZ_CHECK(lower.ends_with("." + extension) ||
                 (extension == "jpg" && lower.ends_with(".jpeg")));
  GMG_FUZZ_CHECK(gmg::fuzz::ValidUtf8(safe));
  for (char ch : safe) {
    auto c = static_cast<unsigned char>(ch);
    GMG_FUZZ_CHECK(c >= 0x20 && c != 0x7f);
    GMG_FUZZ_CHECK(ch != '"' && ch != '\\' && ch != '/' && ch != ';');
  }
  std::string header = gmg::http::AttachmentDisposition(safe);
  GMG_FUZZ_CHECK(header.starts_with("attachment; "));
  GMG_FUZZ_CHECK(header.find_first_of("\r\n") == std::string::npos);
  return 0;
}
