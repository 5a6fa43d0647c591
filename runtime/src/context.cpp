// Model identities and the contexts forward() runs in (see model.hpp): each context owns an arena and a
// workspace, and remembers the model that made it, so that a context is never used with another model.
#include <atomic>
#include <limits>
#include <stdexcept>
#include <string>

#include "netc/model.hpp"

namespace netc::rt {
namespace {

constexpr int kMostImages = 1 << 20;

std::uint64_t next_identity() {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

[[noreturn]] void fail(const char* model, const std::string& message) {
  throw std::invalid_argument(std::string(model) + ": " + message);
}

}  // namespace

ModelIdentity::ModelIdentity() : value_(next_identity()) {}

ModelIdentity::ModelIdentity(ModelIdentity&& other) noexcept : value_(other.value_) { other.value_ = 0; }

ModelIdentity& ModelIdentity::operator=(ModelIdentity&& other) noexcept {
  if (this != &other) {
    value_ = other.value_;
    other.value_ = 0;
  }
  return *this;
}

void Context::check_size(const char* model, int max_batch, int threads) {
  if (max_batch < 1 || max_batch > kMostImages)
    fail(model, "max_batch " + std::to_string(max_batch) + " is outside 1.." + std::to_string(kMostImages));
  if (threads < 0) fail(model, "threads " + std::to_string(threads) + " is negative (0 means one per hardware thread)");
}

Context Context::make(const char* model, const ModelIdentity& owner, int max_batch, int threads,
                      std::size_t arena_floats, std::size_t scratch_floats, std::size_t loop_floats) {
  check_size(model, max_batch, threads);
  if (arena_floats > std::numeric_limits<std::size_t>::max() / sizeof(float) / std::size_t(max_batch))
    fail(model, "an arena of " + std::to_string(arena_floats) + " floats per image is too large for max_batch " +
                    std::to_string(max_batch));
  Context context;
  context.owner_ = owner.value();
  context.max_batch_ = max_batch;
  context.arena_floats_ = arena_floats;
  if (arena_floats > 0) context.arena_ = make_float_buffer(arena_floats * std::size_t(max_batch));
  context.workspace_ = std::make_unique<Workspace>();
  context.workspace_->configure(threads, scratch_floats);
  const int workers = context.workspace_->threads();
  if (loop_floats > 0 && workers > 1 && max_batch >= workers) {
    if (loop_floats > std::numeric_limits<std::size_t>::max() / sizeof(float) / 2 / std::size_t(workers))
      fail(model, "a loop buffer of " + std::to_string(loop_floats) + " floats is too large for " +
                      std::to_string(workers) + " threads");
    context.loop_stride_ = (loop_floats + 15) / 16 * 16;  // 64-byte aligned, as the arena
    context.loop_buffers_ = make_float_buffer(context.loop_stride_ * std::size_t(workers));
  }
  return context;
}

int Context::images_on_own_threads(int batch) const {
  const int workers = threads();  // batch >= workers > 1: make() gave each thread a loop buffer
  return workers > 1 ? batch / workers * workers : 0;
}

std::size_t Context::activation_bytes(int batch) const {
  const std::size_t loop = images_on_own_threads(batch) > 0 ? loop_stride_ * std::size_t(threads()) : 0;
  return (arena_floats_ * std::size_t(batch) + loop) * sizeof(float);
}

void Context::for_images(int batch, bool whole_batch, FunctionRef<void(const ImageTurn&)> steps) {
  Workspace& ws = *workspace_;
  float* const a = arena_.get();
  if (whole_batch) return steps({0, batch, ws, a, batch, 0});
  if (ws.threads() == 1) {
    for (int image = 0; image < batch; ++image) steps({image, 1, ws, a, batch, image});
    return;
  }
  const int alone = images_on_own_threads(batch);
  ws.parallel_for(
      alone,
      [&](std::ptrdiff_t begin, std::ptrdiff_t end, int t) {
        float* const own = loop_buffers_.get() + loop_stride_ * std::size_t(t);
        for (auto image = begin; image < end; ++image) steps({int(image), 1, ws.one_thread(t), own, 1, 0});
      },
      1);
  if (alone < batch) steps({alone, batch - alone, ws, a, batch, alone});
}

int Context::threads() const { return workspace_ ? workspace_->threads() : 0; }

void Context::check(const char* model, const ModelIdentity& owner, const float* input, const float* output,
                    int batch) const {
  if (input == nullptr) fail(model, "the input is a null pointer");
  if (output == nullptr) fail(model, "the output is a null pointer");
  if (owner.value() == 0) fail(model, "this model has been moved from (its weights are in the object it was moved to)");
  if (!workspace_) fail(model, "the context is empty (make one with the model's make_context())");
  if (owner_ != owner.value())
    fail(model, "the context was made by another model (each model makes its own with make_context())");
  if (batch < 1 || batch > max_batch_)
    fail(model, "batch size " + std::to_string(batch) + " is outside 1.." + std::to_string(max_batch_) +
                    " (the context's max_batch: construct the model or make the context with a larger max_batch "
                    "for bigger batches)");
}

}  // namespace netc::rt
