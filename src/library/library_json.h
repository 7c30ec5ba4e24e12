// JSON of library items and search results (docs/api.md "Library").
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>

#include "library/library_service.h"

namespace gmg {

// {id, href, kind, title, authors[], organization_id, organizations[], year, language,
//  themes[], countries[], abstract, url, file: null | {name, media_type, size, sha256, href},
//  status, reject_reason, submitted_by, reviewed_by, version, created_at, updated_at}
boost::json::object LibraryItemJson(const LibraryItem& item);
// {items: [{…item, score, title_html, snippet_html}], total, facets: {kind: [{value, count}]…}}
boost::json::object LibrarySearchJson(const LibrarySearchResult& result);

}  // namespace gmg
