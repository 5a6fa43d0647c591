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
  const Index run = t.kc / t.segments;
  const float* b = t.b;
  for (int s = 0; s < t.segments; ++s)
    for (Index k = 0; k < run; ++k, b += kGemmCols)
      for (int r = 0; r < R; ++r) {
        const float x = t.a[s * t.a_segment_stride + r * t.lda + k];
        for (int j = 0; j < kGemmCols; ++j) acc[r][j] += x * b[j];
      }
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < t.cols; ++j) t.c[r * t.ldc + j] = activated(acc[r][j], e);
}

}  // namespace netc::rt::NETC_ISA
