// Boundary checks and layout helpers shared by generated models (see model.hpp).
#include "netc/model.hpp"

#include <stdexcept>

namespace netc::rt {

void check_batch(const char* model, int batch, int max_batch) {
  if (batch < 1 || batch > max_batch)
    throw std::invalid_argument(std::string(model) + ": batch size " + std::to_string(batch) +
                                " is outside 1.." + std::to_string(max_batch) +
                                " (construct the model with a larger max_batch for bigger batches)");
}

void check_output(const char* model, Output kind, bool ends_with_softmax) {
  if (kind == Output::Logits && !ends_with_softmax)
    throw std::invalid_argument(std::string(model) +
                                ": Output::Logits asks for the values before a final softmax, but the model does not "
                                "end with one (Output::Final gives its output)");
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

void throw_no_embedded_weights(const char* model) {
  throw WeightsError(std::string(model) +
                     ": no weights are embedded in this library (netc_add_model(... WEIGHTS file.safetensors) embeds "
                     "them)");
}

namespace {

/// Checks a layout conversion's arguments.
void check_layout(const float* from, const float* to, int batch, int channels, int height, int width) {
  if (from == nullptr || to == nullptr) throw std::invalid_argument("layout conversion: a buffer is a null pointer");
  if (batch < 0 || channels < 0 || height < 0 || width < 0)
    throw std::invalid_argument("layout conversion: negative size " + std::to_string(batch) + "x" +
                                std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width));
}

/// Visits every element as (NCHW index, NHWC index).
template <class F>
void for_each_element(int batch, int channels, int height, int width, F&& f) {
  const std::size_t pixels = std::size_t(height) * std::size_t(width);
  for (std::size_t i = 0; i < std::size_t(batch); ++i)
    for (std::size_t c = 0; c < std::size_t(channels); ++c)
      for (std::size_t p = 0; p < pixels; ++p) f((i * channels + c) * pixels + p, (i * pixels + p) * channels + c);
}

}  // namespace

void nchw_to_nhwc(const float* nchw, float* nhwc, int batch, int channels, int height, int width) {
  check_layout(nchw, nhwc, batch, channels, height, width);
  for_each_element(batch, channels, height, width, [&](std::size_t chw, std::size_t hwc) { nhwc[hwc] = nchw[chw]; });
}

void nhwc_to_nchw(const float* nhwc, float* nchw, int batch, int channels, int height, int width) {
  check_layout(nhwc, nchw, batch, channels, height, width);
  for_each_element(batch, channels, height, width, [&](std::size_t chw, std::size_t hwc) { nchw[chw] = nhwc[hwc]; });
}

bool is_training_bookkeeping(std::string_view name) {
  constexpr std::string_view suffix = ".num_batches_tracked";
  return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
}

}  // namespace netc::rt
