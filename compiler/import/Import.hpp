// `netc import`'s stage: after shape inference, a Keras HDF5 weights file is read (import/KerasFile), its
// layers are paired with the model's by name (import/Match) and each pair's weights are checked and
// converted to netc's layouts (import/LayerWeights), ready to be written as a safetensors file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <netc/safetensors.hpp>

#include "diag/Diagnostics.hpp"
#include "ir/Graph.hpp"

namespace netc {

struct ImportOptions {
  std::string display_name;    // the Keras file as messages name it
  bool allow_missing = false;  // layers the file lacks get random weights instead of an error
  std::uint64_t seed = 0;      // for those random weights (as `netc weights --random --seed`)
};

/// A model's weights made from a Keras file, in the model's order, keyed and laid out as netc's weights files.
struct ImportedWeights {
  std::vector<rt::NamedTensor> tensors;
  std::string layout;                      // the Keras layout the file had ("Keras 2 save_weights", ...)
  std::vector<std::string> random_layers;  // the model's layers the file lacks (with allow_missing)
  std::uint64_t random_seed = 0;           // the seed of their random weights
};

/// Reads the Keras file at path and maps it onto the graph. Every problem is an error in diags (the file's
/// own problems without a place; a layer that does not fit at that layer's place in the .net source), and
/// then the result is nullopt.
std::optional<ImportedWeights> import_keras(const Graph& graph, const std::string& path, const ImportOptions& options,
                                            Diagnostics& diags);
/// The same for a file held in memory (fuzzing).
std::optional<ImportedWeights> import_keras_image(const Graph& graph, const void* data, std::size_t size,
                                                  const ImportOptions& options, Diagnostics& diags);

/// The safetensors metadata an imported file records: the model, its input and classes (which generated
/// classes check) and the file it came from.
std::map<std::string, std::string> imported_metadata(const Graph& graph, const ImportedWeights& weights,
                                                     const std::string& source_name);

}  // namespace netc
