// The compiler's pipeline in one place: load (parse + imports) -> elaborate (IR) -> infer shapes.
// The driver and the tests both run it; each stage can be stopped after.
#pragma once

#include <optional>
#include <string>

#include "diag/Diagnostics.hpp"
#include "elab/Elaborate.hpp"
#include "frontend/Loader.hpp"
#include "ir/Graph.hpp"

namespace netc {

enum class Stage { Parse, Elaborate, Check };

/// Everything one compilation produced; diagnostics refer to `sources`.
struct Compilation {
  SourceManager sources;
  Diagnostics diags;
  std::optional<Program> program;
  std::optional<Graph> graph;

  bool ok() const { return !diags.has_errors(); }
  /// All diagnostics rendered as `file:line:col: error: ...` with source lines and carets.
  std::string rendered() const { return render(diags, sources); }
};

/// Compiles the model file at `path` up to and including `stop`.
Compilation compile_file(const std::string& path, const ModelRequest& request, Stage stop = Stage::Check);
/// Compiles source text held in memory (tests, fuzzing).
Compilation compile_text(const std::string& display_path, std::string text, const ModelRequest& request,
                         Stage stop = Stage::Check);

}  // namespace netc
