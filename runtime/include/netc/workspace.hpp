// The resources kernels may use besides their operands: worker threads and per-thread scratch memory.
// A generated model makes one at load and passes it to every kernel; forward() then allocates nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace netc::rt {

class Workspace {
public:
  /// One thread (the caller's), no scratch memory.
  Workspace() = default;
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  /// Uses `threads` threads in all (the caller's and threads - 1 workers; 0 means one per hardware thread)
  /// and gives each scratch_floats floats of scratch memory. Call once, before any kernel runs.
  void configure(int threads, std::size_t scratch_floats);

  int threads() const { return threads_; }
  /// Thread t's scratch memory (scratch_floats() floats, 64-byte aligned).
  float* scratch(int t);
  std::size_t scratch_floats() const { return scratch_floats_; }

  /// Runs f(begin, end, thread) on contiguous chunks covering [0, n), one chunk per thread (fewer when n is
  /// smaller), and returns when all are done. The caller's thread takes chunk 0. Not reentrant.
  void parallel_for(std::ptrdiff_t n, const std::function<void(std::ptrdiff_t, std::ptrdiff_t, int)>& f);

private:
  void work(int t);
  void run_chunk(int t);

  int threads_ = 1;
  std::size_t scratch_floats_ = 0, stride_ = 0, offset_ = 0;
  std::vector<float> scratch_;
  std::vector<std::thread> workers_;
  // The current job, published by bumping generation_.
  const std::function<void(std::ptrdiff_t, std::ptrdiff_t, int)>* job_ = nullptr;
  std::ptrdiff_t job_n_ = 0;
  int job_chunks_ = 0;
  std::atomic<unsigned> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace netc::rt
