// `netc summary`: a Keras-style table of layers with output shapes, parameters and MACs, then the totals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "ir/Graph.hpp"

namespace netc {

/// What the summary shows beyond the graph, and how.
struct SummaryExtras {
  std::string source_path;
  std::int64_t arena_bytes = -1;  // the code generator's activation arena; < 0: not planned
  std::optional<int> depth;       // block uses, boxes and repeats nested deeper collapse to one row each
  std::size_t columns = 0;        // the widest the table may be (names are shortened to fit); 0: no limit
};

/// The summary of an inferred graph.
std::string summarize(const Graph& graph, const SummaryExtras& extras);

}  // namespace netc
