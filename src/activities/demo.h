// `gmg demo load`: a plausible, clearly labelled demonstration set of activities (each title
// starts with "[Demo]", source "demo"), in line with each member's mandate, so a newcomer
// sees a living map. Loading twice does nothing the second time.
#pragma once

#include "activities/activity_service.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

// Returns how many activities it added (0 when the demo set is already there).
Result<int> LoadDemoActivities(Database& db, ActivityService& activities);

// The demo set's texts as LoadDemoActivities stores them: title, description, partner names
// and their language (English, one French), in order. For tests that need a realistic corpus
// without the whole schema.
struct DemoTexts {
  std::string title;
  std::string description;
  std::vector<std::string> partners;
  std::string lang = "en";
};
std::vector<DemoTexts> DemoActivityTexts();

}  // namespace gmg
