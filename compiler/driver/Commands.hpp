// The netc commands: check, summary, emit and weights.
#pragma once

#include "driver/Cli.hpp"

namespace netc {

/// Runs a parsed command; returns the exit status.
int run_command(const Options& options);

}  // namespace netc
