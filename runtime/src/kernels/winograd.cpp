// Winograd F(4x4, 3x3) convolution (Lavin & Gray 2016, "Fast Algorithms for Convolutional Neural Networks"):
// Y = A^T [ sum_ci (G g G^T) . (B^T d B) ] A over 6x6 input tiles d giving 4x4 output tiles, with the points
// 0, +-1, +-2 and infinity. Per block of tiles, the input transform feeds 36 GEMMs (one per transformed point,
// over channels) and the output transform adds bias and activation. The transformed weights, 4x the size of
// the 3x3 ones, are never stored: each block makes them from the packed GEMM weights, a chunk at a time.
#include <cstring>

#include "conv_paths.hpp"
#include "gemm.hpp"

namespace netc::rt::NETC_ISA {
namespace {

constexpr int kPoints = 36;  // 6 x 6 transformed tile
/// The most input channels per chunk of transformed weights, which stays in L2 while a block's tiles go by:
/// as many as fill three quarters of this CPU's L2 (the rest holds the slice of the block's transformed tiles
/// that the chunk's GEMMs read), a multiple of 8 from 16 to 256: 168 with AVX-512 and a 1 MiB L2 or AVX2 and
/// 512 KiB, 80 with AVX2 and 256 KiB. The layer's channels are cut into chunks of equal depth below it.
int depth_chunk() {
  static const int chunk = [] {
    const std::size_t fit = detail::cache_sizes().l2 * 3 / 4 / (std::size_t{kPoints} * kGemmCols * sizeof(float));
    return int(min_of<std::size_t>(256, max_of<std::size_t>(16, fit / 8 * 8)));
  }();
  return chunk;
}
/// The depth of a layer's chunks: its input channels cut into chunks of equal depth (within 8 channels), none
/// deeper than depth_chunk(): with 168, 200 channels as 104 + 96 rather than 168 + 32, whose second chunk would
/// cost a pass of the 36 GEMMs over their products for a few multiply-adds.
int chunk_depth(int in_c) {
  const int chunks = (in_c + depth_chunk() - 1) / depth_chunk();
  return ((in_c + chunks - 1) / chunks + 7) / 8 * 8;
}
/// A block's transformed input tiles and their products for one panel, per thread: 1 MiB, or enough for
/// kMinBlockTiles tiles: each block transforms the weights again, which costs as much as about 8 tiles' GEMMs.
constexpr std::size_t kBlockFloats = std::size_t{256} * 1024;
constexpr Index kMinBlockTiles = 2 * kGemmRows;

/// Row stride of the transformed input: channels rounded up to 16 (64-byte rows).
Index padded(int channels) { return (Index{channels} + 15) / 16 * 16; }
/// The 36 points' matrices (of U, V and M) lie one 64-byte line more than their size apart: at a power-of-two
/// distance (U's is 16 KiB), the transforms' 36 loads or stores per tile would all fall in one L1 set.
constexpr Index kPointSkew = 16;
/// Floats from one point's chunk of transformed weights to the next's.
Index weight_point_stride(const ConvArgs& conv) { return Index{chunk_depth(conv.in_c)} * kGemmCols + kPointSkew; }
/// Floats of one chunk of transformed weights for one panel (first in each thread's scratch).
Index weight_floats(const ConvArgs& conv) { return kPoints * weight_point_stride(conv); }
/// Floats per tile in a block: its transformed input (all channels) and its products for one panel.
Index tile_floats(const ConvArgs& conv) { return kPoints * (padded(conv.in_c) + kGemmCols); }
/// The most tiles per block: what kBlockFloats holds, a multiple of the microkernel's rows when possible.
Index max_block_tiles(const ConvArgs& conv) {
  const Index fit = max_of(kMinBlockTiles, Index(kBlockFloats) / tile_floats(conv));
  return max_of<Index>(1, fit >= kGemmRows ? fit / kGemmRows * kGemmRows : fit);
}

/// The output tile grid of one image.
struct TileGrid {
  int rows, cols;  // tiles down and across
  explicit TileGrid(Tensor out) : rows((out.h + 3) / 4), cols((out.w + 3) / 4) {}
};

/// count <= kLanes floats from p (the rest zero); whole vectors are one unaligned load.
Lanes load(const float* p, int count) {
  if (count == kLanes) return *reinterpret_cast<const UnalignedLanes*>(p);
  Lanes v{};
  std::memcpy(&v, p, sizeof(float) * std::size_t(count));
  return v;
}
void store(float* p, Lanes v, int count) {
  if (count == kLanes)
    *reinterpret_cast<UnalignedLanes*>(p) = v;
  else
    std::memcpy(p, &v, sizeof(float) * std::size_t(count));
}

// B^T x for one column of 6: rows of B^T are [4 0 -5 0 1 0], [0 -4 -4 1 1 0], [0 4 -4 -1 1 0],
// [0 -2 -1 2 1 0], [0 2 -1 -2 1 0], [0 4 0 -5 0 1].
void input_1d(const Lanes* x, Index xs, Lanes* y, Index ys) {
  const Lanes x0 = x[0], x1 = x[xs], x2 = x[2 * xs], x3 = x[3 * xs], x4 = x[4 * xs], x5 = x[5 * xs];
  y[0] = 4.f * x0 - 5.f * x2 + x4;
  y[ys] = -4.f * (x1 + x2) + (x3 + x4);
  y[2 * ys] = 4.f * (x1 - x2) + (x4 - x3);
  y[3 * ys] = 2.f * (x3 - x1) + (x4 - x2);
  y[4 * ys] = 2.f * (x1 - x3) + (x4 - x2);
  y[5 * ys] = 4.f * x1 - 5.f * x3 + x5;
}

// A^T m for one column of 6: rows of A^T are [1 1 1 1 1 0], [0 1 -1 2 -2 0], [0 1 1 4 4 0], [0 1 -1 8 -8 1].
void output_1d(const Lanes* m, Index ms, Lanes* y, Index ys) {
  const Lanes a = m[ms] + m[2 * ms], b = m[ms] - m[2 * ms], c = m[3 * ms] + m[4 * ms], d = m[3 * ms] - m[4 * ms];
  y[0] = m[0] + a + c;
  y[ys] = b + 2.f * d;
  y[2 * ys] = a + 4.f * c;
  y[3 * ys] = b + 8.f * d + m[5 * ms];
}

/// Transforms tile `tile` (numbered across the batch) of the input for all channels: V[e][row][c] for e < 36.
void transform_input(const ConvArgs& conv, ConstTensor in, TileGrid grid, Index tile, float* v, Index point_stride) {
  const int img = int(tile / (Index{grid.rows} * grid.cols)), rem = int(tile % (Index{grid.rows} * grid.cols));
  const int y0 = rem / grid.cols * 4 - conv.window.pad_top, x0 = rem % grid.cols * 4 - conv.window.pad_left;
  // Whether the 6 x 6 patch lies inside the input: no check per value then.
  const bool inside = y0 >= 0 && y0 + 6 <= in.h && x0 >= 0 && x0 + 6 <= in.w;
  for (int c = 0; c < conv.in_c; c += kLanes) {
    const int count = min_of(kLanes, conv.in_c - c);
    Lanes d[kPoints], t[kPoints];
    if (inside && count == kLanes) {
      const float* patch = in.data + ((Index{img} * in.h + y0) * in.w + x0) * in.c + c;
#pragma GCC unroll 6
      for (int i = 0; i < 6; ++i)
#pragma GCC unroll 6
        for (int j = 0; j < 6; ++j) d[i * 6 + j] = *reinterpret_cast<const UnalignedLanes*>(patch + (Index{i} * in.w + j) * in.c);
    } else {
      for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j) {
          const int iy = y0 + i, ix = x0 + j;
          const bool in_image = iy >= 0 && iy < in.h && ix >= 0 && ix < in.w;
          d[i * 6 + j] = in_image ? load(in.data + ((Index{img} * in.h + iy) * in.w + ix) * in.c + c, count) : Lanes{};
        }
    }
#pragma GCC unroll 6
    for (int j = 0; j < 6; ++j) input_1d(d + j, 6, t + j, 6);  // columns: B^T d
    // rows: (B^T d) B, each row stored as it is made
#pragma GCC unroll 6
    for (int i = 0; i < 6; ++i) {
      Lanes r[6];
      input_1d(t + i * 6, 1, r, 1);
#pragma GCC unroll 6
      for (int j = 0; j < 6; ++j) store(v + (i * 6 + j) * point_stride + c, r[j], count);
    }
  }
}

/// Transforms tile `tile`'s products back for channels [c_begin, c_end) (m points at channel c_begin's), adds
/// the bias and the residual (if any, laid out like out but contiguous), applies the epilogue and stores the
/// tile's output positions inside the output (pixel_stride floats apart).
void transform_output(const ConvArgs& conv, const float* m, Index point_stride, TileGrid grid, Index tile,
                      int c_begin, int c_end, Tensor out, const float* residual) {
  const int img = int(tile / (Index{grid.rows} * grid.cols)), rem = int(tile % (Index{grid.rows} * grid.cols));
  const int oy = rem / grid.cols * 4, ox = rem % grid.cols * 4;
  const int rows = min_of(4, out.h - oy), cols = min_of(4, out.w - ox);
  const Epilogue ep = conv.epilogue;
  for (int c = c_begin; c < c_end; c += kLanes) {
    const int count = min_of(kLanes, c_end - c);
    Lanes p[kPoints], t[24], y[16];
    for (int e = 0; e < kPoints; ++e) p[e] = load(m + e * point_stride + (c - c_begin), count);
    for (int j = 0; j < 6; ++j) output_1d(p + j, 6, t + j, 6);      // columns: A^T M (4 x 6)
    for (int i = 0; i < 4; ++i) output_1d(t + i * 6, 1, y + i * 4, 1);  // rows: (A^T M) A (4 x 4)
    const Lanes bias = load(conv.bias + c, count);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) {
        const Index pixel = (Index{img} * out.h + oy + i) * out.w + ox + j;
        Lanes r = y[i * 4 + j] + bias;
        if (residual) r += load(residual + pixel * out.c + c, count);
        r = activated_lanes(r, ep);
        float* dst = out.data + pixel * out.stride() + c;
        store(dst, r, count);
        if (!in_kernel(ep.activation)) activate_span(dst, dst, count, ep);
      }
  }
}

