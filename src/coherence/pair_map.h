// PairMap: the overlap engine's findings by pair key, in one flat array (open addressing,
// linear probing). A million activities give tens of millions of findings; as nodes of a
// std::unordered_map each was an allocation (a sixth of an analysis went to malloc and the
// page faults of its memory), here they are slots of one table.
//
// Keys are any uint64_t but the two reserved ones, kEmptyKey and kErasedKey (the engine's pair
// keys, smaller slot in the high half, never are: the high half would exceed the low). At most
// 7/10 of the slots hold a key or a tombstone; the table grows (and drops its tombstones) past
// that. Iteration order is the table's, not insertion's.
//
// Thread-safety: const methods may run concurrently; others need exclusive access.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/huge_pages.h"

namespace gmg::coherence {

template <class V>
class PairMap {
 public:
  static constexpr uint64_t kEmptyKey = ~uint64_t{0};
  static constexpr uint64_t kErasedKey = ~uint64_t{0} - 1;

  struct Slot {
    uint64_t key = kEmptyKey;
    V value{};
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void clear() {
    slots_.clear();
    size_ = 0;
    used_ = 0;
  }

  // Room for `n` keys without growing.
  void reserve(size_t n) {
    if (Capacity(n) > slots_.size()) Rehash(Capacity(n));
  }

  // Inserts (key, value) unless the key is there; true when inserted.
  bool try_emplace(uint64_t key, const V& value) {
    Slot& s = Place(key);
    if (s.key == key) return false;
    Fill(s, key, value);
    return true;
  }

  // The value of `key`, inserted (value-initialised) when missing.
  V& operator[](uint64_t key) {
    Slot& s = Place(key);
    if (s.key != key) Fill(s, key, V{});
    return s.value;
  }

  // The value of `key`, or nullptr.
  const V* find(uint64_t key) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = Home(key);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == kEmptyKey) return nullptr;
    }
  }

  // Asks the processor to bring `key`'s home slot into cache (a loop over many keys calls it
  // a few keys ahead: each slot is a cache miss in a large table).
  void Prefetch(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Home(key)]);
  }

  // Removes `key` (nothing when missing); true when removed.
  bool erase(uint64_t key) {
    if (slots_.empty()) return false;
    for (size_t i = Home(key);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.key == kEmptyKey) return false;
      if (s.key != key) continue;
      s.key = kErasedKey;
      s.value = V{};
      --size_;
      return true;
    }
  }

  // Calls fn(key, value) for every key, in table order.
  template <class Fn>
  void ForEach(Fn&& fn) const {
    for (const Slot& s : slots_) {
      if (s.key != kEmptyKey && s.key != kErasedKey) fn(s.key, s.value);
    }
  }

 private:
  // Slots for n keys at most 7/10 full, a power of two (at least 16).
  static size_t Capacity(size_t n) {
    return std::bit_ceil(std::max<size_t>(16, n + n * 3 / 7 + 1));
  }

  size_t Home(uint64_t key) const {
    // A multiplicative hash: pair keys differ in their low bits and their high bits alike.
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> 20) & (slots_.size() - 1);
  }

  // The slot holding `key`, else the one to put it in (the first tombstone on its way).
  Slot& Place(uint64_t key) {
    if (used_ + 1 > slots_.size() * 7 / 10) Rehash(Capacity(size_ + 1));
    Slot* erased = nullptr;
    for (size_t i = Home(key);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.key == key) return s;
      if (s.key == kErasedKey && erased == nullptr) erased = &s;
      if (s.key == kEmptyKey) return erased != nullptr ? *erased : s;
    }
  }

  void Fill(Slot& s, uint64_t key, const V& value) {
    if (s.key == kEmptyKey) ++used_;
    s.key = key;
    s.value = value;
    ++size_;
  }

  void Rehash(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    // Fresh memory on huge pages (core/huge_pages.h): tens of millions of findings are a
    // table of a gigabyte or more, 3 s of page faults at 4 KiB a fault.
    ReserveOnHugePages(slots_, capacity);
    slots_.assign(capacity, Slot{});
    size_ = 0;
    used_ = 0;
    for (const Slot& s : old) {
      if (s.key != kEmptyKey && s.key != kErasedKey) Fill(Place(s.key), s.key, s.value);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;  // keys
  size_t used_ = 0;  // keys and tombstones
};

}  // namespace gmg::coherence
