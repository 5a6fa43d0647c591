// The resources kernels may use besides their operands: worker threads and per-thread scratch memory.
// A generated model makes one at load and passes it to every kernel; forward() then allocates nothing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "netc/buffer.hpp"

namespace netc::rt {

/// A non-owning reference to a callable with the signature R(Args...): unlike std::function it never
/// allocates, so kernels and generated code can hand lambdas with any captures to the runtime inside forward().
/// The callable must outlive the reference.
template <class Signature>
class FunctionRef;

template <class R, class... Args>
class FunctionRef<R(Args...)> {
public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef>>>
  FunctionRef(F&& f)  // NOLINT: converts from any callable, which must outlive the call
      : object_(const_cast<void*>(static_cast<const void*>(&f))),
        call_([](void* o, Args... args) -> R { return (*static_cast<std::remove_reference_t<F>*>(o))(args...); }) {}
  R operator()(Args... args) const { return call_(object_, args...); }

private:
  void* object_;
  R (*call_)(void*, Args...);
};

/// What Workspace::parallel_for runs: f(begin, end, thread).
using ChunkFunction = FunctionRef<void(std::ptrdiff_t, std::ptrdiff_t, int)>;

class Workspace {
public:
  /// One thread (the caller's), no scratch memory.
  Workspace() = default;
  /// Stops and joins the workers (idle or not).
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  /// Uses `threads` threads in all (the caller's and threads - 1 workers; 0 means one per hardware thread)
  /// and gives each scratch_floats floats of scratch memory. Call once, before any kernel runs.
  void configure(int threads, std::size_t scratch_floats);

  int threads() const { return threads_; }
  /// Thread t's scratch memory (scratch_floats() floats, 64-byte aligned).
  float* scratch(int t);
  /// A workspace of one thread on thread t's scratch memory, for what thread t computes alone inside a job of
  /// parallel_for (a whole image, say): its kernels then split nothing. Itself when threads() is 1.
  Workspace& one_thread(int t);
  std::size_t scratch_floats() const { return scratch_floats_; }

  /// Runs f(begin, end, thread) on disjoint ranges that cover [0, n) and returns when all are done: ranges
  /// of `grain` indices (the last may be shorter; 0 means n / (4 x threads), at least 1) that start at
  /// multiples of it. The ranges are dealt into one contiguous part per thread, in order, which that thread
  /// takes first; a thread done with its own part takes what is left of the others', so a worker the OS has
  /// descheduled delays nothing it has not started. Kernels that split alike give each thread the same rows
  /// layer after layer, which it then finds in its own caches. `thread` (0 = the caller) tells whose scratch
  /// to use. Allocates nothing.
  /// Not reentrant: f must not call parallel_for.
  void parallel_for(std::ptrdiff_t n, ChunkFunction f, std::ptrdiff_t grain = 0);

private:
  void work(int t);
  void run_ranges(int t);
  /// Takes ranges of `part` until none is left.
  void run_part(int part, int t);

  int threads_ = 1;
  std::size_t scratch_floats_ = 0, stride_ = 0;
  FloatBuffer scratch_;  // uninitialised: pages no kernel touches take no memory
  float* borrowed_ = nullptr;  // a one-thread workspace's scratch: that of a thread of another workspace
  std::vector<std::unique_ptr<Workspace>> one_thread_;  // per thread, with more than one
  std::vector<std::thread> workers_;
  // The current job: set while no worker is inside_, then opened (open_) and announced (generation_).
  const ChunkFunction* job_ = nullptr;
  std::ptrdiff_t job_grain_ = 1;
  /// One thread's part of the current job: the first index not yet handed out, and its end.
  struct alignas(64) Part {
    std::atomic<std::ptrdiff_t> next{0};
    std::ptrdiff_t end = 0;
  };
  std::unique_ptr<Part[]> parts_;  // one per thread
  std::atomic<bool> open_{false};
  std::atomic<int> inside_{0};  // workers between checking open_ and leaving the job
  std::atomic<unsigned> generation_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<int> caller_cpu_{-1};  // the CPU the caller woke the sleepers from (-1: unknown)
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace netc::rt
