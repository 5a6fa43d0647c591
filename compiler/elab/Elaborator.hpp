// The elaborator's state and its statement handlers (Elaborate.cpp: layers and constructs; Blocks.cpp:
// models, block uses and argument binding).
#pragma once

#include <functional>

#include "elab/Elaborate.hpp"
#include "elab/Naming.hpp"
#include "elab/Value.hpp"
#include "ops/Add.hpp"
#include "ops/Concat.hpp"

namespace netc {

class Elaborator {
public:
  Elaborator(const Program& program, Diagnostics& diags) : program_(program), diags_(diags) {}

  std::optional<Graph> run(const ast::Definition& model, const ModelRequest& request);

private:
  using BoxLists = std::pair<std::vector<std::int64_t>, std::vector<std::pair<std::string, std::vector<Value>>>>;
  using NextId = std::function<std::string(int repeats)>;

  NodeId body(const ast::Body& statements, const Scope& scope, NodeId x, NameScope& names);
  NodeId statement(const ast::LayerStmt& stmt, const Scope& scope, NodeId x, NameScope& names);
  NodeId statement(const ast::UseStmt& stmt, const Scope& scope, NodeId x, NameScope& names);
  NodeId statement(const ast::BoxesStmt& stmt, const Scope& scope, NodeId x, NameScope& names);
  NodeId statement(const ast::StageStmt& stmt, const Scope& scope, NodeId x, NameScope& names);
  NodeId statement(const ast::ResidualStmt& stmt, const Scope& scope, NodeId x, NameScope& names);
  NodeId statement(const ast::RepeatStmt& stmt, const Scope& scope, NodeId x, NameScope& names);
  NodeId statement(const ast::ConcatStmt& stmt, const Scope& scope, NodeId x, NameScope& names);

  NodeId layer(const ast::LayerStmt& stmt, const Scope& scope, NodeId x, NameScope& names, bool closer = false);
  void unknown_layer(const ast::Ident& kind);
  std::string unknown_block_hint(const std::string& name);
  std::optional<BoxLists> box_lists(const ast::BoxesStmt& stmt, const Scope& scope);
  NodeId use(const ast::UseStmt& stmt, const Scope& scope, NodeId x, NameScope& names, const NextId& next_id);
  NodeId instantiate(const ast::Definition& block, const ast::UseStmt& stmt, const Scope& args, NodeId x,
                     const NameScope& names, const std::string& id);
  bool bind_arguments(const ast::Definition& def, const ast::UseStmt& stmt, const Scope& caller, Scope& out);
  bool bind_parameter(const ast::Param& param, Value value, Scope& out);
  bool bind_model_parameters(const ast::Definition& model, const ModelRequest& request, Scope& out);
  bool set_input(const ast::Definition& model, const Scope& scope);
  NodeId add_node(std::unique_ptr<Layer> layer, std::vector<NodeId> inputs, SourceLoc loc, NameRequest name);
  /// Counts one statement run; false (reported once) past the budget of kStatementsPerNode per layer allowed.
  bool count_statement(SourceLoc loc);
  /// Whether a repeat (repeat N, x N, a box's layers) runs its next round, given the layer count and
  /// errors_found() before the round just run. A round that added no layer adds none the next time (nothing
  /// in it depends on the round's number but names), and one that met an error would meet it again: either
  /// way the rounds left are skipped, so that `repeat 1000000 { repeat 1000000 { } }` ends at once.
  bool next_round(std::size_t nodes_before, std::size_t errors_before) const;

  const Program& program_;
  Diagnostics& diags_;
  Trace trace_;
  Reporter report_{diags_, trace_};
  Graph graph_;
  std::vector<NameRequest> names_;
  std::vector<std::string> active_blocks_;  // the block uses being expanded, outermost first
  std::map<std::string, std::string> block_hints_;  // unknown block name -> its hint
  std::size_t max_nodes_ = kMaxNodes;
  std::size_t statements_ = 0;
  std::size_t depth_ = 0;  // bodies being elaborated, one inside the other
  bool too_big_ = false;  // a limit was reached (reported): elaboration stops
};

/// a, b, ..., z, aa, ab, ...: the letters of a stage's blocks.
std::string block_letters(int index);
/// The prefix an enclosing box or block adds to names and ids made inside it.
std::string outer_prefix(const NameScope& names);

}  // namespace netc
