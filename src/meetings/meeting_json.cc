#include "meetings/meeting_json.h"

#include "http/router.h"

namespace gmg {
namespace {

boost::json::value OptionalId(const std::optional<int64_t>& id) {
  if (!id) return nullptr;
  return *id;
}

boost::json::value OrgRef(const std::string& id, const std::string& name) {
  if (id.empty()) return nullptr;
  return boost::json::object{{"id", id}, {"name", name.empty() ? id : name}};
}

}  // namespace

boost::json::object SeriesJson(const MeetingSeries& s, bool show_link) {
  boost::json::array exceptions;
  for (const auto& e : s.exceptions) exceptions.emplace_back(e);
  boost::json::value next = nullptr;
  if (s.next_meeting_id) {
    next = boost::json::object{{"id", *s.next_meeting_id},
                               {"starts_at", FormatTimestamp(*s.next_meeting_starts_at)}};
  }
  boost::json::object out{{"id", s.id},
                          {"name", s.name},
                          {"level", s.level},
                          {"description", s.description},
                          {"time_zone", s.time_zone},
                          {"place", s.place},
                          {"rule", s.rule},
                          {"first_local", s.first_local},
                          {"duration_minutes", s.duration_minutes},
                          {"exceptions", std::move(exceptions)},
                          {"archived", s.archived},
                          {"next_meeting", std::move(next)},
                          {"meetings_count", s.meetings_count},
                          {"created_at", FormatTimestamp(s.created_at)},
                          {"updated_at", FormatTimestamp(s.updated_at)},
                          {"etag", http::VersionETag(s.version)}};
  if (show_link) out["link"] = s.link;
  return out;
}

boost::json::object MeetingJson(const Meeting& m, bool show_link) {
  boost::json::value series = nullptr;
  if (m.series_id) {
    series = boost::json::object{
        {"id", *m.series_id}, {"name", m.series_name}, {"level", m.series_level}};
  }
  boost::json::value minutes = nullptr;
  if (m.minutes_status) minutes = *m.minutes_status;
  boost::json::value occurrence = nullptr;
  if (m.occurrence) occurrence = *m.occurrence;
  boost::json::object out{{"id", m.id},
                          {"series", std::move(series)},
                          {"occurrence", std::move(occurrence)},
                          {"title", m.title},
                          {"starts_local", m.starts_local},
                          {"ends_local", m.ends_local},
                          {"time_zone", m.time_zone},
                          {"starts_at", FormatTimestamp(m.starts_at)},
                          {"ends_at", FormatTimestamp(m.ends_at)},
                          {"place", m.place},
                          {"chair", OrgRef(m.chair_org, m.chair_name)},
                          {"chair_from_rotation", m.chair_from_rotation},
                          {"status", m.status},
                          {"postponed_to", OptionalId(m.postponed_to)},
                          {"uid", m.uid},
                          {"sequence", m.sequence},
                          {"agenda_count", m.agenda_count},
                          {"minutes_status", std::move(minutes)},
                          {"created_at", FormatTimestamp(m.created_at)},
                          {"updated_at", FormatTimestamp(m.updated_at)},
                          {"etag", http::VersionETag(m.version)}};
  if (show_link) out["link"] = m.link;
  return out;
}

boost::json::object PaperJson(const Paper& p) {
  boost::json::value url = nullptr;
  if (!p.url.empty()) url = p.url;
  std::string href = p.url.empty() ? "/api/v1/meetings/" + std::to_string(p.meeting_id) +
                                         "/papers/" + std::to_string(p.id)
                                   : p.url;
  return boost::json::object{
      {"id", p.id},
      {"agenda_item_id", OptionalId(p.agenda_item_id)},
      {"title", p.title},
      {"url", std::move(url)},
      {"file_name", p.file_name},
      {"media_type", p.media_type},
      {"size", p.size},
      {"sha256", p.sha256},
      {"organization_id", p.organization_id.empty() ? boost::json::value(nullptr)
                                                    : boost::json::value(p.organization_id)},
      {"created_at", FormatTimestamp(p.created_at)},
      {"href", href}};
}

boost::json::object AgendaItemJson(const AgendaItem& a, bool with_papers) {
  boost::json::array purposes;
  for (int64_t n : a.purposes) purposes.emplace_back(n);
  boost::json::array papers;
  if (with_papers) {
    for (const auto& p : a.papers) papers.push_back(PaperJson(p));
  }
  return boost::json::object{{"id", a.id},
                             {"position", a.position},
                             {"title", a.title},
                             {"presenter", OrgRef(a.presenter_org, a.presenter_name)},
                             {"purposes", std::move(purposes)},
                             {"notes", a.notes},
                             {"papers", std::move(papers)}};
}

boost::json::object AttendeeJson(const Attendee& a) {
  return boost::json::object{{"organization", OrgRef(a.organization_id, a.organization_name)},
                             {"person", a.person},
                             {"level", a.level}};
}

}  // namespace gmg
