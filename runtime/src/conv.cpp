// Convolution: packing PyTorch weights for the GEMM (and Winograd), folding batch norm into them, the scratch
// query and the choice of path (NHWC).
#include <algorithm>
#include <cmath>

#include "conv_paths.hpp"
#include "gemm.hpp"

namespace netc::rt {

// OIHW -> HWIO rows: B[(ky * kw + kx) * in_c + ci][co] = oihw[co][ci][ky][kx], packed in panels; plus the
// Winograd matrices when the layer qualifies.
ConvLayer pack_conv(const float* oihw, const float* bias, int out_c, int in_c, const Window& window,
                    Epilogue epilogue) {
  const int taps = window.kh * window.kw;
  ConvLayer conv{window, in_c, out_c, detail::packed_zeros(taps * in_c, out_c), {}, {}, epilogue};
  for (int co = 0; co < out_c; ++co)  // reading the OIHW weights in order
    for (int ci = 0; ci < in_c; ++ci)
      for (int t = 0; t < taps; ++t)
        detail::packed_at(conv.weights, t * in_c + ci, co) = oihw[(std::size_t(co) * in_c + ci) * taps + t];
  if (detail::winograd_eligible(window, in_c, out_c)) conv.winograd = detail::winograd_weights(oihw, out_c, in_c);
  if (bias != nullptr)
    conv.bias.assign(bias, bias + out_c);
  else
    conv.bias.assign(std::size_t(out_c), 0.f);
  return conv;
}

// Inference batch norm after a convolution (Ioffe & Szegedy 2015), folded per output channel in double. Both
// the GEMM and the Winograd matrices are linear in each output channel's weights, so scaling their packed
// columns by gamma / sqrt(var + eps) equals transforming the scaled weights.
void fold_batch_norm(ConvLayer& conv, const float* gamma, const float* beta, const float* mean, const float* var,
                     float eps) {
  std::vector<double> scale(std::size_t(conv.out_c));
  conv.bias.resize(conv.out_c, 0.f);
  for (int co = 0; co < conv.out_c; ++co) {
    scale[co] = double(gamma[co]) / std::sqrt(double(var[co]) + double(eps));
    conv.bias[co] = float((double(conv.bias[co]) - mean[co]) * scale[co] + beta[co]);
  }
  detail::scale_columns(conv.weights, scale.data());
  for (PackedMatrix& m : conv.winograd) detail::scale_columns(m, scale.data());
}

std::size_t conv2d_scratch_floats(const ConvLayer& conv, int /*h*/, int /*w*/) {
  if (detail::is_pointwise(conv)) return 0;
  const std::size_t im2col = detail::im2col_scratch_floats(conv);
  return conv.winograd.empty() ? im2col : std::max(im2col, detail::winograd_scratch_floats(conv));
}

namespace {

/// The path for this layer and input; residual is nullptr or laid out like out.
void run_conv(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  if (detail::is_pointwise(conv)) return detail::conv_pointwise(conv, in, out, ws, residual);
  if (detail::use_winograd(conv, in)) return detail::conv_winograd(conv, in, out, ws, residual);
  detail::conv_im2col(conv, in, out, ws, residual);
}

}  // namespace

// out[n][y][x][co] = epilogue(bias[co] + sum_{ky,kx,ci} in[n][y*sh+ky-pt][x*sw+kx-pl][ci] * w[co][ci][ky][kx]).
void conv2d(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws) { run_conv(conv, in, out, ws, nullptr); }

// The same with residual[n][y][x][co] added before the epilogue (He et al. 2016's shortcut, then relu).
void conv2d_residual(const ConvLayer& conv, ConstTensor in, ConstTensor residual, Tensor out, Workspace& ws) {
  run_conv(conv, in, out, ws, residual.data);
}

}  // namespace netc::rt
