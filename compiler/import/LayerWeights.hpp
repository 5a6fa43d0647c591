// One model layer's weights from its Keras layer: the count, the names (where the file's names say which
// weight is which), the dtype, the shape in Keras's layout and finite values are checked, then the values
// are rearranged into netc's layouts (import/Conversion).
#pragma once

#include <optional>
#include <vector>

#include <netc/safetensors.hpp>

#include "import/Match.hpp"

namespace netc {

/// The layer's tensors keyed `NAME.weight`, ...; nullopt, with an error at the layer's place in diags, when
/// the file's weights do not fit the layer.
std::optional<std::vector<rt::NamedTensor>> convert_layer(const Graph& graph, const LayerPair& pair, hid_t file,
                                                          const std::string& display_name, Diagnostics& diags);

/// The HxWxC map that a dense node's input flattens (through dropouts), if it is one.
std::optional<Shape> flattened_input(const Graph& graph, const Node& node);

}  // namespace netc
