// `netc import MODEL.net KERAS.h5 -o WEIGHTS.safetensors`: a Keras HDF5 weights file made into the model's
// weights file. The command's help text is kImportHelp (for `netc help import`).
#pragma once

#include <string>

#include "Pipeline.hpp"
#include "driver/Cli.hpp"

namespace netc {

/// The usage, options and an example of `netc import`.
extern const char* const kImportHelp;

/// What is wrong with an import command line ("" when nothing is): its Keras file and -o are required.
std::string import_usage_error(const Options& options);

/// Runs `netc import` on a model that compiled; returns the exit status.
int run_import(const Options& options, const Compilation& compilation);

}  // namespace netc
