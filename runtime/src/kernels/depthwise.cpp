// Depthwise convolution (each output channel c * multiplier + m filters input channel c alone), direct on
// NHWC: one output pixel's channels at a time, summing its taps along the channels in vectors (with multiplier 1,
// blocks of channels summed over all the taps in registers and stored once). It reads each input value kh * kw
// times from cache and does as many multiply-adds, so it is bound by memory, not arithmetic: no im2col, no
// GEMM, no padded copy (taps that fall outside the input are skipped).
#include "gemm.hpp"
#include "kernels.hpp"

namespace netc::rt::NETC_ISA {
namespace {

/// Loads kLanes floats from anywhere.
inline Lanes load(const float* p) { return *reinterpret_cast<const UnalignedLanes*>(p); }

/// The taps of one output pixel that fall inside the input: rows [ky_begin, ky_end), columns [kx_begin, kx_end),
/// and where they start (input pixel (y0, x0) at tap (0, 0)).
struct PixelTaps {
  const float* origin;  // the image's first input value
  int y0, x0, ky_begin, ky_end, kx_begin, kx_end;
};

/// Pixels side by side whose taps all fall inside the input (the same rows and columns for each): P of them
/// at once give P x V independent sums, enough to hide the multiply-add's latency (one pixel's 4 vectors
/// waited on it: 20 GFLOP/s on an AMD EPYC Zen 2 whatever the layer's size).
#if defined(NETC_ISA_AVX512)
constexpr int kPixels = 6;  // 24 accumulators of 32 registers
#else
constexpr int kPixels = 3;  // 12 accumulators of 16 registers
#endif

/// o[c, c + V x kLanes) of P pixels, x_step input and o_step output floats apart, = bias + the taps' x * w in
/// tap order, summed in P x V vector registers (multiplier 1), stored once (an in_kernel activation applied).
/// Every loop over p and v is unrolled: GCC keeps an array indexed in a rolled loop in memory.
template <int P, int V>
void pixel_block(const detail::DepthwiseArgs& dw, ConstTensor in, const PixelTaps& t, Index x_step, Index c, float* o,
                 Index o_step) {
  const Window& win = dw.window;
  const Index oc = dw.channels;
  Lanes acc[P][V];
#pragma GCC unroll 8
  for (int v = 0; v < V; ++v) {
    const Lanes b = load(dw.bias + c + v * kLanes);
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) acc[p][v] = b;
  }
  for (int ky = t.ky_begin; ky < t.ky_end; ++ky) {
    const float* x_row = t.origin + Index{t.y0 + ky * win.dilation_h} * in.w * in.c + c;
    for (int kx = t.kx_begin; kx < t.kx_end; ++kx) {
      const float* x = x_row + Index{t.x0 + kx * win.dilation_w} * in.c;
      const float* w = dw.weights + Index{ky * win.kw + kx} * oc + c;
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) {
        const Lanes wv = load(w + v * kLanes);
#pragma GCC unroll 8
        for (int p = 0; p < P; ++p) acc[p][v] += load(x + p * x_step + v * kLanes) * wv;
      }
    }
  }
  const Epilogue ep = dw.epilogue;
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p)
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v)
      *reinterpret_cast<UnalignedLanes*>(o + p * o_step + c + v * kLanes) = activated_lanes(acc[p][v], ep);
}

/// One output row's channels [c, c + V x kLanes) of a multiplier-1 layer, kPixels pixels at a time where the
/// first and the last of them have all their taps' columns inside, else 2 where those do, else one. Channel
/// blocks outside, pixels inside: a block's input columns stay in L1 while the next pixels' taps read them
/// again (pixel by pixel over all channels, the 3 input rows of a wide layer left L1 first).
template <int V>
void row_block(const detail::DepthwiseArgs& dw, ConstTensor in, const PixelTaps& row, float* o_row, int out_w, Index c) {
  const Window& win = dw.window;
  const Index oc = dw.channels, x_step = Index{win.stride_w} * in.c;
  // Whether pixels [ox, ox + count) exist and all have every tap's column inside.
  const auto inside = [&](int ox, int x0, int count) {
    return ox + count <= out_w && x0 >= 0 && x0 + (count - 1) * win.stride_w + (win.kw - 1) * win.dilation_w < in.w;
  };
  for (int ox = 0; ox < out_w;) {
    PixelTaps t = row;
    t.x0 = ox * win.stride_w - win.pad_left;
    inside_taps(t.x0, win.kw, win.dilation_w, in.w, t.kx_begin, t.kx_end);
    float* o = o_row + ox * oc;
    if (inside(ox, t.x0, kPixels)) {
      pixel_block<kPixels, V>(dw, in, t, x_step, c, o, oc);
      ox += kPixels;
    } else if (inside(ox, t.x0, 2)) {
      pixel_block<2, V>(dw, in, t, x_step, c, o, oc);
      ox += 2;
    } else {
      pixel_block<1, V>(dw, in, t, x_step, c, o, oc);
      ++ox;
    }
  }
}

