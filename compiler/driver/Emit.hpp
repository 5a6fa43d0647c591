// `netc emit` (the AST, the IR, a Graphviz picture, C++, PyTorch) and `netc weights`: what the commands
// that write files do once the model compiled.
#pragma once

#include "Pipeline.hpp"
#include "driver/Cli.hpp"
#include "driver/DiagnosticOutput.hpp"

namespace netc {

/// Writes the --target; returns the exit status.
int emit(const Options& o, Compilation& c, DiagnosticOutput& diagnostics);

/// Writes deterministic random weights to -o FILE; returns the exit status.
int weights(const Options& o, const Compilation& c, DiagnosticOutput& diagnostics);

}  // namespace netc
