// Contexts and moves: a context serves batches up to its max_batch and only the model that made it; contexts
// with any thread count give the same bits; a moved model keeps working with the contexts it made, and the
// moved-from object refuses to run.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>
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

namespace {

/// What one turn of Context::for_images was given.
struct Turn {
  int image, images, threads;
  bool own_workspace;  // the context's workspace itself (not a one-thread one)
  const float* local;
  std::ptrdiff_t slots, slot;
};

/// The turns of one for_images call, in the order they started.
std::vector<Turn> turns_of(netc::rt::Context& context, int batch, bool whole_batch) {
  std::mutex mutex;
  std::vector<Turn> turns;
  context.for_images(batch, whole_batch, [&](const netc::rt::ImageTurn& t) {
    std::lock_guard<std::mutex> lock(mutex);
    turns.push_back({t.image, t.images, t.workspace.threads(), &t.workspace == &context.workspace(), t.local,
                     t.slots, t.slot});
  });
  std::sort(turns.begin(), turns.end(), [](const Turn& x, const Turn& y) { return x.image < y.image; });
  return turns;
}

}  // namespace

TEST_CASE("for_images: image by image on one thread; whole images per thread on more, the rest in one turn") {
  const netc::rt::ModelIdentity owner;
  constexpr std::size_t kArena = 10, kLoop = 6, kLoopStride = 16;  // loop buffers 64-byte aligned
  for (const int threads : {1, 2, 3})
    for (int batch = 1; batch <= 7; ++batch) {
      CAPTURE(threads);
      CAPTURE(batch);
      netc::rt::Context context = netc::rt::Context::make("m", owner, 7, threads, kArena, 4, kLoop);
      const float* arena = context.arena();
      // An observer's turn: the whole batch in the arena, with the context's workspace.
      const std::vector<Turn> whole = turns_of(context, batch, true);
      REQUIRE(whole.size() == 1);
      CHECK((whole[0].image == 0 && whole[0].images == batch && whole[0].own_workspace));
      CHECK((whole[0].local == arena && whole[0].slots == batch && whole[0].slot == 0));

      const std::vector<Turn> turns = turns_of(context, batch, false);
      const int alone = threads == 1 ? 0 : batch / threads * threads;  // images that threads take alone
      std::vector<const float*> buffers;
      int next = 0;  // every image once, in turns that follow each other
      for (const Turn& t : turns) {
        CAPTURE(t.image);
        CHECK(t.image == next);
        next += t.images;
        if (t.image < alone) {  // a thread's own image: one-thread workspace, the thread's own buffer
          CHECK((t.images == 1 && t.threads == 1 && !t.own_workspace && t.slots == 1 && t.slot == 0));
          CHECK((t.local < arena || t.local >= arena + kArena * 7));
          CHECK(reinterpret_cast<std::uintptr_t>(t.local) % 64 == 0);
          if (std::find(buffers.begin(), buffers.end(), t.local) == buffers.end()) buffers.push_back(t.local);
        } else if (threads == 1) {  // image by image in the arena
          CHECK((t.images == 1 && t.own_workspace && t.local == arena && t.slots == batch && t.slot == t.image));
        } else {  // the images left, fewer than the threads, at once on all of them
          CHECK((t.images == batch - alone && t.images < threads && t.threads == threads && t.own_workspace));
          CHECK((t.local == arena && t.slots == batch && t.slot == alone));
        }
      }
      CHECK(next == batch);
      CHECK(turns.size() == std::size_t(threads == 1 ? batch : alone + (alone < batch ? 1 : 0)));
      CHECK(buffers.size() <= std::size_t(threads));  // one per thread, kLoop floats apart at least
      std::sort(buffers.begin(), buffers.end());
      for (std::size_t i = 1; i < buffers.size(); ++i) CHECK(buffers[i] - buffers[i - 1] >= std::ptrdiff_t(kLoop));
      const std::size_t loop_bytes = alone > 0 ? threads * kLoopStride * sizeof(float) : 0;
      CHECK(context.activation_bytes(batch) == batch * kArena * sizeof(float) + loop_bytes);
    }
}

TEST_CASE("for_images with max_batch below the threads, or a loop of no tensors of its own") {
  const netc::rt::ModelIdentity owner;
  netc::rt::Context small = netc::rt::Context::make("m", owner, 1, 2, 10, 4, 6);
  const std::vector<Turn> turns = turns_of(small, 1, false);
  REQUIRE(turns.size() == 1);
  CHECK((turns[0].images == 1 && turns[0].own_workspace && turns[0].local == small.arena()));
  CHECK(small.activation_bytes(1) == 10 * sizeof(float));
  netc::rt::Context no_loop = netc::rt::Context::make("m", owner, 4, 2, 10, 4, 0);
  const std::vector<Turn> alone = turns_of(no_loop, 4, false);
  CHECK(alone.size() == 4);
  for (const Turn& t : alone) CHECK((t.images == 1 && t.threads == 1 && t.slots == 1 && t.slot == 0));
  CHECK(no_loop.activation_bytes(4) == 40 * sizeof(float));
}
