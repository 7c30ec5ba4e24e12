#include "core/huge_pages.h"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace gmg {

bool AdviseHugePages(const void* data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (data == nullptr) return false;
  // From the first huge page boundary in the range, whole huge pages only.
  const size_t skip =
      (kHugePageBytes - reinterpret_cast<uintptr_t>(data) % kHugePageBytes) % kHugePageBytes;
  if (bytes < skip || bytes - skip < kHugePageBytes) return false;
  const size_t length = (bytes - skip) / kHugePageBytes * kHugePageBytes;
  char* first = const_cast<char*>(static_cast<const char*>(data)) + skip;
  return ::madvise(first, length, MADV_HUGEPAGE) == 0;
#else
  (void)data;
  (void)bytes;
  return false;
#endif
}

}  // namespace gmg
