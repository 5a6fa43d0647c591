// The workspace's thread pool. Workers spin briefly on a generation counter for the next job (layers follow
// each other within microseconds), yielding the core now and then, then sleep on a condition variable; the
// caller only takes the lock to wake workers that actually sleep. Each thread takes ranges of its own part of
// a job from an atomic counter, then of the others' parts (work stealing, as in OpenMP's static schedule with
// a dynamic tail), and the caller waits only for workers that entered the job, so a late or descheduled worker
// costs nothing.
#include "netc/workspace.hpp"

#include <algorithm>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define NETC_PAUSE() _mm_pause()
#else
#define NETC_PAUSE() std::this_thread::yield()
#endif

#include "detail.hpp"

namespace netc::rt {

namespace detail {
/// Moves the calling thread off `cpu` to another CPU its affinity allows, then gives it back its affinity
/// (a running thread stays where it is). Linux places a woken thread on its waker's CPU when it sees no cache
/// shared between the CPUs (virtual machines that describe each vCPU as its own package do): a worker woken by
/// a caller that is about to compute then queues behind it on one core, and the job runs at one thread's
/// speed until the load balancer moves it (MobileNetV2, 2 threads, passes 50 ms apart, AMD EPYC Zen 2 VM:
/// every second pass took the 1-thread time). The user's affinity mask is respected: only CPUs in it are used.
void move_off_cpu(int cpu) {
#if defined(__linux__)
  cpu_set_t allowed;
  if (cpu < 0 || cpu >= CPU_SETSIZE || pthread_getaffinity_np(pthread_self(), sizeof allowed, &allowed) != 0) return;
  if (!CPU_ISSET(cpu, &allowed) || CPU_COUNT(&allowed) < 2) return;
  cpu_set_t others = allowed;
  CPU_CLR(cpu, &others);
  if (pthread_setaffinity_np(pthread_self(), sizeof others, &others) == 0)
    pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
#else
  (void)cpu;
#endif
}
}  // namespace detail

namespace {
constexpr int kSpins = 50000;             // 1-2 ms of polling before sleeping (a pause is 30-40 ns on AMD Zen)
/// A polling thread yields its core every this many pauses: when the threads outnumber the cores they get
/// (another process, a hypervisor taking a core away), the thread it waits for may be queued behind it.
/// With 2 threads on one core, MobileNetV2 took 12.4 ms polling, 7.2 on 1 thread (AMD EPYC family 26).
constexpr int kSpinsPerYield = 256;

/// One poll of a waiting loop: a pause, and every kSpinsPerYield-th time a yield.
void poll(int& spins) {
  if (++spins % kSpinsPerYield == 0)
    std::this_thread::yield();
  else
    NETC_PAUSE();
}
constexpr std::size_t kAlignFloats = 16;  // 64 bytes

/// The CPU the calling thread runs on, or -1 where that cannot be known.
int current_cpu() {
#if defined(__linux__)
  return sched_getcpu();
#else
  return -1;
#endif
}

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
  // allocate_buffer aligns the first thread's scratch to 64 bytes; the others follow at multiples of 64 bytes.
  scratch_ = make_float_buffer(stride_ * static_cast<std::size_t>(threads));
  parts_.reset(new Part[static_cast<std::size_t>(threads)]);
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { work(t); });
  if (threads == 1) return;
  for (int t = 0; t < threads; ++t) {
    auto& alone = one_thread_.emplace_back(std::make_unique<Workspace>());
    alone->scratch_floats_ = scratch_floats_;
    alone->stride_ = stride_;
    alone->borrowed_ = scratch(t);
  }
}

float* Workspace::scratch(int t) {
  return (borrowed_ != nullptr ? borrowed_ : scratch_.get()) + static_cast<std::size_t>(t) * stride_;
}

Workspace& Workspace::one_thread(int t) { return one_thread_.empty() ? *this : *one_thread_[static_cast<std::size_t>(t)]; }

void Workspace::run_part(int part, int t) {
  Part& p = parts_[std::size_t(part)];
  while (true) {
    const std::ptrdiff_t begin = p.next.fetch_add(job_grain_);
    if (begin >= p.end) return;
    (*job_)(begin, std::min(p.end, begin + job_grain_), t);
  }
}

// Thread t's own part first, then the others' in turn.
void Workspace::run_ranges(int t) {
  for (int i = 0; i < threads_; ++i) run_part((t + i) % threads_, t);
}

void Workspace::work(int t) {
  unsigned seen = 0;
  while (true) {
    int spins = 0;
    while (generation_.load(std::memory_order_acquire) == seen && spins < kSpins) poll(spins);
    if (generation_.load(std::memory_order_acquire) == seen) {
      sleepers_.fetch_add(1);  // seq_cst, paired with parallel_for's bump then check of sleepers_
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load() != seen; });
      sleepers_.fetch_sub(1);
      lock.unlock();
      const int cpu = current_cpu();
      if (cpu >= 0 && cpu == caller_cpu_.load(std::memory_order_relaxed)) detail::move_off_cpu(cpu);
    }
    seen = generation_.load(std::memory_order_acquire);
    if (stop_) return;
    // Enter, then check that the job is still open (seq_cst both): either the caller sees this worker
    // inside and waits for it, or the worker sees the job closed and leaves without touching it.
    inside_.fetch_add(1);
    if (open_.load()) run_ranges(t);
    inside_.fetch_sub(1, std::memory_order_release);
  }
}

void Workspace::parallel_for(std::ptrdiff_t n, ChunkFunction f, std::ptrdiff_t grain) {
  if (n <= 0) return;
  if (grain <= 0) grain = std::max<std::ptrdiff_t>(1, n / (4 * std::ptrdiff_t{threads_}));
  if (threads_ == 1 || grain >= n) return f(0, n, 0);
  // No worker is inside (the previous job waited for them), so the job's fields are free to change.
  job_ = &f;
  job_grain_ = grain;
  // Part t: grains [grains * t / threads, grains * (t + 1) / threads).
  const std::ptrdiff_t grains = (n + grain - 1) / grain;
  for (int t = 0; t < threads_; ++t) {
    parts_[std::size_t(t)].next.store(std::min(n, grains * t / threads_ * grain), std::memory_order_relaxed);
    parts_[std::size_t(t)].end = std::min(n, grains * (t + 1) / threads_ * grain);
  }
  open_.store(true);         // seq_cst: published with the fields above
  generation_.fetch_add(1);  // seq_cst: a worker that has not yet counted itself asleep sees the new job
  if (sleepers_.load() > 0) {
    caller_cpu_.store(current_cpu(), std::memory_order_relaxed);
    { std::lock_guard<std::mutex> lock(mutex_); }  // a sleeper is either waiting or will re-check generation_
    wake_.notify_all();
  }
  run_ranges(0);
  open_.store(false);
  for (int spins = 0; inside_.load(std::memory_order_acquire) != 0;) poll(spins);
}

}  // namespace netc::rt
