// The import stage (see Import.hpp): open, read the layout, pair the layers, convert each layer's weights,
// and give the layers the file lacks random weights when that is allowed.
#include "import/Import.hpp"

#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "emit/RandomWeights.hpp"
#include "import/LayerWeights.hpp"

namespace netc {

namespace {

// The tensors of the layers the file lacks, random, in the model's order.
std::vector<rt::NamedTensor> random_tensors(const Graph& graph, const std::vector<LayerPair>& pairs,
                                            std::uint64_t seed) {
  std::set<const Node*> lacking;
  for (const LayerPair& pair : pairs)
    if (pair.keras == nullptr) lacking.insert(pair.node);
  if (lacking.empty()) return {};
  return random_weights(graph, seed, [&](const Node& n) { return lacking.count(&n) > 0; });
}

std::optional<ImportedWeights> map_file(const Graph& graph, const h5::File& file, const ImportOptions& options,
                                        Diagnostics& diags) {
  ImportedWeights out;
  try {
    KerasWeights keras = read_keras_layout(file);
    out.layout = keras.layout;
    std::optional<std::vector<LayerPair>> pairs = match_layers(graph, keras, file.id(), options, diags);
    if (!pairs) return std::nullopt;
    std::vector<rt::NamedTensor> random = random_tensors(graph, *pairs, options.seed);
    std::size_t next_random = 0;
    for (const LayerPair& pair : *pairs) {
      if (pair.keras == nullptr) {
        out.random_layers.push_back(pair.node->name);
        for (std::size_t i = node_weights(graph, *pair.node).size(); i > 0; --i)
          out.tensors.push_back(std::move(random[next_random++]));
        continue;
      }
      std::optional<std::vector<rt::NamedTensor>> tensors =
          convert_layer(graph, pair, file.id(), options.display_name, diags);
      if (tensors)
        for (rt::NamedTensor& t : *tensors) out.tensors.push_back(std::move(t));
    }
  } catch (const h5::Error& e) {
    diags.error({}, fmt::format("{}: {}", options.display_name, e.what()));
  }
  if (diags.has_errors()) return std::nullopt;
  out.random_seed = options.seed;
  return out;
}

}  // namespace

std::optional<ImportedWeights> import_keras(const Graph& graph, const std::string& path, const ImportOptions& options,
                                            Diagnostics& diags) {
  try {
    h5::File file = h5::File::open(path);
    return map_file(graph, file, options, diags);
  } catch (const h5::Error& e) {
    diags.error({}, e.what());
    return std::nullopt;
  }
}

std::optional<ImportedWeights> import_keras_image(const Graph& graph, const void* data, std::size_t size,
                                                  const ImportOptions& options, Diagnostics& diags) {
  try {
    h5::File file = h5::File::open_image(data, size, options.display_name);
    return map_file(graph, file, options, diags);
  } catch (const h5::Error& e) {
    diags.error({}, e.what());
    return std::nullopt;
  }
}

std::map<std::string, std::string> imported_metadata(const Graph& graph, const ImportedWeights& weights,
                                                     const std::string& source_name) {
  std::map<std::string, std::string> metadata{{"format", "pt"},
                                              {"netc.model", graph.model},
                                              {"netc.input", graph.input.str()},
                                              {"netc.source", std::filesystem::path(source_name).filename().string()},
                                              {"netc.source_layout", weights.layout}};
  if (graph.classes > 0) metadata["netc.classes"] = std::to_string(graph.classes);
  if (!weights.random_layers.empty()) {
    metadata["netc.random_layers"] = fmt::format("{}", fmt::join(weights.random_layers, ","));
    metadata["netc.seed"] = std::to_string(weights.random_seed);
  }
  return metadata;
}

}  // namespace netc
