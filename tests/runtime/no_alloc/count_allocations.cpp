// Counting allocations (see count_allocations.hpp): this file replaces the global operator new and delete, and
// with glibc (without AddressSanitizer, which owns malloc) also malloc and friends, program-wide.
#include "count_allocations.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <new>

namespace netc::test {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace netc::test

namespace {
void note_allocation() {
  if (netc::test::g_counting.load(std::memory_order_relaxed)) netc::test::g_allocations.fetch_add(1);
}
}  // namespace

#if defined(__SANITIZE_ADDRESS__)
#define NETC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NETC_ASAN 1
#endif
#endif

#if defined(__GLIBC__) && !defined(NETC_ASAN)
#define NETC_COUNT_MALLOC 1
extern "C" {
// glibc's own entry points, which the replacements below forward to.
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);
void* malloc(std::size_t n) { return note_allocation(), __libc_malloc(n); }
void* calloc(std::size_t n, std::size_t s) { return note_allocation(), __libc_calloc(n, s); }
void* realloc(void* p, std::size_t n) { return note_allocation(), __libc_realloc(p, n); }
void* aligned_alloc(std::size_t a, std::size_t n) { return note_allocation(), __libc_memalign(a, n); }
void* memalign(std::size_t a, std::size_t n) { return note_allocation(), __libc_memalign(a, n); }
int posix_memalign(void** p, std::size_t a, std::size_t n) {
  note_allocation();
  *p = __libc_memalign(a, n);
  return *p ? 0 : ENOMEM;
}
void free(void* p) { __libc_free(p); }
}
/// operator new's memory, not counted a second time as a malloc.
void* raw_malloc(std::size_t n) { return __libc_malloc(n); }
void* raw_memalign(std::size_t a, std::size_t n) { return __libc_memalign(a, n); }
#else
void* raw_malloc(std::size_t n) { return std::malloc(n); }
void* raw_memalign(std::size_t a, std::size_t n) {
  void* p = nullptr;
  return posix_memalign(&p, a, n) == 0 ? p : nullptr;
}
#endif

void* operator new(std::size_t n) {
  note_allocation();
  if (void* p = raw_malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
  note_allocation();
  if (void* p = raw_memalign(std::max(sizeof(void*), std::size_t(a)), n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace netc::test {
#ifdef NETC_COUNT_MALLOC
const bool kCountsMalloc = true;
#else
const bool kCountsMalloc = false;
#endif
}  // namespace netc::test
