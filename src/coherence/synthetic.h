// A synthetic corpus for measuring the overlap engine (`gmg demo generate`, bench/coherence):
// activities shaped like the demo set and the reference codelists — the ten members and some
// partners as reporting organisations, countries and M49 regions, the themes, DAC 5-digit
// sectors, periods, budgets — with texts in English, French and Spanish written from about
// forty kinds of work (templates with slots for the place and the people served, plus filler
// sentences drawn with Zipf frequencies, so unrelated activities share words as real ones do),
// each title ending with its project's name (SyntheticOptions::project_names).
//
// Planted among a background of independent activities are labelled pairs of two different
// organisations' activities, in named categories (kPlantedCategories):
//   near_identical  the same work, tiny edits (a year, a typo, a sentence more or less)
//                   → expected class duplication;
//   paraphrase      the same work reworded (synonyms, sentences reordered, other filler)
//                   → duplication;
//   two_languages   the same work, one text in English, the other in French or Spanish, the
//                   same codes → duplication;
//   synergy         complementary kinds of work (research + technical assistance, training +
//                   operational programme, data + policy dialogue, normative + technical
//                   assistance) on the same topic, place and time → synergy;
//   decoy           the same place, themes and time, unrelated work of a kind that is neither
//                   the same nor complementary → none (must not be found).
// Each category holds `pair_fraction` × n pairs (at least one when n allows), so 2 × that
// share of the records is in each category. The background is drawn independently: it has
// the accidental overlap of a real corpus (popular countries and topics meet), unlabelled.
//
// Deterministic: the same (n, seed) gives the same corpus, byte for byte, on every machine
// (own PRNG and distributions, no std:: distribution whose output is implementation-defined).
// Record ids are 1..n in a shuffled order, so a pair's two records are not neighbours.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "activities/activity.h"
#include "coherence/overlap_engine.h"

namespace gmg::coherence {

inline constexpr std::string_view kPlantedCategories[] = {"near_identical", "paraphrase",
                                                          "two_languages", "synergy", "decoy"};

// "duplication", "synergy" or "none": what the engine should say about a pair of the category.
std::string_view ExpectedClassOf(std::string_view category);

struct PlantedPair {
  int64_t a = 0;  // record ids, a < b
  int64_t b = 0;
  std::string category;       // one of kPlantedCategories
  bool same_project = false;  // both titles carry one project's name (SameProjectShare)
};

struct SyntheticCorpus {
  uint64_t seed = 0;
  std::vector<Record> records;     // ids 1..n, sorted by id
  std::vector<PlantedPair> pairs;  // sorted by category (kPlantedCategories order), then a
};

// Project names: "TAKIMOK", three syllables of the consonants BDFGKLMNPRTVZ and a vowel, then
// K: kProjectNameCount of them, the same term in English, French and Spanish (none of the three
// stemmers changes one). ProjectName(i) is the i-th (i modulo the count).
inline constexpr uint32_t kProjectNameCount = 65 * 65 * 65;
std::string ProjectName(uint32_t index);
// The share of a category's planted pairs whose two titles carry the same project's name (with
// project names on): 0.75 for the three duplication categories (the rest: each agency names
// the work its own way), 0.5 for synergy (components of one joint programme), 0.25 for decoys
// (unrelated work under one umbrella programme). Chosen, not measured: the benchmark reports
// recall for pairs with and without a shared name apart, so any other share can be worked out.
double SameProjectShare(std::string_view category);

struct SyntheticOptions {
  double pair_fraction = 0.01;  // pairs per category, as a share of n
  // Every activity's title ends with its project's name, e.g. " (TAKIMOK)", as many real titles
  // do; a planted pair shares one as SameProjectShare says, and each background activity draws
  // its own (about 3.6 activities per name at a million). Off: the same corpus with no names,
  // record for record (the names and their draws come from a random stream of their own).
  bool project_names = true;
};

SyntheticCorpus Generate(size_t n, uint64_t seed, const SyntheticOptions& options = {});

// The record's IATI activity identifier in the generated file: the reporting organisation's
// IATI identifier, "-SYN<seed>-" and the record id, e.g. "XM-DAC-47066-SYN7-42".
std::string SyntheticIatiIdentifier(const Record& record, uint64_t seed);

// The record as the activity map stores it (what `gmg import iati` makes of the generated
// file, except that the import guesses the type from the title and keeps only the themes the
// sectors and SDG tags map onto; see docs/performance.md).
ActivityInput InputOf(const Record& record, uint64_t seed);

// Writes the corpus as one IATI 2.03 `iati-activities` file: reporting-org by the members' (and
// partners') IATI identifiers, DAC sectors (vocabulary 1) plus the themes as vocabulary 99,
// SDG targets as tags, countries, M49 regions, dates, budget, partners.
void WriteIati(const SyntheticCorpus& corpus, const std::function<void(std::string_view)>& sink,
               const std::string& generated_datetime);

// The labels as CSV, "a,b,category,expected_class" then one line per planted pair; a and b are
// the record ids, or with `iati_ids` the IATI identifiers (which survive an import).
std::string LabelsCsv(const SyntheticCorpus& corpus, bool iati_ids);

}  // namespace gmg::coherence
