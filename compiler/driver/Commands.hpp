// The netc commands: check, summary, emit and weights.
#pragma once

#include "driver/Cli.hpp"
#include "driver/DiagnosticOutput.hpp"

namespace netc {

/// The exit status of a step that returned `error` ("" for success): 0, or 1 with the error reported.
int status(const std::string& error, DiagnosticOutput& diagnostics);

/// Runs a parsed command, its diagnostics going to `diagnostics`; returns the exit status.
int run_command(const Options& options, DiagnosticOutput& diagnostics);

}  // namespace netc
