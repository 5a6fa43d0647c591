// The workspace's thread pool: workers spin briefly on a generation counter for the next job (layers follow
// each other within microseconds), then sleep on a condition variable.
#include "netc/workspace.hpp"

#include <algorithm>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define NETC_PAUSE() _mm_pause()
#else
#define NETC_PAUSE() std::this_thread::yield()
#endif

namespace netc::rt {

namespace {
constexpr int kSpins = 20000;             // about 0.1-1 ms of polling before sleeping
constexpr std::size_t kAlignFloats = 16;  // 64 bytes
}  // namespace

Workspace::~Workspace() {
  stop_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  for (std::thread& w : workers_) w.join();
}

void Workspace::configure(int threads, std::size_t scratch_floats) {
  if (threads <= 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads_ = threads;
  scratch_floats_ = scratch_floats;
  stride_ = (scratch_floats + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
  scratch_.assign(stride_ * static_cast<std::size_t>(threads) + kAlignFloats, 0.0f);
  // Align the first thread's scratch to 64 bytes; the others follow at multiples of 64 bytes.
  std::size_t misalign = (reinterpret_cast<std::uintptr_t>(scratch_.data()) / sizeof(float)) % kAlignFloats;
  offset_ = misalign == 0 ? 0 : kAlignFloats - misalign;
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { work(t); });
}

float* Workspace::scratch(int t) { return scratch_.data() + offset_ + static_cast<std::size_t>(t) * stride_; }

void Workspace::run_chunk(int t) {
  std::ptrdiff_t chunk = (job_n_ + job_chunks_ - 1) / job_chunks_;
  std::ptrdiff_t begin = std::min<std::ptrdiff_t>(job_n_, chunk * t), end = std::min<std::ptrdiff_t>(job_n_, begin + chunk);
  if (begin < end) (*job_)(begin, end, t);
}

void Workspace::work(int t) {
  unsigned seen = 0;
  while (true) {
    int spins = 0;
    while (generation_.load(std::memory_order_acquire) == seen && spins++ < kSpins) NETC_PAUSE();
    if (generation_.load(std::memory_order_acquire) == seen) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    }
    seen = generation_.load(std::memory_order_acquire);
    if (stop_) return;
    if (t < job_chunks_) run_chunk(t);
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void Workspace::parallel_for(std::ptrdiff_t n, const std::function<void(std::ptrdiff_t, std::ptrdiff_t, int)>& f) {
  if (n <= 0) return;
  int chunks = static_cast<int>(std::min<std::ptrdiff_t>(threads_, n));
  if (chunks == 1) return f(0, n, 0);
  job_ = &f;
  job_n_ = n;
  job_chunks_ = chunks;
  pending_.store(threads_ - 1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  wake_.notify_all();
  run_chunk(0);
  while (pending_.load(std::memory_order_acquire) != 0) NETC_PAUSE();
}

}  // namespace netc::rt