// G x for one column of 3 taps: rows of G are [1/4 0 0], [-1/6 -1/6 -1/6], [-1/6 1/6 -1/6],
// [1/24 1/12 1/6], [1/24 -1/12 1/6], [0 0 1].
void weight_1d(const Lanes* x, Index xs, Lanes* y, Index ys) {
  const Lanes x0 = x[0], x1 = x[xs], x2 = x[2 * xs];
  const Lanes sum = x0 + x2, quarter = x0 * (1.f / 24) + x2 * (1.f / 6);
  y[0] = x0 * 0.25f;
  y[ys] = (sum + x1) * (-1.f / 6);
  y[2 * ys] = (x1 - sum) * (1.f / 6);
  y[3 * ys] = quarter + x1 * (1.f / 12);
  y[4 * ys] = quarter - x1 * (1.f / 12);
  y[5 * ys] = x2;
}

/// U[e][ci - ci0][j] = (G g G^T)[e] for input channels [ci0, ci1) and the kGemmCols output channels of panel p,
/// made from the packed GEMM weights (batch norm already folded in), whose row (ky * 3 + kx) * in_c + ci holds
/// the panel's output channels side by side; u holds kPoints blocks of ci1 - ci0 rows of kGemmCols floats,
/// point_stride floats apart.
void transform_weights(const PackedView& w, int in_c, int p, int ci0, int ci1, float* u, Index point_stride) {
  static_assert(kGemmCols % kLanes == 0 && kPointSkew % kLanes == 0, "U's points are whole vectors apart");
  const Index point = point_stride / kLanes;
  for (int ci = ci0; ci < ci1; ++ci)
    for (int lane0 = 0; lane0 < kGemmCols; lane0 += kLanes) {
      // Unrolled, and each row of (G g) G^T stored as it is made: arrays indexed in rolled loops stay in
      // memory, and the 36 results went through the stack before their stores (AVX2, GCC 12).
      Lanes g[9], t[18];
#pragma GCC unroll 9
      for (int tap = 0; tap < 9; ++tap)
        g[tap] = *reinterpret_cast<const Lanes*>(w.data + packed_index(w.rows, w.panels, tap * in_c + ci, p * kGemmCols + lane0));
#pragma GCC unroll 3
      for (int b = 0; b < 3; ++b) weight_1d(g + b, 3, t + b, 3);  // columns: G g (6 x 3)
      Lanes* out = reinterpret_cast<Lanes*>(u + Index{ci - ci0} * kGemmCols + lane0);
#pragma GCC unroll 6
      for (int i = 0; i < 6; ++i) weight_1d(t + i * 3, 1, out + i * 6 * point, point);  // rows: (G g) G^T (6 x 6)
    }
}

}  // namespace

