// The GEMM convolution paths: a 1x1 stride-1 convolution multiplies its NHWC input in place; any other window
// (dilated ones included) gathers blocks of receptive fields into scratch first (im2col); a grouped
// convolution does either, then one GEMM per group on the block while it is in cache.
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
/// Rows per thread from which a layer of few blocks is split by rows rather than by columns (even_block):
/// four row tiles, ResNet's 14x14 maps on 2 threads (ResNet50 on 2 threads, AMD EPYC family 26: 4% faster);
/// a 7x7 map's 49 rows stay one block whose columns the threads share, each reading its part of the weights.
/// When there are fewer column panels (or groups) than threads, one row tile per thread is enough.
Index block_rows(Index positions, Index most, int columns, int threads) {
  return detail::even_block(positions, most, threads, columns >= threads ? Index{kGemmRows} * 4 : Index{kGemmRows});
}

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

/// dst[0, count) = src[0, count) for one window row's taps (src and dst apart): whole vectors, the last one
/// ending at count and overlapping the one before (the 7x7x3 stem's rows are 21 floats: two vector copies
/// instead of one and five single floats).
inline void copy_run(const float* src, Index count, float* dst) {
  if (count < kLanes) return copy_floats(src, count, dst);
  for (Index i = 0; i + kLanes < count; i += kLanes)
    *reinterpret_cast<UnalignedLanes*>(dst + i) = *reinterpret_cast<const UnalignedLanes*>(src + i);
  *reinterpret_cast<UnalignedLanes*>(dst + count - kLanes) = *reinterpret_cast<const UnalignedLanes*>(src + count - kLanes);
}

/// A vector of 4 floats at any float's address.
typedef float Quad __attribute__((vector_size(4 * sizeof(float)), aligned(alignof(float)), may_alias));
/// dst[0, count) = src[0, count) for the short runs of a narrow group's channels (ResNeXt's 4), 4 at a time.
inline void copy_short(const float* src, Index count, float* dst) {
  Index i = 0;
  for (; i + 4 <= count; i += 4) *reinterpret_cast<Quad*>(dst + i) = *reinterpret_cast<const Quad*>(src + i);
  for (; i < count; ++i) dst[i] = src[i];
}

/// Writes the receptive field of output (img, y, x), its dilated taps in `groups` groups of channels: group g's
/// taps side by side from col + g * taps * (in.c / groups) (one group: kh runs of kw * in.c floats), zeros
/// where the window leaves the input: one row of the im2col matrix (Chellapilla, Puri & Simard 2006, "High
/// performance CNNs"), in which each group's part is the GEMM row of its own weights.
void gather_patch(const Window& win, int groups, ConstTensor in, int img, int y, int x, float* col) {
  const Index c = in.c, cg = c / groups, group_floats = Index{win.kh} * win.kw * cg;
  const int x0 = x * win.stride_w - win.pad_left;
  int kx_begin = 0, kx_end = 0;
  inside_taps(x0, win.kw, win.dilation_w, in.w, kx_begin, kx_end);
  const bool one_run = win.dilation_w == 1 && groups == 1;  // the row's taps are contiguous in the input
  for (int ky = 0; ky < win.kh; ++ky, col += win.kw * cg) {
    const int iy = y * win.stride_h + ky * win.dilation_h - win.pad_top;
    const bool empty = iy < 0 || iy >= in.h || kx_begin >= kx_end;
    const float* row = empty ? nullptr : in.data + (Index{img} * in.h + iy) * in.w * c;  // only inside the input
    for (int g = 0; g < groups; ++g) {
      float* dst = col + g * group_floats;
      if (empty) {
        zero_run(win.kw * cg, dst);
        continue;
      }
      const float* src = row + Index{x0 + kx_begin * win.dilation_w} * c + g * cg;
      zero_run(kx_begin * cg, dst);
      if (one_run)
        copy_run(src, (kx_end - kx_begin) * c, dst + kx_begin * c);
      else
        for (int kx = kx_begin; kx < kx_end; ++kx, src += Index{win.dilation_w} * c)
          cg < kLanes ? copy_short(src, cg, dst + kx * cg) : copy_floats(src, cg, dst + kx * cg);
      zero_run((win.kw - kx_end) * cg, dst + kx_end * cg);
    }
  }
}

/// Gathers output positions [begin, end) (numbered across the batch) into rows of `stride` floats.
void gather_block(const ConvArgs& conv, ConstTensor in, Tensor out, Index begin, Index end, float* col, Index stride) {
  int x = int(begin % out.w), y = int(begin / out.w % out.h), img = int(begin / out.w / out.h);
  for (Index m = begin; m < end; ++m, col += stride) {
    gather_patch(conv.window, conv.groups, in, img, y, x, col);
    if (++x == out.w) x = 0, ++y;
    if (y == out.h) y = 0, ++img;
  }
}

}  // namespace

void conv_pointwise(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  const Index positions = Index{in.n} * in.h * in.w;
  const Index per_block = block_rows(positions, kPointwiseBlockRows, conv.weights.panels, ws.threads());
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
  const Index per_block = block_rows(positions, block_positions(conv), conv.weights.panels, ws.threads());
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

void conv_grouped(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  const Window& win = conv.window;
  const bool pointwise = win.kh == 1 && win.kw == 1 && win.stride_h == 1 && win.stride_w == 1 && win.pad_top == 0 &&
                         win.pad_bottom == 0 && win.pad_left == 0 && win.pad_right == 0;
  const Index positions = Index{out.n} * out.h * out.w, cg = conv.in_c / conv.groups, fg = conv.out_c / conv.groups;
  const Index group_floats = Index{win.kh} * win.kw * cg, stride = patch_stride(conv);
  const Index per_block =
      block_rows(positions, pointwise ? kPointwiseBlockRows : block_positions(conv), conv.groups, ws.threads());
  const detail::WorkSplit split = detail::split_work((positions + per_block - 1) / per_block, conv.groups, ws.threads());
  const auto rows_of = [&](Index block) { return min_of(per_block, positions - block * per_block); };
  run_split(
      ws, split,
      [&](Index block, int t) {
        if (!pointwise) gather_block(conv, in, out, block * per_block, block * per_block + rows_of(block), ws.scratch(t), stride);
      },
      [&](Index block, int g0, int g1, int t) {
        const Index m0 = block * per_block;
        for (int g = g0; g < g1; ++g) {
          const GemmA a = pointwise ? GemmA{in.data + m0 * in.c + g * cg, in.c, rows_of(block)}
                                    : GemmA{ws.scratch(t) + g * group_floats, stride, rows_of(block)};
          const PackedView w{conv.weights.data + g * conv.group_stride, conv.weights.rows, conv.weights.cols,
                             conv.weights.panels};
          const Index first = m0 * out.stride() + g * fg, first_residual = m0 * conv.out_c + g * fg;
          gemm(a, w, 0, w.panels,
               {out.data + first, out.stride(), conv.bias + g * fg, conv.epilogue,
                residual ? residual + first_residual : nullptr, conv.out_c});
        }
      });
}

}  // namespace netc::rt::NETC_ISA
