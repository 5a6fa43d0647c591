// The text of the generated class around the steps' code: its header, with the constants, constructors,
// contexts and the rules for threads, and its source. emit/CppEmitter.cpp fills in the {fields}.
#pragma once

namespace netc::cpp_template {

// The generated header: the class, its constants, and the rules for threads.
constexpr const char* kHeader = R"cpp(#pragma once

#include <cstddef>
#include <string>

#include <netc/model.hpp>

/// The '{model}' model. Construct it once (it reads, checks and packs the weights), then call forward() as
/// often as needed; forward() allocates nothing. Tensors are float32, NHWC (channels last), row-major
/// (netc::rt::nchw_to_nhwc converts PyTorch's NCHW).
///
/// Threads: a constructed {cls} is immutable. forward(context, ...) is const and may run on any number of
/// threads at once, each with its own netc::rt::Context from make_context(). The forms of forward() without a
/// context use the model's own context: they must not run on two threads at once. Moving a model keeps the
/// contexts it made valid for the object it moved to.
class {cls} {{
public:
  static constexpr int kInputHeight = {h};
  static constexpr int kInputWidth = {w};
  static constexpr int kInputChannels = {c};
  static constexpr std::size_t kInputSize = {insize};    // floats per image
  static constexpr std::size_t kOutputSize = {outsize};  // floats per image
  static constexpr std::size_t kArenaFloats = {arena};  // activation arena per image, planned by netc
  static constexpr std::size_t kLoopFloats = {loop};  // of it, the tensors only the loop over the images uses
  static constexpr long long kMacsPerImage = {macs};  // multiply-accumulates of one image (FLOPs = 2 x MACs)
  static constexpr bool kEndsWithSoftmax = {softmax};  // if so, netc::rt::Output::Logits gives what precedes it

  /// Loads a safetensors file whose keys are the .net layer names (conv1.weight, bn_conv1.running_mean, ...)
  /// in PyTorch's layouts; throws netc::rt::WeightsError naming the tensor when anything does not match.
  /// The model's own context takes batches of up to max_batch images and runs on `threads` threads (the
  /// caller's and threads - 1 workers; 0: one per hardware thread).
  explicit {cls}(const std::string& weights_path, int max_batch = 1, int threads = 1);
  /// The same from weights opened by the caller: netc::rt::SafeTensors::open(path), from_bytes(bytes, name)
  /// (a copy), from_memory(data, size, name) (read in place; needed only while the constructor runs), or
  /// embedded_weights().
  explicit {cls}(const netc::rt::SafeTensors& weights, int max_batch = 1, int threads = 1);
  /// The weights file that netc_add_model(... WEIGHTS file) linked into this library; throws
  /// netc::rt::WeightsError when it linked none.
  static netc::rt::SafeTensors embedded_weights();

  /// A context for forward(): an arena for batches of up to max_batch images and a workspace of `threads`
  /// threads. One for each thread that calls forward(); valid for this model only.
  netc::rt::Context make_context(int max_batch = 1, int threads = 1) const;

  /// Runs `batch` images in the caller's context: input holds batch * kInputSize floats, output receives
  /// batch * kOutputSize (the model's output, or with netc::rt::Output::Logits the values before its final
  /// softmax). Throws std::invalid_argument for a null buffer, a batch outside 1..context.max_batch() or a
  /// context made by another model. The observer, if any, sees the output of every step. Thread-safe.
  void forward(netc::rt::Context& context, const float* input, float* output, int batch = 1,
               netc::rt::Output kind = netc::rt::Output::Final, netc::rt::LayerObserver* observer = nullptr) const;
  /// The same, with the buffers' sizes in floats, which are checked (std::invalid_argument on a mismatch).
  void forward(netc::rt::Context& context, const float* input, std::size_t input_floats, float* output,
               std::size_t output_floats, netc::rt::Output kind = netc::rt::Output::Final,
               netc::rt::LayerObserver* observer = nullptr) const;

  /// The forms above in the model's own context (batches up to the constructor's max_batch): for one
  /// thread at a time only.
  void forward(const float* input, float* output, int batch = 1, netc::rt::LayerObserver* observer = nullptr);
  void forward(const float* input, float* output, int batch, netc::rt::Output kind,
               netc::rt::LayerObserver* observer = nullptr);
  void forward(const float* input, std::size_t input_floats, float* output, std::size_t output_floats,
               netc::rt::LayerObserver* observer = nullptr);
  void forward(const float* input, std::size_t input_floats, float* output, std::size_t output_floats,
               netc::rt::Output kind, netc::rt::LayerObserver* observer = nullptr);

