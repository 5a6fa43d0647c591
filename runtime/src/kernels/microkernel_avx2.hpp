// AVX2 + FMA microkernel: 6 rows x 16 columns in 12 ymm accumulators, two B vectors and one broadcast per
// row and k step (BLIS's Haswell kernel shape, Van Zee & van de Geijn 2015, with A read in place). Edge
// panels go through masked loads and stores. Included by gemm.cpp only.
#pragma once

#include <immintrin.h>

#include "microkernel.hpp"

namespace netc::rt::NETC_ISA {

/// The lane mask (all bits set = lane on) for lanes [0, cols) of an 8-float vector.
inline __m256i lane_mask(int cols) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(cols), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// max_ps(a, b) is a > b ? a : b, so max_ps(0, x) keeps a NaN x (as torch.relu does); leaky relu's ordered
// compare is false for NaN, which then stays x.
inline __m256 activated(__m256 x, const MicroEpilogue& e) {
  if (e.activation == Activation::Relu) return _mm256_max_ps(_mm256_setzero_ps(), x);
  if (e.activation == Activation::LeakyRelu)
    return _mm256_blendv_ps(x, _mm256_mul_ps(x, _mm256_set1_ps(e.alpha)),
                            _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LE_OQ));
  // min_ps(6, y) is 6 < y ? 6 : y, which keeps a NaN y.
  if (e.activation == Activation::Relu6)
    return _mm256_min_ps(_mm256_set1_ps(6.f), _mm256_max_ps(_mm256_setzero_ps(), x));
  return x;
}

/// One tile; kSegmented: A's k steps come in t.segments runs (see MicroTile), else in one.
template <int R, bool kSegmented>
void micro_tile_rows(const MicroTile& t, const MicroEpilogue& e) {
  const __m256i m0 = lane_mask(t.cols), m1 = lane_mask(t.cols - 8);
  // Every loop over the rows is unrolled: GCC keeps an array indexed in a rolled loop in memory, and then
  // stores the 12 accumulators on every k step (half the FMA rate on a core with one store a cycle, Zen 2).
  __m256 c0[R], c1[R];
  if (e.accumulate) {
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm256_maskload_ps(t.c + r * t.ldc, m0);
      c1[r] = _mm256_maskload_ps(t.c + r * t.ldc + 8, m1);
    }
  } else {
    const __m256 b0 = e.bias ? _mm256_maskload_ps(e.bias, m0) : _mm256_setzero_ps();
    const __m256 b1 = e.bias ? _mm256_maskload_ps(e.bias + 8, m1) : _mm256_setzero_ps();
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) c0[r] = b0, c1[r] = b1;
    if (e.residual)
#pragma GCC unroll 6
      for (int r = 0; r < R; ++r) {
        c0[r] = _mm256_add_ps(c0[r], _mm256_maskload_ps(e.residual + r * e.residual_stride, m0));
        c1[r] = _mm256_add_ps(c1[r], _mm256_maskload_ps(e.residual + r * e.residual_stride + 8, m1));
      }
  }
  const float* a = t.a;
  const float* b = t.b;
  const Index lda = t.lda, run = t.kc / t.segments, jump = t.a_segment_stride - run;
  const char* ahead = reinterpret_cast<const char*>(t.prefetch ? t.prefetch : t.b);
  const Index ahead_step = t.prefetch ? t.prefetch_step * Index{sizeof(float)} : 0;
  // One loop either way (a loop of runs inside another made GCC keep the accumulators on the stack), unrolled
  // twice: a k step is 6 cycles of multiply-adds and the loop's own instructions crowd them (AMD Zen 2, 1%).
#pragma GCC unroll 2
  for (Index k = 0, left = run; k < t.kc; ++k, ++a, b += 16, ahead += ahead_step) {
    if (kSegmented && left-- == 0) a += jump, left = run - 1;
    _mm_prefetch(ahead, _MM_HINT_T0);
    const __m256 w0 = _mm256_load_ps(b), w1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      const __m256 x = _mm256_broadcast_ss(a + r * lda);
      c0[r] = _mm256_fmadd_ps(x, w0, c0[r]);
      c1[r] = _mm256_fmadd_ps(x, w1, c1[r]);
    }
  }
  const MicroEpilogue last = e;  // a local copy: the stores below cannot change it
  float* c = t.c;
  const Index ldc = t.ldc;
  if (t.cols == 16) {
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      _mm256_storeu_ps(c + r * ldc, activated(c0[r], last));
      _mm256_storeu_ps(c + r * ldc + 8, activated(c1[r], last));
    }
    return;
  }
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) {
    _mm256_maskstore_ps(c + r * ldc, m0, activated(c0[r], last));
    _mm256_maskstore_ps(c + r * ldc + 8, m1, activated(c1[r], last));
  }
}

}  // namespace netc::rt::NETC_ISA
