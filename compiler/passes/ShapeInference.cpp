// Shape inference (see ShapeInference.hpp).
#include "passes/ShapeInference.hpp"

#include <optional>
#include <unordered_set>

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

// A node and the nodes it reads through its first inputs, back to the model's input.
std::vector<NodeId> first_input_chain(const Graph& graph, NodeId from) {
  std::vector<NodeId> chain{from};
  for (const Node* n = &graph.nodes[static_cast<std::size_t>(from)]; !n->inputs.empty();
       n = &graph.nodes[static_cast<std::size_t>(n->inputs[0])])
    chain.push_back(n->inputs[0]);
  return chain;
}

// Why a join's inputs (add, concat) differ in height or width, when a layer on one input's own path rounded a size
// that its factor does not divide (a 2x2 pool of 25 rows gives 12, which a 2x upsample makes 24): that layer.
std::optional<Diagnostic> where_sizes_part(const Graph& graph, const Node& join) {
  const Shape& first = graph.nodes[static_cast<std::size_t>(join.inputs[0])].shape;
  for (std::size_t i = 1; i < join.inputs.size(); ++i) {
    const Shape& other = graph.nodes[static_cast<std::size_t>(join.inputs[i])].shape;
    if (!first.spatial() || !other.spatial()) continue;
    std::size_t d = first.height() != other.height() ? 0 : first.width() != other.width() ? 1 : 2;
    if (d == 2) continue;
    std::vector<NodeId> a = first_input_chain(graph, join.inputs[i]), b = first_input_chain(graph, join.inputs[0]);
    std::unordered_set<NodeId> in_a(a.begin(), a.end()), in_b(b.begin(), b.end());
    for (const auto& [own, shared] : {std::pair{&a, &in_b}, std::pair{&b, &in_a}}) {
      for (NodeId id : *own) {
        if (shared->count(id)) break;  // where the two paths meet
        const Node& n = graph.nodes[static_cast<std::size_t>(id)];
        if (n.inputs.empty()) break;
        const Shape& input = graph.nodes[static_cast<std::size_t>(n.inputs[0])].shape;
        if (!n.shape.spatial() || !input.spatial()) break;
        std::int64_t in = input.dims[d], out = n.shape.dims[d];
        std::int64_t factor = out > 0 ? (in + out / 2) / out : 0;
        if (factor < 2 || in % factor == 0) continue;
        return Diagnostic{Severity::Note, n.loc,
                          fmt::format("the {}s part at {} '{}', which makes {} {} into {}: {} is not a multiple of {}",
                                      d == 0 ? "height" : "width", n.op().keyword, n.name, in,
                                      d == 0 ? "rows" : "columns", out, in, factor), {}};
      }
    }
  }
  return std::nullopt;
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
      Diagnostic& d = report.error(node.loc, fmt::format("{} '{}': {} (model input {})", node.op().keyword, node.name,
                                                         result.error, graph.input.str()));
      if (node.inputs.size() >= 2)
        if (std::optional<Diagnostic> part = where_sizes_part(graph, node)) d.notes.insert(d.notes.begin(), *part);
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
