// LinkDescriber: what the initiatives module shows of the meetings and positions an initiative
// is linked to (title, date, status). Those belong to the meetings and positions modules; this
// module reads them only through this interface, which the composition root implements over
// their services (app/modules.cc), so initiatives depends on neither.
//
// Each call answers for many ids at once (one query per kind, not one per link). An id the
// viewer may not see, or that names nothing (any more), is simply absent from the answer: the
// caller leaves it out rather than showing it by id or by title.
// Thread-safety: implementations are called from many request threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/principal.h"
#include "core/result.h"

namespace gmg {

struct LinkedItem {
  int64_t id = 0;
  std::string title;
  std::optional<int64_t> starts_at;  // meetings: the start (Unix seconds, UTC)
  std::string status;                // a meeting's or a position's status
};

class LinkDescriber {
 public:
  virtual ~LinkDescriber() = default;

  // The meetings among `ids` that `viewer` may see, by id.
  virtual Result<std::map<int64_t, LinkedItem>> Meetings(const Principal& viewer,
                                                         const std::vector<int64_t>& ids) = 0;
  // The positions among `ids` that `viewer` may see, by id.
  virtual Result<std::map<int64_t, LinkedItem>> Positions(const Principal& viewer,
                                                          const std::vector<int64_t>& ids) = 0;
};

// What `gmg demo load` needs from the modules the initiatives link to (app/ fills it in).
struct InitiativeDemoSources {
  // Ids of the demo's ("Demo:"-titled) meetings or positions (kind "meeting" or "position").
  std::function<Result<std::vector<int64_t>>(std::string_view kind)> demo_items;
  // Records a follow-up action of an initiative (the meetings module's actions), as the CLI.
  std::function<Status(int64_t initiative_id, const std::string& title,
                       const std::string& owner_org, const std::string& due_date,
                       const std::string& status)>
      add_follow_up;
};

}  // namespace gmg
