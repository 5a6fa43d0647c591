// libFuzzer target for `netc import`: bytes as a Keras HDF5 file, opened from memory (HDF5's core driver with
// the bytes as its file image) and mapped onto a small model with every kind of weights netc imports. A
// diagnostic is the expected answer to bad bytes; a crash, a sanitizer report in netc's code, a leak or a
// timeout is a bug (netc's, or Debian's HDF5's, which is not instrumented: a read out of bounds inside it
// shows only if it crashes). Odd-sized inputs run with --allow-missing (the layers the file lacks are listed).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "Pipeline.hpp"
#include "import/Import.hpp"

namespace {

// tests/import/small.net's model: convolutions with and without bias, a batch norm, a dense layer behind a
// flatten and a dropout, a classifier.
constexpr const char* kModel = R"(model small(input = 8x6x3, classes = 5) {
  conv 4 3x3 same relu as conv1
  conv 6 3x3 stride 2 same nobias as conv2
  batchnorm as bn2
  relu
  flatten
  dropout 0.5
  dense 7 relu as fc1
  dense classes softmax as predictions
}
)";

const netc::Compilation& model() {
  static const netc::Compilation c = netc::compile_text("fuzz.net", kModel, {});
  if (!c.ok()) {
    std::fprintf(stderr, "fuzz_h5: the model does not compile:\n%s", c.rendered().c_str());
    std::abort();
  }
  return c;
}

[[noreturn]] void bug(const char* what) {
  std::fprintf(stderr, "fuzz_h5: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const netc::Compilation& c = model();
  netc::Diagnostics diags;
  netc::ImportOptions options{"fuzz.h5", size % 2 == 1};
  std::optional<netc::ImportedWeights> weights = netc::import_keras_image(*c.graph, data, size, options, diags);
  std::string rendered = netc::render(diags, c.sources);
  if (weights.has_value() == diags.has_errors()) bug("a result and errors, or neither");
  if (!weights) {
    if (rendered.empty()) bug("an error without a message");
    return 0;
  }
  // Every tensor of the model, those of the layers it says are missing excepted, each filled.
  std::size_t expected = 0;
  for (const netc::Node& node : c.graph->nodes) {
    std::vector<netc::Shape> inputs;
    for (netc::NodeId in : node.inputs) inputs.push_back(c.graph->nodes[static_cast<std::size_t>(in)].shape);
    bool missing = false;
    for (const std::string& name : weights->missing_layers) missing = missing || name == node.name;
    if (!missing) expected += node.layer->weights(inputs).size();
  }
  if (weights->tensors.size() != expected) bug("an import without every tensor of the layers it found");
  for (const netc::rt::NamedTensor& t : weights->tensors) {
    std::size_t n = 1;
    for (std::int64_t d : t.shape) n *= static_cast<std::size_t>(d);
    if (t.data.size() != n) bug("a tensor whose values do not fill its shape");
  }
  return 0;
}
