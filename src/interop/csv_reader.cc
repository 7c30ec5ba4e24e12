#include "interop/csv_reader.h"

#include <algorithm>
#include <array>
#include <map>

namespace gmg::csv {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr size_t kSniffBytes = size_t{64} * 1024;
constexpr size_t kSniffLines = 200;
constexpr std::array<char, 4> kDelimiters = {',', ';', '\t', '|'};

// 1-based column of byte `pos` in characters of the line that starts at `line_start`.
int64_t ColumnOf(std::string_view text, size_t line_start, size_t pos) {
  int64_t column = 1;
  for (size_t i = line_start; i < pos && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

Error PositionedError(std::string_view text, size_t pos, int64_t line, size_t line_start,
                      const std::string& problem, std::string rule) {
  int64_t column = ColumnOf(text, line_start, pos);
  std::string where = "line " + std::to_string(line) + ", column " + std::to_string(column);
  Error error = MakeError(ErrorCode::kInvalidArgument, where + ": " + problem);
  error.details.emplace_back(
      "csv", problem, std::move(rule),
      std::vector<std::pair<std::string, std::string>>{{"line", std::to_string(line)},
                                                       {"column", std::to_string(column)}});
  return error;
}

// Checks `sample` for NUL bytes and invalid UTF-8. A sequence cut by the end of a truncated
// sample is not an error.
Status CheckText(std::string_view text, size_t begin, size_t end, bool truncated) {
  int64_t line = 1;
  size_t line_start = begin;
  for (size_t i = begin; i < end;) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (c == 0) {
      return PositionedError(text, i, line, line_start, "not a CSV file: a NUL byte (binary data)",
                             "not_csv");
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = Utf8SequenceLength(text.substr(i, end - i));
    if (len == 0) {
      if (truncated && end - i < 4 && (c & 0xC0) == 0xC0) break;
      return PositionedError(text, i, line, line_start, "not a CSV file: the text is not UTF-8",
                             "not_csv");
    }
    i += len;
  }
  return Ok();
}

// Per line of the sample, how many times each candidate delimiter occurs outside quotes.
std::vector<std::array<int, 4>> CountDelimiters(std::string_view sample, bool truncated) {
  std::vector<std::array<int, 4>> lines;
  std::array<int, 4> current{};
  bool in_quotes = false;
  bool any = false;
  for (size_t i = 0; i < sample.size() && lines.size() < kSniffLines; ++i) {
    char c = sample[i];
    if (c == '"') {
      in_quotes = !in_quotes;
      any = true;
    } else if (!in_quotes && (c == '\n' || c == '\r')) {
      if (any) lines.push_back(current);
      current = {};
      any = false;
    } else {
      any = true;
      if (in_quotes) continue;
      for (size_t k = 0; k < kDelimiters.size(); ++k) {
        if (c == kDelimiters[k]) ++current[k];
      }
    }
  }
  if (any && !truncated && lines.size() < kSniffLines) lines.push_back(current);
  return lines;
}

// The delimiter on which most lines agree on the same non-zero count; ties go to the larger
// count, then to the order , ; TAB |. ',' when none occurs.
char ChooseDelimiter(const std::vector<std::array<int, 4>>& lines) {
  char best = ',';
  size_t best_agree = 0;
  int best_count = 0;
  for (size_t k = 0; k < kDelimiters.size(); ++k) {
    std::map<int, size_t> frequency;
    for (const auto& counts : lines) {
      if (counts[k] > 0) ++frequency[counts[k]];
    }
    for (const auto& [count, agree] : frequency) {
      if (agree > best_agree || (agree == best_agree && count > best_count)) {
        best = kDelimiters[k];
        best_agree = agree;
        best_count = count;
      }
    }
  }
  return best;
}

}  // namespace

size_t Utf8SequenceLength(std::string_view s) {
  if (s.empty()) return 0;
  auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  uint32_t min = 0;
  uint32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, min = 0x80, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, min = 0x800, cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

Result<Dialect> Sniff(std::string_view text) {
  Dialect dialect;
  size_t begin = 0;
  if (text.substr(0, kBom.size()) == kBom) {
    dialect.bom = true;
    begin = kBom.size();
  }
  if (text.size() == begin) {
    return MakeError(ErrorCode::kInvalidArgument, "not a CSV file: the file is empty");
  }
  bool truncated = text.size() - begin > kSniffBytes;
  size_t end = truncated ? begin + kSniffBytes : text.size();
  GMG_RETURN_IF_ERROR(CheckText(text, begin, end, truncated));
  dialect.delimiter = ChooseDelimiter(CountDelimiters(text.substr(begin, end - begin), truncated));
  return dialect;
}

Reader::Reader(std::string_view text, Dialect dialect, Limits limits)
    : text_(text), dialect_(dialect), limits_(limits) {
  if (text_.substr(0, kBom.size()) == kBom) pos_ = line_start_ = kBom.size();
  for (unsigned c : {unsigned{'\n'}, unsigned{'\r'}, 0U}) {
    stop_plain_[c] = true;
    stop_quoted_[c] = true;
  }
  for (unsigned c = 0x80; c < 256; ++c) stop_plain_[c] = stop_quoted_[c] = true;
  stop_plain_[static_cast<unsigned char>(dialect_.delimiter)] = true;
  stop_quoted_['"'] = true;
}

Error Reader::Fail(size_t pos, int64_t line, size_t line_start, const std::string& problem,
                   std::string rule) const {
  return PositionedError(text_, pos, line, line_start, problem, std::move(rule));
}

// The end of the unquoted field starting at `pos`: the delimiter, line end or end of text.
Result<size_t> Reader::ScanPlain(size_t pos) const {
  const char* data = text_.data();
  const size_t n = text_.size();
  for (;;) {
    while (pos < n && !stop_plain_[static_cast<unsigned char>(data[pos])]) ++pos;
    if (pos >= n) return pos;
    auto c = static_cast<unsigned char>(data[pos]);
    if (c < 0x80) {
      if (c != 0) return pos;
      return Fail(pos, next_line_, line_start_, "not a CSV file: a NUL byte (binary data)",
                  "not_csv");
    }
    size_t len = Utf8SequenceLength(text_.substr(pos, 4));
    if (len == 0) {
      return Fail(pos, next_line_, line_start_, "not a CSV file: the text is not UTF-8", "not_csv");
    }
    pos += len;
  }
}

// Reads the quoted field whose opening quote is at `pos` into *fields; returns the position
// after the closing quote (and any spaces after it).
Result<size_t> Reader::ScanQuoted(size_t pos, std::vector<std::string_view>* fields) {
  const char* data = text_.data();
  const size_t n = text_.size();
  const size_t open = pos;
  const int64_t open_line = next_line_;
  const size_t open_line_start = line_start_;
  const size_t start = ++pos;
  bool doubled = false;
  for (;;) {
    while (pos < n && !stop_quoted_[static_cast<unsigned char>(data[pos])]) ++pos;
    if (pos >= n) {
      return Fail(open, open_line, open_line_start, "unterminated quoted field",
                  "unterminated_quote");
    }
    auto c = static_cast<unsigned char>(data[pos]);
    if (c == '"') {
      if (pos + 1 < n && data[pos + 1] == '"') {
        doubled = true;
        pos += 2;
        continue;
      }
      break;
    }
    if (c == '\n' || c == '\r') {
      ++pos;
      if (c == '\r' && pos < n && data[pos] == '\n') ++pos;
      ++next_line_;
      line_start_ = pos;
      continue;
    }
    if (c == 0) {
      return Fail(pos, next_line_, line_start_, "not a CSV file: a NUL byte (binary data)",
                  "not_csv");
    }
    size_t len = Utf8SequenceLength(text_.substr(pos, 4));
    if (len == 0) {
      return Fail(pos, next_line_, line_start_, "not a CSV file: the text is not UTF-8", "not_csv");
    }
    pos += len;
  }
  std::string_view raw(data + start, pos - start);
  if (raw.size() > limits_.max_field_bytes) {
    return Fail(open, open_line, open_line_start,
                "a field longer than " + std::to_string(limits_.max_field_bytes) + " bytes",
                "field_too_long");
  }
  ++pos;  // the closing quote
  while (pos < n && data[pos] == ' ' && dialect_.delimiter != ' ') ++pos;
  if (pos < n && data[pos] != dialect_.delimiter && data[pos] != '\n' && data[pos] != '\r') {
    return Fail(pos, next_line_, line_start_, "text after the closing quote of a field",
                "text_after_quote");
  }
  if (!doubled) {
    fields->push_back(raw);
    return pos;
  }
  if (unescaped_used_ == unescaped_.size()) unescaped_.emplace_back();
  std::string& copy = unescaped_[unescaped_used_];
  copy.clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    copy += raw[i];
    if (raw[i] == '"') ++i;  // the second of a doubled quote
  }
  escaped_.emplace_back(fields->size(), unescaped_used_++);
  fields->emplace_back();
  return pos;
}

Result<bool> Reader::Next(std::vector<std::string_view>* fields) {
  fields->clear();
  unescaped_used_ = 0;
  escaped_.clear();
  const char* data = text_.data();
  const size_t n = text_.size();
  if (pos_ >= n) return false;
  record_line_ = next_line_;
  size_t pos = pos_;
  for (;;) {
    if (fields->size() >= limits_.max_fields) {
      return Fail(pos, next_line_, line_start_,
                  "a record of more than " + std::to_string(limits_.max_fields) + " fields",
                  "too_many_fields");
    }
    if (pos < n && data[pos] == '"') {
      GMG_ASSIGN_OR_RETURN(pos, ScanQuoted(pos, fields));
    } else {
      GMG_ASSIGN_OR_RETURN(size_t end, ScanPlain(pos));
      if (end - pos > limits_.max_field_bytes) {
        return Fail(pos, next_line_, line_start_,
                    "a field longer than " + std::to_string(limits_.max_field_bytes) + " bytes",
                    "field_too_long");
      }
      fields->emplace_back(data + pos, end - pos);
      pos = end;
    }
    if (pos >= n) break;
    char c = data[pos++];
    if (c == dialect_.delimiter) continue;
    if (c == '\r' && pos < n && data[pos] == '\n') ++pos;  // else c is '\n' or a lone '\r'
    ++next_line_;
    line_start_ = pos;
    break;
  }
  pos_ = pos;
  for (const auto& [field, copy] : escaped_) (*fields)[field] = unescaped_[copy];
  return true;
}

}  // namespace gmg::csv
