// AdviseHugePages: asks the kernel to back a large, not yet touched allocation with 2 MiB
// pages (transparent huge pages, madvise(MADV_HUGEPAGE)).
//
// Why: on this project's machines a first touch of fresh memory costs a page fault per 4 KiB,
// about 3 ms per MiB (310 ms for 100 MiB measured on the 2-core VM; 9 ms with huge pages), so
// a large array filled at once (the search catalog's entries and lists when a server starts)
// spends most of its time faulting. Call it right after reserving the array and before
// writing to it: pages already touched stay as they are. Only whole 2 MiB pages inside
// [data, data + bytes) are advised (`data` must point into one allocation that long), so
// anything smaller than 4 MiB may gain nothing.
// Harmless where transparent huge pages are off or "always", or on another system (no-op).
// Thread-safety: any thread.
#pragma once

#include <cstddef>
#include <vector>

namespace gmg {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// An array at least this large has a mapping of its own (glibc's malloc never serves more than
// 32 MiB from its heap), so advice on it ends when it is freed. A smaller array may sit in the
// heap: once freed, the advice stays on memory that small allocations reuse, and each of their
// page faults there then clears 2 MiB (the overlap engine's Upsert and Check ran 2-3x slower
// after a 19 MiB temporary was advised). Advise an array that will be freed only at this size.
inline constexpr size_t kOwnMappingBytes = size_t{64} << 20;

// Returns whether any range was advised (false: too small, or the kernel declined).
bool AdviseHugePages(const void* data, size_t bytes);

// Makes `v` an empty vector with room for `n` elements in fresh memory, advised only when the
// array is at least kOwnMappingBytes (the size at which advice is safe even for an array that is
// freed later).
template <class T>
void ReserveOnHugePages(std::vector<T>& v, size_t n) {
  v = std::vector<T>();
  v.reserve(n);
  if (n * sizeof(T) >= kOwnMappingBytes) AdviseHugePages(v.data(), n * sizeof(T));
}

}  // namespace gmg
