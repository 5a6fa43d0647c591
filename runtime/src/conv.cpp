// Convolution: packing PyTorch weights for the active kernels, folding batch norm into them, the scratch
// query and the choice of path (NHWC); the paths themselves are the kernels' (kernels/).
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "detail.hpp"

namespace netc::rt {
namespace detail {
namespace {

constexpr int kMinWinogradChannels = 32;  // fewer: the transforms outweigh the savings
/// At most this many input channels (an image's), the row path replaces im2col: gathering runs of a few
/// floats per position cost as much as the products (ResNet's 7x7 stem: a third of its time).
constexpr int kMaxRowPathChannels = 4;

}  // namespace

bool is_pointwise(const ConvLayer& conv) {
  const Window& w = conv.window;
  return w.kh == 1 && w.kw == 1 && w.stride_h == 1 && w.stride_w == 1 && w.pad_top == 0 && w.pad_bottom == 0 &&
         w.pad_left == 0 && w.pad_right == 0;
}

bool winograd_eligible(const Window& w, int in_c, int out_c) {
  return w.kh == 3 && w.kw == 3 && w.stride_h == 1 && w.stride_w == 1 && w.dilation_h == 1 && w.dilation_w == 1 &&
         in_c >= kMinWinogradChannels && out_c >= kMinWinogradChannels;
}

bool use_rows(const ConvLayer& conv) {
  const Window& w = conv.window;
  return conv.groups == 1 && w.dilation_h == 1 && w.dilation_w == 1 && conv.in_c <= kMaxRowPathChannels &&
         conv.weights.rows <= kDepthBlock && !is_pointwise(conv);
}

// The direct product takes 9 multiplications per output position and channel pair; Winograd 36 per 4x4 tile
// (edge tiles whole), plus the weight transform. Winograd is taken when that is at most 8/9 of the direct
// count: 36 * (tiles + kWeightTransformTiles) * 9/8 <= 9 * positions. Measured (AMD EPYC family 26, one thread):
// at 4 tiles, an 8x8 map of 256 channels ran 0.30 ms by Winograd against 0.40 direct; a 7x7 one of 512, 1.40
// against 1.31.
bool use_winograd(const ConvLayer& conv, ConstTensor in) {
  const Index out_h = conv.window.out_h(in.h), out_w = conv.window.out_w(in.w);
  const Index tiles = Index{in.n} * ((out_h + 3) / 4) * ((out_w + 3) / 4), positions = Index{in.n} * out_h * out_w;
  return conv.winograd && 9 * (tiles + detail::kWeightTransformTiles) <= 2 * positions;
}

void conv_pointwise(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  kernels().conv_pointwise(args_of(conv), in, out, ws, residual);
}
void conv_im2col(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  kernels().conv_im2col(args_of(conv), in, out, ws, residual);
}
void conv_winograd(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  kernels().conv_winograd(args_of(conv), in, out, ws, residual);
}
void conv_rows(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  kernels().conv_rows(args_of(conv), in, out, ws, residual);
}
std::size_t winograd_scratch_floats(const ConvLayer& conv) { return kernels().winograd_scratch_floats(args_of(conv)); }

}  // namespace detail

namespace {

/// Packs a grouped layer's groups one after the other into conv.weights, each as an ungrouped layer's weights
/// ([out_c / groups] rows of OIHW): group g's matrix starts g * (its size) floats into the data.
void pack_groups(ConvLayer& conv, const float* oihw) {
  const int taps = conv.window.kh * conv.window.kw, group_in = conv.in_c / conv.groups;
  const int group_out = conv.out_c / conv.groups;
  conv.weights = detail::packed_unfilled(taps * group_in, group_out);
  const std::size_t size = conv.weights.data.size();
  conv.weights.data.resize(size * std::size_t(conv.groups));
  for (int g = 0; g < conv.groups; ++g) {
    PackedMatrix one = detail::packed_unfilled(taps * group_in, group_out);
    detail::kernels().pack_conv(oihw + std::size_t(g) * group_out * group_in * taps, group_out, group_in, taps,
                                detail::span_of(one));
    std::copy(one.data.begin(), one.data.end(), conv.weights.data.begin() + std::ptrdiff_t(size * g));
  }
}

}  // namespace

// OIHW -> HWIO rows: B[(ky * kw + kx) * in_c + ci][co] = oihw[co][ci][ky][kx], packed in panels (per
// group for a grouped layer).
ConvLayer pack_conv(const float* oihw, const float* bias, int out_c, int in_c, const Window& window,
                    Epilogue epilogue, int groups) {
  if (groups < 1 || in_c % groups != 0 || out_c % groups != 0)
    throw std::invalid_argument("pack_conv: " + std::to_string(groups) + " groups do not divide " +
                                std::to_string(in_c) + " input and " + std::to_string(out_c) + " output channels");
  const int taps = window.kh * window.kw;
  ConvLayer conv{window, in_c, out_c, {}, groups == 1 && detail::winograd_eligible(window, in_c, out_c), {}, epilogue,
                 groups};
  if (groups == 1) {
    conv.weights = detail::packed_unfilled(taps * in_c, out_c);
    detail::kernels().pack_conv(oihw, out_c, in_c, taps, detail::span_of(conv.weights));
  } else {
    pack_groups(conv, oihw);
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
  detail::PackedSpan all = detail::span_of(conv.weights);
  const std::size_t size = conv.weights.data.size() / std::size_t(conv.groups), group_out = conv.out_c / conv.groups;
  for (int g = 0; g < conv.groups; ++g)  // each group's columns are its own filters
    detail::kernels().scale_columns({all.data + size * g, all.rows, all.cols, all.panels}, scale.data() + group_out * g);
}

std::size_t conv2d_scratch_floats(const ConvLayer& conv, int /*h*/, int w) {
  if (detail::is_pointwise(conv)) return 0;
  const detail::KernelTable& k = detail::kernels();
  const detail::ConvArgs args = detail::args_of(conv);
  const std::size_t im2col = k.im2col_scratch_floats(args);
  if (detail::use_rows(conv)) return std::max(im2col, k.row_scratch_floats(args, std::max(1, conv.window.out_w(w))));
  return conv.winograd ? std::max(im2col, k.winograd_scratch_floats(args)) : im2col;
}

namespace {

/// The path for this layer and input; residual is nullptr or laid out like out.
void run_conv(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  const detail::KernelTable& k = detail::kernels();
  const detail::ConvArgs args = detail::args_of(conv);
  if (conv.groups > 1) return k.conv_grouped(args, in, out, ws, residual);
  if (detail::is_pointwise(conv)) return k.conv_pointwise(args, in, out, ws, residual);
  if (detail::use_winograd(conv, in)) return k.conv_winograd(args, in, out, ws, residual);
  if (detail::use_rows(conv)) return k.conv_rows(args, in, out, ws, residual);
  k.conv_im2col(args, in, out, ws, residual);
}

}  // namespace

// out[n][y][x][co] = epilogue(bias[co] + sum_{ky,kx,ci} in[n][y*sh+ky*dh-pt][x*sw+kx*dw-pl][g*C/G+ci] *
// w[co][ci][ky][kx]), g = co / (F/G) the filter's group.
void conv2d(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws) { run_conv(conv, in, out, ws, nullptr); }

// The same with residual[n][y][x][co] added before the epilogue (He et al. 2016's shortcut, then relu).
void conv2d_residual(const ConvLayer& conv, ConstTensor in, ConstTensor residual, Tensor out, Workspace& ws) {
  run_conv(conv, in, out, ws, residual.data);
}

}  // namespace netc::rt
