// Pooling (max, average, global average) and zero padding on NHWC tensors.
#include <algorithm>
#include <limits>

#include "netc/runtime.hpp"

namespace netc::rt {
namespace {

/// The input indices [begin, end) a window covers along one axis, padding cut off.
struct Span {
  int begin, end;
  int size() const { return std::max(0, end - begin); }
};
Span window_span(int out_pos, int stride, int pad, int k, int in_size) {
  const int first = out_pos * stride - pad;
  return {std::max(0, first), std::min(in_size, first + k)};
}

/// Shared pooling loop over the real inputs of each window. Max: padding never wins (cuDNN's / PyTorch's
/// MaxPool2d). Average: divide by the count of real inputs (Keras, PyTorch count_include_pad=False).
/// A window that covers no input at all gives 0.
template <bool kIsMax>
void pool(const Window& win, ConstTensor in, Tensor out) {
  const Index c = in.c;
  float* o = out.data;
  for (int img = 0; img < out.n; ++img)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox, o += c) {
        const Span ys = window_span(oy, win.stride_h, win.pad_top, win.kh, in.h);
        const Span xs = window_span(ox, win.stride_w, win.pad_left, win.kw, in.w);
        VectorMap acc(o, c);
        acc.setConstant(kIsMax ? -std::numeric_limits<float>::infinity() : 0.f);
        for (int iy = ys.begin; iy < ys.end; ++iy)
          for (int ix = xs.begin; ix < xs.end; ++ix) {
            const ConstVectorMap x(in.data + ((Index{img} * in.h + iy) * in.w + ix) * c, c);
            if constexpr (kIsMax)
              acc = acc.cwiseMax(x);
            else
              acc += x;
          }
        const int count = ys.size() * xs.size();
        if (count == 0)
          acc.setZero();
        else if (!kIsMax)
          acc /= float(count);
      }
}

}  // namespace

// out[n][y][x][c] = max over the window's real inputs of in[n][y*sh+ky-pt][x*sw+kx-pl][c].
void max_pool(const Window& window, ConstTensor in, Tensor out) { pool<true>(window, in, out); }

// out[n][y][x][c] = mean over the window's real inputs (padding excluded from the count).
void avg_pool(const Window& window, ConstTensor in, Tensor out) { pool<false>(window, in, out); }

// out[n][0][0][c] = (1 / (h * w)) * sum_{y,x} in[n][y][x][c].
void global_avg_pool(ConstTensor in, Tensor out) {
  const Index positions = Index{in.h} * in.w;
  for (int img = 0; img < in.n; ++img) {
    const ConstMapRM image(in.data + img * positions * in.c, positions, in.c);
    VectorMap(out.data + Index{img} * in.c, in.c) = image.colwise().sum().transpose() / float(positions);
  }
}

// out[n][y + top][x + left][c] = in[n][y][x][c], zeros elsewhere.
void zero_pad(ConstTensor in, Tensor out, int top, int /*bottom: implied by out.h*/, int left,
              int /*right: implied by out.w*/) {
  std::fill(out.data, out.data + out.size(), 0.f);
  const Index row = Index{in.w} * in.c;
  for (int img = 0; img < in.n; ++img)
    for (int y = 0; y < in.h; ++y) {
      const float* src = in.data + (Index{img} * in.h + y) * row;
      float* dst = out.data + ((Index{img} * out.h + y + top) * out.w + left) * out.c;
      std::copy(src, src + row, dst);
    }
}

}  // namespace netc::rt
