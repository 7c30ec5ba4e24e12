#include "statistics/area_names.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/text.h"

namespace gmg::stats {
namespace {

struct AreaRecord {
  const char* code;
  const char* name;
  bool region;
  bool historical;
  bool non_area;
  const char* aliases;  // separated by '|'
};

#include "statistics/area_names_data.inc"

constexpr char32_t kFoldFirst = 0xC0;
constexpr char32_t kFoldEnd = kFoldFirst + sizeof(kFold) / sizeof(kFold[0]);

// Decodes one UTF-8 sequence at text[*pos] (advancing *pos); U+FFFD for a malformed byte.
char32_t DecodeUtf8(std::string_view text, size_t* pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char b = byte(*pos);
  int extra = b < 0x80 ? 0 : (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xE ? 2 : (b >> 3) == 0x1E ? 3 : -1;
  if (extra == 0) {
    ++*pos;
    return b;
  }
  if (extra < 0 || *pos + extra >= text.size()) {
    ++*pos;
    return 0xFFFD;
  }
  char32_t cp = b & (0x3F >> extra);
  for (int i = 1; i <= extra; ++i) {
    unsigned char c = byte(*pos + i);
    if ((c & 0xC0) != 0x80) {
      ++*pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  *pos += extra + 1;
  return cp;
}

bool IsApostrophe(char32_t cp) {
  return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x00B4;
}

struct Index {
  std::vector<Area> areas;
  std::unordered_map<std::string, size_t> by_name;
  std::vector<std::string> collisions;
};

Index BuildIndex() {
  Index index;
  Index* ix = &index;
  for (const AreaRecord& r : kAreas) {
    ix->areas.push_back({r.code, r.name, r.region, r.historical, r.non_area});
  }
  for (size_t i = 0; i < ix->areas.size(); ++i) {
    std::string_view aliases = kAreas[i].aliases;
    while (!aliases.empty()) {
      size_t bar = aliases.find('|');
      std::string key = NormaliseAreaName(aliases.substr(0, bar));
      aliases = bar == std::string_view::npos ? "" : aliases.substr(bar + 1);
      if (key.empty()) continue;
      auto [it, inserted] = ix->by_name.emplace(key, i);
      if (!inserted && it->second != i) ix->collisions.push_back(key);
    }
  }
  return index;
}

const Index& TheIndex() {
  static const Index kIndex = BuildIndex();
  return kIndex;
}

}  // namespace

std::string NormaliseAreaName(std::string_view text) {
  std::string flat;
  flat.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp = DecodeUtf8(text, &pos);
    if (cp < 0x80 && ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z'))) {
      flat += static_cast<char>(cp);
    } else if (cp >= 'A' && cp <= 'Z') {
      flat += static_cast<char>(cp - 'A' + 'a');
    } else if (cp == '&') {
      flat += " and ";
    } else if (IsApostrophe(cp)) {
      continue;
    } else if (cp >= kFoldFirst && cp < kFoldEnd && *kFold[cp - kFoldFirst] != '\0') {
      flat += kFold[cp - kFoldFirst];
    } else {
      flat += ' ';
    }
  }
  std::vector<std::string_view> tokens;
  std::string_view rest = flat;
  while (!rest.empty()) {
    size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    size_t end = std::min(rest.find(' '), rest.size());
    if (rest.substr(0, end) != "the") tokens.push_back(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  if (tokens.size() > 1 && IsAsciiDigits(tokens.back())) tokens.pop_back();
  if (tokens.size() == 1 && IsAsciiDigits(tokens[0])) {
    std::string_view d = tokens[0];
    while (d.size() > 1 && d[0] == '0') d.remove_prefix(1);
    return std::string(d.size() < 3 ? 3 - d.size() : 0, '0') + std::string(d);
  }
  std::string out;
  for (std::string_view t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::optional<Area> ResolveArea(std::string_view text) {
  if (text.size() > 200) return std::nullopt;  // no area name is that long
  const Index& ix = TheIndex();
  auto it = ix.by_name.find(NormaliseAreaName(text));
  if (it == ix.by_name.end()) return std::nullopt;
  return ix.areas[it->second];
}

std::span<const Area> AllAreas() { return TheIndex().areas; }

std::vector<std::string> AreaNameCollisions() { return TheIndex().collisions; }

}  // namespace gmg::stats
