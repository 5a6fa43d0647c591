// The Graphviz emitter: a model becomes a DOT graph, a node per layer (name, kind with attributes, output
// shape, parameters), an edge per tensor, a cluster per block use, box and repeat. It reads the IR only.
#pragma once

#include <optional>
#include <string>

#include "diag/Source.hpp"
#include "ir/Graph.hpp"

namespace netc {

struct DotOptions {
  std::string source_path;   // the .net file, for the header comment
  std::optional<int> depth;  // clusters nested deeper than this are drawn as one node each
};

/// The graph as DOT text (`dot -Tsvg` draws it).
std::string emit_dot(const Graph& graph, const DotOptions& options);

}  // namespace netc
