// Depthwise convolution (each output channel c * multiplier + m filters input channel c alone), direct on
// NHWC: one output pixel's channels at a time, summing its taps along the channels in vectors. It reads each
// input value kh * kw times from cache and does as many multiply-adds, so it is bound by memory, not
// arithmetic: no im2col, no GEMM, no padded copy (taps that fall outside the input are skipped).
#include "gemm.hpp"
#include "kernels.hpp"

namespace netc::rt::NETC_ISA {
namespace {

/// acc[i] += x[i] * w[i] for count floats, in vectors (multiplier 1: each channel its own filter).
void multiply_add(float* acc, const float* x, const float* w, Index count) {
  Index i = 0;
  for (; i + kLanes <= count; i += kLanes) {
    const Lanes a = *reinterpret_cast<const UnalignedLanes*>(acc + i), v = *reinterpret_cast<const UnalignedLanes*>(x + i),
                f = *reinterpret_cast<const UnalignedLanes*>(w + i);
    *reinterpret_cast<UnalignedLanes*>(acc + i) = a + v * f;
  }
  for (; i < count; ++i) acc[i] += x[i] * w[i];
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
      copy_floats(dw.bias, oc, o);
      for (int ky = ky_begin; ky < ky_end; ++ky)
        for (int kx = kx_begin; kx < kx_end; ++kx) {
          const int iy = y0 + ky * win.dilation_h, ix = x0 + kx * win.dilation_w;
          const float* x = in.data + ((Index{img} * in.h + iy) * in.w + ix) * in.c;
          const float* w = dw.weights + Index{ky * win.kw + kx} * oc;
          if (dw.multiplier == 1)
            multiply_add(o, x, w, oc);
          else
            multiply_add_spread(o, x, w, dw.channels, dw.multiplier);
        }
    }
    activate_span(o_row, o_row, out.w * oc, dw.epilogue);
  }
}

}  // namespace

void depthwise(const detail::DepthwiseArgs& layer, ConstTensor in, Tensor out, Workspace* ws) {
  for_rows(ws, Index{out.n} * out.h, [&](Index begin, Index end) { depthwise_rows(layer, in, out, begin, end); });
}

}  // namespace netc::rt::NETC_ISA
