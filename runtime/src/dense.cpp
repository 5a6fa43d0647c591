// Dense (fully connected) layers: packing PyTorch Linear weights, with the flatten-order permutation, and the
// packed GEMM (at batch 1 a matrix-vector product, split over threads by output columns).
#include <algorithm>

#include "gemm.hpp"
#include "netc/runtime.hpp"

namespace netc::rt {
namespace {

/// Packs panel p of B[i][o] = out_in[o][column(i)] where netc's flat index i = (y * w + x) * c + ch is
/// PyTorch's column ch * h * w + y * w + x (torch.flatten of NCHW). A group of kChannels channels at a time:
/// the panel's source rows hold each group's h * w * kChannels values side by side (in L2 once touched),
/// and the packed rows they fill come in runs of kChannels.
void pack_permuted_panel(PackedMatrix& m, int p, const float* out_in, int in, int h, int w, int c) {
  constexpr int kChannels = 16;
  const int pixels = h * w, o0 = p * m.panel_width, cols = std::min(m.panel_width, m.cols - o0);
  for (int ch0 = 0; ch0 < c; ch0 += kChannels)
    for (int pixel = 0; pixel < pixels; ++pixel)
      for (int ch = ch0; ch < std::min(c, ch0 + kChannels); ++ch) {
        float* row = &detail::packed_at(m, pixel * c + ch, o0);
        const float* src = out_in + std::size_t(o0) * in + std::size_t(ch) * pixels + pixel;
        for (int j = 0; j < cols; ++j) row[j] = src[std::size_t(j) * in];
      }
}

/// Batch rows per block: a batch this small is one block, so threads split the columns and each weight is
/// read once per batch.
constexpr Index kBlockRows = 64;

}  // namespace

// B[i][o] = out_in[o][column(i)], column the identity or the flatten permutation; packed.
namespace {

/// pack_dense, telling source (if any) which of its rows it has finished with.
DenseLayer pack_dense_from(const float* out_in, const F32View* source, const float* bias, int out, int in,
                           Epilogue epilogue, int flatten_h, int flatten_w, int flatten_c) {
  DenseLayer dense{in, out, detail::packed_unfilled(in, out), {}, epilogue};
  const bool permute = flatten_h > 0 && flatten_w > 0 && flatten_c > 0;
  const int width = dense.weights.panel_width;
  for (int p = 0; p < dense.weights.panels(); ++p) {
    const int o0 = p * width, o1 = std::min(out, (p + 1) * width);
    if (permute)
      pack_permuted_panel(dense.weights, p, out_in, in, flatten_h, flatten_w, flatten_c);
    else
      detail::pack_panel(dense.weights, p, [&](int i, int o) { return out_in[std::size_t(o) * in + i]; });
    if (source != nullptr) source->release(out_in + std::size_t(o0) * in, std::size_t(o1 - o0) * in);
  }
  if (bias != nullptr)
    dense.bias.assign(bias, bias + out);
  else
    dense.bias.assign(std::size_t(out), 0.f);
  return dense;
}

}  // namespace

DenseLayer pack_dense(const float* out_in, const float* bias, int out, int in, Epilogue epilogue, int flatten_h,
                      int flatten_w, int flatten_c) {
  return pack_dense_from(out_in, nullptr, bias, out, in, epilogue, flatten_h, flatten_w, flatten_c);
}

DenseLayer pack_dense(const F32View& out_in, const float* bias, int out, int in, Epilogue epilogue, int flatten_h,
                      int flatten_w, int flatten_c) {
  return pack_dense_from(out_in.data(), &out_in, bias, out, in, epilogue, flatten_h, flatten_w, flatten_c);
}

// out[n][o] = epilogue(bias[o] + sum_i in[n][i] * w[i][o]).
void dense(const DenseLayer& dense, ConstTensor in, Tensor out, Workspace& ws) {
  const Index batch = in.n;
  const detail::WorkSplit split =
      detail::split_work((batch + kBlockRows - 1) / kBlockRows, dense.weights.panels(), ws.threads());
  detail::run_split(ws, split, [](Index, int) {}, [&](Index block, int p0, int p1, int) {
    const Index r0 = block * kBlockRows, rows = std::min(kBlockRows, batch - r0);
    detail::gemm({in.data + r0 * dense.in, dense.in, rows}, dense.weights, p0, p1,
                 {out.data + r0 * dense.out, dense.out, dense.bias.data(), dense.epilogue});
  });
}

}  // namespace netc::rt
