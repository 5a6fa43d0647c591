// Portable microkernel: 4 rows x 16 columns of plain loops that the compiler vectorizes for whatever the
// target has (the reference loop order of Goto & van de Geijn 2008, register tile in an array). Included by
// gemm.cpp only.
#pragma once

#include "microkernel.hpp"

namespace netc::rt::NETC_ISA {

// Written so that NaN stays NaN (as torch.relu keeps it): the comparisons are false for NaN.
inline float activated(float x, const MicroEpilogue& e) {
  if (e.activation == Activation::Relu) return x < 0.f ? 0.f : x;
  if (e.activation == Activation::LeakyRelu) return x > 0.f ? x : x * e.alpha;
  if (e.activation == Activation::Relu6) return x < 0.f ? 0.f : x > 6.f ? 6.f : x;
  return x;
}

/// One tile; A's runs (MicroTile::segments) are walked the same way whether kSegmented or not.
template <int R, bool kSegmented>
void micro_tile_rows(const MicroTile& t, const MicroEpilogue& e) {
  float acc[R][kGemmCols];
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < kGemmCols; ++j) {
      acc[r][j] = j >= t.cols ? 0.f : e.accumulate ? t.c[r * t.ldc + j] : e.bias ? e.bias[j] : 0.f;
      if (j < t.cols && !e.accumulate && e.residual) acc[r][j] += e.residual[r * e.residual_stride + j];
    }
  // The k loop twice, for columns [0, 8) and [8, 16): R x 2 vector sums of 4 floats, the 2 B vectors and a
  // broadcast fit SSE2's 16 registers (all 16 columns at once spilled the sums on every k step: ResNet50 18 x
  // the AVX2 kernels' time). Each sum still runs over k in order, so the results are the same. Every loop
  // over the rows is unrolled (an array indexed in a rolled loop stays in memory).
  static_assert(kGemmCols % (2 * kLanes) == 0, "the columns split into halves of 2 vectors");
  const Index run = t.kc / t.segments;
  for (int h = 0; h < kGemmCols; h += 2 * kLanes) {
    Lanes c[R][2];
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      c[r][0] = *reinterpret_cast<const UnalignedLanes*>(&acc[r][h]);
      c[r][1] = *reinterpret_cast<const UnalignedLanes*>(&acc[r][h + kLanes]);
    }
    const float* b = t.b + h;
    for (int s = 0; s < t.segments; ++s) {
      const float* a = t.a + s * t.a_segment_stride;
      for (Index k = 0; k < run; ++k, b += kGemmCols) {
        const Lanes b0 = *reinterpret_cast<const UnalignedLanes*>(b);
        const Lanes b1 = *reinterpret_cast<const UnalignedLanes*>(b + kLanes);
#pragma GCC unroll 4
        for (int r = 0; r < R; ++r) {
          const float x = a[r * t.lda + k];
          c[r][0] += x * b0;
          c[r][1] += x * b1;
        }
      }
    }
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      *reinterpret_cast<UnalignedLanes*>(&acc[r][h]) = c[r][0];
      *reinterpret_cast<UnalignedLanes*>(&acc[r][h + kLanes]) = c[r][1];
    }
  }
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < t.cols; ++j) t.c[r * t.ldc + j] = activated(acc[r][j], e);
}

}  // namespace netc::rt::NETC_ISA
