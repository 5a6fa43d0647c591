// Pooling (max, average, global average) and zero padding on NHWC tensors.
#include <algorithm>
#include <limits>

#include "epilogue.hpp"
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

/// Shared pooling loop over the real inputs of each window, for output rows [begin, end) of the batch (row r
/// is image r / out.h, y = r % out.h). Max: padding never wins (cuDNN's / PyTorch's MaxPool2d). Average:
/// divide by the count of real inputs (Keras, PyTorch count_include_pad=False). A window that covers no
/// input at all gives 0.
template <bool kIsMax>
void pool_rows(const Window& win, ConstTensor in, Tensor out, Index begin, Index end) {
  const Index c = in.c;
  float* o = out.data + begin * out.w * c;
  for (Index row = begin; row < end; ++row) {
    const int img = int(row / out.h), oy = int(row % out.h);
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
}

/// out[n][y + top][x + left][c] = in[n][y][x][c] for output rows [begin, end), zeros elsewhere.
void zero_pad_rows(ConstTensor in, Tensor out, int top, int left, Index begin, Index end) {
  const Index out_row = Index{out.w} * out.c, in_row = Index{in.w} * in.c;
  for (Index row = begin; row < end; ++row) {
    float* dst = out.data + row * out_row;
    const int img = int(row / out.h), y = int(row % out.h) - top;
    if (y < 0 || y >= in.h) {
      std::fill(dst, dst + out_row, 0.f);
      continue;
    }
    const float* src = in.data + (Index{img} * in.h + y) * in_row;
    std::fill(dst, dst + left * Index{out.c}, 0.f);
    std::copy(src, src + in_row, dst + left * Index{out.c});
    std::fill(dst + left * Index{out.c} + in_row, dst + out_row, 0.f);
  }
}

template <bool kIsMax>
void pool(const Window& win, ConstTensor in, Tensor out, Workspace* ws) {
  detail::for_rows(ws, Index{out.n} * out.h, [&](Index b, Index e) { pool_rows<kIsMax>(win, in, out, b, e); });
}

}  // namespace

// out[n][y][x][c] = max over the window's real inputs of in[n][y*sh+ky-pt][x*sw+kx-pl][c].
void max_pool(const Window& window, ConstTensor in, Tensor out) { pool<true>(window, in, out, nullptr); }
void max_pool(const Window& window, ConstTensor in, Tensor out, Workspace& ws) { pool<true>(window, in, out, &ws); }

// out[n][y][x][c] = mean over the window's real inputs (padding excluded from the count).
void avg_pool(const Window& window, ConstTensor in, Tensor out) { pool<false>(window, in, out, nullptr); }
void avg_pool(const Window& window, ConstTensor in, Tensor out, Workspace& ws) { pool<false>(window, in, out, &ws); }

// out[n][0][0][c] = (1 / (h * w)) * sum_{y,x} in[n][y][x][c].
void global_avg_pool(ConstTensor in, Tensor out) {
  const Index positions = Index{in.h} * in.w;
  for (int img = 0; img < in.n; ++img) {
    const ConstMapRM image(in.data + img * positions * in.c, positions, in.c);
    VectorMap(out.data + Index{img} * in.c, in.c) = image.colwise().sum().transpose() / float(positions);
  }
}

// out[n][y + top][x + left][c] = in[n][y][x][c], zeros elsewhere (bottom and right are implied by out's size).
void zero_pad(ConstTensor in, Tensor out, int top, int /*bottom*/, int left, int /*right*/) {
  zero_pad_rows(in, out, top, left, 0, Index{out.n} * out.h);
}
void zero_pad(ConstTensor in, Tensor out, int top, int /*bottom*/, int left, int /*right*/, Workspace& ws) {
  detail::for_rows(&ws, Index{out.n} * out.h, [&](Index b, Index e) { zero_pad_rows(in, out, top, left, b, e); });
}

}  // namespace netc::rt
