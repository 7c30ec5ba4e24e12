#include "app/site_search_sources.h"

#include <algorithm>
#include <string>
#include <utility>

#include "activities/activity_service.h"
#include "core/date.h"
#include "engagement/engagement_service.h"
#include "governance/governance_service.h"
#include "initiatives/initiative_service.h"
#include "library/library_service.h"
#include "meetings/meeting_service.h"
#include "meetings/minutes_service.h"
#include "positions/position_service.h"
#include "research/exchange_service.h"
#include "research/research_service.h"
#include "statistics/stats_service.h"
#include "training/training_service.h"

namespace gmg {
namespace {

// Areas without an index of their own are read whole up to this many records, then matched in
// memory (SiteMatchScore): there are hundreds of meetings and positions, not millions.
constexpr int64_t kMaxScanned = 5000;
constexpr int64_t kScanPage = 500;
// The engagement and training searches take at most 8 words.
constexpr size_t kMaxWordsForSources = 8;

using Hits = std::vector<SiteHit>;

std::string Joined(const std::vector<std::string>& words, size_t max) {
  std::string out;
  for (size_t k = 0; k < words.size() && k < max; ++k) {
    if (!out.empty()) out += ' ';
    out += words[k];
  }
  return out;
}

// The best `limit` of `hits` (matched in memory), best first, ties in the order given.
Hits Best(Hits hits, int64_t limit) {
  std::stable_sort(hits.begin(), hits.end(),
                   [](const SiteHit& a, const SiteHit& b) { return a.score > b.score; });
  if (hits.size() > static_cast<size_t>(limit)) hits.resize(static_cast<size_t>(limit));
  return hits;
}

void AddIfMatch(Hits& hits, const std::vector<std::string>& words, SiteHit hit) {
  hit.score = SiteMatchScore(words, hit.title, hit.body);
  if (hit.score > 0) hits.push_back(std::move(hit));
}

SearchSource Activities(ActivityService& activities) {
  return {"activity",
          [&activities](const Principal& viewer, std::string_view text,
                        const std::vector<std::string>&, int64_t limit) -> Result<Hits> {
            ActivityFilter filter;
            filter.text = std::string(text);
            filter.sort = "relevance";
            GMG_ASSIGN_OR_RETURN(
                SearchResult r,
                activities.Search(viewer, filter, limit, 0,
                                  {.facets = false, .highlights = false, .records = false}));
            Hits hits;
            for (const SearchHit& h : r.hits) {
              const ActivityInput& a = h.activity.fields;
              hits.push_back({.id = std::to_string(h.activity.id),
                              .title = a.titles.empty() ? "" : a.titles.front().text,
                              .body = a.descriptions.empty() ? "" : a.descriptions.front().text,
                              .href = "/activities/" + std::to_string(h.activity.id),
                              .score = std::max(-h.rank, 1e-9)});
            }
            return hits;
          }};
}

SearchSource Library(LibraryService& library) {
  return {"library",
          [&library](const Principal& viewer, std::string_view text,
                     const std::vector<std::string>&, int64_t limit) -> Result<Hits> {
            GMG_ASSIGN_OR_RETURN(std::vector<LibraryHit> found,
                                 library.Search(viewer, text, limit));
            Hits hits;
            for (const LibraryHit& h : found) {
              hits.push_back({.id = std::to_string(h.item.id),
                              .title = h.item.title,
                              .body = h.item.abstract,
                              .href = "/library/" + std::to_string(h.item.id),
                              .score = std::max(-h.score, 1e-9)});
            }
            return hits;
          }};
}

// Meetings by title, date, place, series and chair, and by their minutes (approved ones for
// anyone, drafts for those who may see them), from the meetings module's copy in memory.
SearchSource Meetings(MeetingService& meetings) {
  return {"meeting",
          [&meetings](const Principal& viewer, std::string_view,
                      const std::vector<std::string>& words, int64_t limit) -> Result<Hits> {
            GMG_ASSIGN_OR_RETURN(auto texts, meetings.SearchTexts());
            const bool drafts = CheckMaySeeMeetingDrafts(viewer).ok();
            auto shows_minutes = [&](const MeetingSearchText& m) {
              return !m.minutes.empty() && (m.minutes_approved || drafts);
            };
            // Scores first, then a hit (and its body) for the best `limit` only.
            std::vector<std::pair<double, const MeetingSearchText*>> scored;
            for (const MeetingSearchText& m : texts->meetings) {
              double score = SiteMatchScoreFolded(
                  words, m.folded_title,
                  {shows_minutes(m) ? std::string_view(m.folded_minutes) : std::string_view(),
                   m.folded_about});
              if (score > 0) scored.emplace_back(score, &m);
            }
            std::stable_sort(scored.begin(), scored.end(),
                             [](const auto& a, const auto& b) { return a.first > b.first; });
            if (scored.size() > static_cast<size_t>(limit))
              scored.resize(static_cast<size_t>(limit));
            Hits hits;
            for (const auto& [score, m] : scored) {
              // The minutes first, so that the snippet comes from them when they match.
              hits.push_back({.id = std::to_string(m->id),
                              .title = m->title,
                              .body = shows_minutes(*m) ? m->minutes + "\n" + m->about : m->about,
                              .href = "/meetings/" + std::to_string(m->id),
                              .score = score});
            }
            return hits;
          }};
}

SearchSource Positions(PositionService& positions) {
  return {"position",
          [&positions](const Principal& viewer, std::string_view,
                       const std::vector<std::string>& words, int64_t limit) -> Result<Hits> {
            Hits hits;
            PositionFilter filter;
            filter.limit = kScanPage;
            for (int64_t read = 0; read < kMaxScanned; read += kScanPage) {
              GMG_ASSIGN_OR_RETURN(PositionPage page, positions.List(viewer, filter));
              for (const Position& p : page.items) {
                AddIfMatch(hits, words,
                           {.id = std::to_string(p.id),
                            .title = p.title,
                            .body = p.lead_org + " · " + p.status,
                            .href = "/positions/" + std::to_string(p.id)});
              }
              if (!page.more || page.items.empty()) break;
              filter.before_id = page.items.back().id;
            }
            return Best(std::move(hits), limit);
          }};
}

SearchSource Dataflows(StatsService& stats) {
  return {"dataflow",
          [&stats](const Principal&, std::string_view, const std::vector<std::string>& words,
                   int64_t limit) -> Result<Hits> {
            GMG_ASSIGN_OR_RETURN(std::vector<StatsFlowSummary> flows, stats.ListFlows());
            Hits hits;
            for (const StatsFlowSummary& f : flows) {
              AddIfMatch(hits, words,
                         {.id = f.agency + "," + f.id,
                          .title = f.name,
                          .body = f.description + " · " + f.agency + ":" + f.id + " · " +
                                  f.first_period + "–" + f.last_period,
                          .href = "/stats/" + f.agency + "/" + f.id});
            }
            return Best(std::move(hits), limit);
          }};
}

SearchSource Organizations(GovernanceService& governance) {
  return {"organization",
          [&governance](const Principal&, std::string_view, const std::vector<std::string>& words,
                        int64_t limit) -> Result<Hits> {
            GMG_ASSIGN_OR_RETURN(std::vector<Organization> orgs,
                                 governance.ListOrganizations("all", Date::Today()));
            Hits hits;
            for (const Organization& o : orgs) {
              AddIfMatch(hits, words,
                         {.id = o.id,
                          .title = o.name + " (" + o.acronym + ")",
                          .body = o.mandate,
                          .href = "/members/" + o.id});
            }
            return Best(std::move(hits), limit);
          }};
}

// Focal points of the current members (public, as on the members' pages) and the research
// network's researchers.
SearchSource People(GovernanceService& governance, ResearchService& research) {
  return {"person",
          [&governance, &research](const Principal& viewer, std::string_view text,
                                   const std::vector<std::string>& words,
                                   int64_t limit) -> Result<Hits> {
            GMG_ASSIGN_OR_RETURN(std::vector<Organization> orgs,
                                 governance.ListOrganizations("current", Date::Today()));
            Hits hits;
            for (const Organization& o : orgs) {
              GMG_ASSIGN_OR_RETURN(std::vector<FocalPoint> people,
                                   governance.ListFocalPoints(o.id));
              for (const FocalPoint& f : people) {
                AddIfMatch(hits, words,
                           {.id = "focal_point:" + std::to_string(f.id),
                            .title = f.name,
                            .body = f.title + " · " + o.name + " (" + o.acronym + ")",
                            .href = "/members/" + o.id});
              }
            }
            GMG_ASSIGN_OR_RETURN(
                std::vector<ResearchHit> found,
                research.Search(viewer, text.substr(0, kMaxSearchQueryBytes), kMaxSearchLimit,
                                {.institutions = false, .researchers = true, .projects = false}));
            for (const ResearchHit& h : found) {
              hits.push_back({.id = "researcher:" + std::to_string(h.id),
                              .title = h.title,
                              .body = h.snippet,
                              .href = "/research#researcher-" + std::to_string(h.id),
                              .score = h.score});
            }
            return Best(std::move(hits), limit);
          }};
}

SearchSource Stakeholders(EngagementService& engagement) {
  return {"stakeholder",
          [&engagement](const Principal& viewer, std::string_view,
                        const std::vector<std::string>& words, int64_t limit) -> Result<Hits> {
            GMG_ASSIGN_OR_RETURN(
                std::vector<EngagementHit> found,
                engagement.Search(viewer, Joined(words, kMaxWordsForSources), limit));
            Hits hits;
            for (const EngagementHit& h : found) {
              // Interactions concern several stakeholders each: they are found on those
              // stakeholders' pages, not here.
              if (h.kind != "stakeholder") continue;
              hits.push_back({.id = std::to_string(h.id),
                              .title = h.title,
                              .body = h.snippet,
                              .href = "/stakeholders/" + std::to_string(h.id),
                              .score = h.score});
            }
            return hits;
          }};
}

SearchSource Training(TrainingService& training) {
  return {"training",
          [&training](const Principal& viewer, std::string_view,
                      const std::vector<std::string>& words, int64_t limit) -> Result<Hits> {
            GMG_ASSIGN_OR_RETURN(
                std::vector<TrainingSearchHit> found,
                training.Search(viewer, Joined(words, kMaxWordsForSources), limit));
            Hits hits;
            for (const TrainingSearchHit& h : found) {
              hits.push_back({.id = std::to_string(h.course_id),
                              .title = h.title,
                              .body = h.snippet,
                              .href = "/training/courses/" + std::to_string(h.course_id),
                              .score = h.score});
            }
            return hits;
          }};
}

// Institutions and joint projects of the research network, and staff exchanges (which only
// the GMG's insiders see).
SearchSource Research(ResearchService& research, ExchangeService& exchanges) {
  return {"research",
          [&research, &exchanges](const Principal& viewer, std::string_view text,
                                  const std::vector<std::string>&, int64_t limit) -> Result<Hits> {
            std::string_view query = text.substr(0, kMaxSearchQueryBytes);
            GMG_ASSIGN_OR_RETURN(
                std::vector<ResearchHit> found,
                research.Search(viewer, query, kMaxSearchLimit,
                                {.institutions = true, .researchers = false, .projects = true}));
            GMG_ASSIGN_OR_RETURN(std::vector<ResearchHit> moves,
                                 exchanges.Search(viewer, query, kMaxSearchLimit));
            found.insert(found.end(), moves.begin(), moves.end());
            Hits hits;
            for (const ResearchHit& h : found) {  // researchers are under "person"
              std::string anchor = h.kind + "-" + std::to_string(h.id);
              hits.push_back(
                  {.id = h.kind + ":" + std::to_string(h.id),
                   .title = h.title,
                   .body = h.snippet,
                   .href = (h.kind == "staff_exchange" ? "/exchanges#" : "/research#") + anchor,
                   .score = h.score});
            }
            return Best(std::move(hits), limit);
          }};
}

SearchSource Initiatives(InitiativeService& initiatives) {
  return {"initiative",
          [&initiatives](const Principal&, std::string_view, const std::vector<std::string>& words,
                         int64_t limit) -> Result<Hits> {
            GMG_ASSIGN_OR_RETURN(std::vector<Initiative> all, initiatives.List());
            Hits hits;
            for (const Initiative& i : all) {
              AddIfMatch(hits, words,
                         {.id = std::to_string(i.id),
                          .title = i.title,
                          .body = i.description,
                          .href = "/initiatives/" + i.slug});
            }
            return Best(std::move(hits), limit);
          }};
}

}  // namespace

std::vector<SearchSource> SiteSearchSources(Modules& m) {
  return {Activities(m.activities().service()),
          Library(m.library().service()),
          Meetings(m.meetings().service()),
          Positions(m.positions().service()),
          Dataflows(m.statistics().service()),
          Stakeholders(m.engagement().service()),
          People(m.governance().service(), m.research().service()),
          Organizations(m.governance().service()),
          Training(m.training().service()),
          Research(m.research().service(), m.research().exchanges()),
          Initiatives(m.initiatives().service())};
}

}  // namespace gmg
