// Convolution: packing PyTorch weights for the GEMM (and Winograd), folding batch norm into them, the scratch
// query and the choice of path (NHWC).
#include <algorithm>
#include <cmath>

#include "conv_paths.hpp"
#include "gemm.hpp"

namespace netc::rt {

// OIHW -> HWIO rows: B[(ky * kw + kx) * in_c + ci][co] = oihw[co][ci][ky][kx], packed in panels.
ConvLayer pack_conv(const float* oihw, const float* bias, int out_c, int in_c, const Window& window,
                    Epilogue epilogue) {
  const int taps = window.kh * window.kw;
  ConvLayer conv{window, in_c, out_c, detail::packed_unfilled(taps * in_c, out_c),
                 detail::winograd_eligible(window, in_c, out_c), {}, epilogue};
  // Panel by panel; the panel's kGemmCols OIHW rows are read in order (each input channel's taps together),
  // and the packed rows are written in `taps` sequential runs.
  for (int p = 0; p < conv.weights.panels(); ++p) {
    const int c0 = p * detail::kGemmCols, cols = std::min(detail::kGemmCols, out_c - c0);
    for (int ci = 0; ci < in_c; ++ci)
      for (int t = 0; t < taps; ++t) {
        float* row = &detail::packed_at(conv.weights, t * in_c + ci, c0);
        const float* src = oihw + (std::size_t(c0) * in_c + ci) * taps + t;
        for (int j = 0; j < cols; ++j) row[j] = src[std::size_t(j) * in_c * taps];
      }
  }
  if (bias != nullptr)
    conv.bias.assign(bias, bias + out_c);
  else
    conv.bias.assign(std::size_t(out_c), 0.f);
  return conv;
}

// Inference batch norm after a convolution (Ioffe & Szegedy 2015), folded per output channel in double into
// the packed columns (the Winograd path transforms these folded weights).
void fold_batch_norm(ConvLayer& conv, const float* gamma, const float* beta, const float* mean, const float* var,
                     float eps) {
  std::vector<double> scale(std::size_t(conv.out_c));
  conv.bias.resize(conv.out_c, 0.f);
  for (int co = 0; co < conv.out_c; ++co) {
    scale[co] = double(gamma[co]) / std::sqrt(double(var[co]) + double(eps));
    conv.bias[co] = float((double(conv.bias[co]) - mean[co]) * scale[co] + beta[co]);
  }
  detail::scale_columns(conv.weights, scale.data());
}

std::size_t conv2d_scratch_floats(const ConvLayer& conv, int /*h*/, int /*w*/) {
  if (detail::is_pointwise(conv)) return 0;
  const std::size_t im2col = detail::im2col_scratch_floats(conv);
  return conv.winograd ? std::max(im2col, detail::winograd_scratch_floats(conv)) : im2col;
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
