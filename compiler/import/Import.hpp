// `netc import`'s stage: after shape inference, a Keras HDF5 weights file is read (import/KerasFile), its
// layers are paired with the model's by name (import/Match) and each pair's weights are checked and
// converted to netc's layouts (import/LayerWeights), ready to be written as a safetensors file. It uses the
// IR and the ops' public interfaces only.
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
  bool allow_missing = false;  // layers the file lacks are listed instead of reported as errors
};

/// A model's weights made from a Keras file, in the model's order, keyed and laid out as netc's weights files.
struct ImportedWeights {
  std::vector<rt::NamedTensor> tensors;
  std::string layout;                       // the Keras layout the file had ("Keras 2 save_weights", ...)
  std::vector<std::string> missing_layers;  // the model's layers the file lacks (with allow_missing): no tensors
};

/// Reads the Keras file at path and maps it onto the graph. Every problem is an error in diags (the file's
/// own problems without a place; a layer that does not fit at that layer's place in the .net source), and
/// then the result is nullopt.
std::optional<ImportedWeights> import_keras(const Graph& graph, const std::string& path, const ImportOptions& options,
                                            Diagnostics& diags);
/// The same for a file held in memory (fuzzing).
std::optional<ImportedWeights> import_keras_image(const Graph& graph, const void* data, std::size_t size,
                                                  const ImportOptions& options, Diagnostics& diags);

/// The tensors of two lists, each in the model's order (the imported ones and others for the missing layers),
/// in the model's order.
std::vector<rt::NamedTensor> in_model_order(const Graph& graph, std::vector<rt::NamedTensor> a,
                                            std::vector<rt::NamedTensor> b);

/// The safetensors metadata an imported file records: the model, its input and classes (which generated
/// classes check), the file it came from and, when the missing layers got random weights, which and their seed.
std::map<std::string, std::string> imported_metadata(const Graph& graph, const ImportedWeights& weights,
                                                     const std::string& source_name, std::uint64_t random_seed);

}  // namespace netc
