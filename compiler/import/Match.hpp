// Pairing the model's layers that have weights with a Keras file's layers: by name (the shipped models use
// Keras's names), or, in a Keras 3 file that records no names (before Keras 3.10), the file's k-th layer of
// a class with the model's k-th layer of the op that class stands for, in the .net file's order.
#pragma once

#include <optional>
#include <vector>

#include "import/Conversion.hpp"
#include "import/Import.hpp"
#include "import/KerasFile.hpp"

namespace netc {

/// A model layer with weights, its op's conversion, and the Keras layer holding its weights (nullptr when
/// the file lacks it and missing layers are allowed).
struct LayerPair {
  const Node* node = nullptr;
  const OpConversion* op = nullptr;
  const KerasLayer* keras = nullptr;
};

/// The pairs in the model's order; nullopt, with the errors in diags, when an op's weights cannot be
/// imported, the file has layers the model lacks, none of the model's, or lacks some (without
/// allow_missing). file is the open file, to tell a file without a classifier (include_top=False).
std::optional<std::vector<LayerPair>> match_layers(const Graph& graph, const KerasWeights& keras, hid_t file,
                                                   const ImportOptions& options, Diagnostics& diags);

/// A node's weights (their netc key suffixes and shapes) for its inferred input shapes.
std::vector<WeightSpec> node_weights(const Graph& graph, const Node& node);

/// "'a', 'b' and 'c'", or the first `shown` names and "and N more".
std::string quoted_list(const std::vector<std::string>& names, std::size_t shown = 10);

}  // namespace netc
