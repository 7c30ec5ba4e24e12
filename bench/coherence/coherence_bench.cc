// gmg_coherence_bench: the overlap engine measured on a synthetic corpus (issue 10, "Measured,
// not assumed"; docs/performance.md "Coherence engine"). Generates N activities with planted,
// labelled pairs (coherence/synthetic.h), then reports
//   - Analyse: wall time, the engine's Stats, peak memory (VmHWM, reset before the analysis);
//   - per category of planted pair: how many the engine found, and as which class; recall and
//     precision of "possible duplication" and of "synergy" on the labelled pairs;
//   - against the exact scorer: every pair of a sample scored by ScorePair (brute force), the
//     engine's findings inside the sample vs those: recall and precision of the engine;
//   - unlabelled findings: how many, and a sample checked against ScorePair;
//   - Upsert of one edited record and Check of a draft: median and p95 over many;
// and writes them as JSON. Optional files for bench/coherence/run.py: the texts (id, org,
// title + description), the labels by record id, and the findings (pairs with text
// similarity), for the scikit-learn comparison.
//
//   gmg_coherence_bench --activities 100000 [--seed 1] [--sample 2000] [--edits 100]
//       [--explain 3] [--json out.json] [--texts texts.tsv] [--labels labels.csv] [--findings
//       findings.tsv] [--project-names yes|no]
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "coherence/overlap_engine.h"
#include "coherence/synthetic.h"

namespace {

using gmg::coherence::Finding;
using gmg::coherence::FindingClass;
using gmg::coherence::OverlapEngine;
using gmg::coherence::Record;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from) {
  return std::chrono::duration<double>(Clock::now() - from).count();
}

// A field of /proc/self/status in MiB ("VmHWM", "VmRSS"), -1 when unreadable.
double StatusMiB(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atof(line.c_str() + field.size() + 1) / 1024;
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux: "5" to clear_refs), so the next peak is the step's.
void ResetPeak() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

uint64_t Key(int64_t a, int64_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | static_cast<uint64_t>(b);
}

struct Percentiles {
  double median = 0;
  double p95 = 0;
  double max = 0;
};
Percentiles Of(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
  };
  return {at(0.5), at(0.95), ms.back()};
}

boost::json::object Json(const Percentiles& p) {
  return {{"median_ms", p.median}, {"p95_ms", p.p95}, {"max_ms", p.max}};
}

std::string OneLine(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

struct Args {
  size_t activities = 100000;
  uint64_t seed = 1;
  size_t sample = 2000;
  size_t edits = 100;
  size_t explain = 0;         // pairs shown per category that the engine got wrong
  bool project_names = true;  // --project-names no: the corpus without them
  std::string json, texts, labels, findings;
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--activities")
      a.activities = std::stoull(v);
    else if (k == "--seed")
      a.seed = std::stoull(v);
    else if (k == "--sample")
      a.sample = std::stoull(v);
    else if (k == "--edits")
      a.edits = std::stoull(v);
    else if (k == "--json")
      a.json = v;
    else if (k == "--explain")
      a.explain = std::stoull(v);
    else if (k == "--texts")
      a.texts = v;
    else if (k == "--labels")
      a.labels = v;
    else if (k == "--findings")
      a.findings = v;
    else if (k == "--project-names" && (v == "yes" || v == "no"))
      a.project_names = v == "yes";
    else {
      std::cerr << "unknown option " << k << "\n";
      std::exit(2);
    }
  }
  return a;
}

const char* ClassName(const std::optional<Finding>& f) {
  return f ? gmg::coherence::FindingClassName(f->finding_class) : "none";
}

