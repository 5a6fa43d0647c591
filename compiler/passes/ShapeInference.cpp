// Shape inference (see ShapeInference.hpp).
#include "passes/ShapeInference.hpp"

#include <fmt/format.h>

namespace netc {

namespace {

// Parameter counts and MACs of one node; false (reported) when a count does not fit in 64 bits.
bool count_node(Node& node, std::span<const Shape> inputs, Reporter& report, const Graph& graph) {
  auto overflow = [&](std::string_view what) {
    report.error(node.loc, fmt::format("{} '{}': the {} does not fit in 64 bits (model input {})", node.op().keyword,
                                       node.name, what, graph.input.str()));
    return false;
  };
  for (const WeightSpec& w : node.layer->weights(inputs)) {
    auto n = checked_product(w.shape);
    std::int64_t& total = w.trainable ? node.trainable_params : node.non_trainable_params;
    if (!n || __builtin_add_overflow(total, *n, &total)) return overflow("parameter count");
  }
  auto macs = node.layer->macs(inputs, node.shape);
  if (!macs) return overflow("multiply-accumulate count");
  node.macs = *macs;
  return true;
}

// The first dimension of a shape larger than the runtime can index (kMaxDim), described, or "".
std::string oversized_dimension(const Shape& shape) {
  static const char* const kSpatial[] = {"height", "width", "channels"};
  for (std::size_t d = 0; d < shape.dims.size(); ++d)
    if (shape.dims[d] > kMaxDim)
      return fmt::format("its output {} {} is larger than {}", shape.spatial() ? kSpatial[d] : "size", shape.dims[d],
                         kMaxDim);
  return "";
}

// Whether the model's totals fit in 64 bits; if not, reports the layer that makes one overflow.
bool totals_fit(const Graph& graph, Diagnostics& diags) {
  ModelCounts total;
  for (const Node& n : graph.nodes) {
    std::int64_t all_params = 0;
    const char* what = nullptr;
    if (__builtin_add_overflow(total.trainable_params, n.trainable_params, &total.trainable_params) ||
        __builtin_add_overflow(total.non_trainable_params, n.non_trainable_params, &total.non_trainable_params) ||
        __builtin_add_overflow(total.trainable_params, total.non_trainable_params, &all_params))
      what = "parameter";
    else if (__builtin_add_overflow(total.macs, n.macs, &total.macs))
      what = "multiply-accumulate";
    if (what) {
      Reporter(diags, n.trace).error(n.loc, fmt::format("{} '{}': with this layer, the model's {} count does not fit in "
                                                        "64 bits (model input {})", n.op().keyword, n.name, what,
                                                        graph.input.str()));
      return false;
    }
  }
  return true;
}

}  // namespace

bool infer_shapes(Graph& graph, Diagnostics& diags) {
  std::vector<bool> known(graph.nodes.size(), false);
  bool ok = true;
  for (Node& node : graph.nodes) {
    std::vector<Shape> inputs;
    bool inputs_known = true;
    for (NodeId in : node.inputs) {
      inputs_known = inputs_known && known[static_cast<std::size_t>(in)];
      inputs.push_back(graph.nodes[static_cast<std::size_t>(in)].shape);
    }
    if (!inputs_known) continue;  // an earlier layer on this path already failed
    Reporter report(diags, node.trace);
    Inferred result = node.layer->infer(inputs);
    if (!result.shape) {
      report.error(node.loc, fmt::format("{} '{}': {} (model input {})", node.op().keyword, node.name, result.error,
                                         graph.input.str()));
      ok = false;
      continue;
    }
    node.shape = std::move(*result.shape);
    if (std::string oversized = oversized_dimension(node.shape); !oversized.empty()) {
      report.error(node.loc, fmt::format("{} '{}': {} (model input {})", node.op().keyword, node.name, oversized,
                                         graph.input.str()));
      ok = false;
      continue;
    }
    if (!checked_product(node.shape.dims) || !checked_product({node.shape.elements(), 4})) {
      report.error(node.loc, fmt::format("{} '{}': its output {} has too many elements to store (model input {})",
                                         node.op().keyword, node.name, node.shape.str(), graph.input.str()));
      ok = false;
      continue;
    }
    if (!count_node(node, inputs, report, graph)) {
      ok = false;
      continue;
    }
    known[static_cast<std::size_t>(node.id)] = true;
  }
  return ok && totals_fit(graph, diags);
}

ModelCounts count(const Graph& graph) {
  ModelCounts c;
  for (const Node& n : graph.nodes) {
    c.trainable_params += n.trainable_params;
    c.non_trainable_params += n.non_trainable_params;
    c.macs += n.macs;
  }
  return c;
}

}  // namespace netc
