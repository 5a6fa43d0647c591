// Boundary checks shared by generated models (see model.hpp).
#include "netc/model.hpp"

#include <stdexcept>

namespace netc::rt {

void check_batch(const char* model, int batch, int max_batch) {
  if (batch < 1 || batch > max_batch)
    throw std::invalid_argument(std::string(model) + ": batch size " + std::to_string(batch) +
                                " is outside 1.." + std::to_string(max_batch) +
                                " (construct the model with a larger max_batch for bigger batches)");
}

int batch_of_buffers(const char* model, std::size_t input_floats, std::size_t output_floats,
                     std::size_t input_per_image, std::size_t output_per_image, int max_batch) {
  std::string name(model);
  if (input_floats == 0 || input_floats % input_per_image != 0)
    throw std::invalid_argument(name + ": the input holds " + std::to_string(input_floats) +
                                " floats, expected a whole number of images of " + std::to_string(input_per_image));
  std::size_t batch = input_floats / input_per_image;
  if (output_floats != batch * output_per_image)
    throw std::invalid_argument(name + ": the output holds " + std::to_string(output_floats) + " floats, expected " +
                                std::to_string(batch * output_per_image) + " for a batch of " + std::to_string(batch));
  if (batch > static_cast<std::size_t>(max_batch))
    throw std::invalid_argument(name + ": a batch of " + std::to_string(batch) + " images is more than max_batch " +
                                std::to_string(max_batch));
  return static_cast<int>(batch);
}

void check_weights_provenance(const SafeTensors& file, const char* model, const std::string& input, long classes) {
  const auto& meta = file.metadata();
  auto recorded_input = meta.find("netc.input");
  if (recorded_input != meta.end() && recorded_input->second != input)
    throw WeightsError(file.display_name() + ": made for input " + recorded_input->second + ", but " + model +
                       " is compiled for input " + input);
  auto recorded_classes = meta.find("netc.classes");
  if (classes > 0 && recorded_classes != meta.end() && recorded_classes->second != std::to_string(classes))
    throw WeightsError(file.display_name() + ": made for " + recorded_classes->second + " classes, but " + model +
                       " is compiled for " + std::to_string(classes) + " classes");
}

bool is_training_bookkeeping(std::string_view name) {
  constexpr std::string_view suffix = ".num_batches_tracked";
  return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
}

}  // namespace netc::rt
