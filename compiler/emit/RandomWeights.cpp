// Random weights (see RandomWeights.hpp). Convolution and dense weights: He normal, N(0, 2 / fan_in)
// (He et al. 2015), fan_in = in_channels * kh * kw or inputs. Biases and batch norm's beta U(-0.1, 0.1);
// batch norm's gamma U(0.5, 1.5), running mean U(-0.2, 0.2), running variance U(0.5, 1.5).
// Draws come from std::mt19937_64, whose sequence the standard fixes, turned into uniform and normal
// values here (Box-Muller) rather than by std::*_distribution, whose algorithms vary by library.
#include "emit/RandomWeights.hpp"

#include <cmath>
#include <limits>
#include <random>

#include <fmt/format.h>

#include <netc/safetensors.hpp>

namespace netc {

namespace {

constexpr std::uint64_t kMaxRandomWeightsBytes = std::uint64_t{16} << 30;  // the most netc weights --random writes

class Draw {
public:
  explicit Draw(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double normal() {
    double u1 = 1.0 - uniform();  // (0, 1]
    double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

private:
  std::mt19937_64 engine_;
};

/// How one tensor's values are drawn: He normal for a convolution's or dense layer's weight, else uniform.
struct Init {
  bool normal = false;
  double sd = 0, lo = 0, hi = 0;
};

Init init_of(const WeightSpec& w, std::uint64_t count) {
  const std::string& s = w.suffix;
  if (s == ".weight" && w.shape.size() >= 2) {
    const std::uint64_t fan_in = count / static_cast<std::uint64_t>(w.shape[0]);
    return {true, std::sqrt(2.0 / static_cast<double>(fan_in)), 0, 0};
  }
  if (s == ".weight" || s == ".running_var") return {false, 0, 0.5, 1.5};  // batch norm's gamma and variance
  if (s == ".running_mean") return {false, 0, -0.2, 0.2};
  return {false, 0, -0.1, 0.1};  // a bias
}

/// The size in bytes of the weights as float32, saturated at the largest 64-bit count.
std::uint64_t total_bytes(const std::vector<std::uint64_t>& counts) {
  std::uint64_t bytes = 0;
  for (std::uint64_t n : counts) {
    if (n > (std::numeric_limits<std::uint64_t>::max() - bytes) / sizeof(float))
      return std::numeric_limits<std::uint64_t>::max();
    bytes += n * sizeof(float);
  }
  return bytes;
}

/// Why weights of this many bytes are not written, or "".
std::string size_error(std::uint64_t bytes) {
  if (bytes <= kMaxRandomWeightsBytes) return "";
  return fmt::format("the weights are too large to write: {} bytes ({:.1f} GiB) of float32 values, more than netc "
                     "weights --random writes ({} GiB)",
                     bytes, static_cast<double>(bytes) / (1ull << 30), kMaxRandomWeightsBytes >> 30);
}

/// The weight tensors of a node, in the order its layer lists them.
std::vector<WeightSpec> node_weights(const Graph& graph, const Node& node) {
  std::vector<Shape> inputs;
  for (NodeId in : node.inputs) inputs.push_back(graph.nodes[static_cast<std::size_t>(in)].shape);
  return node.layer->weights(inputs);
}

std::uint64_t element_count(const WeightSpec& w) {
  std::uint64_t count = 1;
  for (std::int64_t d : w.shape) count *= static_cast<std::uint64_t>(d);  // shape inference bounds the product
  return count;
}

float draw_value(const Init& init, Draw& draw) {
  return static_cast<float>(init.normal ? init.sd * draw.normal() : draw.uniform(init.lo, init.hi));
}

}  // namespace

std::vector<rt::NamedTensor> random_weights(const Graph& graph, std::uint64_t seed,
                                            const std::function<bool(const Node&)>& include) {
  Draw draw(seed);
  std::vector<rt::NamedTensor> tensors;
  for (const Node& node : graph.nodes) {
    if (include && !include(node)) continue;
    for (const WeightSpec& w : node_weights(graph, node)) {
      const std::uint64_t count = element_count(w);
      const Init init = init_of(w, count);
      std::vector<float> values(static_cast<std::size_t>(count));
      for (float& v : values) v = draw_value(init, draw);
      tensors.push_back({node.name + w.suffix, w.shape, std::move(values)});
    }
  }
  return tensors;
}

std::string random_weights_size_error(const Graph& graph) {
  std::vector<std::uint64_t> counts;
  for (const Node& node : graph.nodes)
    for (const WeightSpec& w : node_weights(graph, node)) counts.push_back(element_count(w));
  return size_error(total_bytes(counts));
}

void write_random_weights(const Graph& graph, std::uint64_t seed, const std::string& path) {
  std::vector<rt::TensorShape> tensors;
  std::vector<std::uint64_t> counts;
  std::vector<Init> inits;
  for (const Node& node : graph.nodes) {
    for (const WeightSpec& w : node_weights(graph, node)) {
      const std::uint64_t count = element_count(w);
      tensors.push_back({node.name + w.suffix, w.shape});
      counts.push_back(count);
      inits.push_back(init_of(w, count));
    }
  }
  if (std::string error = size_error(total_bytes(counts)); !error.empty())
    throw rt::WeightsError(fmt::format("{}: {}", path, error));
  std::map<std::string, std::string> metadata{{"format", "pt"},
                                              {"netc.model", graph.model},
                                              {"netc.input", graph.input.str()},
                                              {"netc.seed", std::to_string(seed)}};
  if (graph.classes > 0) metadata["netc.classes"] = std::to_string(graph.classes);
  Draw draw(seed);  // one sequence over every tensor in order, as the values are written
  rt::write_safetensors(path, tensors, [&](std::size_t i, std::uint64_t, float* out, std::size_t count) {
    const Init& init = inits[i];
    for (std::size_t k = 0; k < count; ++k) out[k] = draw_value(init, draw);
  }, metadata);
}

}  // namespace netc
