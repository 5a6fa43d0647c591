// `netc emit --target ir`: the graph as text, one node per line, with shapes once inferred.
#pragma once

#include <string>

#include "diag/Source.hpp"
#include "ir/Graph.hpp"

namespace netc {

std::string dump_ir(const Graph& graph, const SourceManager& sources);

}  // namespace netc
