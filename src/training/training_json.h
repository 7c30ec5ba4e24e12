// JSON of courses, sessions, registrations and the report (docs/training.md, docs/api.md
// "Training").
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "training/training_service.h"

namespace gmg {

// Organisation names by id, for answers ("" or absent = the id).
using OrgNames = std::map<std::string, std::string>;

// place: {online:true} or {online:false, city, country}; seats_left = capacity - confirmed.
boost::json::object SessionJson(const TrainingSession& session);
// organizers: [{id, name}] (names from `names` when given); sessions: SessionJson each.
boost::json::object CourseJson(const TrainingCourse& course, const OrgNames* names = nullptr);
boost::json::object RegistrationJson(const TrainingRegistration& registration);
// {by_organization:[{organization:{id,name}, courses, …, attendance_rate}], by_topic:[{topic,…}]}
boost::json::object ReportJson(const TrainingReport& report, const OrgNames& names);
// The report as CSV: a header line, then one line per organisation and per topic
// (kind,key,name,courses,sessions,registrations,waitlisted,attended,absent,attendance_rate).
std::string ReportCsv(const TrainingReport& report, const OrgNames& names);

}  // namespace gmg
