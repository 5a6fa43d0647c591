// Random weights (see RandomWeights.hpp). Convolution and dense weights: He normal, N(0, 2 / fan_in)
// (He et al. 2015), fan_in = in_channels * kh * kw or inputs. Biases and batch norm's beta U(-0.1, 0.1);
// batch norm's gamma U(0.5, 1.5), running mean U(-0.2, 0.2), running variance U(0.5, 1.5).
// Draws come from std::mt19937_64, whose sequence the standard fixes, turned into uniform and normal
// values here (Box-Muller) rather than by std::*_distribution, whose algorithms vary by library.
#include "emit/RandomWeights.hpp"

#include <cmath>
#include <random>

#include <netc/safetensors.hpp>

namespace netc {

namespace {

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

std::vector<float> values(const WeightSpec& w, Draw& draw) {
  std::int64_t n = 1;
  for (std::int64_t d : w.shape) n *= d;
  std::vector<float> out(static_cast<std::size_t>(n));
  const std::string& s = w.suffix;
  if (s == ".weight" && w.shape.size() >= 2) {
    std::int64_t fan_in = n / w.shape[0];
    double sd = std::sqrt(2.0 / static_cast<double>(fan_in));
    for (float& v : out) v = static_cast<float>(sd * draw.normal());
    return out;
  }
  double lo = -0.1, hi = 0.1;  // a bias
  if (s == ".weight" || s == ".running_var") lo = 0.5, hi = 1.5;  // batch norm's gamma and variance
  if (s == ".running_mean") lo = -0.2, hi = 0.2;
  for (float& v : out) v = static_cast<float>(draw.uniform(lo, hi));
  return out;
}

}  // namespace

std::vector<rt::NamedTensor> random_weights(const Graph& graph, std::uint64_t seed,
                                            const std::function<bool(const Node&)>& include) {
  Draw draw(seed);
  std::vector<rt::NamedTensor> tensors;
  for (const Node& node : graph.nodes) {
    if (include && !include(node)) continue;
    std::vector<Shape> inputs;
    for (NodeId in : node.inputs) inputs.push_back(graph.nodes[static_cast<std::size_t>(in)].shape);
    for (const WeightSpec& w : node.layer->weights(inputs))
      tensors.push_back({node.name + w.suffix, w.shape, values(w, draw)});
  }
  return tensors;
}

void write_random_weights(const Graph& graph, std::uint64_t seed, const std::string& path) {
  std::vector<rt::NamedTensor> tensors = random_weights(graph, seed);
  std::map<std::string, std::string> metadata{{"format", "pt"},
                                              {"netc.model", graph.model},
                                              {"netc.input", graph.input.str()},
                                              {"netc.seed", std::to_string(seed)}};
  if (graph.classes > 0) metadata["netc.classes"] = std::to_string(graph.classes);
  rt::write_safetensors(path, tensors, metadata);
}

}  // namespace netc
