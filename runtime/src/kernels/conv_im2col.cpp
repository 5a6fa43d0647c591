// The GEMM convolution paths: a 1x1 stride-1 convolution multiplies its NHWC input in place; any other window
// gathers blocks of receptive fields into scratch first (im2col).
#include "conv_paths.hpp"
#include "gemm.hpp"

namespace netc::rt::NETC_ISA {
namespace {

/// The most floats one im2col block may take (1 MiB): the weights are read once per block, so blocks are
/// large (VGG's and ResNet's 3x3 layers at 7x7 are one block of all their positions)...
constexpr std::size_t kMaxBlockFloats = std::size_t{256} * 1024;
/// ...but hold at most 224 positions: for shallow receptive fields (the 7x7x3 stem) more rows only push the
/// block out of L2 (measured: 2.8 ms for 224, 3.3 ms for 1638 on ResNet's stem at 1 thread).
constexpr Index kMaxBlockPositions = 224;
/// Rows per block of a 1x1 convolution: blocks to share among threads, each reusing the weights from L2.
constexpr Index kPointwiseBlockRows = Index{kGemmRows} * 16;

/// Floats in one im2col row (one output position's receptive field): kh * kw * in_c.
Index patch_floats(const ConvArgs& conv) { return Index{conv.window.kh} * conv.window.kw * conv.in_c; }
/// The row stride of an im2col block: the patch rounded up to 16 floats (64-byte aligned rows).
Index patch_stride(const ConvArgs& conv) { return (patch_floats(conv) + 15) / 16 * 16; }

/// Output positions per im2col block: a multiple of the microkernel's rows that fits kMaxBlockFloats and
/// kMaxBlockPositions, or one microkernel's rows when a single receptive field is that large.
Index block_positions(const ConvArgs& conv) {
  const Index fit = Index(kMaxBlockFloats) / patch_stride(conv) / kGemmRows * kGemmRows;
  return max_of<Index>(kGemmRows, min_of(fit, kMaxBlockPositions / kGemmRows * kGemmRows));
}

void zero_run(Index count, float* dst) { fill_floats(dst, count, 0.f); }

/// Writes the receptive field of output (img, y, x) as kh runs of kw * in_c floats, zeros where the window
/// leaves the input: one row of the im2col matrix (Chellapilla, Puri & Simard 2006, "High performance CNNs").
void gather_patch(const Window& win, ConstTensor in, int img, int y, int x, float* col) {
  const Index c = in.c;
  const int x0 = x * win.stride_w - win.pad_left;
  const int kx_begin = max_of(0, -x0), kx_end = min_of(win.kw, in.w - x0);
  for (int ky = 0; ky < win.kh; ++ky, col += win.kw * c) {
    const int iy = y * win.stride_h + ky - win.pad_top;
    if (iy < 0 || iy >= in.h || kx_begin >= kx_end) {
      zero_run(win.kw * c, col);
      continue;
    }
    const float* src = in.data + ((Index{img} * in.h + iy) * in.w + x0 + kx_begin) * c;
    zero_run(kx_begin * c, col);
    copy_floats(src, (kx_end - kx_begin) * c, col + kx_begin * c);
    zero_run((win.kw - kx_end) * c, col + kx_end * c);
  }
}

/// Gathers output positions [begin, end) (numbered across the batch) into rows of `stride` floats.
void gather_block(const ConvArgs& conv, ConstTensor in, Tensor out, Index begin, Index end, float* col, Index stride) {
  int x = int(begin % out.w), y = int(begin / out.w % out.h), img = int(begin / out.w / out.h);
  for (Index m = begin; m < end; ++m, col += stride) {
    gather_patch(conv.window, in, img, y, x, col);
    if (++x == out.w) x = 0, ++y;
    if (y == out.h) y = 0, ++img;
  }
}

}  // namespace

void conv_pointwise(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  const Index positions = Index{in.n} * in.h * in.w;
  const Index per_block = detail::even_block(positions, kPointwiseBlockRows, ws.threads());
  const detail::WorkSplit split =
      detail::split_work((positions + per_block - 1) / per_block, conv.weights.panels, ws.threads());
  const float* bias = conv.bias;
  const Index out_stride = out.stride();
  run_split(ws, split, [](Index, int) {}, [&](Index block, int p0, int p1, int) {
    const Index m0 = block * per_block, rows = min_of(per_block, positions - m0);
    gemm({in.data + m0 * conv.in_c, conv.in_c, rows}, conv.weights, p0, p1,
         {out.data + m0 * out_stride, out_stride, bias, conv.epilogue, residual ? residual + m0 * conv.out_c : nullptr,
          conv.out_c});
  });
}

std::size_t im2col_scratch_floats(const ConvArgs& conv) {
  return std::size_t(block_positions(conv)) * std::size_t(patch_stride(conv));
}

void conv_im2col(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  const Index positions = Index{out.n} * out.h * out.w;
  const Index per_block = detail::even_block(positions, block_positions(conv), ws.threads());
  const Index stride = patch_stride(conv);
  const detail::WorkSplit split =
      detail::split_work((positions + per_block - 1) / per_block, conv.weights.panels, ws.threads());
  const auto rows_of = [&](Index block) { return min_of(per_block, positions - block * per_block); };
  run_split(
      ws, split,
      [&](Index block, int t) {
        gather_block(conv, in, out, block * per_block, block * per_block + rows_of(block), ws.scratch(t), stride);
      },
      [&](Index block, int p0, int p1, int t) {
        const Index first = block * per_block;
        gemm({ws.scratch(t), stride, rows_of(block)}, conv.weights, p0, p1,
             {out.data + first * out.stride(), out.stride(), conv.bias, conv.epilogue,
              residual ? residual + first * conv.out_c : nullptr, conv.out_c});
      });
}

}  // namespace netc::rt::NETC_ISA
