#include "positions/round_rules.h"

#include <boost/json.hpp>
#include <charconv>

#include "core/date.h"

namespace gmg::positions {

const char* RuleName(Rule rule) { return rule == Rule::kConsensus ? "consensus" : "silence"; }

std::optional<Rule> ParseRule(std::string_view name) {
  if (name == "consensus") return Rule::kConsensus;
  if (name == "silence") return Rule::kSilence;
  return std::nullopt;
}

const char* StandName(Stand stand) {
  switch (stand) {
    case Stand::kEndorse:
      return "endorse";
    case Stand::kObject:
      return "object";
    case Stand::kAbstain:
      return "abstain";
  }
  return "abstain";
}

std::optional<Stand> ParseStand(std::string_view name) {
  if (name == "endorse") return Stand::kEndorse;
  if (name == "object") return Stand::kObject;
  if (name == "abstain") return Stand::kAbstain;
  return std::nullopt;
}

std::string TallyToJson(const Tally& t) {
  return boost::json::serialize(boost::json::object{
      {"endorse", t.endorse}, {"object", t.object}, {"abstain", t.abstain}, {"silent", t.silent}});
}

std::optional<Tally> TallyFromJson(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  auto get = [&](const char* k) -> int {
    const auto* f = o.if_contains(k);
    return f && f->is_int64() ? static_cast<int>(f->as_int64()) : 0;
  };
  return Tally{get("endorse"), get("object"), get("abstain"), get("silent")};
}

Tally Count(const std::vector<std::string>& electorate, const std::set<std::string>& current,
            const std::map<std::string, Stand>& stands) {
  Tally t;
  for (const std::string& org : electorate) {
    if (!current.contains(org)) continue;
    auto it = stands.find(org);
    if (it == stands.end()) {
      ++t.silent;
    } else if (it->second == Stand::kEndorse) {
      ++t.endorse;
    } else if (it->second == Stand::kObject) {
      ++t.object;
    } else {
      ++t.abstain;
    }
  }
  return t;
}

bool Adopted(Rule rule, const Tally& tally) {
  if (rule == Rule::kConsensus) return tally.object == 0 && tally.silent == 0;
  return tally.object == 0;
}

bool AllStood(const Tally& tally) { return tally.silent == 0; }

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, *out);
  return ec == std::errc() && end == s.data() + pos + n;
}

}  // namespace

std::optional<int64_t> ParseInstant(std::string_view s) {
  if (s.size() < 17 || (s[10] != 'T' && s[10] != 't') || s[13] != ':') return std::nullopt;
  std::optional<Date> date = Date::Parse(s.substr(0, 10));
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!date || !Digits(s, 11, 2, &hour) || !Digits(s, 14, 2, &minute)) return std::nullopt;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, &second)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  if (hour > 23 || minute > 59 || second > 59 || pos >= s.size()) return std::nullopt;
  int offset = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0;
    int om = 0;
    if (!Digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &om) || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return int64_t{date->days()} * 86400 + hour * 3600 + minute * 60 + second - offset;
}

}  // namespace gmg::positions
