#include "interop/sdmx_model.h"

namespace gmg::sdmx {

namespace {

int IndexOf(const std::vector<Component>& components, std::string_view id) {
  for (size_t i = 0; i < components.size(); ++i) {
    if (components[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

int DataStructure::DimensionIndex(std::string_view id) const { return IndexOf(dimensions, id); }

int DataStructure::AttributeIndex(std::string_view id) const { return IndexOf(attributes, id); }

const Codelist* DataStructure::FindCodelist(std::string_view id) const {
  for (const Codelist& list : codelists) {
    if (list.id == id) return &list;
  }
  return nullptr;
}

}  // namespace gmg::sdmx
