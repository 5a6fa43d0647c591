// The nesting of a model's layers in block uses, boxes and repeats (from each node's trace), for the views
// that draw it or fold it: the summary's --depth and the Graphviz picture's clusters.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/Graph.hpp"

namespace netc {

/// One block use, box or repetition of a repeat: a group of consecutive layers.
struct Group {
  std::string label;      // "2a (conv_block)", "box 1 of 5 (layers = 2, filters = 64)", "repetition 2 of 3"
  SourceLoc loc;          // the statement that made it
  int parent = -1;        // the enclosing group, -1 at the top
  int depth = 0;          // 0 for an outermost group
};

/// Every group of a graph and the groups each node sits in.
struct Nesting {
  std::vector<Group> groups;
  std::vector<std::vector<int>> path;  // per node: its groups, outermost first

  /// The group that stands for `node` when groups nested deeper than `depth` collapse: the node's group at
  /// `depth`, or -1 when the node is shown itself (no depth given, or the node is not that deep).
  int collapsed_into(NodeId node, std::optional<int> depth) const;
};

/// A group's label from the note that the elaborator wrote for it ("in block 'b', used here as '2a'" ->
/// "2a (b)", "in box 1 of 5 (...)" -> "box 1 of 5 (...)").
std::string group_label(const std::string& what);

/// The nesting of a graph's nodes.
Nesting nesting(const Graph& graph);

}  // namespace netc
