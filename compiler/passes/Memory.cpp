// Peak activation memory of a sequential execution (see Memory.hpp).
#include "passes/Memory.hpp"

#include <algorithm>
#include <cstdint>

namespace netc {

std::int64_t peak_activation_bytes(const Graph& graph) {
  std::vector<NodeId> last_use(graph.nodes.size());
  for (const Node& n : graph.nodes) {
    last_use[static_cast<std::size_t>(n.id)] = n.id;
    for (NodeId in : n.inputs) last_use[static_cast<std::size_t>(in)] = n.id;
  }
  last_use.back() = static_cast<NodeId>(graph.nodes.size());  // the output outlives the run
  __int128 live = 0, peak = 0;  // sums of sizes that each fit in 64 bits
  for (const Node& n : graph.nodes) {
    live += n.shape.elements() * 4;
    peak = std::max(peak, live);
    for (std::size_t k = 0; k < n.inputs.size(); ++k) {
      NodeId in = n.inputs[k];
      bool repeated = std::find(n.inputs.begin(), n.inputs.begin() + static_cast<std::ptrdiff_t>(k), in) !=
                      n.inputs.begin() + static_cast<std::ptrdiff_t>(k);
      if (!repeated && last_use[static_cast<std::size_t>(in)] == n.id)
        live -= graph.nodes[static_cast<std::size_t>(in)].shape.elements() * 4;
    }
  }
  return peak > INT64_MAX ? INT64_MAX : static_cast<std::int64_t>(peak);
}

}  // namespace netc
