// conv2d (every path) and dense allocate nothing once the workspace is configured: this binary replaces the
// global operator new and delete, and with glibc (without AddressSanitizer, which owns malloc) also malloc and
// friends, counting calls while a kernel runs. Its own executable, since the replacements are program-wide.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "conv_paths.hpp"
#include "test_kernels_support.hpp"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
void note_allocation() {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
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

namespace {

using namespace netc;

/// Allocations made while f runs.
template <class F>
long allocations_in(F&& f) {
  g_allocations = 0;
  g_counting = true;
  f();
  g_counting = false;
  return g_allocations.load();
}

/// A convolution run twice on a 2-thread workspace (the first call may not allocate either).
long conv_allocations(const rt::ConvLayer& conv, const test::Buffer& in, test::ConvPath path) {
  test::Buffer out(in.n, conv.window.out_h(in.h), conv.window.out_w(in.w), conv.out_c);
  rt::Workspace ws;
  ws.configure(2, rt::conv2d_scratch_floats(conv, in.h, in.w));
  return allocations_in([&] {
    for (int i = 0; i < 2; ++i) path(conv, in.view(), out.tensor(), ws);
  });
}

}  // namespace

TEST_CASE("the counters see allocations (so the checks below can fail)") {
  static void* volatile sink = nullptr;  // volatile: the compiler may not elide the allocations
  CHECK(allocations_in([] { sink = ::operator new(16); ::operator delete(sink); }) == 1);
  CHECK(allocations_in([] { std::vector<float> v(100); sink = v.data(); }) == 1);
#ifdef NETC_COUNT_MALLOC
  CHECK(allocations_in([] { sink = std::malloc(16); std::free(sink); }) == 1);
#endif
}

TEST_CASE("conv2d allocates nothing on any path once the workspace is configured") {
  const rt::Epilogue relu{rt::Activation::Relu}, sigmoid{rt::Activation::Sigmoid};
  const test::Buffer in = test::random_buffer(2, 16, 15, 64, 3000);
  const std::vector<float> w = test::random_values(std::size_t(64) * 64 * 9, 3001);
  const rt::ConvLayer pointwise = rt::pack_conv(w.data(), nullptr, 64, 64, rt::Window{}, relu);
  const rt::ConvLayer im2col = rt::pack_conv(w.data(), nullptr, 64, 64, {3, 3, 2, 2, 1, 1, 1, 1}, sigmoid);
  const rt::ConvLayer winograd = rt::pack_conv(w.data(), nullptr, 64, 64, {3, 3, 1, 1, 1, 1, 1, 1}, relu);
  REQUIRE(rt::detail::use_winograd(winograd, in.view()));
  CHECK(conv_allocations(pointwise, in, &rt::conv2d) == 0);
  CHECK(conv_allocations(im2col, in, &rt::conv2d) == 0);
  CHECK(conv_allocations(winograd, in, &rt::conv2d) == 0);
  CHECK(conv_allocations(winograd, in, test::kIm2colPath) == 0);  // the same layer's GEMM fallback
  test::Buffer out(2, 16, 15, 64);
  rt::Workspace ws;
  ws.configure(2, rt::conv2d_scratch_floats(winograd, 16, 15));
  for (const rt::ConvLayer* conv : {&pointwise, &winograd})
    CHECK(allocations_in([&] { rt::conv2d_residual(*conv, in.view(), out.view(), out.tensor(), ws); }) == 0);
}

TEST_CASE("dense allocates nothing, at batch 1 and batch 8") {
  const std::vector<float> w = test::random_values(std::size_t(300) * 200, 3010);
  const rt::DenseLayer layer = rt::pack_dense(w.data(), nullptr, 300, 200, {rt::Activation::Tanh});
  for (const int batch : {1, 8}) {
    const test::Buffer in = test::random_buffer(batch, 1, 1, 200, 3011);
    test::Buffer out(batch, 1, 1, 300);
    rt::Workspace ws;
    ws.configure(2, 0);
    CHECK(allocations_in([&] { rt::dense(layer, in.view(), out.tensor(), ws); }) == 0);
  }
}

TEST_CASE("the workspace forms of pooling, padding and the elementwise kernels allocate nothing") {
  const test::Buffer in = test::random_buffer(2, 20, 18, 33, 3020);
  test::Buffer pooled(2, 10, 9, 33), padded(2, 22, 20, 33), out = in;
  const test::BatchNormParams bn(33, 3021);
  const rt::ChannelAffine affine =
      rt::batch_norm_affine(bn.gamma.data(), bn.beta.data(), bn.mean.data(), bn.var.data(), bn.eps, 33, {});
  rt::Workspace ws;
  ws.configure(2, 0);
  CHECK(allocations_in([&] {
          rt::max_pool({2, 2, 2, 2, 0, 0, 0, 0}, in.view(), pooled.tensor(), ws);
          rt::avg_pool({2, 2, 2, 2, 0, 0, 0, 0}, in.view(), pooled.tensor(), ws);
          rt::zero_pad(in.view(), padded.tensor(), 1, 1, 1, 1, ws);
          rt::add(in.view(), in.view(), out.tensor(), {rt::Activation::Relu}, ws);
          rt::activate(in.view(), out.tensor(), {rt::Activation::Sigmoid}, ws);
          rt::channel_affine(affine, in.view(), out.tensor(), ws);
        }) == 0);
}
