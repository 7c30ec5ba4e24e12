// Fuzz target: structure inference and column mappings for plain CSV (statistics/infer.h) on
// arbitrary bytes, as an upload with ?infer=1 gives them.
//
// Checks beyond "no crash, no sanitizer report":
// - an inference that succeeds is consistent: one role per header cell, every dimension's
//   codelist is in the structure, the header line is one of the text's lines, every component
//   and code id is an SDMX id (1-100 of A-Z a-z 0-9 _ @ $ -), unique in its scope;
// - applying the inferred mapping to the same text never fails (problems are listed, not
//   errors), every observation's key has one code per dimension, each from that dimension's
//   codelist, its period is non-empty and its value empty (missing) or a whole number as
//   strtod reads it; problem_count counts at least the problems kept, which stay under the cap;
// - applying a fixed mapping (UNHCR's shape) to the bytes fails only with kInvalidArgument.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "statistics/infer.h"

namespace {

namespace stats = gmg::stats;
namespace sdmx = gmg::sdmx;

constexpr size_t kMaxProblems = 20;

bool IsNumber(std::string_view v) {
  std::string s(v);
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

bool IsSdmxId(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '@' || c == '$' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void CheckIds(const sdmx::DataStructure& s) {
  std::set<std::string> components = {s.time_dimension, s.primary_measure};
  for (const auto* list : {&s.dimensions, &s.attributes}) {
    for (const sdmx::Component& c : *list) {
      GMG_FUZZ_CHECK(IsSdmxId(c.id));
      GMG_FUZZ_CHECK(components.insert(c.id).second);
    }
  }
  std::set<std::string> codelists;
  for (const sdmx::Codelist& cl : s.codelists) {
    GMG_FUZZ_CHECK(IsSdmxId(cl.id));
    GMG_FUZZ_CHECK(codelists.insert(cl.id).second);
    std::set<std::string> codes;
    for (const sdmx::Code& c : cl.codes) {
      GMG_FUZZ_CHECK(IsSdmxId(c.id));
      GMG_FUZZ_CHECK(codes.insert(c.id).second);
    }
  }
}

void CheckApply(std::string_view text, const stats::Inference& inf) {
  const sdmx::DataStructure& s = inf.structure;
  std::vector<std::set<std::string>> codes(s.dimensions.size());
  for (size_t k = 0; k < s.dimensions.size(); ++k) {
    const sdmx::Codelist* cl = s.FindCodelist(s.dimensions[k].codelist);
    GMG_FUZZ_CHECK(cl != nullptr);
    for (const sdmx::Code& c : cl->codes) codes[k].insert(c.id);
  }
  std::vector<stats::Problem> problems;
  int64_t count = 0;
  int64_t observations = 0;
  gmg::Status st = stats::ApplyMapping(
      text, inf.mapping, s,
      [&](const sdmx::ObservationView& v) {
        GMG_FUZZ_CHECK(v.key.size() == s.dimensions.size());
        for (size_t k = 0; k < v.key.size(); ++k) {
          GMG_FUZZ_CHECK(codes[k].count(std::string(v.key[k])) == 1);
        }
        GMG_FUZZ_CHECK(!v.period.empty());
        GMG_FUZZ_CHECK(v.value.empty() || IsNumber(v.value));
        GMG_FUZZ_CHECK(v.line > inf.mapping.header_line);
        ++observations;
        return gmg::Ok();
      },
      &problems, &count, kMaxProblems);
  GMG_FUZZ_CHECK(st.ok());
  GMG_FUZZ_CHECK(problems.size() <= kMaxProblems);
  GMG_FUZZ_CHECK(count >= static_cast<int64_t>(problems.size()));
  GMG_FUZZ_CHECK(observations + count >= 0);
}

const stats::Inference& UnhcrShape() {
  static const stats::Inference inf = [] {
    auto r = stats::InferStructure(
        "year,orig,dest,refugees,asylum_seekers\n2000,AFG,PAK,10,2\n2001,,IRN,NA,3\n", "UNHCR",
        "REFUGEES");
    GMG_FUZZ_CHECK(r.ok());
    return std::move(r).value();
  }();
  return inf;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gmg::Result<stats::Inference> inf = stats::InferStructure(text, "FUZZ", "FLOW");
  if (inf.ok()) {
    const stats::ColumnMapping& m = inf->mapping;
    GMG_FUZZ_CHECK(m.roles.size() == m.columns.size());
    GMG_FUZZ_CHECK(m.header_line >= 1);
    GMG_FUZZ_CHECK(inf->preview_observations >= 0);
    CheckIds(inf->structure);
    CheckApply(text, *inf);
  } else {
    GMG_FUZZ_CHECK(inf.error().code == gmg::ErrorCode::kInvalidArgument);
  }
  const stats::Inference& fixed = UnhcrShape();
  std::vector<stats::Problem> problems;
  int64_t count = 0;
  gmg::Status st = stats::ApplyMapping(
      text, fixed.mapping, fixed.structure, [](const sdmx::ObservationView&) { return gmg::Ok(); },
      &problems, &count, kMaxProblems);
  GMG_FUZZ_CHECK(st.ok() || st.error().code == gmg::ErrorCode::kInvalidArgument);
  return 0;
}
