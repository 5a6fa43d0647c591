// Winograd F(4x4, 3x3) convolution (Lavin & Gray 2016, "Fast Algorithms for Convolutional Neural Networks"):
// Y = A^T [ sum_ci (G g G^T) . (B^T d B) ] A over 6x6 input tiles d giving 4x4 output tiles, with the points
// 0, +-1, +-2 and infinity. The weight transform runs at load; per block of tiles, the input transform feeds
// 36 GEMMs (one per transformed point, over channels) and the output transform adds bias and activation.
#include <algorithm>
#include <cstring>

#include "conv_paths.hpp"
#include "epilogue.hpp"
#include "gemm.hpp"

namespace netc::rt::detail {
namespace {

constexpr int kPoints = 36;                                  // 6 x 6 transformed tile
constexpr int kMinChannels = 32;                             // fewer: the transforms outweigh the savings
constexpr Index kMinTiles = 16;                              // fewer: reading 4x the weights outweighs them
constexpr std::size_t kMaxScratchFloats = std::size_t{2} << 20;  // 8 MiB per thread
/// Transformed weights up to this size (4 MiB) stay in L3 from block to block: blocks are then sized for L2.
constexpr std::size_t kCachedWeightFloats = std::size_t{1} << 20;
/// The transformed tiles and products of one block when the weights are cached (512 KiB: half of L2).
constexpr std::size_t kCachedBlockFloats = std::size_t{128} * 1024;

/// Row strides of the transformed input and product blocks: channels rounded up to 16 (64-byte rows).
Index padded(int channels) { return (Index{channels} + 15) / 16 * 16; }
/// Floats of transformed input and products per tile.
Index tile_floats(const ConvLayer& conv) { return kPoints * (padded(conv.in_c) + padded(conv.out_c)); }
/// The most tiles per block: what kMaxScratchFloats holds, a multiple of the microkernel's rows when possible.
Index max_block_tiles(const ConvLayer& conv) {
  const Index fit = Index(kMaxScratchFloats) / tile_floats(conv);
  return std::max<Index>(1, fit >= kGemmRows ? fit / kGemmRows * kGemmRows : fit);
}

/// Tiles per block for a batch of `tiles` tiles. Large transformed weights come from memory once per block,
/// so they get the fewest blocks (threads then split the columns); small ones stay in cache, and blocks are
/// sized for L2 and plentiful enough to spread over the threads. Tiles are computed alike in any block.
Index block_tiles(const ConvLayer& conv, Index tiles, int threads) {
  const Index most = max_block_tiles(conv);
  if (std::size_t(kPoints) * conv.in_c * conv.out_c > kCachedWeightFloats) return even_block(tiles, most, 1);
  const Index cached = std::max<Index>(kGemmRows, Index(kCachedBlockFloats) / tile_floats(conv) / kGemmRows * kGemmRows);
  const Index spread = (tiles + 2 * threads - 1) / (2 * threads);  // two blocks per thread
  return even_block(tiles, std::min({most, cached, std::max<Index>(kGemmRows, spread)}), threads);
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
void transform_input(const ConvLayer& conv, ConstTensor in, TileGrid grid, Index tile, float* v, Index point_stride) {
  const int img = int(tile / (Index{grid.rows} * grid.cols)), rem = int(tile % (Index{grid.rows} * grid.cols));
  const int y0 = rem / grid.cols * 4 - conv.window.pad_top, x0 = rem % grid.cols * 4 - conv.window.pad_left;
  for (int c = 0; c < conv.in_c; c += kLanes) {
    const int count = std::min(kLanes, conv.in_c - c);
    Lanes d[kPoints], t[kPoints];
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j) {
        const int iy = y0 + i, ix = x0 + j;
        const bool inside = iy >= 0 && iy < in.h && ix >= 0 && ix < in.w;
        d[i * 6 + j] = inside ? load(in.data + ((Index{img} * in.h + iy) * in.w + ix) * in.c + c, count) : Lanes{};
      }
    for (int j = 0; j < 6; ++j) input_1d(d + j, 6, t + j, 6);      // columns: B^T d
    for (int i = 0; i < 6; ++i) input_1d(t + i * 6, 1, d + i * 6, 1);  // rows: (B^T d) B
    for (int e = 0; e < kPoints; ++e) store(v + e * point_stride + c, d[e], count);
  }
}

/// Transforms tile `tile`'s products back for channels [c_begin, c_end), adds the bias and the residual (if
/// any, laid out like out), applies the epilogue and stores the tile's output positions inside the output.
void transform_output(const ConvLayer& conv, const float* m, Index point_stride, TileGrid grid, Index tile,
                      int c_begin, int c_end, Tensor out, const float* residual) {
  const int img = int(tile / (Index{grid.rows} * grid.cols)), rem = int(tile % (Index{grid.rows} * grid.cols));
  const int oy = rem / grid.cols * 4, ox = rem % grid.cols * 4;
  const int rows = std::min(4, out.h - oy), cols = std::min(4, out.w - ox);
  const Epilogue ep = conv.epilogue;
  for (int c = c_begin; c < c_end; c += kLanes) {
    const int count = std::min(kLanes, c_end - c);
    Lanes p[kPoints], t[24], y[16];
    for (int e = 0; e < kPoints; ++e) p[e] = load(m + e * point_stride + c, count);
    for (int j = 0; j < 6; ++j) output_1d(p + j, 6, t + j, 6);      // columns: A^T M (4 x 6)
    for (int i = 0; i < 4; ++i) output_1d(t + i * 6, 1, y + i * 4, 1);  // rows: (A^T M) A (4 x 4)
    const Lanes bias = load(conv.bias.data() + c, count), zero{};
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) {
        const Index at = ((Index{img} * out.h + oy + i) * out.w + ox + j) * out.c + c;
        Lanes r = y[i * 4 + j] + bias;
        if (residual) r += load(residual + at, count);
        if (ep.activation == Activation::Relu) r = r > zero ? r : zero;
        if (ep.activation == Activation::LeakyRelu) r = r > zero ? r : r * ep.alpha;
        float* dst = out.data + at;
        store(dst, r, count);
        if (ep.activation == Activation::Sigmoid || ep.activation == Activation::Tanh) activate_span(dst, dst, count, ep);
      }
  }
}

}  // namespace

