// What kind of file an upload (a meeting paper, a library item) is, judged by its CONTENT (magic
// bytes), never by its name or the Content-Type the sender claims: a renamed executable is refused
// whatever it is called. Accepted: PDF, Office Open XML (DOCX, XLSX, PPTX: a zip with
// [Content_Types].xml and the part folder word/, xl/ or ppt/), OpenDocument (ODT, ODS, ODP: a zip
// whose "mimetype" entry names the type), PNG, JPEG and plain UTF-8 text. Thread-safety: pure
// functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gmg::http {

struct FileType {
  std::string media_type;  // "application/pdf", "text/plain; charset=utf-8", …
  std::string extension;   // "pdf", "docx", "txt", …
};

// The type of `content`, or nullopt when it is none of the accepted kinds (empty included).
// Reads at most the zip's central directory (bounded) and, for text, every byte once.
std::optional<FileType> DetectFileType(std::string_view content);

// A file name safe in a Content-Disposition header and on any file system, that says what the
// file is: the last path component; bytes that are not UTF-8, control characters, Unicode format
// characters (bidi marks, overrides and isolates, zero-width characters, U+FEFF …: http::
// IsFormatCharacter, so "invoice\u202Efdp.exe" cannot pass for a PDF), quotes, backslashes,
// slashes and semicolons removed; no leading or trailing dots or spaces; ending in
// ".<extension>" — the type detected from the content — appended when the name does not end so
// already ("agenda.exe" → "agenda.exe.pdf"); at most 200 bytes (cut on a UTF-8 boundary);
// "paper.<extension>" when nothing is left.
std::string SafeFileName(std::string_view name, std::string_view extension);

// A Content-Disposition "attachment" for `name` (already made safe by SafeFileName: no quotes
// or control characters): an ASCII fallback and the UTF-8 name percent-encoded (RFC 6266/8187).
std::string AttachmentDisposition(std::string_view name);

}  // namespace gmg::http
