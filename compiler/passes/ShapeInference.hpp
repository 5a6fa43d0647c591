// Shape inference: one pass over the graph in topological order. Each op's rule gives its output shape;
// this pass adds the checks every op shares (sizes that overflow) and counts parameters and MACs.
#pragma once

#include "diag/Diagnostics.hpp"
#include "ir/Graph.hpp"

namespace netc {

/// Fills every node's shape, parameter counts and MACs. A layer that cannot work on its input is reported
/// with its name, the dimension, and the model input; layers after it are not checked. Returns success.
bool infer_shapes(Graph& graph, Diagnostics& diags);

/// Totals over the graph (inferred).
struct ModelCounts {
  std::int64_t trainable_params = 0;
  std::int64_t non_trainable_params = 0;
  std::int64_t macs = 0;
  std::int64_t total_params() const { return trainable_params + non_trainable_params; }
};
ModelCounts count(const Graph& graph);

}  // namespace netc
