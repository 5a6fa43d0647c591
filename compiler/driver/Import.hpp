// `netc import MODEL.net KERAS.h5 -o WEIGHTS.safetensors`: a Keras HDF5 weights file made into the model's
// weights file.
#pragma once

#include <string>

#include "Pipeline.hpp"
#include "driver/Cli.hpp"
#include "driver/DiagnosticOutput.hpp"

namespace netc {

/// What is wrong with an import command line ("" when nothing is): its Keras file and -o are required.
std::string import_usage_error(const Options& options);

/// Runs `netc import` on a model that compiled; returns the exit status.
int run_import(const Options& options, const Compilation& compilation, DiagnosticOutput& diagnostics);

}  // namespace netc
