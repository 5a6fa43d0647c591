// Keras's weights layouts (see KerasFile.hpp), as Keras's own loaders read them:
// - Keras 2 (keras/saving/legacy/hdf5_format.py, tf-keras): the root (or the group `model_weights` of a
//   model.save file) lists its layers in the attribute `layer_names`; each layer's group lists its datasets
//   in `weight_names`, e.g. `conv1/kernel:0` (the dataset `/conv1/conv1/kernel:0`). An attribute over 64 KB
//   is split into `layer_names0`, `layer_names1`, ... A nested model is one group whose weights carry their
//   own layers' names (`vgg16` holding `block1_conv1/kernel:0`, ...).
// - Keras 3 (keras/src/saving/saving_lib.py, H5IOStore): `layers/<class>[_<n>]/vars/<i>`, groups named
//   after each layer's class in snake case with a counter per class in the model's layer order; nested
//   models under `layers/<class>/layers/...`. From Keras 3.10 the `vars` group has the layer's name in
//   its attribute `name`. (tf-keras 2.13's variant uses `_layer_checkpoint_dependencies/<layer name>`.)
#include "import/KerasFile.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>

namespace netc {

namespace {

constexpr std::size_t kMaxMembers = 1'000'000;  // layers of a group, weights of a layer
constexpr int kMaxNesting = 16;                 // models inside models

// An attribute Keras may have split into name0, name1, ...; nullopt when neither form is there.
std::optional<std::vector<std::string>> chunked_list(hid_t object, const std::string& name, const std::string& where) {
  if (h5::has_attribute(object, name)) return h5::string_list(object, name, where);
  if (!h5::has_attribute(object, name + "0")) return std::nullopt;
  std::vector<std::string> all;
  for (std::size_t chunk = 0; h5::has_attribute(object, name + std::to_string(chunk)); ++chunk) {
    std::vector<std::string> part = h5::string_list(object, name + std::to_string(chunk), where);
    if (all.size() + part.size() > kMaxMembers)
      throw h5::Error(fmt::format("'{}' lists more than {} names", where, kMaxMembers));
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

// A group whose weights name more than one layer ("block1_conv1/kernel:0", "block1_conv2/kernel:0") is a
// nested model: its weights are split by the layer that each name starts with.
std::vector<KerasLayer> split_nested(KerasLayer group) {
  std::vector<std::string> owners;
  for (const KerasWeight& w : group.weights) {
    std::size_t slash = w.name.rfind('/');
    std::string owner = slash == std::string::npos ? group.name : w.name.substr(0, slash);
    owner = owner.substr(owner.rfind('/') == std::string::npos ? 0 : owner.rfind('/') + 1);
    if (std::find(owners.begin(), owners.end(), owner) == owners.end()) owners.push_back(owner);
  }
  if (owners.size() <= 1) return {std::move(group)};
  std::vector<KerasLayer> layers;
  for (const std::string& owner : owners) {
    KerasLayer layer{owner, "", 0, group.path, {}};
    for (const KerasWeight& w : group.weights) {
      std::size_t slash = w.name.rfind('/');
      std::string prefix = slash == std::string::npos ? group.name : w.name.substr(0, slash);
      if (prefix == owner || (prefix.size() > owner.size() && prefix.ends_with("/" + owner)))
        layer.weights.push_back(w);
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

KerasWeights read_keras2(hid_t file, const std::string& root, std::string layout) {
  KerasWeights out{std::move(layout), true, {}};
  h5::Handle group = h5::open_group(file, root.empty() ? "/" : root, "/" + root);
  std::string where = root.empty() ? "/" : "/" + root;
  std::optional<std::vector<std::string>> names = chunked_list(group.id(), "layer_names", where);
  if (!names) throw h5::Error(fmt::format("the group '{}' has no attribute 'layer_names'", where));
  std::set<std::string> seen;
  for (const std::string& name : *names) {
    if (!seen.insert(name).second) throw h5::Error(fmt::format("'layer_names' lists the layer '{}' twice", name));
    std::string path = (root.empty() ? "" : root + "/") + name;
    if (name.empty() || h5::kind_of(file, path) != h5::Kind::Group)
      throw h5::Error(
          fmt::format("'layer_names' lists the layer '{}', but '/{}' is not a group of the file", name, path));
    h5::Handle layer_group = h5::open_group(file, path, "/" + path);
    std::optional<std::vector<std::string>> weights = chunked_list(layer_group.id(), "weight_names", "/" + path);
    if (!weights) throw h5::Error(fmt::format("the layer group '/{}' has no attribute 'weight_names'", path));
    KerasLayer layer{name, "", 0, "/" + path, {}};
    for (const std::string& w : *weights) {
      std::string dataset = path + "/" + w;
      if (w.empty() || h5::kind_of(file, dataset) != h5::Kind::Dataset)
        throw h5::Error(
            fmt::format("layer '{}' lists the weight '{}', but '/{}' is not a dataset of the file", name, w, dataset));
      layer.weights.push_back({w, dataset});
    }
    if (layer.weights.empty()) continue;
    for (KerasLayer& l : split_nested(std::move(layer))) out.layers.push_back(std::move(l));
  }
  return out;
}

// Keras 3's `vars` datasets in their order: 0, 1, 2, ... 10 (numerically), then any others by name.
std::vector<KerasWeight> keras3_vars(hid_t file, const std::string& vars) {
  h5::Handle group = h5::open_group(file, vars, "/" + vars);
  std::vector<std::string> names = h5::members(group.id(), "/" + vars, kMaxMembers);
  auto number = [](const std::string& s) {
    bool digits =
        !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    return digits ? std::stol(s) : -1L;
  };
  std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    long x = number(a), y = number(b);
    if ((x < 0) != (y < 0)) return x >= 0;
    return x >= 0 ? x < y : a < b;
  });
  std::vector<KerasWeight> weights;
  for (const std::string& name : names) {
    std::string path = vars + "/" + name;
    if (h5::kind_of(file, path) != h5::Kind::Dataset)
      throw h5::Error(fmt::format("'/{}' is not a dataset, expected a weight", path));
    weights.push_back({name, path});
  }
  return weights;
}

// The class and counter of a Keras 3 group name: "conv2d_3" is (conv2d, 3), "dense" is (dense, 0).
std::pair<std::string, int> keras3_kind(const std::string& group) {
  std::size_t underscore = group.rfind('_');
  if (underscore == std::string::npos || underscore + 1 == group.size() || group.size() - underscore > 8)
    return {group, 0};
  std::string digits = group.substr(underscore + 1);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return {group, 0};
  return {group.substr(0, underscore), std::stoi(digits)};
}

void walk_keras3(hid_t file, const std::string& container, bool by_name, int depth, KerasWeights& out) {
  if (depth > kMaxNesting) throw h5::Error(fmt::format("'/{}' nests models more than {} deep", container, kMaxNesting));
  h5::Handle group = h5::open_group(file, container, "/" + container);
  for (const std::string& member : h5::members(group.id(), "/" + container, kMaxMembers)) {
    std::string path = container + "/" + member;
    if (h5::kind_of(file, path) != h5::Kind::Group) continue;
    if (h5::kind_of(file, path + "/vars") == h5::Kind::Group) {
      KerasLayer layer{by_name ? member : "", "", 0, "/" + path, keras3_vars(file, path + "/vars")};
      h5::Handle vars = h5::open_group(file, path + "/vars", "/" + path + "/vars");
      if (!by_name && h5::has_attribute(vars.id(), "name")) {
        std::vector<std::string> name = h5::string_list(vars.id(), "name", "/" + path + "/vars");
        if (name.size() == 1) layer.name = name[0];
      }
      std::tie(layer.kind, layer.index) = keras3_kind(member);
      if (depth > 0 && layer.name.empty() && !layer.weights.empty())
        throw h5::Error(
            fmt::format("the nested model '/{}' has no layer names (Keras before 3.10 does not record "
                        "them), so netc cannot tell its layers apart",
                        container));
      if (!layer.weights.empty()) out.layers.push_back(std::move(layer));
    }
    if (h5::kind_of(file, path + "/layers") == h5::Kind::Group)
      walk_keras3(file, path + "/layers", by_name, depth + 1, out);
  }
}

KerasWeights read_keras3(hid_t file) {
  KerasWeights out{"Keras 3 .weights.h5", true, {}};
  bool legacy = h5::kind_of(file, "layers") != h5::Kind::Group;  // tf-keras 2.13: groups named after layers
  walk_keras3(file, legacy ? "_layer_checkpoint_dependencies" : "layers", legacy, 0, out);
  for (const KerasLayer& layer : out.layers) out.named = out.named && !layer.name.empty();
  return out;
}

}  // namespace

KerasWeights read_keras_layout(const h5::File& file) {
  h5::Handle root = h5::open_group(file.id(), "/", "/");
  if (h5::has_attribute(root.id(), "layer_names") || h5::has_attribute(root.id(), "layer_names0"))
    return read_keras2(file.id(), "", "Keras 2 save_weights");
  if (h5::kind_of(file.id(), "model_weights") == h5::Kind::Group)
    return read_keras2(file.id(), "model_weights", "Keras 2 model.save");
  if (h5::kind_of(file.id(), "layers") == h5::Kind::Group ||
      h5::kind_of(file.id(), "_layer_checkpoint_dependencies") == h5::Kind::Group)
    return read_keras3(file.id());
  throw h5::Error(
      "an HDF5 file, but not Keras weights: it has no attribute 'layer_names' (Keras 2 save_weights), no "
      "group 'model_weights' (Keras 2 model.save) and no group 'layers' (Keras 3)");
}

std::string keras_layer_label(const KerasLayer& layer) { return layer.name.empty() ? layer.path : layer.name; }

}  // namespace netc
