// Convolution: packing PyTorch weights, folding batch norm into them, and the im2col + GEMM kernel (NHWC).
#include <algorithm>
#include <cmath>

#include "epilogue.hpp"
#include "netc/runtime.hpp"

namespace netc::rt {
namespace {

/// The most floats one im2col tile may take (1 MiB), unless a single output row alone needs more: big enough
/// that each matrix product has hundreds of rows, small enough to stay cache-friendly for any input size.
constexpr std::size_t kMaxTileFloats = std::size_t{256} * 1024;

/// A 1x1, stride-1, unpadded convolution: the input itself is the im2col matrix.
bool is_pointwise(const ConvLayer& conv) {
  const Window& w = conv.window;
  return w.kh == 1 && w.kw == 1 && w.stride_h == 1 && w.stride_w == 1 && w.pad_top == 0 && w.pad_bottom == 0 &&
         w.pad_left == 0 && w.pad_right == 0;
}

/// Floats in one im2col row (one output position's receptive field): kh * kw * in_c.
Index patch_floats(const ConvLayer& conv) { return Index{conv.window.kh} * conv.window.kw * conv.in_c; }

/// Output image rows per tile: as many as fit kMaxTileFloats, at least one, at most one image's worth
/// (so the tile, and hence the scratch size, never depends on the batch size).
int tile_rows(const ConvLayer& conv, int h, int w) {
  const std::size_t row_floats = std::max<std::size_t>(1, std::size_t(conv.window.out_w(w)) * patch_floats(conv));
  const std::size_t fit = std::max<std::size_t>(1, kMaxTileFloats / row_floats);
  return int(std::min<std::size_t>(fit, std::size_t(std::max(1, conv.window.out_h(h)))));
}

/// Writes the receptive field of output (img, y, x) as kh runs of kw * in_c floats, zeros where the window
/// leaves the input: one row of the im2col matrix (Chellapilla, Puri & Simard 2006, "High performance CNNs").
void gather_patch(const Window& win, ConstTensor in, int img, int y, int x, float* col) {
  const Index c = in.c;
  const int x0 = x * win.stride_w - win.pad_left;
  const int kx_begin = std::max(0, -x0), kx_end = std::min(win.kw, in.w - x0);
  for (int ky = 0; ky < win.kh; ++ky, col += win.kw * c) {
    const int iy = y * win.stride_h + ky - win.pad_top;
    if (iy < 0 || iy >= in.h || kx_begin >= kx_end) {
      std::fill(col, col + win.kw * c, 0.f);
      continue;
    }
    const float* src = in.data + ((Index{img} * in.h + iy) * in.w + x0 + kx_begin) * c;
    std::fill(col, col + kx_begin * c, 0.f);
    std::copy(src, src + (kx_end - kx_begin) * c, col + kx_begin * c);
    std::fill(col + kx_end * c, col + win.kw * c, 0.f);
  }
}

/// im2col one tile of output image rows at a time (rows are numbered across the batch, so a tile may span two
/// images), then one GEMM per tile straight into the output, whose rows are contiguous in NHWC.
void conv2d_tiled(const ConvLayer& conv, ConstTensor in, Tensor out, float* scratch) {
  const Index k = patch_floats(conv);
  const Index tile = tile_rows(conv, in.h, in.w);
  const Index total_rows = Index{out.n} * out.h;
  const ConstMapRM weights(conv.weights.data(), k, conv.out_c);
  for (Index r0 = 0; r0 < total_rows; r0 += tile) {
    const Index r1 = std::min(r0 + tile, total_rows);
    float* col = scratch;
    for (Index r = r0; r < r1; ++r)
      for (int x = 0; x < out.w; ++x, col += k) gather_patch(conv.window, in, int(r / out.h), int(r % out.h), x, col);
    const Index positions = (r1 - r0) * out.w;
    MapRM dst(out.data + r0 * out.w * conv.out_c, positions, conv.out_c);
    dst.noalias() = ConstMapRM(scratch, positions, k) * weights;
    detail::apply_epilogue(dst, detail::bias_or_null(conv.bias), conv.epilogue);
  }
}

}  // namespace

// OIHW -> HWIO: packed[(ky * kw + kx) * in_c + ci][co] = oihw[co][ci][ky][kx].
ConvLayer pack_conv(const float* oihw, const float* bias, int out_c, int in_c, const Window& window,
                    Epilogue epilogue) {
  ConvLayer conv{window, in_c, out_c, {}, {}, epilogue};
  const int taps = window.kh * window.kw;
  conv.weights.resize(std::size_t(taps) * in_c * out_c);
  for (int co = 0; co < out_c; ++co)
    for (int ci = 0; ci < in_c; ++ci)
      for (int t = 0; t < taps; ++t)
        conv.weights[(std::size_t(t) * in_c + ci) * out_c + co] = oihw[(std::size_t(co) * in_c + ci) * taps + t];
  if (bias != nullptr)
    conv.bias.assign(bias, bias + out_c);
  else
    conv.bias.assign(std::size_t(out_c), 0.f);
  return conv;
}

// Inference batch norm after a convolution (Ioffe & Szegedy 2015), folded per output channel in double.
void fold_batch_norm(ConvLayer& conv, const float* gamma, const float* beta, const float* mean, const float* var,
                     float eps) {
  conv.bias.resize(conv.out_c, 0.f);
  for (int co = 0; co < conv.out_c; ++co) {
    const double scale = double(gamma[co]) / std::sqrt(double(var[co]) + double(eps));
    for (std::size_t i = co; i < conv.weights.size(); i += conv.out_c) conv.weights[i] = float(conv.weights[i] * scale);
    conv.bias[co] = float((double(conv.bias[co]) - mean[co]) * scale + beta[co]);
  }
}

std::size_t conv2d_scratch_floats(const ConvLayer& conv, int h, int w) {
  if (is_pointwise(conv)) return 0;
  return std::size_t(tile_rows(conv, h, w)) * conv.window.out_w(w) * patch_floats(conv);
}

// out[n][y][x][co] = epilogue(bias[co] + sum_{ky,kx,ci} in[n][y*sh+ky-pt][x*sw+kx-pl][ci] * w[co][ci][ky][kx]).
void conv2d(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws) {
  if (!is_pointwise(conv)) return conv2d_tiled(conv, in, out, ws.scratch(0));
  const Index positions = Index{in.n} * in.h * in.w;
  MapRM dst(out.data, positions, conv.out_c);
  dst.noalias() = ConstMapRM(in.data, positions, conv.in_c) * ConstMapRM(conv.weights.data(), conv.in_c, conv.out_c);
  detail::apply_epilogue(dst, detail::bias_or_null(conv.bias), conv.epilogue);
}

}  // namespace netc::rt
