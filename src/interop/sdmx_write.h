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

// A new writer of `format` that sends its bytes to `sink`. Formats, in short (the details are
// in docs/sdmx-formats.md): SDMX-CSV 1.0 "DATAFLOW,<dims>,TIME_PERIOD,OBS_VALUE,<attrs>"; 2.0
// "STRUCTURE,STRUCTURE_ID,ACTION,…" with rows "dataflow,A:ID(V),I,…"; plain CSV with a BOM and
// a name column after each coded column; SDMX-JSON with the structure block after the data
// (dimension values from DataHeader, plus any the series bring; attribute values as met);
// SDMX-ML series or flat Obs. Missing values: empty (CSV), null (JSON), NaN (XML). Numbers in
// the shortest form that reads back the same.
std::unique_ptr<DataWriter> NewDataWriter(DataFormat format, Sink sink);

// The media type to answer with ("application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8").
std::string DataMediaType(DataFormat format);

// Picks the data format: `format_param` (format=csvfile|csv|sdmx-csv → SDMX-CSV 1.0,
// sdmx-csv2|csv2|csvfile2 → 2.0, jsondata|sdmx-json|json → JSON 1.0, sdmx-json2|json2|
// jsondata2 → JSON 2.0, structurespecificdata|xml|sdmx-ml → ML 2.1, plaincsv; case ignored; any
// other value → nullopt) wins; else the Accept media range with the highest q we can serve (the
// first among equals; q=0 refused; `*/*`, `application/*` and absence → SDMX-JSON 1.0;
// text/csv, text/* → SDMX-CSV 1.0; application/json → JSON 1.0; application/xml, text/xml →
// ML 2.1; the SDMX types by their version parameter, absent = 1.0.0 for CSV and JSON, 2.1 for
// XML). nullopt: nothing acceptable (the caller answers 406).
std::optional<DataFormat> ChooseDataFormat(std::string_view format_param, std::string_view accept);

enum class StructureType { kDataflow, kDataStructure, kCodelist, kConceptScheme };
enum class StructureFormat { kSdmxMl21, kSdmxJson10, kSdmxJson20 };

// format=xml|sdmx-ml|structure, sdmx-json|json|jsonstructure, sdmx-json2|json2; else Accept:
// application/vnd.sdmx.structure+xml;version=2.1, …+json;version=1.0.0|2.0.0,
// application/json; absence, */*, application/xml → SDMX-ML 2.1 (the SDMX REST default).
std::optional<StructureFormat> ChooseStructureFormat(std::string_view format_param,
                                                     std::string_view accept);
std::string StructureMediaType(StructureFormat format);

// Writes one structure message holding `type` for each flow (its dataflow, its data structure,
// its codelists or its concept scheme). `references` = "none" | "children" | "all" adds the
// structures a dataflow uses (data structure, codelists, concepts); for a data structure,
// "children" adds its codelists and concept scheme, "parents" | "all" its dataflows. Each
// structure appears once (by agency, id, version). A structure's concept scheme is
// CS_<its id without "DSD_">, holding every component's concept. Sent in ~64 KiB pieces.
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
// The error message in the family of `format` (SDMX-ML 2.1 <message:Error> with
// <message:ErrorMessage code="140"><common:Text>Syntax error: …; SDMX-JSON
// {"errors":[{"code":140,"title":"Syntax error","detail":"…"}]}).
std::string ErrorMessageBody(const SdmxError& error, bool json);

}  // namespace gmg::sdmx
