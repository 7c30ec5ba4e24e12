#include "positions/round_rules.h"

#include <boost/json.hpp>

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

namespace {}  // namespace

}  // namespace gmg::positions
