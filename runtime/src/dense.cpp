// Dense (fully connected) layers: packing PyTorch Linear weights, with the flatten-order permutation, and the
// packed GEMM (at batch 1 a matrix-vector product, split over threads by output columns).
#include <algorithm>

#include "gemm.hpp"
#include "netc/runtime.hpp"

namespace netc::rt {
namespace {

/// Row o of PyTorch's weights in netc's column order: netc's flat index (y * w + x) * c + ch is PyTorch's
/// column ch * h * w + y * w + x (torch.flatten of NCHW).
void permuted_row(const float* torch_row, int h, int w, int c, float* row) {
  const std::size_t pixels = std::size_t(h) * w;
  for (std::size_t pixel = 0; pixel < pixels; ++pixel)
    for (int ch = 0; ch < c; ++ch) *row++ = torch_row[ch * pixels + pixel];
}

/// Batch rows per block: a batch this small is one block, so threads split the columns and each weight is
/// read once per batch.
constexpr Index kBlockRows = 64;

}  // namespace

// B[i][o] = out_in[o][column(i)], column the identity or the flatten permutation; packed.
// With the permutation, each panel's rows are first gathered in netc's order (writing them straight into
// the panel would touch a new page per element).
namespace {

/// pack_dense, telling source (if any) which of its rows it has finished with.
DenseLayer pack_dense_from(const float* out_in, const F32View* source, const float* bias, int out, int in,
                           Epilogue epilogue, int flatten_h, int flatten_w, int flatten_c) {
  DenseLayer dense{in, out, detail::packed_unfilled(in, out), {}, epilogue};
  const bool permute = flatten_h > 0 && flatten_w > 0 && flatten_c > 0;
  const int width = dense.weights.panel_width;
  std::vector<float> rows(permute ? std::size_t(width) * in : 0);  // the panel's rows, permuted
  for (int p = 0; p < dense.weights.panels(); ++p) {
    const int o0 = p * width, o1 = std::min(out, (p + 1) * width);
    if (!permute) {
      detail::pack_panel(dense.weights, p, [&](int i, int o) { return out_in[std::size_t(o) * in + i]; });
    } else {
      for (int o = o0; o < o1; ++o)
        permuted_row(out_in + o * std::size_t(in), flatten_h, flatten_w, flatten_c, &rows[(o - o0) * std::size_t(in)]);
      detail::pack_panel(dense.weights, p, [&](int i, int o) { return rows[(o - o0) * std::size_t(in) + i]; });
    }
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
