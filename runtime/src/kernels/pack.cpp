// Packing PyTorch weights into the GEMM's panels of kGemmCols columns at load: convolutions (OIHW to HWIO
// rows) and dense layers (Linear's [out, in], with the flatten-order permutation).
#include "kernels.hpp"

#include "netc/safetensors.hpp"

namespace netc::rt::NETC_ISA {
namespace {

/// Row k of panel p's columns in a packed matrix.
float* packed_row(const PackedSpan& m, int k, int p) { return m.data + packed_index(m.rows, m.panels, k, p * kGemmCols); }

/// Fills panel p with B[i][o] = out_in[o][i]. Sources are read along i for each column, 64 rows at a time, so
/// that the rows of PyTorch's [out, in] matrix and the panel both stay in cache.
void pack_plain_panel(const float* out_in, int in, const PackedSpan& m, int p) {
  constexpr int kRowBlock = 64;  // divides kDepthBlock
  const int o0 = p * kGemmCols, cols = min_of(kGemmCols, m.cols - o0);
  for (int k0 = 0; k0 < m.rows; k0 += kRowBlock) {
    float* dst = packed_row(m, k0, p);
    for (int j = 0; j < cols; ++j)
      for (int k = k0; k < m.rows && k < k0 + kRowBlock; ++k) dst[(k - k0) * kGemmCols + j] = out_in[Index{o0 + j} * in + k];
  }
}

/// Fills panel p with B[i][o] = out_in[o][column(i)] where netc's flat index i = (y * w + x) * c + ch is
/// PyTorch's column ch * h * w + y * w + x (torch.flatten of NCHW). A group of kChannels channels at a time:
/// the panel's source rows hold each group's h * w * kChannels values side by side (in L2 once touched),
/// and the packed rows they fill come in runs of kChannels.
void pack_permuted_panel(const float* out_in, int in, int h, int w, int c, const PackedSpan& m, int p) {
  constexpr int kChannels = 16;
  const int pixels = h * w, o0 = p * kGemmCols, cols = min_of(kGemmCols, m.cols - o0);
  for (int ch0 = 0; ch0 < c; ch0 += kChannels)
    for (int pixel = 0; pixel < pixels; ++pixel)
      for (int ch = ch0; ch < min_of(c, ch0 + kChannels); ++ch) {
        float* row = packed_row(m, pixel * c + ch, p);
        const float* src = out_in + Index{o0} * in + Index{ch} * pixels + pixel;
        for (int j = 0; j < cols; ++j) row[j] = src[Index{j} * in];
      }
}

}  // namespace

// OIHW -> HWIO rows: B[(ky * kw + kx) * in_c + ci][co] = oihw[co][ci][ky][kx]. Panel by panel; the panel's
// kGemmCols OIHW rows are read in order (each input channel's taps together), and the packed rows are written
// in `taps` sequential runs.
void pack_conv(const float* oihw, int out_c, int in_c, int taps, PackedSpan weights) {
  for (int p = 0; p < weights.panels; ++p) {
    const int c0 = p * kGemmCols, cols = min_of(kGemmCols, out_c - c0);
    for (int ci = 0; ci < in_c; ++ci)
      for (int t = 0; t < taps; ++t) {
        float* row = packed_row(weights, t * in_c + ci, p);
        const float* src = oihw + (Index{c0} * in_c + ci) * taps + t;
        for (int j = 0; j < cols; ++j) row[j] = src[Index{j} * in_c * taps];
      }
  }
}

// B[i][o] = out_in[o][column(i)], column the identity or the flatten permutation; each panel's source rows are
// released once packed.
void pack_dense(const float* out_in, const F32View* source, int out, int in, int flatten_h, int flatten_w,
                int flatten_c, PackedSpan weights) {
  const bool permute = flatten_h > 0 && flatten_w > 0 && flatten_c > 0;
  for (int p = 0; p < weights.panels; ++p) {
    const int o0 = p * kGemmCols, o1 = min_of(out, (p + 1) * kGemmCols);
    if (permute)
      pack_permuted_panel(out_in, in, flatten_h, flatten_w, flatten_c, weights, p);
    else
      pack_plain_panel(out_in, in, weights, p);
    if (source != nullptr) source->release(out_in + Index{o0} * in, std::size_t(o1 - o0) * std::size_t(in));
  }
}

}  // namespace netc::rt::NETC_ISA