/// One output row of a multiplier-1 layer: blocks of 4 vectors, then single vectors, in registers; the last
/// channels (fewer than a vector) summed in memory pixel by pixel, as the general path does; then the
/// activation, where it is not in_kernel, over each pixel.
void row_channels(const detail::DepthwiseArgs& dw, ConstTensor in, const PixelTaps& row, float* o_row, int out_w) {
  const Window& win = dw.window;
  const Index oc = dw.channels;
  Index c = 0;
  for (; c + 4 * kLanes <= oc; c += 4 * kLanes) row_block<4>(dw, in, row, o_row, out_w, c);
  for (; c + kLanes <= oc; c += kLanes) row_block<1>(dw, in, row, o_row, out_w, c);
  const bool post = !in_kernel(dw.epilogue.activation);
  if (c == oc && !post) return;
  for (int ox = 0; ox < out_w; ++ox) {
    float* o = o_row + ox * oc;
    if (c < oc) {
      const int x0 = ox * win.stride_w - win.pad_left;
      int kx_begin = 0, kx_end = 0;
      inside_taps(x0, win.kw, win.dilation_w, in.w, kx_begin, kx_end);
      copy_floats(dw.bias + c, oc - c, o + c);
      for (int ky = row.ky_begin; ky < row.ky_end; ++ky)
        for (int kx = kx_begin; kx < kx_end; ++kx) {
          const float* x = row.origin + (Index{row.y0 + ky * win.dilation_h} * in.w + x0 + kx * win.dilation_w) * in.c;
          const float* w = dw.weights + Index{ky * win.kw + kx} * oc;
          for (Index i = c; i < oc; ++i) o[i] += x[i] * w[i];
        }
    }
    // The tail's in_kernel activation, or any other over the whole pixel.
    if (post)
      activate_span(o, o, oc, dw.epilogue);
    else
      activate_span(o + c, o + c, oc - c, dw.epilogue);
  }
}

/// acc[c * m + j] += x[c] * w[c * m + j]: each input channel feeds m output channels side by side.
void multiply_add_spread(float* acc, const float* x, const float* w, int channels, int m) {
  for (int c = 0; c < channels; ++c, acc += m, w += m)
    for (int j = 0; j < m; ++j) acc[j] += x[c] * w[j];
}

/// Output rows [begin, end) of the batch (row r: image r / out.h, y = r % out.h).
void depthwise_rows(const detail::DepthwiseArgs& dw, ConstTensor in, Tensor out, Index begin, Index end) {
  const Window& win = dw.window;
  const Index oc = Index{dw.channels} * dw.multiplier;
  for (Index row = begin; row < end; ++row) {
    const int img = int(row / out.h), oy = int(row % out.h);
    const int y0 = oy * win.stride_h - win.pad_top;
    int ky_begin = 0, ky_end = 0;
    inside_taps(y0, win.kh, win.dilation_h, in.h, ky_begin, ky_end);
    float* o_row = out.data + row * out.w * oc;
    if (dw.multiplier == 1) {
      row_channels(dw, in, {in.data + Index{img} * in.h * in.w * in.c, y0, 0, ky_begin, ky_end, 0, 0}, o_row, out.w);
      continue;
    }
    for (int ox = 0; ox < out.w; ++ox) {
      float* o = o_row + ox * oc;
      const int x0 = ox * win.stride_w - win.pad_left;
      int kx_begin = 0, kx_end = 0;
      inside_taps(x0, win.kw, win.dilation_w, in.w, kx_begin, kx_end);
      copy_floats(dw.bias, oc, o);
      for (int ky = ky_begin; ky < ky_end; ++ky)
        for (int kx = kx_begin; kx < kx_end; ++kx) {
          const int iy = y0 + ky * win.dilation_h, ix = x0 + kx * win.dilation_w;
          const float* x = in.data + ((Index{img} * in.h + iy) * in.w + ix) * in.c;
          const float* w = dw.weights + Index{ky * win.kw + kx} * oc;
          multiply_add_spread(o, x, w, dw.channels, dw.multiplier);
        }
      activate_span(o, o, oc, dw.epilogue);
    }
  }
}

}  // namespace

void depthwise(const detail::DepthwiseArgs& layer, ConstTensor in, Tensor out, Workspace* ws) {
  const Index work = Index{out.n} * out.h * out.w * out.c * layer.window.kh * layer.window.kw;
  for_rows(ws, Index{out.n} * out.h, work, [&](Index begin, Index end) { depthwise_rows(layer, in, out, begin, end); });
}

}  // namespace netc::rt::NETC_ISA
