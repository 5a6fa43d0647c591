// The layouts Keras writes weights in, read into one list of layers and their weights (the values are read
// later, when the layers are mapped onto a model): Keras 2's save_weights and model.save files (the Keras
// applications' published files are of this kind) and Keras 3's .weights.h5.
#pragma once

#include <string>
#include <vector>

#include "import/Hdf5.hpp"

namespace netc {

/// One weight of a Keras layer: its name in the file ("conv1/kernel:0", "conv1_W:0", Keras 3's "0") and its
/// dataset's path from the file's root.
struct KerasWeight {
  std::string name;
  std::string path;
};

/// A Keras layer that has weights, in the order Keras stores them (kernel before bias; gamma, beta, moving
/// mean, moving variance).
struct KerasLayer {
  std::string name;  // the Keras layer name; "" when the file does not record it (Keras 3 before 3.10)
  std::string kind;  // Keras 3: the layer class in snake case, from the group's name ("conv2d"); else ""
  int index = 0;     // Keras 3: the group's counter among layers of its kind ("conv2d_3" is 3)
  std::string path;  // the layer's group in the file, for messages
  std::vector<KerasWeight> weights;
};

/// The layers with weights of a Keras file, in the file's order.
struct KerasWeights {
  std::string layout;  // "Keras 2 save_weights", "Keras 2 model.save", "Keras 3 .weights.h5"
  bool named = true;   // every layer carries its Keras name
  std::vector<KerasLayer> layers;
};

/// Reads the layout of an open Keras file; throws h5::Error when the file is no Keras weights file or its layout
/// is broken (a listed layer or weight that is not there).
KerasWeights read_keras_layout(const h5::File& file);

/// The name a message shows for a layer: its Keras name, or its group's path when it has none.
std::string keras_layer_label(const KerasLayer& layer);

}  // namespace netc