// Every pair of `sample` scored exactly, on all cores: the findings (probability at least
// `min_probability`) by pair.
std::unordered_map<uint64_t, FindingClass> BruteForce(const std::vector<const Record*>& sample,
                                                      const gmg::coherence::Model& model,
                                                      double min_probability) {
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unordered_map<uint64_t, FindingClass>> found(threads);
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (size_t i; (i = next.fetch_add(1)) < sample.size();) {
        for (size_t j = i + 1; j < sample.size(); ++j) {
          auto f = gmg::coherence::ScorePair(*sample[i], *sample[j], model);
          if (f && f->probability >= min_probability)
            found[t][Key(sample[i]->id, sample[j]->id)] = f->finding_class;
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  std::unordered_map<uint64_t, FindingClass> all;
  for (auto& f : found) all.insert(f.begin(), f.end());
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = Parse(argc, argv);
  boost::json::object out;
  out["activities"] = args.activities;
  out["seed"] = args.seed;
  out["threads"] = std::thread::hardware_concurrency();
  out["project_names"] = args.project_names;

  auto t = Clock::now();
  gmg::coherence::SyntheticCorpus corpus =
      gmg::coherence::Generate(args.activities, args.seed, {.project_names = args.project_names});
  out["generate_seconds"] = Seconds(t);
  std::cerr << "generated " << corpus.records.size() << " records in " << Seconds(t) << " s\n";

  if (!args.texts.empty()) {
    std::ofstream f(args.texts, std::ios::binary);
    f << "id\torganization\ttext\n";
    for (const Record& r : corpus.records) {
      std::string text;
      for (const auto& x : r.titles) text += x.text + " ";
      for (const auto& x : r.descriptions) text += x.text + " ";
      f << r.id << "\t" << r.organization_id << "\t" << OneLine(text) << "\n";
    }
  }
  if (!args.labels.empty()) {
    std::ofstream f(args.labels, std::ios::binary);
    f << gmg::coherence::LabelsCsv(corpus, /*iati_ids=*/false);
  }

  // ---- Analyse ----
  gmg::coherence::Options options;
  OverlapEngine engine(options);
  double rss_before = StatusMiB("VmRSS");
  out["peak_rss_mib_generation"] = StatusMiB("VmHWM");
  ResetPeak();
  t = Clock::now();
  engine.Analyse(std::move(corpus.records));
  double analyse_wall = Seconds(t);
  double peak = StatusMiB("VmHWM");
  gmg::coherence::Stats stats = engine.stats();
  out["analyse"] = {{"wall_seconds", analyse_wall},
                    {"stats_seconds", stats.analyse_seconds},
                    {"records", stats.records},
                    {"candidates", stats.candidates},
                    {"findings", stats.findings},
                    {"oversized_blocks", stats.oversized_blocks},
                    {"rss_before_mib", rss_before},
                    {"peak_rss_mib", peak},
                    {"peak_over_corpus_mib", peak - rss_before}};
  std::cerr << "analysed in " << analyse_wall << " s: " << stats.candidates << " candidates, "
            << stats.findings << " findings, peak RSS " << peak << " MiB (" << rss_before
            << " before)\n";

  // ---- Against the labels ----
  // The whole list only when it is asked for or small: each Finding with its contributions is
  // about a kilobyte, so at a million records the copy would outweigh the engine.
  std::vector<Finding> findings;
  if (!args.findings.empty() || args.activities <= 200000) findings = engine.Findings();
  std::set<uint64_t> labelled;
  std::map<std::string, std::map<std::string, size_t>> by_category;  // category → class → n
  size_t dup_expected = 0, dup_found = 0, dup_claimed = 0, dup_claimed_right = 0;
  size_t syn_expected = 0, syn_found = 0, syn_claimed = 0, syn_claimed_right = 0;
  // Per category and whether the pair shares a project's name: {pairs, as expected}.
  std::map<std::pair<std::string, bool>, std::pair<size_t, size_t>> by_name;
  for (const auto& p : corpus.pairs) {
    labelled.insert(Key(p.a, p.b));
    auto f = engine.FindingOf(p.a, p.b);
    std::string cls = ClassName(f);
    by_category[p.category][cls]++;
    std::string_view expected = gmg::coherence::ExpectedClassOf(p.category);
    auto& named = by_name[{p.category, p.same_project}];
    ++named.first;
    if (cls == expected) ++named.second;
    if (expected == "duplication") ++dup_expected;
    if (expected == "synergy") ++syn_expected;
    if (cls == "duplication") {
      ++dup_claimed;
      if (expected == "duplication") ++dup_found, ++dup_claimed_right;
    }
    if (cls == "synergy") {
      ++syn_claimed;
      if (expected == "synergy") ++syn_found, ++syn_claimed_right;
    }
  }
  auto ratio = [](size_t a, size_t b) { return b ? static_cast<double>(a) / b : 0.0; };
  boost::json::object categories;
  for (std::string_view c : gmg::coherence::kPlantedCategories) {
    auto& m = by_category[std::string(c)];
    size_t n = m["duplication"] + m["synergy"] + m["none"];
    std::string_view expected = gmg::coherence::ExpectedClassOf(c);
    double recall = ratio(m[std::string(expected)], n);  // for decoys: share left unfound
    auto same = by_name[{std::string(c), true}];
    auto other = by_name[{std::string(c), false}];
    categories[std::string(c)] = {{"pairs", n},
                                  {"expected", expected},
                                  {"found_duplication", m["duplication"]},
                                  {"found_synergy", m["synergy"]},
                                  {"not_found", m["none"]},
                                  {"recall", recall},
                                  {"same_project_pairs", same.first},
                                  {"same_project_as_expected", same.second},
                                  {"other_project_pairs", other.first},
                                  {"other_project_as_expected", other.second}};
    std::fprintf(stderr,
                 "%-15s %5zu pairs: duplication %5zu synergy %5zu none %5zu  -> %.3f"
                 "  (one project's name: %zu of %zu as expected; not: %zu of %zu)\n",
                 std::string(c).c_str(), n, m["duplication"], m["synergy"], m["none"], recall,
                 same.second, same.first, other.second, other.first);
  }
  // A few pairs each category got wrong, with their comparisons (stderr), to say why.
  if (args.explain > 0) {
    std::map<std::string, size_t> shown;
    for (const auto& p : corpus.pairs) {
      auto f = engine.FindingOf(p.a, p.b);
      std::string_view expected = gmg::coherence::ExpectedClassOf(p.category);
      if (ClassName(f) == expected || shown[p.category]++ >= args.explain) continue;
      const Record& a = *engine.Find(p.a);
      const Record& b = *engine.Find(p.b);
      auto exact = gmg::coherence::ScorePair(a, b, engine.model());
      std::fprintf(stderr, "\n[%s, expected %s, engine %s, exact %s p=%.3f w=%.2f text=%.2f]\n",
                   p.category.c_str(), std::string(expected).c_str(), ClassName(f),
                   exact ? gmg::coherence::FindingClassName(exact->finding_class) : "-",
                   exact ? exact->probability : 0.0, exact ? exact->weight : 0.0,
                   exact ? exact->text_similarity : 0.0);
      for (const Record* r : {&a, &b}) {
        std::fprintf(stderr, "  %lld %s %s [%s] %s\n", static_cast<long long>(r->id),
                     r->organization_id.c_str(), r->type.c_str(),
                     r->titles.empty() ? "" : r->titles[0].lang.c_str(),
                     r->titles.empty() ? "" : r->titles[0].text.c_str());
      }
      if (exact) {
        std::string line = "  ";
        for (const auto& c : exact->contributions) {
          char buf[96];
          std::snprintf(buf, sizeof buf, "%s=%s(%+.2f) ",
                        gmg::coherence::ComparisonName(c.comparison), c.level.c_str(), c.weight);
          line += buf;
        }
        std::fprintf(stderr, "%s\n", line.c_str());
      }
    }
  }
  size_t labelled_found = 0;
  for (const auto& [category, classes] : by_category)
    labelled_found += classes.at("duplication") + classes.at("synergy");
  size_t unlabelled = stats.findings - std::min(stats.findings, labelled_found);
  std::pair<size_t, size_t> dup_same, dup_other;  // {pairs, found}
  for (const auto& [key, counts] : by_name) {
    if (gmg::coherence::ExpectedClassOf(key.first) != "duplication") continue;
    auto& to = key.second ? dup_same : dup_other;
    to.first += counts.first;
    to.second += counts.second;
  }
  out["labels"] = {
      {"categories", categories},
      {"duplication",
       {{"recall", ratio(dup_found, dup_expected)},
        {"recall_same_project", ratio(dup_same.second, dup_same.first)},
        {"recall_other_project", ratio(dup_other.second, dup_other.first)},
        {"precision", ratio(dup_claimed_right, dup_claimed)},
        {"expected", dup_expected},
        {"claimed", dup_claimed}}},
      {"synergy",
       {{"recall", ratio(syn_found, syn_expected)},
        {"precision", ratio(syn_claimed_right, syn_claimed)},
        {"expected", syn_expected},
        {"claimed", syn_claimed}}},
      {"unlabelled_findings", unlabelled},
      {"unlabelled_per_record", static_cast<double>(unlabelled) /
                                    static_cast<double>(std::max<size_t>(1, args.activities))}};
  std::fprintf(stderr,
               "duplication: recall %.3f precision %.3f (labelled pairs; recall %.3f of %zu "
               "sharing a project's name, %.3f of %zu not); synergy: recall %.3f precision %.3f; "
               "%zu unlabelled findings\n",
               ratio(dup_found, dup_expected), ratio(dup_claimed_right, dup_claimed),
               ratio(dup_same.second, dup_same.first), dup_same.first,
               ratio(dup_other.second, dup_other.first), dup_other.first,
               ratio(syn_found, syn_expected), ratio(syn_claimed_right, syn_claimed), unlabelled);

  if (!args.findings.empty()) {
    std::ofstream f(args.findings, std::ios::binary);
    f << "a\tb\tclass\tprobability\ttext_similarity\n";
    for (const Finding& x : findings) {
      f << x.a << "\t" << x.b << "\t" << gmg::coherence::FindingClassName(x.finding_class) << "\t"
        << x.probability << "\t" << x.text_similarity << "\n";
    }
  }

  // ---- Against the exact scorer, on a sample ----
  // The sample: the records of the first planted pairs of each category (a fifth of it), then
  // records drawn evenly from the corpus.
  std::vector<const Record*> sample;
  std::set<int64_t> in_sample;
  auto add = [&](int64_t id) {
    if (sample.size() < args.sample && in_sample.insert(id).second)
      sample.push_back(engine.Find(id));
  };
  size_t per_category = args.sample / 10 / std::size(gmg::coherence::kPlantedCategories);
  std::map<std::string, size_t> taken;
  for (const auto& p : corpus.pairs) {
    if (taken[p.category]++ >= per_category) continue;
    add(p.a);
    add(p.b);
  }
  for (size_t i = 0; sample.size() < std::min(args.sample, args.activities) && i < args.activities;
       ++i) {
    size_t step = std::max<size_t>(1, args.activities / std::max<size_t>(1, args.sample));
    add(static_cast<int64_t>(1 + (i * step) % args.activities));
  }
  t = Clock::now();
  auto exact = BruteForce(sample, engine.model(), options.min_probability);
  double brute_seconds = Seconds(t);
  size_t engine_in_sample = 0, agree = 0, same_class = 0;
  for (size_t i = 0; i < sample.size(); ++i) {
    for (size_t j = i + 1; j < sample.size(); ++j) {
      auto f = engine.FindingOf(sample[i]->id, sample[j]->id);
      if (!f) continue;
      ++engine_in_sample;
      auto it = exact.find(Key(f->a, f->b));
      if (it == exact.end()) continue;
      ++agree;
      if (it->second == f->finding_class) ++same_class;
    }
  }
  size_t pairs = sample.empty() ? 0 : sample.size() * (sample.size() - 1) / 2;
  out["exact_sample"] = {{"records", sample.size()},
                         {"pairs_scored", pairs},
                         {"brute_force_seconds", brute_seconds},
                         {"exact_findings", exact.size()},
                         {"engine_findings", engine_in_sample},
                         {"both", agree},
                         {"both_same_class", same_class},
                         {"recall_vs_exact", ratio(agree, exact.size())},
                         {"precision_vs_exact", ratio(agree, engine_in_sample)}};
  std::fprintf(stderr,
               "exact sample of %zu records (%zu pairs, %.1f s): exact %zu, engine %zu, both %zu "
               "(same class %zu): recall %.3f precision %.3f\n",
               sample.size(), pairs, brute_seconds, exact.size(), engine_in_sample, agree,
               same_class, ratio(agree, exact.size()), ratio(agree, engine_in_sample));

  // Unlabelled findings of the whole corpus: does the exact scorer agree with each?
  size_t audited = 0, audit_agree = 0;
  for (size_t i = 0; i < findings.size() && audited < 500;
       i += std::max<size_t>(1, findings.size() / 500)) {
    const Finding& f = findings[i];
    if (labelled.count(Key(f.a, f.b))) continue;
    ++audited;
    auto e = gmg::coherence::ScorePair(*engine.Find(f.a), *engine.Find(f.b), engine.model());
    if (e && e->probability >= options.min_probability && e->finding_class == f.finding_class)
      ++audit_agree;
  }
  out["unlabelled_audit"] = {{"audited", audited}, {"exact_agrees", audit_agree}};

  // ---- Incremental: Upsert of one edited record, Check of a draft ----
  std::vector<double> upsert_ms, check_ms;
  uint64_t state = args.seed * 2654435761u + 1;
  auto pick = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int64_t>(1 + (state >> 33) % args.activities);
  };
  for (size_t i = 0; i < args.edits && args.activities > 0; ++i) {
    Record r = *engine.Find(pick());
    r.version++;
    if (!r.titles.empty()) r.titles[0].text += " (phase 2)";
    if (r.ends_on) r.ends_on = r.ends_on->AddMonths(6);
    t = Clock::now();
    engine.Upsert(std::move(r));
    upsert_ms.push_back(Seconds(t) * 1000);
  }
  for (size_t i = 0; i < args.edits && args.activities > 0; ++i) {
    Record draft = *engine.Find(pick());
    draft.id = 0;
    draft.organization_id = draft.organization_id == "iom" ? "ilo" : "iom";
    t = Clock::now();
    auto answer = engine.Check(draft, 5);
    check_ms.push_back(Seconds(t) * 1000);
  }
  Percentiles up = Of(upsert_ms), ck = Of(check_ms);
  out["upsert"] = Json(up);
  out["check"] = Json(ck);
  std::fprintf(stderr, "upsert: median %.2f ms, p95 %.2f ms; check: median %.2f ms, p95 %.2f ms\n",
               up.median, up.p95, ck.median, ck.p95);
  out["peak_rss_mib_since_analyse"] = StatusMiB("VmHWM");

  std::string json = boost::json::serialize(out);
  if (!args.json.empty()) {
    std::ofstream f(args.json, std::ios::binary);
    f << json << "\n";
  }
  std::cout << json << "\n";
  return 0;
}
