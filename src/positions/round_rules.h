// The pure rules of an endorsement round (docs/positions.md): how stands are counted, when a
// round is adopted, when a consensus round may close early, and reading the instants a client
// sends (RFC 3339 with "Z" or an offset).
//
// Counting: only the organisations of the round's electorate that are STILL current members
// count (a member that left during the round drops out, its stand kept but not counted).
// consensus: adopted iff none of them objected or stayed silent; an abstention does not block
//            (Loomio's consent: "I stand aside").
// silence:   adopted iff none of them objected by the deadline; abstentions and silence are
//            consent.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gmg::positions {

enum class Rule { kConsensus, kSilence };
const char* RuleName(Rule rule);
std::optional<Rule> ParseRule(std::string_view name);

enum class Stand { kEndorse, kObject, kAbstain };
const char* StandName(Stand stand);
std::optional<Stand> ParseStand(std::string_view name);

struct Tally {
  int endorse = 0;
  int object = 0;
  int abstain = 0;
  int silent = 0;
  auto operator<=>(const Tally&) const = default;
};
// {"endorse":…,"object":…,"abstain":…,"silent":…} as stored in position_rounds.tally.
std::string TallyToJson(const Tally& t);
std::optional<Tally> TallyFromJson(std::string_view json);

// Counts the stands (organisation → stand) of the electorate members that are in `current`.
Tally Count(const std::vector<std::string>& electorate, const std::set<std::string>& current,
            const std::map<std::string, Stand>& stands);
// Whether the round is adopted with this tally under `rule`.
bool Adopted(Rule rule, const Tally& tally);
// Whether every counted electorate member has stood (a consensus round then closes early).
bool AllStood(const Tally& tally);

}  // namespace gmg::positions
