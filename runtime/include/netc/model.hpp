// What every generated model shares: the checks at its boundary (batch size, buffer sizes, the weights
// file's provenance) and the observer that sees each layer's output. Generated code includes this header.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "netc/runtime.hpp"
#include "netc/safetensors.hpp"

namespace netc::rt {

/// Sees each step's output during forward(), e.g. to compare every layer with another framework.
/// `name` is the last .net layer the step computes (a convolution with its folded batch norm and
/// activation reports under the activation's name).
class LayerObserver {
public:
  virtual ~LayerObserver() = default;
  virtual void on_layer(const char* name, ConstTensor output) = 0;
};

/// Throws std::invalid_argument unless 1 <= batch <= max_batch; the message names the model.
void check_batch(const char* model, int batch, int max_batch);

/// The batch size that buffers of input_floats and output_floats hold, for a model that reads
/// input_per_image and writes output_per_image floats per image; throws std::invalid_argument, saying what
/// was expected and found, when they are not whole and equal batches within max_batch.
int batch_of_buffers(const char* model, std::size_t input_floats, std::size_t output_floats,
                     std::size_t input_per_image, std::size_t output_per_image, int max_batch);

/// Throws WeightsError when the file records (in its metadata, as `netc weights` writes it) an input shape or
/// class count other than the model's: weights made for another variant of the model.
void check_weights_provenance(const SafeTensors& file, const char* model, const std::string& input, long classes);

/// True for tensors a PyTorch state_dict holds that inference ignores ("*.num_batches_tracked").
bool is_training_bookkeeping(std::string_view name);

}  // namespace netc::rt
