// `netc summary --format json`: the summary as JSON for other tools, described by docs/summary.schema.json.
#pragma once

#include <string>

#include "diag/Source.hpp"
#include "ir/Graph.hpp"
#include "report/Summary.hpp"

namespace netc {

/// The model, its input and classes, every layer (name, kind, attributes, inputs, output shape, parameters,
/// MACs, source location, block-use chain), the totals and the memory figures, as one JSON document.
std::string summary_json(const Graph& graph, const SummaryExtras& extras, const SourceManager& sources);

}  // namespace netc
