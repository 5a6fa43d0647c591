// A deliberate leak for isa_isolation.py to find (the test that the check can fail): this file is compiled
// with -mavx2, and the function below lies outside netc::rt::avx2 and avx512, as an inline function or a
// template instantiation from an AVX object would. Never run; only disassembled.
#include <immintrin.h>

namespace netc::rt {

__attribute__((noinline)) float leaked_sum(const float* x) {
  const __m256 v = _mm256_loadu_ps(x);
  const __m128 half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  return _mm_cvtss_f32(_mm_hadd_ps(_mm_hadd_ps(half, half), half));
}

}  // namespace netc::rt

int main(int argc, char**) {
  float x[8] = {1, 2, 3, 4, 5, 6, 7, static_cast<float>(argc)};
  return netc::rt::leaked_sum(x) > 0 ? 0 : 1;
}
