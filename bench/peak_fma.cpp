// peak_fma: measures this machine's peak float32 FMA throughput in GFLOP/s (1 FMA = 2 FLOPs), on 1 thread and on
// N threads, with the widest vector ISA this file was compiled for; prints one JSON line.
// Usage: peak_fma [--threads N] [--seconds S]          (1 to N threads, about S seconds each)
//        peak_fma --serve --threads T [--burst-seconds B]  (bursts on T threads asked for by bench/run.py)
//
// Method: each thread runs kChains independent chains acc = acc * m + a on vector registers (no memory
// operands), more chains than the FMA latency times the FMA units per core, so the FMA pipes never wait for a
// result. The FLOPs of all threads over the wall time of the slowest is one trial; a high percentile of the
// trials is the peak (a shared machine's noise only ever lowers a trial).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
namespace isa {
constexpr const char* kName = "avx512f";
constexpr int kFloats = 16;
using Vec = __m512;
inline Vec splat(float x) { return _mm512_set1_ps(x); }
inline Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
inline void store(float* to, Vec v) { _mm512_storeu_ps(to, v); }
}  // namespace isa
#elif defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
namespace isa {
constexpr const char* kName = "avx2+fma";
constexpr int kFloats = 8;
using Vec = __m256;
inline Vec splat(float x) { return _mm256_set1_ps(x); }
inline Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
inline void store(float* to, Vec v) { _mm256_storeu_ps(to, v); }
}  // namespace isa
#elif defined(__ARM_NEON)
#include <arm_neon.h>
namespace isa {
constexpr const char* kName = "neon";
constexpr int kFloats = 4;
using Vec = float32x4_t;
inline Vec splat(float x) { return vdupq_n_f32(x); }
inline Vec fma(Vec a, Vec b, Vec c) { return vfmaq_f32(c, a, b); }
inline void store(float* to, Vec v) { vst1q_f32(to, v); }
}  // namespace isa
#else
#include <cmath>
namespace isa {
constexpr const char* kName = "scalar";
constexpr int kFloats = 1;
using Vec = float;
inline Vec splat(float x) { return x; }
inline Vec fma(Vec a, Vec b, Vec c) { return std::fma(a, b, c); }
inline void store(float* to, Vec v) { *to = v; }
}  // namespace isa
#endif

namespace {

// 12 chains fill 4-cycle-latency FMA units of which a core has up to 2 (8 in flight) with room to spare, and
// leave registers for the two operands even with AVX2's 16.
constexpr int kChains = 12;
constexpr long long kIterations = 1 << 20;  // per call: kChains * kFloats * 2 * 1M FLOPs (~4 ms at 100 GFLOP/s)

/// Runs kIterations steps of kChains independent FMA chains; returns a value that depends on all of them.
float fma_chains(float seed) {
  isa::Vec m = isa::splat(0.999999f), a = isa::splat(1e-6f);
  isa::Vec acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = isa::splat(seed + static_cast<float>(c));
  for (long long i = 0; i < kIterations; ++i) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = isa::fma(acc[c], m, a);
  }
  float total = 0, lanes[isa::kFloats];
  for (int c = 0; c < kChains; ++c) {
    isa::store(lanes, acc[c]);
    for (float x : lanes) total += x;
  }
  return total;
}

constexpr double kFlopsPerCall = 2.0 * kChains * isa::kFloats * static_cast<double>(kIterations);

/// GFLOP/s of `threads` threads each making `calls` calls, over the wall time of all of them.
double trial(int threads, int calls) {
  std::vector<float> sink(threads);
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t)
    pool.emplace_back([&sink, t, calls] {
      for (int k = 0; k < calls; ++k) sink[t] += fma_chains(static_cast<float>(t + k));
    });
  for (int k = 0; k < calls; ++k) sink[0] += fma_chains(static_cast<float>(k));
  for (std::thread& th : pool) th.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (sink[0] == 12345.0f) std::cerr << "unlikely\n";  // keeps the chains' results alive
  return kFlopsPerCall * threads * calls / seconds / 1e9;
}

/// Calls per thread that take about `seconds` on `threads` threads.
int calls_for(int threads, double seconds) {
  return std::max(1, static_cast<int>(trial(threads, 1) * 1e9 * seconds / (kFlopsPerCall * threads)));
}

/// The 90th percentile of the trials run within about `seconds` seconds (ten at least, ~20 ms each): noise only
/// lowers a trial, but a virtual machine's clock now and then makes one impossibly fast, which the maximum
/// would take.
double peak(int threads, double seconds) {
  int calls = calls_for(threads, 0.02);
  std::vector<double> trials;
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  while (trials.size() < 10 || elapsed() < seconds) trials.push_back(trial(threads, calls));
  std::sort(trials.begin(), trials.end());
  return trials[trials.size() * 9 / 10];
}

/// The lock-step protocol of bench/run.py (as netc_bench's): {"ready": true}, then for each line "run" on stdin a
/// burst of about burst_seconds on `threads` threads, answered with {"ms": T, "gflops": G}; at "end", the JSON
/// line with every burst's GFLOP/s and their median. So the peak is sampled in the same moments as the models.
int serve(int threads, double burst_seconds) {
  int calls = calls_for(threads, burst_seconds);
  std::vector<double> bursts;
  std::cout << "{\"ready\": true}" << std::endl;
  for (std::string line; std::getline(std::cin, line) && line != "end";) {
    if (line != "run") {
      std::cerr << "peak_fma: error: expected 'run' or 'end' on stdin, found '" << line << "'\n";
      return 1;
    }
    auto start = std::chrono::steady_clock::now();
    bursts.push_back(trial(threads, calls));
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::cout << "{\"ms\": " << ms << ", \"gflops\": " << bursts.back() << "}" << std::endl;
  }
  if (bursts.empty()) return 1;
  std::vector<double> sorted = bursts;
  std::sort(sorted.begin(), sorted.end());
  std::cout << "{\"isa\": \"" << isa::kName << "\", \"threads\": " << threads << ", \"bursts_gflops\": [";
  for (std::size_t i = 0; i < bursts.size(); ++i) std::cout << (i ? ", " : "") << bursts[i];
  std::cout << "], \"gflops\": " << sorted[sorted.size() / 2] << "}" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  double seconds = 1.0, burst_seconds = 0.1;
  bool lock_step = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) threads = std::max(1, std::atoi(argv[++i]));
    else if (a == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
    else if (a == "--burst-seconds" && i + 1 < argc) burst_seconds = std::atof(argv[++i]);
    else if (a == "--serve") lock_step = true;
    else {
      std::cerr << "usage: peak_fma [--threads N] [--seconds S] | peak_fma --serve --threads T [--burst-seconds B]\n";
      return 2;
    }
  }
  if (lock_step) return serve(threads, burst_seconds);
  std::cout << "{\"isa\": \"" << isa::kName << "\", \"vector_floats\": " << isa::kFloats << ", \"chains\": "
            << kChains << ", \"gflops\": {";
  for (int t = 1; t <= threads; ++t) std::cout << (t > 1 ? ", " : "") << "\"" << t << "\": " << peak(t, seconds);
  std::cout << "}}" << std::endl;
  return 0;
}
