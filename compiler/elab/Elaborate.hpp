// Elaboration: a model's AST, with its parameters bound, becomes an IR graph. Boxes, stages, block uses,
// residuals and repeats expand into layer nodes; each node keeps its statement's place and the chain of
// uses that led to it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag/Diagnostics.hpp"
#include "frontend/Loader.hpp"
#include "ir/Graph.hpp"

namespace netc {

/// Limits on what one model may expand to. Besides layers, elaboration counts the statements it runs
/// (layers, block uses, boxes, stages, residuals, repeats, each time it meets them), so that block uses of
/// empty blocks nested 64 deep cannot run for ever: at most kStatementsPerNode per layer allowed.
inline constexpr std::size_t kMaxNodes = 1'000'000;
inline constexpr std::size_t kMaxUseDepth = 64;
inline constexpr std::size_t kStatementsPerNode = 4;
/// Bodies (a model's, a block use's, a box's, a repeat's, a residual's paths) nested inside one another,
/// counted through every block use: each file is limited by its parse tree's depth, but block uses multiply
/// the levels, and elaboration recurses once per level.
inline constexpr std::size_t kMaxNestingDepth = 1000;

/// Which model to build and the parameter values that override its defaults.
struct ModelRequest {
  std::string model;                                // empty: the file's only model
  std::optional<std::vector<std::int64_t>> input;   // HxWxC
  std::optional<std::int64_t> classes;
  /// The most layers the model may expand to (fuzzing lowers it so that every input compiles quickly).
  std::size_t max_nodes = kMaxNodes;
  /// Directories that `import <name>` searches first (-I), before NETC_PATH and netc's block library.
  std::vector<std::string> import_dirs;
};

/// Elaborates the requested model of `program`; errors go to `diags` (no graph when there were any).
std::optional<Graph> elaborate(const Program& program, const ModelRequest& request, const SourceManager& sources,
                               Diagnostics& diags);

}  // namespace netc
