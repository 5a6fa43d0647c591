// A microkernel shaped like netc's AVX2 one but with its accumulators' set-up loop left rolled: GCC 12 keeps
// the array in memory and stores the accumulators on every k step. microkernel_registers.py must report it.
#include <immintrin.h>

namespace netc::rt::probe {

template <int R>
__attribute__((noinline)) void micro_tile_rows(const float* a, long lda, const float* b, long kc, float* c, long ldc,
                                               const float* bias, int cols) {
  const __m256i m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  const __m256i m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols - 8), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  __m256 c0[R], c1[R];
  const __m256 b0 = _mm256_maskload_ps(bias, m0), b1 = _mm256_maskload_ps(bias + 8, m1);
  for (int r = 0; r < R; ++r) c0[r] = b0, c1[r] = b1;
  for (long k = 0; k < kc; ++k, ++a, b += 16) {
    const __m256 w0 = _mm256_load_ps(b), w1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      const __m256 x = _mm256_broadcast_ss(a + r * lda);
      c0[r] = _mm256_fmadd_ps(x, w0, c0[r]);
      c1[r] = _mm256_fmadd_ps(x, w1, c1[r]);
    }
  }
  for (int r = 0; r < R; ++r) {
    _mm256_maskstore_ps(c + r * ldc, m0, c0[r]);
    _mm256_maskstore_ps(c + r * ldc + 8, m1, c1[r]);
  }
}

template void micro_tile_rows<6>(const float*, long, const float*, long, float*, long, const float*, int);

}  // namespace netc::rt::probe

int main() { return 0; }
