#include "http/file_type.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/text.h"
#include "http/checked_text.h"

namespace gmg::http {
namespace {

constexpr size_t kMaxZipEntries = 10000;

uint32_t Le(std::string_view s, size_t at, size_t bytes) {
  uint32_t v = 0;
  for (size_t i = 0; i < bytes; ++i) {
    v |= static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  }
  return v;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The entry names of a zip's central directory (at most kMaxZipEntries); empty when the zip
// is malformed.
std::vector<std::string_view> ZipEntryNames(std::string_view zip) {
  constexpr size_t kEndRecord = 22;
  if (zip.size() < kEndRecord) return {};
  // The end record is within the last 22 + 65,535 bytes (its comment is at most 65,535).
  size_t lowest = zip.size() > kEndRecord + 65535 ? zip.size() - kEndRecord - 65535 : 0;
  size_t end = std::string_view::npos;
  for (size_t at = zip.size() - kEndRecord + 1; at-- > lowest;) {
    if (zip.substr(at, 4) == std::string_view("PK\x05\x06", 4)) {
      end = at;
      break;
    }
  }
  if (end == std::string_view::npos) return {};
  size_t count = Le(zip, end + 10, 2);
  size_t offset = Le(zip, end + 16, 4);
  std::vector<std::string_view> names;
  for (size_t i = 0; i < count && i < kMaxZipEntries; ++i) {
    if (offset + 46 > zip.size() || zip.substr(offset, 4) != std::string_view("PK\x01\x02", 4)) {
      return {};
    }
    size_t name_len = Le(zip, offset + 28, 2);
    size_t extra_len = Le(zip, offset + 30, 2);
    size_t comment_len = Le(zip, offset + 32, 2);
    if (offset + 46 + name_len > zip.size()) return {};
    names.push_back(zip.substr(offset + 46, name_len));
    offset += 46 + name_len + extra_len + comment_len;
  }
  return names;
}

std::optional<FileType> ZipType(std::string_view zip) {
  // OpenDocument: the first entry is "mimetype", stored uncompressed, its content the type.
  if (zip.size() > 38 && Le(zip, 8, 2) == 0 && Le(zip, 26, 2) == 8 &&
      zip.substr(30, 8) == "mimetype") {
    size_t size = Le(zip, 18, 4);
    size_t at = 38 + Le(zip, 28, 2);
    if (at + size <= zip.size()) {
      std::string_view type = zip.substr(at, size);
      if (type == "application/vnd.oasis.opendocument.text")
        return FileType{std::string(type), "odt"};
      if (type == "application/vnd.oasis.opendocument.spreadsheet") {
        return FileType{std::string(type), "ods"};
      }
      if (type == "application/vnd.oasis.opendocument.presentation") {
        return FileType{std::string(type), "odp"};
      }
    }
    return std::nullopt;
  }
  std::vector<std::string_view> names = ZipEntryNames(zip);
  bool content_types = false, word = false, xl = false, ppt = false;
  for (std::string_view n : names) {
    content_types |= n == "[Content_Types].xml";
    word |= StartsWith(n, "word/");
    xl |= StartsWith(n, "xl/");
    ppt |= StartsWith(n, "ppt/");
  }
  if (!content_types || (word + xl + ppt) != 1) return std::nullopt;
  constexpr std::string_view kOoxml = "application/vnd.openxmlformats-officedocument.";
  if (word) return FileType{std::string(kOoxml) + "wordprocessingml.document", "docx"};
  if (xl) return FileType{std::string(kOoxml) + "spreadsheetml.sheet", "xlsx"};
  return FileType{std::string(kOoxml) + "presentationml.presentation", "pptx"};
}

// Valid UTF-8 (no overlong forms, no surrogates) without control characters other than tab,
// line feed, form feed and carriage return.
bool IsPlainText(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') || c == 0x7f) {
        return false;
      }
      ++i;
      continue;
    }
    size_t n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : 0;
    if (n == 0 || c > 0xf4 || i + n >= s.size()) return false;
    uint32_t cp = c & (0x3f >> n);
    for (size_t k = 1; k <= n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

std::optional<FileType> DetectFileType(std::string_view content) {
  if (content.empty()) return std::nullopt;
  if (StartsWith(content, "%PDF-")) return FileType{"application/pdf", "pdf"};
  if (StartsWith(content, "\x89PNG\r\n\x1a\n")) return FileType{"image/png", "png"};
  if (StartsWith(content, "\xff\xd8\xff")) return FileType{"image/jpeg", "jpg"};
  if (StartsWith(content, std::string_view("PK\x03\x04", 4))) return ZipType(content);
  std::string_view text = content;
  if (StartsWith(text, "\xef\xbb\xbf")) text.remove_prefix(3);  // a byte-order mark
  if (IsPlainText(text)) return FileType{"text/plain; charset=utf-8", "txt"};
  return std::nullopt;
}

namespace {

constexpr size_t kMaxFileNameBytes = 200;

// Whether `name` already ends in ".<extension>" (any case; "jpeg" counts for "jpg").
bool EndsWithExtension(std::string_view name, std::string_view extension) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view have = name.substr(dot + 1);
  return EqualsIgnoreCase(have, extension) ||
         (extension == "jpg" && EqualsIgnoreCase(have, "jpeg"));
}

}  // namespace

std::string SafeFileName(std::string_view name, std::string_view extension) {
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  while (!name.empty()) {
    http::CodePoint cp = http::DecodeUtf8(name);
    if (cp.length == 0) {  // not UTF-8: the byte is dropped
      name.remove_prefix(1);
      continue;
    }
    std::string_view bytes = name.substr(0, cp.length);
    name.remove_prefix(cp.length);
    if (IsControlCharacter(cp.value) || IsFormatCharacter(cp.value)) continue;
    if (cp.value == '"' || cp.value == '\\' || cp.value == '/' || cp.value == ';') continue;
    out.append(bytes);
  }
  // No leading dots (a hidden file, "..") nor trailing ones (Windows drops them, and with them
  // the extension), nor spaces at either end.
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  if (out.empty()) out = "paper";
  // The name ends in the extension of what the content is, whatever the sender called it:
  // "agenda.exe" holding a PDF is "agenda.exe.pdf".
  std::string suffix = EndsWithExtension(out, extension) ? "" : "." + std::string(extension);
  if (out.size() + suffix.size() > kMaxFileNameBytes) {
    suffix = "." + std::string(extension);  // the cut may take the name's own away
    size_t cut = kMaxFileNameBytes - std::min(kMaxFileNameBytes, suffix.size());
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out.resize(cut);
  }
  return out + suffix;
}

std::string AttachmentDisposition(std::string_view name) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    ascii.push_back(c < 0x80 && c >= 0x20 ? static_cast<char>(c) : '_');
    bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 c == '.' || c == '-' || c == '_';
    if (plain) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 15]);
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace gmg::http