std::size_t winograd_scratch_floats(const ConvArgs& conv) {
  return std::size_t(weight_floats(conv) + max_block_tiles(conv) * tile_floats(conv) + 2 * kPoints * kPointSkew);
}

// Per block of tiles (each thread's scratch: the weights chunk U, then the block's V, then its products M):
// V = B^T d B for every tile and channel; then per panel of output channels and chunk of input channels, the
// chunk of U = G g G^T and 36 GEMMs M[e] += V[e] x U[e]; then Y = A^T M A per tile and channel of the panel.
// The weights are transformed once per block and panel, so blocks are as large as the scratch allows.
void conv_winograd(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  const TileGrid grid(out);
  const Index tiles = Index{out.n} * grid.rows * grid.cols;
  // With fewer panels than threads, a block per thread as soon as each has the tiles its own weight
  // transform costs (DenseNet's 3x3 layers of 32 filters at 14x14: 16 tiles, one panel).
  const Index split_tiles = conv.weights.panels < ws.threads() ? detail::kWeightTransformTiles : 0;
  const Index per_block = detail::even_block(tiles, max_block_tiles(conv), ws.threads(), split_tiles);
  const Index v_stride = per_block * padded(conv.in_c) + kPointSkew, m_stride = per_block * kGemmCols + kPointSkew;
  const detail::WorkSplit split =
      detail::split_work((tiles + per_block - 1) / per_block, conv.weights.panels, ws.threads());
  const auto first = [&](Index block) { return block * per_block; };
  const auto last = [&](Index block) { return min_of(tiles, (block + 1) * per_block); };
  const int chunk = chunk_depth(conv.in_c);
  const Index u_stride = weight_point_stride(conv), u_floats = weight_floats(conv);
  run_split(
      ws, split,
      [&](Index block, int t) {
        float* v = ws.scratch(t) + u_floats;
        for (Index tile = first(block); tile < last(block); ++tile)
          transform_input(conv, in, grid, tile, v + (tile - first(block)) * padded(conv.in_c), v_stride);
      },
      [&](Index block, int p0, int p1, int t) {
        float* u = ws.scratch(t);
        const float* v = u + u_floats;
        float* m = u + u_floats + kPoints * v_stride;
        const Index rows = last(block) - first(block);
        for (int p = p0; p < p1; ++p) {
          const int c0 = p * kGemmCols, c1 = min_of(conv.out_c, c0 + kGemmCols);
          for (int ci0 = 0; ci0 < conv.in_c; ci0 += chunk) {
            const int ci1 = min_of(conv.in_c, ci0 + chunk);
            transform_weights(conv.weights, conv.in_c, p, ci0, ci1, u, u_stride);
            for (int e = 0; e < kPoints; ++e)
              gemm({v + e * v_stride + ci0, padded(conv.in_c), rows},
                   PackedView{u + e * u_stride, ci1 - ci0, c1 - c0, 1}, 0, 1,
                   {m + e * m_stride, kGemmCols, nullptr, {}, nullptr, 0, ci0 > 0});
          }
          for (Index tile = first(block); tile < last(block); ++tile)
            transform_output(conv, m + (tile - first(block)) * kGemmCols, m_stride, grid, tile, c0, c1, out, residual);
        }
      });
}

}  // namespace netc::rt::NETC_ISA
