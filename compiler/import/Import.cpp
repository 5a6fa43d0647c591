// The import stage (see Import.hpp): open, read the layout, pair the layers, convert each layer's weights.
#include "import/Import.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "import/LayerWeights.hpp"

namespace netc {

namespace {

std::optional<ImportedWeights> map_file(const Graph& graph, const h5::File& file, const ImportOptions& options,
                                        Diagnostics& diags) {
  ImportedWeights out;
  try {
    KerasWeights keras = read_keras_layout(file);
    out.layout = keras.layout;
    std::optional<std::vector<LayerPair>> pairs = match_layers(graph, keras, file.id(), options, diags);
    if (!pairs) return std::nullopt;
    for (const LayerPair& pair : *pairs) {
      if (pair.keras == nullptr) {
        out.missing_layers.push_back(pair.node->name);
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

std::vector<rt::NamedTensor> in_model_order(const Graph& graph, std::vector<rt::NamedTensor> a,
                                            std::vector<rt::NamedTensor> b) {
  std::map<std::string, std::size_t, std::less<>> position;  // a layer's name -> its place in the model
  for (const Node& node : graph.nodes) position.emplace(node.name, position.size());
  auto place = [&](const rt::NamedTensor& t) { return position.at(t.name.substr(0, t.name.find('.'))); };
  std::vector<rt::NamedTensor> out;
  out.reserve(a.size() + b.size());
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size())
    out.push_back(std::move(j == b.size() || (i < a.size() && place(a[i]) <= place(b[j])) ? a[i++] : b[j++]));
  return out;
}

std::map<std::string, std::string> imported_metadata(const Graph& graph, const ImportedWeights& weights,
                                                     const std::string& source_name, std::uint64_t random_seed) {
  std::map<std::string, std::string> metadata{{"format", "pt"},
                                              {"netc.model", graph.model},
                                              {"netc.input", graph.input.str()},
                                              {"netc.source", std::filesystem::path(source_name).filename().string()},
                                              {"netc.source_layout", weights.layout}};
  if (graph.classes > 0) metadata["netc.classes"] = std::to_string(graph.classes);
  if (!weights.missing_layers.empty()) {
    metadata["netc.random_layers"] = fmt::format("{}", fmt::join(weights.missing_layers, ","));
    metadata["netc.seed"] = std::to_string(random_seed);
  }
  return metadata;
}

}  // namespace netc
