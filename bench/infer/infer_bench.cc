// Structure inference and ApplyMapping on the reference tables (../shared/reference/migration):
// rows/s and observations/s, best of N runs. Not a test: run it from a release build.
//
//   gmg_infer_bench [--runs N] [--repeat K] FILE...
//
// --repeat K concatenates the data rows K times (the header once) to time a bigger file of the
// same shape.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "statistics/infer.h"

namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Repeat(const std::string& text, int times) {
  size_t nl = text.find('\n');
  if (times <= 1 || nl == std::string::npos) return text;
  std::string body = text.substr(nl + 1);
  if (!body.empty() && body.back() != '\n') body += '\n';
  std::string out = text.substr(0, nl + 1);
  out.reserve(out.size() + body.size() * times);
  for (int i = 0; i < times; ++i) out += body;
  return out;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5, repeat = 1;
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (a == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else {
      files.push_back(argv[i]);
    }
  }
  for (const char* f : files) {
    std::string text = Repeat(ReadFile(f), repeat);
    int64_t rows = std::count(text.begin(), text.end(), '\n') - 1;
    double infer_best = 1e9, apply_best = 1e9;
    int64_t obs = 0, problems = 0;
    gmg::Result<gmg::stats::Inference> inf = gmg::stats::InferStructure(text, "BENCH", "FLOW");
    if (!inf.ok()) {
      std::fprintf(stderr, "%s: %s\n", f, inf.error().message.c_str());
      return 1;
    }
    for (int r = 0; r < runs; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      auto again = gmg::stats::InferStructure(text, "BENCH", "FLOW");
      infer_best = std::min(infer_best, Seconds(t0));
      std::vector<gmg::stats::Problem> kept;
      obs = 0;
      t0 = std::chrono::steady_clock::now();
      gmg::Status s = gmg::stats::ApplyMapping(
          text, inf->mapping, inf->structure,
          [&](const gmg::sdmx::ObservationView&) {
            ++obs;
            return gmg::Ok();
          },
          &kept, &problems);
      apply_best = std::min(apply_best, Seconds(t0));
      if (!s.ok() || !again.ok()) return 1;
    }
    std::printf(
        "%s x%d: %.1f MB, %lld rows, %lld observations, %lld problems\n"
        "  InferStructure %.3f s (%.0f rows/s)\n"
        "  ApplyMapping   %.3f s (%.0f rows/s, %.0f observations/s, %.0f MB/s)\n",
        f, repeat, text.size() / 1e6, static_cast<long long>(rows), static_cast<long long>(obs),
        static_cast<long long>(problems), infer_best, rows / infer_best, apply_best,
        rows / apply_best, obs / apply_best, text.size() / 1e6 / apply_best);
  }
  return 0;
}
