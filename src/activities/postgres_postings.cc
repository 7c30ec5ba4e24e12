#include "activities/postgres_postings.h"

namespace gmg {

namespace {

Status MalformedArray() {
  return MakeError(ErrorCode::kInternal, "search postings: not a bigint[]");
}

Status MalformedDocument() {
  return MakeError(ErrorCode::kInternal,
                   "search index: a document PostgreSQL returned is not a tsvector's text form");
}

// Reads big-endian integers of `bytes` one after the other, never past its end.
class NetworkReader {
 public:
  explicit NetworkReader(std::string_view bytes) : bytes_(bytes) {}
  // The next n (≤ 8) bytes as an integer into *v; false (nothing read) when fewer are left.
  bool Next(size_t n, uint64_t* v) {
    if (bytes_.size() - at_ < n) return false;
    *v = 0;
    for (size_t i = 0; i < n; ++i) *v = (*v << 8) | static_cast<unsigned char>(bytes_[at_ + i]);
    at_ += n;
    return true;
  }
  size_t left() const { return bytes_.size() - at_; }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
};

void AppendNetwork(std::string* out, uint64_t v, size_t n) {
  for (size_t i = n; i-- > 0;) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// The quoted lexeme at doc[*i], unquoted into *out; *i moves past it.
Status ReadLexeme(std::string_view doc, size_t* i, std::string* out) {
  if (doc[*i] != '\'') return MalformedDocument();
  out->clear();
  for (size_t j = *i + 1; j < doc.size(); ++j) {
    bool doubled = j + 1 < doc.size() && doc[j + 1] == doc[j];
    if (doc[j] == '\'' && !doubled) {
      *i = j + 1;
      return Ok();
    }
    if (doc[j] == '\\' && !doubled) return MalformedDocument();
    if (doc[j] == '\'' || doc[j] == '\\') ++j;
    *out += doc[j];
  }
  return MalformedDocument();
}

// The positions at doc[*i] (":1A,5,7B"): how many, plus 4 for each of weight A.
Status ReadPositions(std::string_view doc, size_t* i, int64_t* occurrences) {
  size_t j = *i;
  do {
    size_t digits = ++j;
    while (j < doc.size() && doc[j] >= '0' && doc[j] <= '9') ++j;
    if (j == digits) return MalformedDocument();
    *occurrences += 1;
    if (j < doc.size() && doc[j] >= 'A' && doc[j] <= 'D') *occurrences += doc[j++] == 'A' ? 4 : 0;
  } while (j < doc.size() && doc[j] == ',');
  *i = j;
  return Ok();
}

}  // namespace

Status AppendPostingEntries(std::string_view sent, std::vector<TextPosting>* out) {
  NetworkReader in(sent);
  uint64_t dimensions = 0, has_nulls = 0, type = 0, length = 0, lower = 0;
  if (!in.Next(4, &dimensions) || !in.Next(4, &has_nulls) || !in.Next(4, &type)) {
    return MalformedArray();
  }
  if (dimensions == 0) return in.left() == 0 ? Ok() : MalformedArray();  // an empty array
  constexpr uint64_t kInt8Oid = 20;
  constexpr size_t kElementBytes = 12;  // length 4, value 8
  if (dimensions != 1 || has_nulls != 0 || type != kInt8Oid || !in.Next(4, &length) ||
      !in.Next(4, &lower) || length == 0 || in.left() / kElementBytes != length ||
      in.left() % kElementBytes != 0) {
    return MalformedArray();
  }
  out->reserve(out->size() + length);
  for (uint64_t i = 0; i < length; ++i) {
    uint64_t size = 0, value = 0;
    if (!in.Next(4, &size) || size != 8 || !in.Next(8, &value)) return MalformedArray();
    const auto e = static_cast<int64_t>(value);
    out->push_back({e / kPostingEntryShift, static_cast<double>(e % kPostingEntryShift)});
  }
  return Ok();
}

std::string SendPostingEntries(const std::vector<int64_t>& entries) {
  std::string out;
  if (entries.empty()) {
    AppendNetwork(&out, 0, 4);  // no dimensions
    AppendNetwork(&out, 0, 4);
    AppendNetwork(&out, 20, 4);
    return out;
  }
  for (uint64_t v :
       {uint64_t{1}, uint64_t{0}, uint64_t{20}, uint64_t{entries.size()}, uint64_t{1}}) {
    AppendNetwork(&out, v, 4);
  }
  for (int64_t e : entries) {
    AppendNetwork(&out, 8, 4);
    AppendNetwork(&out, static_cast<uint64_t>(e), 8);
  }
  return out;
}

Status ForEachTsvectorLexeme(std::string_view doc,
                             const std::function<void(const std::string&, int64_t)>& fn) {
  size_t i = 0;
  std::string lexeme;
  while (i < doc.size()) {
    if (doc[i] == ' ') {
      ++i;
      continue;
    }
    GMG_RETURN_IF_ERROR(ReadLexeme(doc, &i, &lexeme));
    int64_t occurrences = 0;
    if (i < doc.size() && doc[i] == ':') GMG_RETURN_IF_ERROR(ReadPositions(doc, &i, &occurrences));
    fn(lexeme, occurrences);
  }
  return Ok();
}

}  // namespace gmg
