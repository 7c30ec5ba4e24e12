// Writers of SDMX answers: data messages in SDMX-CSV 1.0/2.0, SDMX-JSON 1.0/2.0, SDMX-ML 2.1
// structure-specific data, and plain CSV; structure messages (dataflow, datastructure,
// codelist, conceptscheme) in SDMX-ML 2.1 and SDMX-JSON 1.0/2.0; the SDMX error message; and
// the choice of format from `format=` or the Accept header.
//
// Pure. Thread-safety: a writer belongs to one thread; the functions are reentrant.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interop/sdmx_model.h"

namespace gmg::sdmx {

// A new writer of `format` that sends its bytes to `sink`.
std::unique_ptr<DataWriter> NewDataWriter(DataFormat format, Sink sink);

// The media type to answer with ("application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8").
std::string DataMediaType(DataFormat format);

// Picks the data format: `format_param` (format=csvfile|csv → SDMX-CSV 1.0, sdmx-csv2|csv2 →
// 2.0, jsondata|sdmx-json → JSON 1.0, sdmx-json2 → JSON 2.0, structurespecificdata|xml → ML
// 2.1, plaincsv) wins; else the first Accept media range we can serve (q-values honoured,
// `*/*` and absence → SDMX-JSON 1.0 as the SDMX REST default; text/csv → SDMX-CSV 1.0).
// nullopt: nothing acceptable (the caller answers 406).
std::optional<DataFormat> ChooseDataFormat(std::string_view format_param,
                                           std::string_view accept);

enum class StructureType { kDataflow, kDataStructure, kCodelist, kConceptScheme };
enum class StructureFormat { kSdmxMl21, kSdmxJson10, kSdmxJson20 };

std::optional<StructureFormat> ChooseStructureFormat(std::string_view format_param,
                                                     std::string_view accept);
std::string StructureMediaType(StructureFormat format);

// Writes one structure message holding `type` for each flow (its dataflow, its data structure,
// its codelists or its concept scheme). `references` = "none" | "children" | "all" adds the
// structures a dataflow uses (data structure, codelists, concepts).
void WriteStructures(StructureFormat format, StructureType type,
                     const std::vector<const Dataflow*>& flows, std::string_view references,
                     const Sink& sink);

// SDMX error codes (SDMX REST "error handling"): 100 no results (404), 110 unauthorized (401),
// 130 response too large due to client request (413), 140 syntax error (400), 150 semantic
// error (403), 500 internal (500), 503 unavailable (503), 510 response size exceeds service
// limit (413), 406 not acceptable.
struct SdmxError {
  int code = 500;
  std::string message;
};
int HttpStatusOf(int sdmx_code);
// The error message in the family of `format` (SDMX-ML 2.1 <message:Error>, SDMX-JSON errors).
std::string ErrorMessageBody(const SdmxError& error, bool json);

}  // namespace gmg::sdmx
