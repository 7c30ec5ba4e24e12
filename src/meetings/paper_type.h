// What kind of file a meeting paper is, judged by its CONTENT: the shared upload sniffer
// (http/file_type.h) under the names the meetings module has always used.
// Thread-safety: pure functions.
#pragma once

#include "http/file_type.h"

namespace gmg::meetings {

using PaperType = http::FileType;
using http::SafeFileName;

inline std::optional<PaperType> DetectPaperType(std::string_view content) {
  return http::DetectFileType(content);
}

}  // namespace gmg::meetings
