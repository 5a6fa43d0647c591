// The IR: a graph of layer nodes in topological order (a DAG: add has two inputs). Elaboration builds it,
// passes annotate it, emitters read it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "diag/Reporter.hpp"
#include "ops/Layer.hpp"
#include "ops/Registry.hpp"

namespace netc {

struct Node {
  NodeId id = 0;
  std::string name;                // unique in the graph; the key prefix of the node's weights
  std::unique_ptr<Layer> layer;
  std::vector<NodeId> inputs;
  SourceLoc loc;                   // the statement that made the node
  Trace trace;                     // the block uses, boxes and repeats that led to it, outermost first

  // Set by shape inference.
  Shape shape;
  std::int64_t trainable_params = 0;
  std::int64_t non_trainable_params = 0;
  std::int64_t macs = 0;

  const OpInfo& op() const { return layer->op(); }
};

/// The parameters a model was elaborated with, and the graph it became.
struct Graph {
  std::string model;
  SourceLoc model_loc;
  Shape input;                  // HxWxC
  std::int64_t classes = 0;     // 0 when the model has no `classes` parameter
  std::vector<Node> nodes;      // nodes[0] is the input; the last node is the output

  const Node& output() const { return nodes.back(); }
  /// For each node, the nodes that read its output.
  std::vector<std::vector<NodeId>> consumers() const;
};

}  // namespace netc
