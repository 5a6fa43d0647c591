// The workspace: parallel_for covers [0, n) exactly once in ranges of the grain, whatever n, the grain and the
// thread count, call after call; scratch is aligned and per thread; workers shut down cleanly, idle or asleep.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "detail.hpp"
#include "netc/workspace.hpp"

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace {

/// Runs parallel_for over n with the grain and checks that each index is visited once, by ranges that start
/// at multiples of the grain and hold `grain` indices (the last one fewer), on valid thread indices.
void check_cover(netc::rt::Workspace& ws, std::ptrdiff_t n, std::ptrdiff_t grain = 0) {
  std::vector<std::atomic<int>> visits(std::size_t(n > 0 ? n : 0));
  const std::ptrdiff_t expected_grain = grain > 0 ? grain : std::max<std::ptrdiff_t>(1, n / (4 * ws.threads()));
  std::atomic<int> bad_ranges{0}, bad_threads{0};
  ws.parallel_for(
      n,
      [&](std::ptrdiff_t begin, std::ptrdiff_t end, int t) {
        const bool whole = end - begin == expected_grain || (end == n && end - begin < expected_grain);
        if (begin % expected_grain != 0 || !whole || begin >= end) ++bad_ranges;
        if (t < 0 || t >= ws.threads()) ++bad_threads;
        for (std::ptrdiff_t i = begin; i < end; ++i) ++visits[i];
      },
      grain);
  for (const std::atomic<int>& v : visits) CHECK(v.load() == 1);
  // One thread, or a job that fits one grain, runs as a single call on the caller's thread, [0, n).
  if (ws.threads() > 1 && expected_grain < n) CHECK(bad_ranges.load() == 0);
  CHECK(bad_threads.load() == 0);
}

}  // namespace

TEST_CASE("parallel_for covers [0, n) once, for n = 0, n below the thread count, large n, any grain") {
  for (const int threads : {1, 2, 3, 5}) {
    netc::rt::Workspace ws;
    ws.configure(threads, 16);
    for (const std::ptrdiff_t n : {0, 1, 2, 3, 4, 7, 1000, 12345})
      for (const std::ptrdiff_t grain : {0, 1, 3, 5000}) {
        INFO("threads " << threads << ", n " << n << ", grain " << grain);
        check_cover(ws, n, grain);
      }
  }
}

TEST_CASE("parallel_for with one grain per index runs on every thread when the work takes a while") {
  netc::rt::Workspace ws;
  ws.configure(2, 0);
  std::atomic<int> by_worker{0};
  for (int attempt = 0; attempt < 100 && by_worker.load() == 0; ++attempt)
    ws.parallel_for(
        64,
        [&](std::ptrdiff_t, std::ptrdiff_t, int t) {
          if (t == 1) ++by_worker;
          volatile double x = 0;
          for (int i = 0; i < 100000; ++i) x = x + 1;  // long enough for the worker to take a range
        },
        1);
  CHECK(by_worker.load() > 0);
}

TEST_CASE("parallel_for many times in a row, with workers awake and after they fell asleep") {
  netc::rt::Workspace ws;
  ws.configure(2, 0);
  std::atomic<long> sum{0};
  for (int call = 0; call < 2000; ++call)
    ws.parallel_for(10, [&](std::ptrdiff_t b, std::ptrdiff_t e, int) {
      for (std::ptrdiff_t i = b; i < e; ++i) sum += i;
    });
  CHECK(sum.load() == 2000L * 45);
  // Long enough for the worker to stop spinning and wait on the condition variable (about 1 ms); the test
  // passes either way, the pause only makes the sleeping worker's wake-up path run.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  check_cover(ws, 100);
}

TEST_CASE("each thread's scratch is 64-byte aligned and separate") {
  netc::rt::Workspace ws;
  ws.configure(3, 100);
  CHECK(ws.threads() == 3);
  CHECK(ws.scratch_floats() == 100);
  for (int t = 0; t < 3; ++t) CHECK(reinterpret_cast<std::uintptr_t>(ws.scratch(t)) % 64 == 0);
  CHECK(ws.scratch(1) - ws.scratch(0) >= 100);
  CHECK(ws.scratch(2) - ws.scratch(1) >= 100);
}

TEST_CASE("one_thread(t) is a workspace of one thread on thread t's scratch; of one thread, the workspace itself") {
  netc::rt::Workspace ws;
  ws.configure(3, 100);
  for (int t = 0; t < 3; ++t) {
    CAPTURE(t);
    netc::rt::Workspace& alone = ws.one_thread(t);
    CHECK(&alone != &ws);
    CHECK(alone.threads() == 1);
    CHECK(alone.scratch_floats() == 100);
    CHECK(alone.scratch(0) == ws.scratch(t));
    CHECK(&alone.one_thread(0) == &alone);
    check_cover(alone, 10);  // one call on the caller's thread
  }
  netc::rt::Workspace single;
  single.configure(1, 8);
  CHECK(&single.one_thread(0) == &single);
}

TEST_CASE("a workspace is destroyed cleanly with idle or sleeping workers, or never used") {
  { netc::rt::Workspace unused; }
  { netc::rt::Workspace fresh; fresh.configure(4, 8); }
  {
    netc::rt::Workspace used;
    used.configure(3, 8);
    check_cover(used, 9);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the workers fall asleep
  }  // a worker that never joins hangs the test (ctest's timeout reports it)
}

TEST_CASE("threads = 0 means one per hardware thread") {
  netc::rt::Workspace ws;
  ws.configure(0, 0);
  CHECK(ws.threads() == int(std::max(1u, std::thread::hardware_concurrency())));
}

#if defined(__linux__)
TEST_CASE("move_off_cpu moves the thread to another allowed CPU and leaves its affinity mask as it was") {
  cpu_set_t before;
  REQUIRE(pthread_getaffinity_np(pthread_self(), sizeof before, &before) == 0);
  if (CPU_COUNT(&before) < 2) return;  // nowhere else to go: the call must then do nothing, checked below
  const int cpu = sched_getcpu();
  REQUIRE(CPU_ISSET(cpu, &before));
  netc::rt::detail::move_off_cpu(cpu);
  CHECK(sched_getcpu() != cpu);
  cpu_set_t after;
  REQUIRE(pthread_getaffinity_np(pthread_self(), sizeof after, &after) == 0);
  CHECK(CPU_EQUAL(&before, &after));
}

TEST_CASE("move_off_cpu leaves a thread that may run on one CPU only where it is") {
  cpu_set_t before, one;
  REQUIRE(pthread_getaffinity_np(pthread_self(), sizeof before, &before) == 0);
  const int cpu = sched_getcpu();
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  REQUIRE(pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0);
  netc::rt::detail::move_off_cpu(cpu);
  CHECK(sched_getcpu() == cpu);
  cpu_set_t after;
  REQUIRE(pthread_getaffinity_np(pthread_self(), sizeof after, &after) == 0);
  CHECK(CPU_EQUAL(&one, &after));
  REQUIRE(pthread_setaffinity_np(pthread_self(), sizeof before, &before) == 0);
}
#endif