  /// The largest batch of the model's own context.
  int max_batch() const {{ return own_context.max_batch(); }}
  /// The bytes of activation memory forward() of `batch` images takes in the model's own context: the arena's
  /// share, and the threads' own buffers when each takes whole images (netc::rt::Context::for_images).
  std::size_t activation_bytes(int batch) const {{ return own_context.activation_bytes(batch); }}

private:
  void load(const netc::rt::SafeTensors& file);

  netc::rt::ModelIdentity identity;  // the contexts this model makes remember it
  std::size_t scratch_floats = 0;    // per thread: the most any layer needs
{members}
  netc::rt::Context own_context;  // the forms of forward() without a context use this one
}};
)cpp";

// The generated source: construction, loading, contexts and the forward pass.
constexpr const char* kSource = R"cpp(#include "{name}.hpp"

#include <algorithm>

{cls}::{cls}(const std::string& weights_path, int max_batch, int threads)
    : {cls}(netc::rt::SafeTensors::open(weights_path), max_batch, threads) {{}}

{cls}::{cls}(const netc::rt::SafeTensors& weights, int max_batch, int threads) {{
  netc::rt::Context::check_size("{model}", max_batch, threads);
  load(weights);
  own_context = make_context(max_batch, threads);
}}

#if defined(NETC_EMBEDDED_WEIGHTS)  // netc_add_model(... WEIGHTS file) links the file into the library
extern "C" const unsigned char netc_weights_{name}[];
extern "C" const unsigned long long netc_weights_{name}_size;
netc::rt::SafeTensors {cls}::embedded_weights() {{
  return netc::rt::SafeTensors::from_memory(netc_weights_{name}, netc_weights_{name}_size, "{model} (embedded weights)");
}}
#else
netc::rt::SafeTensors {cls}::embedded_weights() {{ netc::rt::throw_no_embedded_weights("{model}"); }}
#endif

void {cls}::load(const netc::rt::SafeTensors& file) {{
  netc::rt::SafeTensors weights = file;  // its own record of the tensors read
  netc::rt::check_weights_provenance(weights, "{model}", "{input}", {classes});
{load}
  weights.check_all_used(netc::rt::is_training_bookkeeping);
{scratch}  scratch_floats = scratch;
}}

netc::rt::Context {cls}::make_context(int max_batch, int threads) const {{
  return netc::rt::Context::make("{model}", identity, max_batch, threads, kArenaFloats, scratch_floats,
                                 kLoopFloats);
}}

void {cls}::forward(netc::rt::Context& context, const float* input, float* output, int batch, netc::rt::Output kind,
                   netc::rt::LayerObserver* observer) const {{
  context.check("{model}", identity, input, output, batch);
  netc::rt::check_output("{model}", kind, kEndsWithSoftmax);
{locals}{run}
}}

void {cls}::forward(netc::rt::Context& context, const float* input, std::size_t input_floats, float* output,
                   std::size_t output_floats, netc::rt::Output kind, netc::rt::LayerObserver* observer) const {{
  forward(context, input, output,
          netc::rt::batch_of_buffers("{model}", input_floats, output_floats, kInputSize, kOutputSize, context.max_batch()),
          kind, observer);
}}

void {cls}::forward(const float* input, float* output, int batch, netc::rt::LayerObserver* observer) {{
  forward(own_context, input, output, batch, netc::rt::Output::Final, observer);
}}

void {cls}::forward(const float* input, float* output, int batch, netc::rt::Output kind,
                   netc::rt::LayerObserver* observer) {{
  forward(own_context, input, output, batch, kind, observer);
}}

void {cls}::forward(const float* input, std::size_t input_floats, float* output, std::size_t output_floats,
                   netc::rt::LayerObserver* observer) {{
  forward(own_context, input, input_floats, output, output_floats, netc::rt::Output::Final, observer);
}}

void {cls}::forward(const float* input, std::size_t input_floats, float* output, std::size_t output_floats,
                   netc::rt::Output kind, netc::rt::LayerObserver* observer) {{
  forward(own_context, input, input_floats, output, output_floats, kind, observer);
}}
)cpp";

}  // namespace netc::cpp_template
