// What every generated model shares: the context a forward pass runs in, the checks at its boundary (buffers,
// batch size, the weights file's provenance), the observer that sees each layer's output, and the layout
// helpers for PyTorch's NCHW tensors. Generated code includes this header.
//
// Threads: a generated model is immutable once constructed; its forward(context, ...) is const and may run on
// any number of threads at once, each with its own Context. A Context serves one call at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "netc/runtime.hpp"
#include "netc/safetensors.hpp"
#include "netc/workspace.hpp"

namespace netc::rt {

/// Sees each step's output during forward(), e.g. to compare every layer with another framework.
/// `name` is the last .net layer the step computes (a convolution with its folded batch norm and
/// activation reports under the activation's name).
class LayerObserver {
public:
  virtual ~LayerObserver() = default;
  virtual void on_layer(const char* name, ConstTensor output) = 0;
};

/// What forward() writes into the output buffer.
enum class Output {
  Final,   ///< the model's output: after a final softmax, the probabilities
  Logits,  ///< the values before the model's final softmax (std::invalid_argument for a model without one)
};

/// A constructed model's identity, which the contexts it makes remember. Unique in the process; moving a model
/// moves its identity (a moved-from model has none, and forward() on it throws).
class ModelIdentity {
public:
  ModelIdentity();
  ModelIdentity(ModelIdentity&& other) noexcept;
  ModelIdentity& operator=(ModelIdentity&& other) noexcept;
  ModelIdentity(const ModelIdentity&) = delete;
  ModelIdentity& operator=(const ModelIdentity&) = delete;
  ~ModelIdentity() = default;
  /// 0 after a move.
  std::uint64_t value() const { return value_; }

private:
  std::uint64_t value_;
};

/// One turn of a model's loop over the images of a batch (Context::for_images): the loop's steps for `images`
/// images from `image` on, computed with `workspace`. The tensors that only the loop's steps use lie at
/// `local + offset * slots + slot * floats` (offset and floats per image, as netc planned them): in the arena
/// beside the batch's other tensors (local = the arena, slots = the batch, slot = image), or in a buffer of
/// the thread's own (slots = 1, slot = 0). The tensors kept after the loop lie in the arena, image by image.
struct ImageTurn {
  int image, images;
  Workspace& workspace;
  float* local;
  std::ptrdiff_t slots, slot;
};

/// What one forward() call needs besides the model: the activation arena for up to max_batch images and a
/// workspace (threads - 1 worker threads and per-thread scratch). Made by a model's make_context(); owned by
/// the caller; used by one call at a time (one context per thread that calls forward()); movable.
class Context {
public:
  /// An empty context, which forward() rejects (make one with the model's make_context()).
  Context() = default;
  Context(Context&&) noexcept = default;
  Context& operator=(Context&&) noexcept = default;
  ~Context() = default;

  /// Throws std::invalid_argument naming `model` unless 1 <= max_batch <= 2^20 and threads >= 0.
  static void check_size(const char* model, int max_batch, int threads);
  /// A context for the model `owner`: an arena of arena_floats per image for max_batch images, and a
  /// workspace of `threads` threads (0: one per hardware thread) with scratch_floats of scratch each.
  /// loop_floats: per image, what the tensors used only inside the model's loop over the images take of the
  /// arena; with more than one thread and max_batch >= threads, each thread gets a buffer of that size for
  /// the images it computes alone (see for_images).
  static Context make(const char* model, const ModelIdentity& owner, int max_batch, int threads,
                      std::size_t arena_floats, std::size_t scratch_floats, std::size_t loop_floats = 0);

  /// 0 for an empty context.
  int max_batch() const { return max_batch_; }
  int threads() const;
  float* arena() { return arena_.get(); }
  Workspace& workspace() { return *workspace_; }
  /// The bytes of activation memory forward() of `batch` images uses: the arena's share of `batch` images,
  /// and the threads' loop buffers when for_images gives each thread whole images.
  std::size_t activation_bytes(int batch) const;

  /// Runs a model's loop over the images of a batch, steps(turn) per turn (see ImageTurn): on one thread, one
  /// image per turn (its tensors stay in cache from one step to the next). On more, while every thread can
  /// have one, each thread takes whole images, one per turn, with a one-thread workspace and a loop buffer of
  /// its own (no step is split, no thread waits for another between steps); the images left (fewer than the
  /// threads) then go in one turn on all threads. With `whole_batch` (an observer, which sees each step's
  /// whole batch), the whole batch in one turn. Allocates nothing.
  void for_images(int batch, bool whole_batch, FunctionRef<void(const ImageTurn&)> steps);

  /// Throws std::invalid_argument, naming `model` and saying what was expected and found, unless the input and
  /// the output are not null, this context was made by `owner` (not empty, not another model's) and
  /// 1 <= batch <= max_batch().
  void check(const char* model, const ModelIdentity& owner, const float* input, const float* output, int batch) const;

private:
  std::uint64_t owner_ = 0;
  int max_batch_ = 0;
  std::size_t arena_floats_ = 0;  // per image
  FloatBuffer arena_;  // uninitialised: forward() writes each buffer before reading it
  std::size_t loop_stride_ = 0;  // floats between two threads' loop buffers (0: none)
  FloatBuffer loop_buffers_;     // uninitialised, and untouched unless a batch gives every thread an image
  std::unique_ptr<Workspace> workspace_;

  /// The images of the first turns, which give each thread whole images: a multiple of the threads.
  int images_on_own_threads(int batch) const;
};

/// Throws std::invalid_argument unless 1 <= batch <= max_batch; the message names the model.
void check_batch(const char* model, int batch, int max_batch);

/// Throws std::invalid_argument when `kind` asks for logits from a model that does not end with a softmax.
void check_output(const char* model, Output kind, bool ends_with_softmax);

/// The batch size that buffers of input_floats and output_floats hold, for a model that reads
/// input_per_image and writes output_per_image floats per image; throws std::invalid_argument, saying what
/// was expected and found, when they are not whole and equal batches within max_batch.
int batch_of_buffers(const char* model, std::size_t input_floats, std::size_t output_floats,
                     std::size_t input_per_image, std::size_t output_per_image, int max_batch);

/// Throws WeightsError when the file records (in its metadata, as `netc weights` writes it) an input shape or
/// class count other than the model's: weights made for another variant of the model.
void check_weights_provenance(const SafeTensors& file, const char* model, const std::string& input, long classes);

/// True for tensors a PyTorch state_dict holds that inference ignores ("*.num_batches_tracked").
bool is_training_bookkeeping(std::string_view name);

/// Throws the WeightsError of a model library built without embedded weights (see netc_add_model's WEIGHTS).
[[noreturn]] void throw_no_embedded_weights(const char* model);

/// Copies a batch from NCHW (PyTorch's layout, channels first) to NHWC (netc's, channels last):
/// nhwc[((i * height + y) * width + x) * channels + c] = nchw[((i * channels + c) * height + y) * width + x].
/// The buffers hold batch * channels * height * width floats each and must not overlap; std::invalid_argument
/// for a null buffer or a negative size.
void nchw_to_nhwc(const float* nchw, float* nhwc, int batch, int channels, int height, int width);
/// The inverse: NHWC to NCHW (e.g. a spatial output for PyTorch); the sizes are given in the same order.
void nhwc_to_nchw(const float* nhwc, float* nchw, int batch, int channels, int height, int width);

}  // namespace netc::rt
