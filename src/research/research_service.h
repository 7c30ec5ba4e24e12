// ResearchService: the GMG's joint research network (issue 13): research institutions, the
// researchers working in them, and joint research projects linking GMG member organisations
// and institutions; and the network's share in developing countries (by M49, and within the
// LDC, LLDC and SIDS lists of research/development_groups.h), the indicator the GMG reports.
//
// Seeing: institutions and projects are public; a researcher is public when it has a public
// profile, and GMG insiders (Principal::IsMemberStaff, the secretariat, administrators) see
// every researcher; e-mail addresses only to GMG insiders.
// Changing: the secretariat and administrators manage everything. A focal point of a current
// member adds institutions and researchers and edits those its organisation added; it creates
// projects its organisation is part of and edits the projects its organisation is part of
// (kPermissionDenied otherwise). Everyone else: kPermissionDenied (kUnauthenticated when
// signed out). Every write is validated (kFailedPrecondition naming the field and a rule),
// runs in one transaction with its audit row (entities "research_institution",
// "researcher", "research_project"); a refused write changes nothing.
// Thread-safety: stateless over the Database; `now` must be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

inline constexpr std::string_view kInstitutionTypes[] = {
    "university", "research_institute", "think_tank", "government", "intergovernmental", "ngo"};
inline constexpr std::string_view kProjectStatuses[] = {"planned", "active", "completed"};
// The most institutions one research project may list.
inline constexpr size_t kMaxProjectInstitutions = 50;

struct Institution {
  int64_t id = 0;
  std::string name;                   // 1-300 bytes
  std::string country;                // ISO 3166-1 alpha-3, known to research/development_groups.h
  std::string type;                   // one of kInstitutionTypes
  std::string website;                // "" or http(s)://…
  std::string added_by_organization;  // "" when the secretariat added it
  int64_t researchers_count = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t version = 1;  // bumped by every update (If-Match)
};

struct InstitutionFields {
  std::string name;
  std::string country;
  std::string type;
  std::string website;
};

struct Researcher {
  int64_t id = 0;
  std::string name;
  int64_t institution_id = 0;
  std::string institution_name;
  std::string country;                 // the institution's
  std::string email;                   // "" when none, or when the viewer is not a GMG insider
  std::vector<std::string> themes;     // expertise themes, 0-20 of 1-80 bytes each
  std::vector<std::string> languages;  // ISO 639-1 codes (two lower-case letters), 0-10
  bool public_profile = false;
  std::string added_by_organization;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t version = 1;  // bumped by every update (If-Match)
};

struct ResearcherFields {
  std::string name;
  int64_t institution_id = 0;
  std::string email;  // "" or one address
  std::vector<std::string> themes;
  std::vector<std::string> languages;
  bool public_profile = false;
};

struct ResearchProject {
  int64_t id = 0;
  std::string title;
  std::string summary;
  std::string started_on;                  // YYYY-MM-DD
  std::optional<std::string> ended_on;     // YYYY-MM-DD, not before started_on
  std::string status;                      // one of kProjectStatuses
  std::vector<std::string> organizations;  // GMG members, at least one, ascending
  std::vector<int64_t> institutions;       // ascending
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t version = 1;  // bumped by every update (If-Match)
};

struct ProjectFields {
  std::string title;
  std::string summary;
  std::string started_on;
  std::optional<std::string> ended_on;
  std::string status = "planned";
  std::vector<std::string> organizations;  // 1-20, each a current GMG member
  std::vector<int64_t> institutions;       // 0-50, each an existing institution
};

struct InstitutionFilter {
  std::string country;  // "" = any
  std::string type;     // "" = any
};

// How many of `total` are in each group. Counts, so that an empty network reads 0 of 0.
struct GroupCounts {
  int64_t total = 0;
  int64_t developing = 0;
  int64_t ldc = 0;
  int64_t lldc = 0;
  int64_t sids = 0;
};

// Institutions by their country; researchers by their institution's country (all of them: the
// counts name nobody).
struct NetworkShare {
  GroupCounts institutions;
  GroupCounts researchers;
};

// One record found by Search: kind "institution", "researcher" or "research_project".
struct ResearchHit {
  std::string kind;
  int64_t id = 0;
  std::string title;
  std::string snippet;  // at most about 200 bytes of the text that matched
  double score = 0;     // higher is better; 2 for a match in the title, 1 elsewhere
};

inline constexpr size_t kMaxSearchQueryBytes = 200;
inline constexpr int64_t kMaxSearchLimit = 100;

// What ResearchService::Search looks in (the one search asks researchers for its "person" kind
// and the rest for "research", each once).
struct ResearchSearchKinds {
  bool institutions = true;
  bool researchers = true;
  bool projects = true;
};

class ResearchService {
 public:
  explicit ResearchService(Database& db, std::function<int64_t()> now = UnixNow);

  // By name, then id.
  Result<std::vector<Institution>> ListInstitutions(const InstitutionFilter& filter);
  // kNotFound when absent.
  Result<Institution> GetInstitution(int64_t id);
  Result<Institution> CreateInstitution(const Principal& actor, const InstitutionFields& fields);
  // Each update bumps the record's version; `if_version` (when given, from If-Match) must be
  // the stored one: kPreconditionFailed otherwise (a lost update refused), nothing changed.
  Result<Institution> UpdateInstitution(const Principal& actor, int64_t id,
                                        std::optional<int64_t> if_version,
                                        const InstitutionFields& fields);

  // What `viewer` sees, by name then id; `institution_id` 0 = every institution.
  Result<std::vector<Researcher>> ListResearchers(const Principal& viewer, int64_t institution_id);
  // kNotFound also when `viewer` may not see it.
  Result<Researcher> GetResearcher(const Principal& viewer, int64_t id);
  Result<Researcher> CreateResearcher(const Principal& actor, const ResearcherFields& fields);
  Result<Researcher> UpdateResearcher(const Principal& actor, int64_t id,
                                      std::optional<int64_t> if_version,
                                      const ResearcherFields& fields);

  // Latest start first, then id.
  Result<std::vector<ResearchProject>> ListProjects();
  Result<ResearchProject> GetProject(int64_t id);
  Result<ResearchProject> CreateProject(const Principal& actor, const ProjectFields& fields);
  // Replaces every field; a focal point must keep its own organisation in the project.
  Result<ResearchProject> UpdateProject(const Principal& actor, int64_t id,
                                        std::optional<int64_t> if_version,
                                        const ProjectFields& fields);

  Result<NetworkShare> Share();

  // Institutions, researchers `viewer` sees and projects whose text holds `query` (case-insensitive
  // for ASCII), of the `kinds` asked, best first, at most `limit`. kInvalidArgument for an empty
  // query, one over kMaxSearchQueryBytes, or a limit outside 1..kMaxSearchLimit.
  Result<std::vector<ResearchHit>> Search(const Principal& viewer, std::string_view query,
                                          int64_t limit, ResearchSearchKinds kinds = {});

 private:
  Database& db_;
  std::function<int64_t()> now_;
};

// Whether `p` sees every researcher and e-mail addresses: a GMG insider.
bool SeesResearchContacts(const Principal& p);
// A focal point of an organisation that is a GMG member today.
bool IsMemberFocalPoint(const Principal& p);

}  // namespace gmg
