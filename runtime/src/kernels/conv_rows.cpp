// The convolution path for few input channels (an image's 3): per output row, one GEMM per kernel row on the
// input rows themselves, zero-padded into scratch, instead of an im2col row per position. With 3 channels a
// receptive field is short runs (7 of 21 floats for ResNet's 7x7 stem) whose gathering costs as much as the
// products; a padded input row is the A of its kernel row's GEMM as it lies (position x's taps start
// stride_w * in_c floats after x - 1's).
#include "conv_paths.hpp"
#include "gemm.hpp"

namespace netc::rt::NETC_ISA {
namespace {

/// Input columns the windows of an output row cover, from the first window's left padding on.
Index covered_columns(const ConvArgs& conv, int out_w) { return Index{out_w - 1} * conv.window.stride_w + conv.window.kw; }
/// Floats of one padded input row in scratch, rounded up to 16 (64-byte rows).
Index padded_row_floats(const ConvArgs& conv, int out_w) { return (covered_columns(conv, out_w) * conv.in_c + 15) / 16 * 16; }

/// Copies input row iy of image img into row, with zeros where the windows reach past its left or right end.
void pad_row(const ConvArgs& conv, ConstTensor in, int img, int iy, int out_w, float* row) {
  const Index c = conv.in_c, left = Index{conv.window.pad_left} * c, covered = covered_columns(conv, out_w) * c;
  const Index inside = min_of(Index{in.w} * c, covered - left);
  fill_floats(row, left, 0.f);
  copy_floats(in.data + (Index{img} * in.h + iy) * in.w * c, inside, row + left);
  fill_floats(row + left + inside, covered - left - inside, 0.f);
}

/// The kernel rows whose input rows are inside the input, first to last (consecutive; none when first > last).
struct KernelRows {
  int first = 0, last = -1;
};

/// Pads the input rows that output row y of image img reaches into rows (kernel row ky's at ky * row_floats).
KernelRows pad_rows(const ConvArgs& conv, ConstTensor in, int img, int y, int out_w, float* rows, Index row_floats) {
  KernelRows inside{conv.window.kh, -1};
  for (int ky = 0; ky < conv.window.kh; ++ky) {
    const int iy = y * conv.window.stride_h + ky - conv.window.pad_top;
    if (iy < 0 || iy >= in.h) continue;
    pad_row(conv, in, img, iy, out_w, rows + ky * row_floats);
    inside.first = min_of(inside.first, ky);
    inside.last = ky;
  }
  return inside;
}

}  // namespace

std::size_t row_scratch_floats(const ConvArgs& conv, int out_w) {
  return std::size_t(conv.window.kh) * std::size_t(padded_row_floats(conv, out_w));
}

// out[n][y][x][co] = epilogue(bias[co] + residual + sum over kernel rows ky inside the input of
// sum_{kx,ci} row_ky[x * sw + kx][ci] * w[(ky * kw + kx) * in_c + ci][co]): one GEMM per panel whose A is
// segmented, a run of kw * in_c floats per kernel row inside the input (the padded rows lie row_floats apart),
// so the sums stay in the microkernel's registers from the first kernel row to the last. The weights are one
// k block (kh * kw * in_c <= kDepthBlock), so each output sums its products in im2col's order, with the same
// result.
void conv_rows(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  const Window& win = conv.window;
  const Index run = Index{win.kw} * conv.in_c, row_floats = padded_row_floats(conv, out.w);
  const Index panel_floats = Index{conv.weights.rows} * kGemmCols;  // one k block: panels side by side
  ws.parallel_for(Index{out.n} * out.h, [&](Index begin, Index end, int t) {
    float* rows = ws.scratch(t);
    for (Index r = begin; r < end; ++r) {
      const KernelRows inside = pad_rows(conv, in, int(r / out.h), int(r % out.h), out.w, rows, row_floats);
      const int kernel_rows = max_of(0, inside.last - inside.first + 1);  // 0: all in the padding
      const int first = kernel_rows > 0 ? inside.first : 0;
      const GemmA a{rows + first * row_floats, Index{win.stride_w} * conv.in_c, out.w, max_of(1, kernel_rows),
                    row_floats};
      float* c_row = out.data + r * out.w * out.stride();
      const float* residual_row = residual ? residual + r * out.w * conv.out_c : nullptr;
      for (int p = 0; p < conv.weights.panels; ++p) {
        const int col = p * kGemmCols, cols = min_of(kGemmCols, conv.out_c - col);
        // With no kernel row inside, a GEMM of depth 0: bias, residual and activation alone.
        const PackedView b{conv.weights.data + p * panel_floats + first * run * kGemmCols,
                           int(run * kernel_rows), cols, 1};
        gemm(a, b, 0, 1,
             {c_row + col, out.stride(), conv.bias + col, conv.epilogue, residual_row ? residual_row + col : nullptr,
              conv.out_c});
      }
    }
  });
}

}  // namespace netc::rt::NETC_ISA
