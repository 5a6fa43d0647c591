// Contexts and moves: a context serves batches up to its max_batch and only the model that made it; contexts
// with any thread count give the same bits; a moved model keeps working with the contexts it made, and the
// moved-from object refuses to run.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "shared.hpp"
#include "test_support.hpp"
#include "tiny.hpp"

namespace {

using netc::test::error_of;
using netc::test::random_input;
using netc::test::weights_of;

static_assert(std::is_nothrow_move_constructible_v<Tiny> && std::is_nothrow_move_assignable_v<Tiny>);
static_assert(!std::is_copy_constructible_v<Tiny> && !std::is_copy_assignable_v<Tiny>);
static_assert(std::is_nothrow_move_constructible_v<netc::rt::Context>);

/// Tiny's output for `batch` images of `input` in `context`.
std::vector<float> run(const Tiny& model, netc::rt::Context& context, const std::vector<float>& input, int batch) {
  std::vector<float> output(std::size_t(batch) * Tiny::kOutputSize);
  model.forward(context, input.data(), output.data(), batch);
  return output;
}

}  // namespace

TEST_CASE("a context made for a smaller batch than asked is an error, not an overrun") {
  const Tiny model(weights_of("tiny"));
  netc::rt::Context context = model.make_context(2);
  CHECK(context.max_batch() == 2);
  std::vector<float> input = random_input(3 * Tiny::kInputSize, 20), output(3 * Tiny::kOutputSize);
  CHECK(error_of([&] { model.forward(context, input.data(), output.data(), 3); }) ==
        "tiny: batch size 3 is outside 1..2 (the context's max_batch: construct the model or make the context with a "
        "larger max_batch for bigger batches)");
  CHECK(error_of([&] { model.forward(context, input.data(), input.size(), output.data(), output.size()); }) ==
        "tiny: a batch of 3 images is more than max_batch 2");
  CHECK(error_of([&] { run(model, context, input, 2); }) == "(no error)");
}

TEST_CASE("a context works only with the model that made it") {
  const Tiny first(weights_of("tiny")), second(weights_of("tiny"));
  const Shared other(weights_of("shared"));
  netc::rt::Context context = first.make_context(), empty;
  std::vector<float> input = random_input(Tiny::kInputSize, 21), output(Tiny::kOutputSize);
  const std::string another = "tiny: the context was made by another model (each model makes its own with make_context())";
  CHECK(error_of([&] { second.forward(context, input.data(), output.data()); }) == another);
  netc::rt::Context shared_context = other.make_context();
  CHECK(error_of([&] { first.forward(shared_context, input.data(), output.data()); }) == another);
  const std::string no_context = "tiny: the context is empty (make one with the model's make_context())";
  CHECK(error_of([&] { first.forward(empty, input.data(), output.data()); }) == no_context);
  netc::rt::Context taken = std::move(context);
  CHECK(error_of([&] { first.forward(context, input.data(), output.data()); }) == no_context);  // NOLINT: moved from
  CHECK(error_of([&] { first.forward(taken, input.data(), output.data()); }) == "(no error)");
}

TEST_CASE("make_context and the constructor check the batch and thread counts") {
  const Tiny model(weights_of("tiny"));
  CHECK(error_of([&] { model.make_context(0); }) == "tiny: max_batch 0 is outside 1..1048576");
  CHECK(error_of([&] { model.make_context((1 << 20) + 1); }) == "tiny: max_batch 1048577 is outside 1..1048576");
  CHECK(error_of([&] { model.make_context(1, -1); }) == "tiny: threads -1 is negative (0 means one per hardware thread)");
  CHECK(error_of([] { Tiny m(weights_of("tiny"), 0); }) == "tiny: max_batch 0 is outside 1..1048576");
  CHECK(model.make_context(1, 3).threads() == 3);
  CHECK(model.make_context(1, 0).threads() == int(std::max(1u, std::thread::hardware_concurrency())));
}

TEST_CASE("contexts of 1, 2 and 3 threads and the model's own give the same bits") {
  Shared model(weights_of("shared"), 4, 2);
  const std::vector<float> input = random_input(4 * Shared::kInputSize, 22);
  std::vector<float> want(4 * Shared::kOutputSize), got(want.size());
  netc::rt::Context one = model.make_context(4, 1);
  model.forward(one, input.data(), want.data(), 4);
  for (const int threads : {1, 2, 3}) {
    CAPTURE(threads);
    netc::rt::Context context = model.make_context(4, threads);
    model.forward(context, input.data(), got.data(), 4);
    CHECK(std::memcmp(got.data(), want.data(), want.size() * sizeof(float)) == 0);
  }
  model.forward(input.data(), got.data(), 4);  // the model's own context, of 2 threads
  CHECK(std::memcmp(got.data(), want.data(), want.size() * sizeof(float)) == 0);
}

TEST_CASE("a moved model runs with the contexts it made; the moved-from object refuses") {
  Tiny original(weights_of("tiny"), 2);
  netc::rt::Context context = original.make_context(2);
  const std::vector<float> input = random_input(2 * Tiny::kInputSize, 23);
  const std::vector<float> want = run(original, context, input, 2);
  Tiny moved = std::move(original);
  CHECK(run(moved, context, input, 2) == want);
  std::vector<float> own(2 * Tiny::kOutputSize);
  moved.forward(input.data(), own.data(), 2);
  CHECK(own == want);
  CHECK(moved.max_batch() == 2);
  const std::string gone = "tiny: this model has been moved from (its weights are in the object it was moved to)";
  CHECK(error_of([&] { original.forward(input.data(), own.data()); }) == gone);  // NOLINT: moved from on purpose
  CHECK(error_of([&] { run(original, context, input, 1); }) == gone);
  Tiny assigned(weights_of("tiny"));
  assigned = std::move(moved);
  CHECK(run(assigned, context, input, 2) == want);
  std::vector<Tiny> models;
  models.push_back(std::move(assigned));
  models.emplace_back(weights_of("tiny"), 2);  // may move the first into a larger buffer
  CHECK(run(models[0], context, input, 2) == want);
}
