#include "core/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

namespace gmg {
namespace {

struct Free {
  void operator()(void* p) const { std::free(p); }
};

TEST(HugePagesTest, AdvisesOnlyWholeHugePagesAndKeepsTheContent) {
  constexpr size_t kBytes = 4 * kHugePageBytes;
  std::unique_ptr<char, Free> block(static_cast<char*>(std::aligned_alloc(kHugePageBytes, kBytes)));
  ASSERT_NE(block, nullptr);
  char* p = block.get();
  std::memset(p, 7, kHugePageBytes);  // the first huge page touched already
  // Less than one whole aligned huge page: nothing to advise.
  EXPECT_FALSE(AdviseHugePages(p + 1, kHugePageBytes));
  EXPECT_FALSE(AdviseHugePages(p, kHugePageBytes - 1));
  EXPECT_FALSE(AdviseHugePages(nullptr, 0));
  // Where the kernel has transparent huge pages, a range of whole ones is advised.
  const bool thp = std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled");
  EXPECT_EQ(AdviseHugePages(p + 1, kBytes - 1), thp);
  EXPECT_EQ(p[0], 7);
  EXPECT_EQ(p[kHugePageBytes - 1], 7);
  std::memset(p + kHugePageBytes, 9, kBytes - kHugePageBytes);
  EXPECT_EQ(p[kBytes - 1], 9);
}

}  // namespace
}  // namespace gmg
