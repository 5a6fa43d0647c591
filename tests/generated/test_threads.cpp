// One model, many threads: 4 std::threads share one const model, each with its own context (1 thread inside
// for two of them, 2 for the others), for many rounds of batches of 1 to 3 and both output kinds; every output
// must equal the single-threaded one bit for bit. Runs in the suite and under ThreadSanitizer (tools/tsan.sh).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared.hpp"
#include "test_support.hpp"

namespace {

constexpr int kThreads = 4, kRounds = 40, kMaxBatch = 3;

/// One forward pass to make: its input, batch and kind, and the single-threaded output.
struct Job {
  std::vector<float> input;
  int batch;
  netc::rt::Output kind;
  std::vector<float> want;
};

/// Jobs of every batch size and kind, their outputs computed in one single-threaded context.
std::vector<Job> make_jobs(const Shared& model) {
  std::vector<Job> jobs;
  netc::rt::Context context = model.make_context(kMaxBatch, 1);
  for (int batch = 1; batch <= kMaxBatch; ++batch)
    for (const netc::rt::Output kind : {netc::rt::Output::Final, netc::rt::Output::Logits}) {
      Job job{netc::test::random_input(std::size_t(batch) * Shared::kInputSize, unsigned(50 + jobs.size())), batch,
              kind, std::vector<float>(std::size_t(batch) * Shared::kOutputSize)};
      model.forward(context, job.input.data(), job.want.data(), batch, kind);
      jobs.push_back(std::move(job));
    }
  return jobs;
}

}  // namespace

TEST_CASE("4 threads share one model, each in its own context, and get the single-threaded outputs bit for bit") {
  const Shared model(netc::test::weights_of("shared"));
  const std::vector<Job> jobs = make_jobs(model);
  std::atomic<int> ready{0}, mismatches{0};
  std::mutex mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      try {
        netc::rt::Context context = model.make_context(kMaxBatch, t % 2 == 0 ? 1 : 2);
        std::vector<float> output(kMaxBatch * Shared::kOutputSize);
        ++ready;
        while (ready.load() < kThreads) std::this_thread::yield();  // start together
        for (int round = 0; round < kRounds; ++round) {
          const Job& job = jobs[std::size_t(t + round) % jobs.size()];
          model.forward(context, job.input.data(), output.data(), job.batch, job.kind);
          if (std::memcmp(output.data(), job.want.data(), job.want.size() * sizeof(float)) != 0) ++mismatches;
        }
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mutex);
        errors.push_back(e.what());
      }
    });
  for (std::thread& thread : threads) thread.join();
  CHECK(errors.empty());
  for (const std::string& e : errors) MESSAGE(e);
  CHECK(mismatches.load() == 0);
}
