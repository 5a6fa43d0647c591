// AVX-512 microkernel: 14 rows x 32 columns in 28 zmm accumulators; each k step loads two vectors of B and
// broadcasts one A element per row straight from memory (BLIS's register-blocking scheme, Van Zee & van de
// Geijn 2015, with A read in place instead of packed). Included by gemm.cpp only.
#pragma once

#include <immintrin.h>

#include "microkernel.hpp"

namespace netc::rt::NETC_ISA {

/// Lane masks for the first and second half of a panel with `cols` valid columns.
inline __mmask16 half_mask(int cols) { return cols >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << cols) - 1); }

// max_ps(a, b) is a > b ? a : b, so max_ps(0, x) keeps a NaN x (as torch.relu does); leaky relu's ordered
// compare is false for NaN, which then stays x.
inline __m512 activated(__m512 x, const MicroEpilogue& e) {
  if (e.activation == Activation::Relu) return _mm512_max_ps(_mm512_setzero_ps(), x);
  if (e.activation == Activation::LeakyRelu)
    return _mm512_mask_mul_ps(x, _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LE_OQ), x, _mm512_set1_ps(e.alpha));
  // min_ps(6, y) is 6 < y ? 6 : y, which keeps a NaN y.
  if (e.activation == Activation::Relu6)
    return _mm512_min_ps(_mm512_set1_ps(6.f), _mm512_max_ps(_mm512_setzero_ps(), x));
  return x;
}

/// One tile; kSegmented: A's k steps come in t.segments runs (see MicroTile), else in one.
template <int R, bool kSegmented>
void micro_tile_rows(const MicroTile& t, const MicroEpilogue& e) {
  const __mmask16 m0 = half_mask(t.cols), m1 = half_mask(t.cols - 16 < 0 ? 0 : t.cols - 16);
  __m512 c0[R], c1[R];
  if (e.accumulate) {
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm512_maskz_loadu_ps(m0, t.c + r * t.ldc);
      c1[r] = _mm512_maskz_loadu_ps(m1, t.c + r * t.ldc + 16);
    }
  } else {
    const __m512 b0 = e.bias ? _mm512_maskz_loadu_ps(m0, e.bias) : _mm512_setzero_ps();
    const __m512 b1 = e.bias ? _mm512_maskz_loadu_ps(m1, e.bias + 16) : _mm512_setzero_ps();
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) c0[r] = b0, c1[r] = b1;
    if (e.residual)
      for (int r = 0; r < R; ++r) {
        c0[r] = _mm512_add_ps(c0[r], _mm512_maskz_loadu_ps(m0, e.residual + r * e.residual_stride));
        c1[r] = _mm512_add_ps(c1[r], _mm512_maskz_loadu_ps(m1, e.residual + r * e.residual_stride + 16));
      }
  }
  const float* a = t.a;
  const float* b = t.b;
  const Index lda = t.lda, run = t.kc / t.segments, jump = t.a_segment_stride - run;
  const char* ahead = reinterpret_cast<const char*>(t.prefetch ? t.prefetch : t.b);
  const Index ahead_step = t.prefetch ? t.prefetch_step * Index{sizeof(float)} : 0;
  // One loop either way (a loop of runs inside another made GCC keep the accumulators on the stack).
  for (Index k = 0, left = run; k < t.kc; ++k, ++a, b += 32, ahead += ahead_step) {
    if (kSegmented && left-- == 0) a += jump, left = run - 1;
    _mm_prefetch(ahead, _MM_HINT_T0);
    const __m512 w0 = _mm512_load_ps(b), w1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      const __m512 x = _mm512_set1_ps(a[r * lda]);
      c0[r] = _mm512_fmadd_ps(x, w0, c0[r]);
      c1[r] = _mm512_fmadd_ps(x, w1, c1[r]);
    }
  }
  const MicroEpilogue last = e;  // a local copy: the stores below cannot change it
  float* c = t.c;
  const Index ldc = t.ldc;
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) {
    _mm512_mask_storeu_ps(c + r * ldc, m0, activated(c0[r], last));
    _mm512_mask_storeu_ps(c + r * ldc + 16, m1, activated(c1[r], last));
  }
}

}  // namespace netc::rt::NETC_ISA
