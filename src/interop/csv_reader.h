// A CSV reader for statistics as people publish them: RFC 4180 quoting, a UTF-8 byte order
// mark, CRLF or LF, a delimiter sniffed among , ; TAB |, and exact line/column positions for
// every problem. Reads from text already in memory (a mapped upload), record by record, so a
// file of any size costs no memory beyond the longest record.
//
// Pure. Thread-safety: a Reader belongs to one thread; Sniff is reentrant.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace gmg::csv {

struct Dialect {
  char delimiter = ',';
  bool bom = false;  // the text starts with EF BB BF (skipped by the Reader)
};

struct Limits {
  size_t max_field_bytes = size_t{64} * 1024;
  size_t max_fields = 20000;  // per record
};

// Looks at the start of `text` (up to 64 KiB) and picks the delimiter whose count per line is
// most consistent. kInvalidArgument "not a CSV file: …" when the text holds NUL bytes or is not
// UTF-8 (names the line and column of the first bad byte), or is empty.
Result<Dialect> Sniff(std::string_view text);

class Reader {
 public:
  // `text` must outlive the Reader.
  Reader(std::string_view text, Dialect dialect, Limits limits = {});

  // Reads the next record into *fields (views into the text, or into the Reader's own buffer
  // for a quoted field with doubled quotes; valid until the next call). Returns false at the
  // end of the text. kInvalidArgument naming line and column (1-based, in characters of the
  // line) for an unterminated quote, text after a closing quote, a field or record over the
  // limits. Empty lines are records with one empty field.
  Result<bool> Next(std::vector<std::string_view>* fields);

  // The 1-based line where the record last returned by Next started.
  int64_t line() const { return record_line_; }

 private:
  std::string_view text_;
  Dialect dialect_;
  Limits limits_;
  size_t pos_ = 0;
  int64_t next_line_ = 1;
  int64_t record_line_ = 0;
  size_t line_start_ = 0;  // offset of the first byte of line next_line_
  // Bytes that end the fast scan of an unquoted field, and of a quoted one.
  std::array<bool, 256> stop_plain_{};
  std::array<bool, 256> stop_quoted_{};
  // Unquoted copies of fields with doubled quotes: the first `unescaped_used_` are this
  // record's; `escaped_` pairs a field index with its copy (patched in once the record ends,
  // since the vector may move its strings while it grows).
  std::vector<std::string> unescaped_;
  size_t unescaped_used_ = 0;
  std::vector<std::pair<size_t, size_t>> escaped_;

  Error Fail(size_t pos, int64_t line, size_t line_start, const std::string& problem,
             std::string rule) const;
  Result<size_t> ScanPlain(size_t pos) const;
  Result<size_t> ScanQuoted(size_t pos, std::vector<std::string_view>* fields);
};

// The length of the UTF-8 sequence at the start of `s` (1–4), or 0 when it is invalid or cut
// short (overlong forms, surrogates and code points over U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s);

}  // namespace gmg::csv
