// `netc summary`: a Keras-style table of layers with output shapes, parameters and MACs, then the totals.
#pragma once

#include <string>

#include "ir/Graph.hpp"

namespace netc {

/// Extra lines a later stage adds under the totals (the code generator's activation arena).
struct SummaryExtras {
  std::string source_path;
  std::int64_t arena_bytes = -1;  // < 0: not planned
};

/// The summary of an inferred graph.
std::string summarize(const Graph& graph, const SummaryExtras& extras);

}  // namespace netc
