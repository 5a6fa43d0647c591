// peak_fma: measures this machine's peak float32 FMA throughput in GFLOP/s (1 FMA = 2 FLOPs), on 1 thread and on
// N threads, with the vectors of the instruction set whose kernels netc's runtime runs here (the best the CPU
// has, or the one NETC_ISA forces: AVX-512, AVX2 + FMA, or the baseline's SSE multiply and add); one JSON line.
// Usage: peak_fma [--threads N] [--seconds S]          (1 to N threads, about S seconds each)
//        peak_fma --serve --threads T [--burst-seconds B]  (bursts on T threads asked for by bench/run.py)
//
// Method: each thread runs kChains independent chains acc = acc * m + a on vector registers (no memory
// operands), more chains than the FMA latency times the FMA units per core, so the FMA pipes never wait for a
// result. The FLOPs of all threads over the wall time of the slowest is one trial; a high percentile of the
// trials is the peak (a shared machine's noise only ever lowers a trial). Each set's loop is compiled for it
// (GCC's target attribute) and chosen at run time, as the runtime chooses its kernels.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <netc/runtime.hpp>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#elif defined(__ARM_NEON)
#include <arm_neon.h>
#endif

namespace {

// 12 chains fill 4-cycle-latency FMA units of which a core has up to 2 (8 in flight) with room to spare, and
// leave registers for the two operands even with AVX2's 16.
constexpr int kChains = 12;
constexpr long long kIterations = 1 << 20;  // per call: kChains * floats * 2 * 1M FLOPs (~4 ms at 100 GFLOP/s)

// Runs kIterations steps of kChains independent chains of Vec (floats lanes) and returns a value that depends
// on all of them; one function per instruction set, compiled with `target`.
#define NETC_FMA_CHAINS(name, target, Vec, floats, splat, fma, store)                         \
  target float name(float seed) {                                                             \
    Vec m = splat(0.999999f), a = splat(1e-6f), acc[kChains];                                 \
    for (int c = 0; c < kChains; ++c) acc[c] = splat(seed + static_cast<float>(c));           \
    for (long long i = 0; i < kIterations; ++i) {                                            \
      _Pragma("GCC unroll 12") for (int c = 0; c < kChains; ++c) acc[c] = fma(acc[c], m, a); \
    }                                                                                         \
    float total = 0, lanes[floats];                                                           \
    for (int c = 0; c < kChains; ++c) {                                                       \
      store(lanes, acc[c]);                                                                   \
      for (float x : lanes) total += x;                                                       \
    }                                                                                         \
    return total;                                                                             \
  }

/// One instruction set's loop: its name in the JSON, its vector width, the function.
struct Isa {
  const char* name;
  int floats;
  float (*chains)(float);
};

#if defined(__x86_64__) || defined(_M_X64)
#define NETC_MUL_ADD_128(x, y, z) _mm_add_ps(_mm_mul_ps(x, y), z)  // SSE2 has no FMA: multiply, then add
NETC_FMA_CHAINS(chains_avx512, __attribute__((target("avx512f"))), __m512, 16, _mm512_set1_ps, _mm512_fmadd_ps,
                _mm512_storeu_ps)
NETC_FMA_CHAINS(chains_avx2, __attribute__((target("avx2,fma"))), __m256, 8, _mm256_set1_ps, _mm256_fmadd_ps,
                _mm256_storeu_ps)
NETC_FMA_CHAINS(chains_sse, , __m128, 4, _mm_set1_ps, NETC_MUL_ADD_128, _mm_storeu_ps)
const Isa kIsas[] = {{"avx512", 16, &chains_avx512}, {"avx2", 8, &chains_avx2}, {"generic", 4, &chains_sse}};
#elif defined(__ARM_NEON)
inline float32x4_t neon_fma(float32x4_t a, float32x4_t b, float32x4_t c) { return vfmaq_f32(c, a, b); }
NETC_FMA_CHAINS(chains_neon, , float32x4_t, 4, vdupq_n_f32, neon_fma, vst1q_f32)
const Isa kIsas[] = {{"generic", 4, &chains_neon}};
#else
inline float scalar_splat(float x) { return x; }
inline void scalar_store(float* to, float v) { *to = v; }
NETC_FMA_CHAINS(chains_scalar, , float, 1, scalar_splat, std::fma, scalar_store)
const Isa kIsas[] = {{"generic", 1, &chains_scalar}};
#endif

/// The loop of the runtime's instruction set (the last, the baseline's, if none matches).
const Isa& active() {
  static const Isa& isa = *std::find_if(std::begin(kIsas), std::end(kIsas) - 1, [](const Isa& i) {
    return std::strcmp(i.name, netc::rt::active_isa()) == 0;
  });
  return isa;
}

float fma_chains(float seed) { return active().chains(seed); }

/// FLOPs of one fma_chains call.
double flops_per_call() { return 2.0 * kChains * active().floats * static_cast<double>(kIterations); }

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
  return flops_per_call() * threads * calls / seconds / 1e9;
}

/// Calls per thread that take about `seconds` on `threads` threads.
int calls_for(int threads, double seconds) {
  return std::max(1, static_cast<int>(trial(threads, 1) * 1e9 * seconds / (flops_per_call() * threads)));
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
  std::cout << "{\"isa\": \"" << active().name << "\", \"threads\": " << threads << ", \"bursts_gflops\": [";
  for (std::size_t i = 0; i < bursts.size(); ++i) std::cout << (i ? ", " : "") << bursts[i];
  std::cout << "], \"gflops\": " << sorted[sorted.size() / 2] << "}" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
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
  active();  // chooses the instruction set, or throws before anything is printed
  if (lock_step) return serve(threads, burst_seconds);
  std::cout << "{\"isa\": \"" << active().name << "\", \"vector_floats\": " << active().floats << ", \"chains\": "
            << kChains << ", \"gflops\": {";
  for (int t = 1; t <= threads; ++t) std::cout << (t > 1 ? ", " : "") << "\"" << t << "\": " << peak(t, seconds);
  std::cout << "}}" << std::endl;
  return 0;
} catch (const std::exception& e) {  // NETC_ISA asks for what the CPU lacks
  std::cerr << "peak_fma: error: " << e.what() << "\n";
  return 1;
}
