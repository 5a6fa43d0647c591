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

/// o[c, c + V x kLanes) = bias + the taps' x * w in tap order, summed in V vector registers (multiplier 1),
/// stored once.
template <int V>
void pixel_block(const detail::DepthwiseArgs& dw, ConstTensor in, const PixelTaps& t, Index c, float* o) {
  const Window& win = dw.window;
  const Index oc = dw.channels;
  Lanes acc[V];
  for (int v = 0; v < V; ++v) acc[v] = load(dw.bias + c + v * kLanes);
  for (int ky = t.ky_begin; ky < t.ky_end; ++ky) {
    const float* x_row = t.origin + Index{t.y0 + ky * win.dilation_h} * in.w * in.c + c;
    for (int kx = t.kx_begin; kx < t.kx_end; ++kx) {
      const float* x = x_row + Index{t.x0 + kx * win.dilation_w} * in.c;
      const float* w = dw.weights + Index{ky * win.kw + kx} * oc + c;
      for (int v = 0; v < V; ++v) acc[v] += load(x + v * kLanes) * load(w + v * kLanes);
    }
  }
  for (int v = 0; v < V; ++v) *reinterpret_cast<UnalignedLanes*>(o + c + v * kLanes) = acc[v];
}

/// One output pixel of a multiplier-1 layer: blocks of 4 vectors, then single vectors, in registers; the last
/// channels (fewer than a vector) summed in memory as the general path does.
void pixel_channels(const detail::DepthwiseArgs& dw, ConstTensor in, const PixelTaps& t, float* o) {
  const Index oc = dw.channels;
  Index c = 0;
  for (; c + 4 * kLanes <= oc; c += 4 * kLanes) pixel_block<4>(dw, in, t, c, o);
  for (; c + kLanes <= oc; c += kLanes) pixel_block<1>(dw, in, t, c, o);
  if (c == oc) return;
  copy_floats(dw.bias + c, oc - c, o + c);
  for (int ky = t.ky_begin; ky < t.ky_end; ++ky)
    for (int kx = t.kx_begin; kx < t.kx_end; ++kx) {
      const float* x = t.origin + (Index{t.y0 + ky * dw.window.dilation_h} * in.w + t.x0 + kx * dw.window.dilation_w) * in.c;
      const float* w = dw.weights + Index{ky * dw.window.kw + kx} * oc;
      for (Index i = c; i < oc; ++i) o[i] += x[i] * w[i];
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
    for (int ox = 0; ox < out.w; ++ox) {
      float* o = o_row + ox * oc;
      const int x0 = ox * win.stride_w - win.pad_left;
      int kx_begin = 0, kx_end = 0;
      inside_taps(x0, win.kw, win.dilation_w, in.w, kx_begin, kx_end);
      if (dw.multiplier == 1) {
        const PixelTaps taps{in.data + Index{img} * in.h * in.w * in.c, y0, x0, ky_begin, ky_end, kx_begin, kx_end};
        pixel_channels(dw, in, taps, o);
        continue;
      }
      copy_floats(dw.bias, oc, o);
      for (int ky = ky_begin; ky < ky_end; ++ky)
        for (int kx = kx_begin; kx < kx_end; ++kx) {
          const int iy = y0 + ky * win.dilation_h, ix = x0 + kx * win.dilation_w;
          const float* x = in.data + ((Index{img} * in.h + iy) * in.w + ix) * in.c;
          const float* w = dw.weights + Index{ky * win.kw + kx} * oc;
          multiply_add_spread(o, x, w, dw.channels, dw.multiplier);
        }
    }
    activate_span(o_row, o_row, out.w * oc, dw.epilogue);
  }
}

}  // namespace

void depthwise(const detail::DepthwiseArgs& layer, ConstTensor in, Tensor out, Workspace* ws) {
  const Index work = Index{out.n} * out.h * out.w * out.c * layer.window.kh * layer.window.kw;
  for_rows(ws, Index{out.n} * out.h, work, [&](Index begin, Index end) { depthwise_rows(layer, in, out, begin, end); });
}

}  // namespace netc::rt::NETC_ISA
