// Checking and converting one layer's weights (see LayerWeights.hpp). Messages name the layer, the file's
// weight, what was found and what the model expects, in Keras's layout (the file's).
#include "import/LayerWeights.hpp"

#include <cmath>

#include <fmt/format.h>

#include "diag/Reporter.hpp"

namespace netc {

std::optional<Shape> flattened_input(const Graph& graph, const Node& node) {
  auto at = [&](NodeId id) -> const Node& { return graph.nodes[static_cast<std::size_t>(id)]; };
  if (node.inputs.empty()) return std::nullopt;
  const Node* n = &at(node.inputs[0]);
  while (n->op().keyword == "dropout" && !n->inputs.empty()) n = &at(n->inputs[0]);
  if (n->op().keyword != "flatten" || n->inputs.empty() || !at(n->inputs[0]).shape.spatial()) return std::nullopt;
  return at(n->inputs[0]).shape;
}

namespace {

std::string index_string(std::size_t flat, const std::vector<std::int64_t>& dims) {
  std::vector<std::int64_t> index(dims.size());
  for (std::size_t d = dims.size(); d-- > 0;) {
    index[d] = static_cast<std::int64_t>(flat % static_cast<std::size_t>(dims[d]));
    flat /= static_cast<std::size_t>(dims[d]);
  }
  return rt::shape_to_string(index);
}

class LayerConverter {
public:
  LayerConverter(const Graph& g, const LayerPair& p, hid_t file, const std::string& display, Diagnostics& d)
      : g_(g), p_(p), node_(*p.node), file_(file), display_(display), diags_(d) {}

  std::optional<std::vector<rt::NamedTensor>> run() {
    std::vector<WeightSpec> specs = node_weights(g_, node_);
    const std::vector<KerasWeight>& found = p_.keras->weights;
    if (found.size() != specs.size()) return fail(count_message(specs));
    std::vector<rt::NamedTensor> out;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      try {
        std::optional<rt::NamedTensor> t = convert(specs[i], found[i], i);
        if (!t) return std::nullopt;
        out.push_back(std::move(*t));
      } catch (const h5::Error& e) {
        return fail(fmt::format("{}: {}", display_, e.what()));
      }
    }
    return out;
  }

private:
  /// The layer's input channel count (0 for a flat input or none).
  std::int64_t in_channels() const {
    if (node_.inputs.empty()) return 0;
    const Shape& in = g_.nodes[static_cast<std::size_t>(node_.inputs[0])].shape;
    return in.spatial() ? in.channels() : 0;
  }

  std::nullopt_t fail(const std::string& message) {
    Reporter(diags_, node_.trace).error(node_.loc, fmt::format("{} '{}': {}", node_.op().keyword, node_.name, message));
    return std::nullopt;
  }

  std::string count_message(const std::vector<WeightSpec>& specs) const {
    std::vector<std::string> names, expected;
    for (const KerasWeight& w : p_.keras->weights) names.push_back(w.name);
    for (const WeightSpec& s : specs) {
      const WeightConversion* w = find_weight(*p_.op, s.suffix);
      expected.push_back(fmt::format("{} {}", w ? w->keras : s.suffix,
                                     rt::shape_to_string(keras_shape(w ? w->layout : Layout::Vector, s.shape, in_channels()))));
    }
    std::size_t n = names.size();
    return fmt::format("{} has {} weight{} for this layer ({}), expected {}: {}", display_, n, n == 1 ? "" : "s",
                       quoted_list(names), specs.size(), fmt::join(expected, ", "));
  }

  // Hints for a shape that differs: the input size behind a flatten, the class count of the classifier.
  std::string shape_hint(const std::vector<std::int64_t>& found, const std::vector<std::int64_t>& expected,
                         const std::optional<Shape>& flattened) const {
    if (found.size() != expected.size() || found.empty()) return "";
    if (flattened && found[1] == expected[1] && found[0] != expected[0])
      return fmt::format("; the model is compiled for input {}: was the file made for another input size (--input)?",
                         g_.input.str());
    if (g_.classes > 0 && expected.back() == g_.classes && found.back() != g_.classes && &node_ == &g_.output())
      return fmt::format("; the file has {} classes, the model is compiled for {} (--classes {} to match)",
                         found.back(), g_.classes, found.back());
    return "";
  }

  std::optional<rt::NamedTensor> convert(const WeightSpec& spec, const KerasWeight& w, std::size_t i) {
    const WeightConversion* conversion = find_weight(*p_.op, spec.suffix);
    if (conversion == nullptr) return fail(fmt::format("netc cannot import its weight '{}'", spec.suffix));
    const WeightConversion* named = weight_named(*p_.op, w.name, p_.keras->name);
    if (named != nullptr && named != conversion) {
      std::vector<std::string_view> order;
      for (const WeightConversion& c : p_.op->weights) order.push_back(c.keras);
      return fail(
          fmt::format("the file's weight {} of this layer, '{}', is its {}, expected its {} (Keras stores {} in this "
                      "order)",
                      i + 1, w.name, named->keras, conversion->keras, fmt::join(order, ", ")));
    }
    h5::Handle dataset = h5::open_dataset(file_, w.path, "/" + w.path);
    h5::DatasetInfo info = h5::describe(dataset.id(), "/" + w.path);
    if (!info.floating)
      return fail(fmt::format("'{}' in {} holds {}, expected floating-point weights", w.name, display_, info.type));
    std::optional<Shape> flattened =
        conversion->layout == Layout::DenseKernel ? flattened_input(g_, node_) : std::nullopt;
    std::vector<std::int64_t> expected = keras_shape(conversion->layout, spec.shape, in_channels());
    if (info.dims != expected)
      return fail(fmt::format("'{}' has shape {} in {}, expected {} ({}){}", w.name, rt::shape_to_string(info.dims),
                              display_, rt::shape_to_string(expected),
                              keras_dims_meaning(conversion->layout, flattened),
                              shape_hint(info.dims, expected, flattened)));
    std::size_t count = 1;
    for (std::int64_t d : expected) count *= static_cast<std::size_t>(d);
    std::vector<float> values = h5::read_floats(dataset.id(), count, "/" + w.path);
    for (std::size_t k = 0; k < values.size(); ++k)
      if (!std::isfinite(values[k]))
        return fail(fmt::format("'{}' in {} holds {} at {} (Keras's layout, {}); netc accepts finite weights only",
                                w.name, display_,
                                std::isnan(values[k]) ? "NaN"
                                : values[k] > 0       ? "+inf"
                                                      : "-inf",
                                index_string(k, expected), keras_dims_meaning(conversion->layout, flattened)));
    return rt::NamedTensor{node_.name + std::string(spec.suffix), spec.shape,
                           to_netc_layout(conversion->layout, values, spec.shape, flattened, in_channels())};
  }

  const Graph& g_;
  const LayerPair& p_;
  const Node& node_;
  hid_t file_;
  const std::string& display_;
  Diagnostics& diags_;
};

}  // namespace

std::optional<std::vector<rt::NamedTensor>> convert_layer(const Graph& graph, const LayerPair& pair, hid_t file,
                                                          const std::string& display_name, Diagnostics& diags) {
  return LayerConverter(graph, pair, file, display_name, diags).run();
}

}  // namespace netc
