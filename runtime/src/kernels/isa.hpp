// The instruction set that this compilation of the kernels targets, chosen by the build (-DNETC_ISA_AVX512,
// -DNETC_ISA_AVX2 or neither: the portable baseline), and the sizes that follow from it. Every source in
// kernels/ is compiled once per set with that set's flags, and puts everything it defines in the namespace
// netc::rt::NETC_ISA (avx512, avx2, generic), so that no two compilations define the same symbol.
//
// The rule that keeps one binary safe on every x86-64 CPU: code compiled here with AVX flags must not be
// shared with the other compilations. An inline function or template instantiation emitted out of line is a
// weak symbol the linker picks from any one object, so the kernels call no std:: algorithm or container
// member and no Eigen; they use the helpers below (in this namespace), intrinsics, GCC vector extensions and
// libc. tests/runtime/isa_isolation.py checks the linked binaries.
#pragma once

#include <cstddef>

#include "../kernel_table.hpp"

#if defined(NETC_ISA_AVX512)
#define NETC_ISA avx512
#elif defined(NETC_ISA_AVX2)
#define NETC_ISA avx2
#else
#define NETC_ISA generic
#endif

namespace netc::rt::NETC_ISA {

using detail::ConvArgs;
using detail::DenseArgs;
using detail::GemmA;
using detail::GemmC;
using detail::kDepthBlock;
using detail::PackedSpan;
using detail::PackedView;

#if defined(NETC_ISA_AVX512)
constexpr int kGemmRows = 14, kGemmCols = 32, kLanes = 16;  // 28 zmm accumulators
constexpr const char* kIsaName = "avx512";
#elif defined(NETC_ISA_AVX2)
constexpr int kGemmRows = 6, kGemmCols = 16, kLanes = 8;  // 12 ymm accumulators
constexpr const char* kIsaName = "avx2";
#else
constexpr int kGemmRows = 4, kGemmCols = 16, kLanes = 4;  // plain loops the compiler vectorizes
constexpr const char* kIsaName = "generic";
#endif

/// kLanes floats, for the elementwise transforms (GCC and Clang vector extensions: any ISA, no intrinsics).
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));
/// The same vector at any float's address (unaligned loads and stores through a pointer to it).
typedef float UnalignedLanes __attribute__((vector_size(kLanes * sizeof(float)), aligned(alignof(float)), may_alias));

template <class T>
constexpr T min_of(T a, T b) {
  return b < a ? b : a;
}
template <class T>
constexpr T max_of(T a, T b) {
  return a < b ? b : a;
}

/// dst[0, count) = src[0, count) (no overlap): an inline loop, since runs are often short (7 pixels of 3
/// channels in a ResNet stem) and a library call per run would cost more than the copy.
inline void copy_floats(const float* src, Index count, float* dst) {
  Index i = 0;
  for (; i + kLanes <= count; i += kLanes)
    *reinterpret_cast<UnalignedLanes*>(dst + i) = *reinterpret_cast<const UnalignedLanes*>(src + i);
  for (; i < count; ++i) dst[i] = src[i];
}
inline void fill_floats(float* dst, Index count, float value) {
  for (Index i = 0; i < count; ++i) dst[i] = value;
}

/// The taps [begin, end) of a window row whose first tap is at x0, taps `step` apart (the dilation), that land
/// inside [0, size); begin >= end when none does.
inline void inside_taps(int x0, int taps, int step, int size, int& begin, int& end) {
  begin = x0 >= 0 ? 0 : (-x0 + step - 1) / step;
  end = x0 >= size ? 0 : min_of(taps, (size - 1 - x0) / step + 1);
}

/// Element (k, n) of a matrix packed for these kernels (kGemmCols panels, kDepthBlock blocks).
inline Index packed_index(int rows, int panels, int k, int n) {
  const int k0 = k / kDepthBlock * kDepthBlock, depth = min_of(kDepthBlock, rows - k0);
  return (Index{k0} * panels + Index{n / kGemmCols} * depth + (k - k0)) * kGemmCols + n % kGemmCols;
}
/// Panel p of the depth block that starts at row k0 (a multiple of kDepthBlock).
inline const float* panel_at(const PackedView& m, int k0, int p) {
  const int depth = min_of(kDepthBlock, m.rows - k0);
  return m.data + (Index{k0} * m.panels + Index{p} * depth) * kGemmCols;
}
inline float* panel_at(const PackedSpan& m, int k0, int p) {
  const int depth = min_of(kDepthBlock, m.rows - k0);
  return m.data + (Index{k0} * m.panels + Index{p} * depth) * kGemmCols;
}

}  // namespace netc::rt::NETC_ISA
