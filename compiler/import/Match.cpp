// Pairing model layers with a Keras file's layers (see Match.hpp), and the errors when they do not pair up:
// layers the file has and the model lacks, a file of another model, layers the model has and the file
// lacks (a file without the classifier, include_top=False, said so in words).
#include "import/Match.hpp"

#include <map>

#include <fmt/format.h>

#include "diag/Reporter.hpp"

namespace netc {

std::vector<WeightSpec> node_weights(const Graph& graph, const Node& node) {
  std::vector<Shape> inputs;
  for (NodeId in : node.inputs) inputs.push_back(graph.nodes[static_cast<std::size_t>(in)].shape);
  return node.layer->weights(inputs);
}

std::string quoted_list(const std::vector<std::string>& names, std::size_t shown) {
  std::string out;
  std::size_t n = std::min(names.size(), shown);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += n == names.size() && i + 1 == n ? " and " : ", ";
    out += "'" + names[i] + "'";
  }
  if (names.size() > n) out += fmt::format(" and {} more", names.size() - n);
  return out;
}

namespace {

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// The key a file's layer is found under: its name, or its class and counter when the file has no names.
std::string file_key(const KerasLayer& layer, bool named) {
  return named ? layer.name : fmt::format("{}#{}", layer.kind, layer.index);
}

// Whether a file holds a classifier: a dense layer (Keras 3 says so) or a layer whose first weight is a
// matrix (a Dense kernel; convolution kernels have four dimensions).
bool has_dense_layer(const KerasWeights& keras, hid_t file) {
  for (const KerasLayer& layer : keras.layers) {
    if (layer.kind == "dense") return true;
    if (!keras.named) continue;
    h5::Handle dataset = h5::open_dataset(file, layer.weights[0].path, layer.weights[0].path);
    if (h5::describe(dataset.id(), layer.weights[0].path).dims.size() == 2) return true;
  }
  return false;
}

// " (no group 'layers/conv2d_3')" for the key "conv2d#3" of a Keras 3 file without names.
std::string keras3_group(const std::string& key) {
  std::size_t hash = key.find('#');
  std::string counter = key.substr(hash + 1);
  return fmt::format(" (no group '/layers/{}{}')", key.substr(0, hash), counter == "0" ? "" : "_" + counter);
}

class Matcher {
public:
  Matcher(const Graph& g, const KerasWeights& k, const ImportOptions& o, Diagnostics& d)
      : g_(g), k_(k), o_(o), diags_(d) {}

  std::optional<std::vector<LayerPair>> run(hid_t file) {
    if (!pair_by_key()) return std::nullopt;
    std::vector<std::string> extra;
    for (std::size_t i = 0; i < k_.layers.size(); ++i)
      if (!used_[i]) extra.push_back(keras_layer_label(k_.layers[i]));
    std::size_t found = pairs_.size() - missing().size();
    if (found == 0) return none_found();
    if (!extra.empty())
      diags_.error({}, fmt::format("{}: {} not in model '{}': {}", o_.display_name,
                                   extra.size() == 1 ? "1 layer with weights is"
                                                     : fmt::format("{} layers with weights are", extra.size()),
                                   g_.model, quoted_list(extra)));
    if (!missing().empty() && !o_.allow_missing) report_missing(file, extra);
    if (diags_.has_errors()) return std::nullopt;
    return pairs_;
  }

private:
  bool pair_by_key() {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < k_.layers.size(); ++i) {
      auto [it, fresh] = index.emplace(file_key(k_.layers[i], k_.named), i);
      if (!fresh)
        diags_.error({}, fmt::format("{}: two layers are named '{}' ('{}' and '{}')", o_.display_name,
                                     k_.layers[i].name, k_.layers[it->second].path, k_.layers[i].path));
    }
    used_.assign(k_.layers.size(), false);
    std::map<std::string, int, std::less<>> seen_of_op;
    for (const Node& node : g_.nodes) {
      if (node_weights(g_, node).empty()) continue;
      const OpConversion* op = find_conversion(node.op().keyword);
      if (op == nullptr) {
        Reporter(diags_, node.trace)
            .error(node.loc, fmt::format("{} '{}': netc cannot import Keras weights of {} layers", node.op().keyword,
                                         node.name, node.op().keyword));
        continue;
      }
      std::string key =
          k_.named ? node.name : fmt::format("{}#{}", op->keras_class, seen_of_op[std::string(op->keras_class)]++);
      auto it = index.find(key);
      const KerasLayer* keras = it == index.end() ? nullptr : &k_.layers[it->second];
      if (keras != nullptr) used_[it->second] = true;
      pairs_.push_back({&node, op, keras});
      keys_.push_back(key);
    }
    return !diags_.has_errors();
  }

  std::vector<const LayerPair*> missing() const {
    std::vector<const LayerPair*> out;
    for (const LayerPair& p : pairs_)
      if (p.keras == nullptr) out.push_back(&p);
    return out;
  }

  std::optional<std::vector<LayerPair>> none_found() {
    std::vector<std::string> names;
    for (const KerasLayer& layer : k_.layers) names.push_back(keras_layer_label(layer));
    if (names.empty())
      diags_.error({}, fmt::format("{}: the file holds no weights (none of its layers has any)", o_.display_name));
    else
      diags_.error({},
                   fmt::format("{}: none of its {} is a layer of model '{}' (the file has {}): it holds the weights "
                               "of another model",
                               o_.display_name, plural(names.size(), "layer"), g_.model, quoted_list(names, 5)));
    return std::nullopt;
  }

  void report_missing(hid_t file, const std::vector<std::string>& extra) {
    std::vector<const LayerPair*> lacking = missing();
    bool classifier_only = true;
    std::vector<std::string> names;
    for (const LayerPair* p : lacking) {
      classifier_only = classifier_only && p->op->keras_class == "dense";
      names.push_back(p->node->name);
    }
    if (classifier_only && !has_dense_layer(k_, file)) {
      const Node& first = *lacking.front()->node;
      Reporter(diags_, first.trace)
          .error(first.loc,
                 fmt::format(
                     "{} '{}': {} holds no classifier (no weights for {}): it is a Keras include_top=False file, the "
                     "convolutional base only; import it into a model without these layers, or pass --allow-missing to "
                     "leave them random",
                     first.op().keyword, first.name, o_.display_name, quoted_list(names)));
      return;
    }
    for (const LayerPair* p : lacking) {
      const Node& n = *p->node;
      std::string close = k_.named ? closest(n.name, extra) : "";
      std::string hint = !k_.named       ? keras3_group(keys_[static_cast<std::size_t>(p - pairs_.data())])
                         : close.empty() ? ""
                                         : fmt::format(" (did you mean its '{}'?)", close);
      Reporter(diags_, n.trace)
          .error(n.loc, fmt::format("{} '{}': {} has no weights for this layer{}; --allow-missing "
                                    "leaves such layers random",
                                    n.op().keyword, n.name, o_.display_name, hint));
    }
  }

  const Graph& g_;
  const KerasWeights& k_;
  const ImportOptions& o_;
  Diagnostics& diags_;
  std::vector<bool> used_;
  std::vector<LayerPair> pairs_;
  std::vector<std::string> keys_;  // parallel to pairs_
};

}  // namespace

std::optional<std::vector<LayerPair>> match_layers(const Graph& graph, const KerasWeights& keras, hid_t file,
                                                   const ImportOptions& options, Diagnostics& diags) {
  return Matcher(graph, keras, options, diags).run(file);
}

}  // namespace netc
