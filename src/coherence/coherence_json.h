// JSON forms of the coherence module: a finding (docs/coherence.md "Finding JSON"), the
// analysis status, the model (the API's and the stored form in coherence_model), feedback.
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "coherence/coherence_service.h"
#include "coherence/overlap_engine.h"
#include "core/result.h"

namespace gmg {

boost::json::object OverlapJson(const Overlap& overlap);
// {"verdict","comment","by","at"}.
boost::json::object FeedbackJson(const OverlapFeedback& feedback);
// {"state":"ready"|"analysing","analysed_at":…|null,"activities":N,"findings":N}.
boost::json::object StatusJson(const CoherenceStatus& status);
// The model as GET /api/v1/coherence/model answers: each level's weight now and by default.
boost::json::object ModelJson(const CoherenceModel& model);

// The stored form (coherence_model.model) and back; kInternal for a text that is not one.
std::string ModelText(const coherence::Model& model);
Result<coherence::Model> ModelFromText(std::string_view text);

}  // namespace gmg
