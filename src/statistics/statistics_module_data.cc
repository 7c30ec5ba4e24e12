// The demo tables (data/statistics/), embedded with the assembler's .incbin: CMake passes the
// directory (GMG_STATISTICS_DATA_DIR) and the files' hashes (GMG_STATISTICS_DATA_SHA, so a
// changed file changes this file's compilation and no cache keeps a stale object).
#include "statistics/statistics_module.h"

#ifndef GMG_STATISTICS_DATA_DIR
#error "GMG_STATISTICS_DATA_DIR must name data/statistics (CMakeLists.txt)"
#endif

// clang-format off
asm(".section .rodata\n"
    ".balign 16\n"
    ".global gmg_stats_desa_begin\n"
    ".hidden gmg_stats_desa_begin\n"
    "gmg_stats_desa_begin:\n"
    ".incbin \"" GMG_STATISTICS_DATA_DIR "/UN_MigrantStockByOriginAndDestination_2019_clean.csv\"\n"
    ".global gmg_stats_desa_end\n"
    ".hidden gmg_stats_desa_end\n"
    "gmg_stats_desa_end:\n"
    ".balign 16\n"
    ".global gmg_stats_unhcr_begin\n"
    ".hidden gmg_stats_unhcr_begin\n"
    "gmg_stats_unhcr_begin:\n"
    ".incbin \"" GMG_STATISTICS_DATA_DIR "/unhcr_2020.csv\"\n"
    ".global gmg_stats_unhcr_end\n"
    ".hidden gmg_stats_unhcr_end\n"
    "gmg_stats_unhcr_end:\n"
    ".previous\n");
// clang-format on

// The assembler's symbols, named as the asm above names them.
// NOLINTBEGIN(readability-identifier-naming)
extern "C" {
extern const char gmg_stats_desa_begin[];
extern const char gmg_stats_desa_end[];
extern const char gmg_stats_unhcr_begin[];
extern const char gmg_stats_unhcr_end[];
}
// NOLINTEND(readability-identifier-naming)

namespace gmg {

// Names the data's version, so the compilation changes with the files.
[[maybe_unused]] constexpr const char* kDemoDataSha = GMG_STATISTICS_DATA_SHA;

DemoTable DemoMigrantStock() {
  return {"UN_MigrantStockByOriginAndDestination_2019_clean.csv",
          std::string_view(gmg_stats_desa_begin,
                           static_cast<size_t>(gmg_stats_desa_end - gmg_stats_desa_begin))};
}

DemoTable DemoRefugees() {
  return {"unhcr_2020.csv",
          std::string_view(gmg_stats_unhcr_begin,
                           static_cast<size_t>(gmg_stats_unhcr_end - gmg_stats_unhcr_begin))};
}

}  // namespace gmg
