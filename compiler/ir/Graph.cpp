// Graph queries.
#include "ir/Graph.hpp"

namespace netc {

std::vector<std::vector<NodeId>> Graph::consumers() const {
  std::vector<std::vector<NodeId>> out(nodes.size());
  for (const Node& n : nodes)
    for (NodeId in : n.inputs) out[static_cast<std::size_t>(in)].push_back(n.id);
  return out;
}

}  // namespace netc
