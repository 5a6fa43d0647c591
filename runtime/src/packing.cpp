// Packed matrices for the active kernels (allocation, the views the kernels read, the panel-width check) and
// the split of a kernel's work over threads; none of it depends on the instruction set.
#include <stdexcept>
#include <string>

#include "detail.hpp"

namespace netc::rt::detail {
namespace {

/// Throws unless m was packed for the active kernels' panels.
void check_panels(const PackedMatrix& m) {
  const KernelTable& k = kernels();
  if (m.panel_width != k.panel_width || m.depth_block != kDepthBlock)
    throw std::invalid_argument("a matrix packed in panels of " + std::to_string(m.panel_width) + " columns and " +
                                std::to_string(m.depth_block) + " rows cannot run on the " + k.isa + " kernels (" +
                                std::to_string(k.panel_width) + " columns, " + std::to_string(kDepthBlock) +
                                " rows): pack it with the kernels of this process");
}

}  // namespace

PackedMatrix packed_unfilled(int rows, int cols) {
  const int width = kernels().panel_width;
  PackedMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.panel_width = width;
  m.depth_block = kDepthBlock;
  m.data.resize(std::size_t(m.panels()) * std::size_t(rows) * std::size_t(width));
  const int used = cols - (m.panels() - 1) * width;  // columns of the last panel
  if (m.panels() > 0 && used < width)
    for (int k = 0; k < rows; ++k) std::fill_n(&packed_at(m, k, cols - used) + used, width - used, 0.f);
  return m;
}

PackedSpan span_of(PackedMatrix& m) {
  check_panels(m);
  return {m.data.data(), m.rows, m.cols, m.panels()};
}

PackedView view_of(const PackedMatrix& m) {
  check_panels(m);
  return {m.data.data(), m.rows, m.cols, m.panels()};
}

ConvArgs args_of(const ConvLayer& conv) {
  return {conv.window, conv.in_c,       conv.out_c,
          view_of(conv.weights), conv.bias.data(), conv.epilogue,
          conv.groups, Index(conv.weights.data.size()) / conv.groups};
}

DenseArgs args_of(const DenseLayer& dense) {
  return {dense.in, dense.out, view_of(dense.weights), dense.bias.data(), dense.epilogue};
}

void gemm(GemmA a, const PackedMatrix& b, int panel_begin, int panel_end, GemmC c) {
  kernels().gemm(a, view_of(b), panel_begin, panel_end, c);
}

Index even_block(Index total, Index most, int threads, Index split_rows) {
  Index blocks = (total + most - 1) / most;
  if (blocks < threads && split_rows > 0 && total >= split_rows * threads) blocks = threads;
  if (blocks >= threads) blocks = (blocks + threads - 1) / threads * threads;
  return std::max<Index>(1, (total + blocks - 1) / std::max<Index>(1, blocks));
}

int panel_begin(const WorkSplit& split, int chunk) { return int(Index{split.panels} * chunk / split.chunks); }

WorkSplit split_work(Index blocks, int panels, int threads) {
  const double even = double(blocks) / threads;
  int chunks = 1;
  while (threads > 1 && chunks < panels) {
    const Index items = blocks * chunks;
    const double per_thread = double((items + threads - 1) / threads) / chunks;  // in blocks
    if (per_thread <= 1.15 * even) break;
    ++chunks;
  }
  return {blocks, panels, chunks};
}

}  // namespace netc::rt::detail
