// The kernels of branches and resampling: copying a tensor into its channel slice of a concatenation, and
// nearest and bilinear upsampling (PyTorch's interpolate with align_corners=False), a row of output pixels at
// a time, along the channels in vectors.
#include "gemm.hpp"
#include "kernels.hpp"

namespace netc::rt::NETC_ISA {
namespace {

/// Where output index `dst` reads along one axis: PyTorch's source index for `scale` = in / out.
struct Tap {
  int lo, hi;
  float weight_hi;  // bilinear: the weight of hi (lo's is 1 - weight_hi); nearest: 0
};

// Nearest: floor(dst * scale), at most in - 1 (PyTorch's nearest_idx). Bilinear: the half-pixel source
// (dst + 0.5) * scale - 0.5, clamped at 0, between floor and the next (at most in - 1).
Tap tap(Resize mode, int dst, float scale, int in_size) {
  if (mode == Resize::Nearest) return {min_of(int(float(dst) * scale), in_size - 1), 0, 0.f};
  const float src = max_of(0.f, (float(dst) + 0.5f) * scale - 0.5f);
  const int lo = int(src);
  return {lo, lo < in_size - 1 ? lo + 1 : lo, src - float(lo)};
}

/// The four sources' blend over c floats, in PyTorch's order: h0 * (w0 * a + w1 * b) + h1 * (w0 * d + w1 * e).
void blend(const float* a, const float* b, const float* d, const float* e, float h1, float w1, float* out, Index c) {
  const float h0 = 1.f - h1, w0 = 1.f - w1;
  for (Index i = 0; i < c; ++i) out[i] = h0 * (w0 * a[i] + w1 * b[i]) + h1 * (w0 * d[i] + w1 * e[i]);
}

// Output rows [begin, end) of the batch: each pixel copies its nearest source or blends its four.
void upsample_rows(Resize mode, ConstTensor in, Tensor out, Index begin, Index end) {
  const float scale_h = float(in.h) / float(out.h), scale_w = float(in.w) / float(out.w);
  const Index c = in.c, stride = out.stride();  // out may be a channel slice of a wider tensor
  for (Index row = begin; row < end; ++row) {
    const int img = int(row / out.h), oy = int(row % out.h);
    const Tap ty = tap(mode, oy, scale_h, in.h);
    const float* top = in.data + (Index{img} * in.h + ty.lo) * in.w * c;
    const float* bottom = in.data + (Index{img} * in.h + ty.hi) * in.w * c;
    float* o = out.data + row * out.w * stride;
    for (int ox = 0; ox < out.w; ++ox, o += stride) {
      const Tap tx = tap(mode, ox, scale_w, in.w);
      if (mode == Resize::Nearest) {
        copy_floats(top + Index{tx.lo} * c, c, o);
        continue;
      }
      blend(top + Index{tx.lo} * c, top + Index{tx.hi} * c, bottom + Index{tx.lo} * c, bottom + Index{tx.hi} * c,
            ty.weight_hi, tx.weight_hi, o, c);
    }
  }
}

}  // namespace

// out[n][y][x][offset + ch] = in[n][y][x][ch]: pixel by pixel, each side's pixels stride() floats apart.
void copy_channels(ConstTensor in, Tensor out, int channel_offset, Workspace* ws) {
  const Index c = in.c, in_stride = in.stride(), out_stride = out.stride();
  for_rows(ws, Index{in.n} * in.h * in.w, Index{in.n} * in.h * in.w * c, [&](Index begin, Index end) {
    float* to = out.data + channel_offset;
    for (Index p = begin; p < end; ++p) copy_floats(in.data + p * in_stride, c, to + p * out_stride);
  });
}

// out[n][y][x][c] from in's nearest pixel or its four nearest, by the ratio of the sizes.
void upsample(Resize mode, ConstTensor in, Tensor out, Workspace* ws) {
  const Index work = Index{out.n} * out.h * out.w * out.c * (mode == Resize::Bilinear ? 4 : 1);
  for_rows(ws, Index{out.n} * out.h, work, [&](Index begin, Index end) { upsample_rows(mode, in, out, begin, end); });
}

}  // namespace netc::rt::NETC_ISA
