// The library's demo set for `gmg demo load`.
// Thread-safety: call once, at load time.
#pragma once

#include <string>
#include <vector>

#include "library/library_service.h"
#include "store/database.h"

namespace gmg {

// A dozen "Demo:" items of each kind (in English, French and Spanish, over the members and the
// taxonomy's themes), through the service as the CLI; every best practice published but one,
// left in review. Nothing when a "Demo:" item exists. Returns how many items were added.
// `themes`: the taxonomy's theme ids to draw from.
Result<int> LoadDemoLibrary(Database& db, LibraryService& library,
                            const std::vector<std::string>& themes);

// The words and names the demo and the benchmark draw from (kept together so the benchmark's
// corpus reads like the demo's).
struct LibraryDemoText {
  const char* title;
  const char* abstract;
  const char* language;
};
const std::vector<LibraryDemoText>& LibraryDemoTexts();

}  // namespace gmg
