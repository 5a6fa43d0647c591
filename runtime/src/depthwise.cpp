// Depthwise convolution's public functions (runtime.hpp): packing PyTorch's [C * M, 1, kh, kw] weights tap
// by tap, folding a batch norm into them, and the call to the active kernel (kernels/depthwise.cpp).
#include <cmath>
#include <stdexcept>
#include <string>

#include "detail.hpp"

namespace netc::rt {

// w[t][o] = weights[o][0][ky][kx], t = ky * kw + kx: each tap's filters side by side along the channels.
DepthwiseLayer pack_depthwise(const float* weights, const float* bias, int channels, int multiplier,
                              const Window& window, Epilogue epilogue) {
  if (channels < 1 || multiplier < 1)
    throw std::invalid_argument("pack_depthwise: " + std::to_string(channels) + " channels and multiplier " +
                                std::to_string(multiplier) + " (both must be at least 1)");
  const int taps = window.kh * window.kw, out_c = channels * multiplier;
  DepthwiseLayer layer{window, channels, multiplier, {}, {}, epilogue};
  layer.weights.resize(std::size_t(taps) * std::size_t(out_c));
  for (int o = 0; o < out_c; ++o)
    for (int t = 0; t < taps; ++t) layer.weights[std::size_t(t) * out_c + o] = weights[std::size_t(o) * taps + t];
  if (bias != nullptr)
    layer.bias.assign(bias, bias + out_c);
  else
    layer.bias.assign(std::size_t(out_c), 0.f);
  return layer;
}

// As fold_batch_norm of a convolution: w' = w * gamma / sqrt(var + eps), b' = (b - mean) * that + beta.
void fold_batch_norm(DepthwiseLayer& layer, const float* gamma, const float* beta, const float* mean, const float* var,
                     float eps) {
  const std::size_t out_c = layer.bias.size(), taps = layer.weights.size() / out_c;
  for (std::size_t o = 0; o < out_c; ++o) {
    const double scale = double(gamma[o]) / std::sqrt(double(var[o]) + double(eps));
    layer.bias[o] = float((double(layer.bias[o]) - mean[o]) * scale + beta[o]);
    for (std::size_t t = 0; t < taps; ++t) layer.weights[t * out_c + o] = float(layer.weights[t * out_c + o] * scale);
  }
}

// out[n][y][x][c * M + m] = epilogue(bias[c * M + m] + sum_{ky,kx} in[n][y*sh+ky*dh-pt][x*sw+kx*dw-pl][c] *
// w[c * M + m][0][ky][kx]).
void depthwise_conv2d(const DepthwiseLayer& layer, ConstTensor in, Tensor out, Workspace& ws) {
  detail::kernels().depthwise({layer.window, layer.channels, layer.multiplier, layer.weights.data(), layer.bias.data(),
                               layer.epilogue},
                              in, out, &ws);
}

}  // namespace netc::rt
