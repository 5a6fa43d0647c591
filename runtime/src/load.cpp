// Loading a layer from a weights file in one call (runtime.hpp, "From a weights file"): the tensors a layer
// needs, read by name and checked by SafeTensors::view_f32, then packed by the pack_ functions. Generated
// models call these, one statement per layer.
#include <string>
#include <vector>

#include "netc/runtime.hpp"

namespace netc::rt {
namespace {

/// The checked view of key + suffix ("conv1" + ".weight"), of the given shape.
F32View tensor(const SafeTensors& weights, std::string_view key, const char* suffix, std::vector<std::int64_t> shape) {
  std::string name(key);
  name += suffix;
  return weights.view_f32(name, shape);
}

/// A batch norm's four per-channel tensors; gamma and beta constant (ones, zeros) where the norm has none.
struct BatchNormValues {
  std::vector<float> constant_gamma, constant_beta;
  F32View gamma, beta, mean, var;
  const float* gamma_data() const { return constant_gamma.empty() ? gamma.data() : constant_gamma.data(); }
  const float* beta_data() const { return constant_beta.empty() ? beta.data() : constant_beta.data(); }
};

/// Read in the file's order (a braced initialiser runs left to right), so that the first missing tensor is
/// the one reported.
BatchNormValues batch_norm_values(const SafeTensors& weights, const BatchNormKeys& bn, std::int64_t channels) {
  const auto count = std::size_t(channels);
  return {bn.scale ? std::vector<float>() : std::vector<float>(count, 1.f),
          bn.center ? std::vector<float>() : std::vector<float>(count, 0.f),
          bn.scale ? tensor(weights, bn.key, ".weight", {channels}) : F32View::empty(),
          bn.center ? tensor(weights, bn.key, ".bias", {channels}) : F32View::empty(),
          tensor(weights, bn.key, ".running_mean", {channels}),
          tensor(weights, bn.key, ".running_var", {channels})};
}

}  // namespace

ConvLayer load_conv(const SafeTensors& weights, std::string_view key, bool has_bias, int out_c, int in_c,
                    const Window& window, Epilogue epilogue, int groups) {
  const int group_in = groups > 0 ? in_c / groups : in_c;  // pack_conv rejects a bad group count
  const F32View w = tensor(weights, key, ".weight", {out_c, group_in, window.kh, window.kw});
  const F32View b = has_bias ? tensor(weights, key, ".bias", {out_c}) : F32View::empty();
  return pack_conv(w.data(), b.data(), out_c, in_c, window, epilogue, groups);
}

void fold_batch_norm(ConvLayer& conv, const SafeTensors& weights, BatchNormKeys bn) {
  const BatchNormValues v = batch_norm_values(weights, bn, conv.out_c);
  fold_batch_norm(conv, v.gamma_data(), v.beta_data(), v.mean.data(), v.var.data(), bn.epsilon);
}

DepthwiseLayer load_depthwise(const SafeTensors& weights, std::string_view key, bool has_bias, int channels,
                              int multiplier, const Window& window, Epilogue epilogue) {
  const std::int64_t out = std::int64_t{channels} * multiplier;
  const F32View w = tensor(weights, key, ".weight", {out, 1, window.kh, window.kw});
  const F32View b = has_bias ? tensor(weights, key, ".bias", {out}) : F32View::empty();
  return pack_depthwise(w.data(), b.data(), channels, multiplier, window, epilogue);
}

void fold_batch_norm(DepthwiseLayer& layer, const SafeTensors& weights, BatchNormKeys bn) {
  const BatchNormValues v = batch_norm_values(weights, bn, std::int64_t{layer.channels} * layer.multiplier);
  fold_batch_norm(layer, v.gamma_data(), v.beta_data(), v.mean.data(), v.var.data(), bn.epsilon);
}

ChannelAffine load_batch_norm(const SafeTensors& weights, BatchNormKeys bn, int channels, Epilogue epilogue) {
  const BatchNormValues v = batch_norm_values(weights, bn, channels);
  return batch_norm_affine(v.gamma_data(), v.beta_data(), v.mean.data(), v.var.data(), bn.epsilon, channels, epilogue);
}

DenseLayer load_dense(const SafeTensors& weights, std::string_view key, bool has_bias, int out, int in,
                      Epilogue epilogue, int flatten_h, int flatten_w, int flatten_c) {
  const F32View w = tensor(weights, key, ".weight", {out, in});
  const F32View b = has_bias ? tensor(weights, key, ".bias", {out}) : F32View::empty();
  return pack_dense(w, b.data(), out, in, epilogue, flatten_h, flatten_w, flatten_c);
}

}  // namespace netc::rt
