// Pooling (max, average, global average) and zero padding on NHWC tensors, a row of output positions at a
// time, vectorised along the channels.
#include "gemm.hpp"
#include "kernels.hpp"

namespace netc::rt::NETC_ISA {
namespace {

/// The input indices [begin, end) a window covers along one axis, padding cut off.
struct Span {
  int begin, end;
};
Span window_span(int out_pos, int stride, int pad, int k, int in_size) {
  const int first = out_pos * stride - pad;
  return {max_of(0, first), min_of(in_size, first + k)};
}

/// acc = max(acc, x) per channel as PyTorch's max_pool2d takes it: x wins when it is larger or NaN, and a NaN
/// that won stays (nothing compares larger than it), so any NaN in the window gives NaN. In whole vectors
/// (the compiler does not vectorise the scalar form's NaN test).
void max_into(float* acc, const float* x, Index c) {
  Index i = 0;
  for (; i + kLanes <= c; i += kLanes) {
    const Lanes a = *reinterpret_cast<const UnalignedLanes*>(acc + i), v = *reinterpret_cast<const UnalignedLanes*>(x + i);
    *reinterpret_cast<UnalignedLanes*>(acc + i) = (v > a) | (v != v) ? v : a;
  }
  for (; i < c; ++i) acc[i] = x[i] > acc[i] || x[i] != x[i] ? x[i] : acc[i];
}
void sum_into(float* acc, const float* x, Index c) {
  for (Index i = 0; i < c; ++i) acc[i] += x[i];
}

enum class PoolKind { Max, Average, AverageWithPadding };

/// Shared pooling loop over the real inputs of each window, for output rows [begin, end) of the batch (row r
/// is image r / out.h, y = r % out.h). Max: padding never wins (cuDNN's / PyTorch's MaxPool2d). Average:
/// divide by the count of real inputs (Keras, PyTorch count_include_pad=False), or by the window's size
/// (AverageWithPadding: PyTorch's count_include_pad=True; a window never reaches past the padding, the output
/// size rounding down). A window that covers no input at all gives 0.
template <PoolKind kKind>
void pool_rows(const Window& win, ConstTensor in, Tensor out, Index begin, Index end) {
  constexpr bool kIsMax = kKind == PoolKind::Max;
  const Index c = in.c, stride = out.stride();  // out may be a channel slice of a wider tensor
  float* o = out.data + begin * out.w * stride;
  for (Index row = begin; row < end; ++row) {
    const int img = int(row / out.h), oy = int(row % out.h);
    for (int ox = 0; ox < out.w; ++ox, o += stride) {
      const Span ys = window_span(oy, win.stride_h, win.pad_top, win.kh, in.h);
      const Span xs = window_span(ox, win.stride_w, win.pad_left, win.kw, in.w);
      fill_floats(o, c, kIsMax ? -__builtin_inff() : 0.f);
      for (int iy = ys.begin; iy < ys.end; ++iy)
        for (int ix = xs.begin; ix < xs.end; ++ix) {
          const float* x = in.data + ((Index{img} * in.h + iy) * in.w + ix) * c;
          if constexpr (kIsMax)
            max_into(o, x, c);
          else
            sum_into(o, x, c);
        }
      const int real = max_of(0, ys.end - ys.begin) * max_of(0, xs.end - xs.begin);
      const int count = kKind == PoolKind::AverageWithPadding ? win.kh * win.kw : real;
      if (real == 0)
        fill_floats(o, c, 0.f);
      else if (!kIsMax)
        for (Index i = 0; i < c; ++i) o[i] /= float(count);
    }
  }
}

/// out[n][y + top][x + left][c] = in[n][y][x][c] for output rows [begin, end), zeros elsewhere.
void zero_pad_rows(ConstTensor in, Tensor out, int top, int left, Index begin, Index end) {
  const Index out_row = Index{out.w} * out.c, in_row = Index{in.w} * in.c, before = Index{left} * out.c;
  for (Index row = begin; row < end; ++row) {
    float* dst = out.data + row * out_row;
    const int img = int(row / out.h), y = int(row % out.h) - top;
    if (y < 0 || y >= in.h) {
      fill_floats(dst, out_row, 0.f);
      continue;
    }
    fill_floats(dst, before, 0.f);
    copy_floats(in.data + (Index{img} * in.h + y) * in_row, in_row, dst + before);
    fill_floats(dst + before + in_row, out_row - before - in_row, 0.f);
  }
}

template <PoolKind kKind>
void pool(const Window& win, ConstTensor in, Tensor out, Workspace* ws) {
  const Index work = Index{out.n} * out.h * out.w * out.c * win.kh * win.kw;
  for_rows(ws, Index{out.n} * out.h, work, [&](Index b, Index e) { pool_rows<kKind>(win, in, out, b, e); });
}

}  // namespace

// out[n][y][x][c] = max over the window's real inputs of in[n][y*sh+ky-pt][x*sw+kx-pl][c].
void max_pool(const Window& window, ConstTensor in, Tensor out, Workspace* ws) {
  pool<PoolKind::Max>(window, in, out, ws);
}

// out[n][y][x][c] = mean over the window's real inputs (padding excluded from the count).
void avg_pool(const Window& window, ConstTensor in, Tensor out, Workspace* ws) {
  pool<PoolKind::Average>(window, in, out, ws);
}

// out[n][y][x][c] = sum over the window's real inputs / (kh * kw) (the padding counted as zeros).
void avg_pool_include_pad(const Window& window, ConstTensor in, Tensor out, Workspace* ws) {
  pool<PoolKind::AverageWithPadding>(window, in, out, ws);
}

// out[n][0][0][c] = (1 / (h * w)) * sum_{y,x} in[n][y][x][c], summed position by position.
void global_avg_pool(ConstTensor in, Tensor out) {
  const Index positions = Index{in.h} * in.w, c = in.c;
  for (int img = 0; img < in.n; ++img) {
    float* o = out.data + Index{img} * c;
    fill_floats(o, c, 0.f);
    for (Index p = 0; p < positions; ++p) sum_into(o, in.data + (Index{img} * positions + p) * c, c);
    for (Index i = 0; i < c; ++i) o[i] /= float(positions);
  }
}

// out[n][0][0][c] = max_{y,x} in[n][y][x][c], NaN when any of them is NaN (torch.amax); images over the threads.
void global_max_pool(ConstTensor in, Tensor out, Workspace* ws) {
  const Index positions = Index{in.h} * in.w, c = in.c;
  for_rows(ws, in.n, Index{in.n} * positions * c, [&](Index begin, Index end) {
    for (Index img = begin; img < end; ++img) {
      float* o = out.data + img * c;
      fill_floats(o, c, -__builtin_inff());
      for (Index p = 0; p < positions; ++p) max_into(o, in.data + (img * positions + p) * c, c);
    }
  });
}

// out[n][y + top][x + left][c] = in[n][y][x][c], zeros elsewhere (bottom and right are implied by out's size).
void zero_pad(ConstTensor in, Tensor out, int top, int left, Workspace* ws) {
  for_rows(ws, Index{out.n} * out.h, Index{out.n} * out.h * out.w * out.c,
           [&](Index b, Index e) { zero_pad_rows(in, out, top, left, b, e); });
}

}  // namespace netc::rt::NETC_ISA
