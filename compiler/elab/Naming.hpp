// Layer names: explicit names (`as fc1`) and the documented default scheme that follows the reference
// course's Keras names: conv1, bn_conv1, fc1000, block1_conv2, block1_pool, res2a_branch2a, bn2a_branch2a.
// Names are the keys under which weights are stored, so the scheme is stable and spelled out in the README.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/Diagnostics.hpp"
#include "ir/Graph.hpp"

namespace netc {

/// Where a statement stands, which decides its layer's default name.
struct NameScope {
  enum class Kind { Model, Box, Block };
  Kind kind = Kind::Model;
  std::string prefix;                      // Box: "block3_" (after any enclosing prefix); Block: the use's id, "2a"
  std::map<std::string, int, std::less<>> counters;  // per naming stem, in this scope
  std::optional<std::string> label;        // Block: the label of the current path (`as branch2a`, inherited)
  NodeId previous = 0;                     // the node the next statement reads (bn_<previous>)
};

/// What elaboration asks of the namer for one node: an exact name, or a default built from parts
/// (prefix + name of node `ref` + suffix), resolved in node order once all exact names are known.
struct NameRequest {
  std::optional<std::string> exact;
  std::string prefix;
  NodeId ref = -1;
  std::string suffix;
};

/// The request for a layer statement of kind `op` in `scope`; `explicit_name` is its `as` name.
/// `closer` marks a box's closing layer (block1_pool). Updates the scope's counters and path label.
NameRequest request_name(NameScope& scope, const OpInfo& op, const Layer& layer,
                         const std::optional<std::string>& explicit_name, bool closer = false);

/// Sets every node's name: exact names first (a repeat is an error, with a note at the first), then
/// defaults in node order, made unique Keras-style with _1, _2.
void assign_names(Graph& graph, std::vector<NameRequest> requests, Diagnostics& diags);

}  // namespace netc