bool winograd_eligible(const Window& w, int in_c, int out_c) {
  return w.kh == 3 && w.kw == 3 && w.stride_h == 1 && w.stride_w == 1 && in_c >= kMinChannels &&
         out_c >= kMinChannels;
}

// U = G g G^T in double, G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1],
// written straight into the packed matrices (output channels innermost: each write lands next to the last).
std::vector<PackedMatrix> winograd_weights(const float* oihw, int out_c, int in_c) {
  static const double G[6][3] = {{1 / 4., 0, 0},          {-1 / 6., -1 / 6., -1 / 6.}, {-1 / 6., 1 / 6., -1 / 6.},
                                 {1 / 24., 1 / 12., 1 / 6.}, {1 / 24., -1 / 12., 1 / 6.}, {0, 0, 1}};
  std::vector<PackedMatrix> u(kPoints, packed_zeros(in_c, out_c));
  for (int ci = 0; ci < in_c; ++ci)
    for (int co = 0; co < out_c; ++co) {
      const float* g = oihw + (std::size_t(co) * in_c + ci) * 9;
      double gt[6][3];  // G g
      for (int i = 0; i < 6; ++i)
        for (int b = 0; b < 3; ++b) gt[i][b] = G[i][0] * g[b] + G[i][1] * g[3 + b] + G[i][2] * g[6 + b];
      for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j)
          packed_at(u[i * 6 + j], ci, co) = float(gt[i][0] * G[j][0] + gt[i][1] * G[j][1] + gt[i][2] * G[j][2]);
    }
  return u;
}

bool use_winograd(const ConvLayer& conv, ConstTensor in) {
  const Index tiles = Index{in.n} * ((conv.window.out_h(in.h) + 3) / 4) * ((conv.window.out_w(in.w) + 3) / 4);
  return !conv.winograd.empty() && tiles >= kMinTiles;
}

std::size_t winograd_scratch_floats(const ConvLayer& conv) {
  return std::size_t(max_block_tiles(conv) * tile_floats(conv));
}

void conv_winograd(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual) {
  const TileGrid grid(out);
  const Index tiles = Index{out.n} * grid.rows * grid.cols, per_block = block_tiles(conv, tiles, ws.threads());
  const Index v_stride = per_block * padded(conv.in_c), m_stride = per_block * padded(conv.out_c);
  const WorkSplit split = split_work((tiles + per_block - 1) / per_block, conv.winograd[0].panels(), ws.threads());
  const auto first = [&](Index block) { return block * per_block; };
  const auto last = [&](Index block) { return std::min(tiles, (block + 1) * per_block); };
  run_split(
      ws, split,
      [&](Index block, int t) {
        for (Index tile = first(block); tile < last(block); ++tile)
          transform_input(conv, in, grid, tile, ws.scratch(t) + (tile - first(block)) * padded(conv.in_c), v_stride);
      },
      [&](Index block, int p0, int p1, int t) {
        const float* v = ws.scratch(t);
        float* m = ws.scratch(t) + kPoints * v_stride;
        for (int e = 0; e < kPoints; ++e)
          gemm({v + e * v_stride, padded(conv.in_c), last(block) - first(block)}, conv.winograd[e], p0, p1,
               {m + e * m_stride, padded(conv.out_c), nullptr, {}});
        const int c0 = p0 * kGemmCols, c1 = std::min(conv.out_c, p1 * kGemmCols);
        for (Index tile = first(block); tile < last(block); ++tile)
          transform_output(conv, m + (tile - first(block)) * padded(conv.out_c), m_stride, grid, tile, c0, c1, out,
                           residual);
      });
}

}  // namespace netc::rt::detail
