#include "training/training_text.h"

#include <algorithm>

#include "core/text.h"

namespace gmg {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::vector<std::string> TrainingQueryWords(std::string_view query) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && IsAsciiSpace(query[i])) ++i;
    size_t start = i;
    while (i < query.size() && !IsAsciiSpace(query[i])) ++i;
    if (i > start) words.push_back(ToLowerAscii(query.substr(start, i - start)));
  }
  return words;
}

std::string TrainingLikePattern(std::string_view word) {
  std::string out = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

std::string TrainingSnippet(std::string_view text, size_t at) {
  at = std::min(at, text.size());
  size_t start = at > kTrainingSnippetBytes / 4 ? at - kTrainingSnippetBytes / 4 : 0;
  while (start > 0 && IsContinuation(text[start])) --start;
  size_t end = std::min(text.size(), start + kTrainingSnippetBytes);
  while (end > start && end < text.size() && IsContinuation(text[end])) --end;
  std::string out(text.substr(start, end - start));
  if (start > 0) out.insert(0, "…");
  if (end < text.size()) out += "…";
  return out;
}

}  // namespace gmg
