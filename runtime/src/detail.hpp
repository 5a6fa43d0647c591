// The runtime's internal functions under the public ones, which the kernel tests call too: packed matrices
// for the active kernels, the convolution's choice of path and each path on its own, the GEMM. All go
// through the active kernel table; none is compiled per instruction set.
#pragma once

#include <algorithm>

#include "kernel_table.hpp"

namespace netc::rt::detail {

/// A K x N packed matrix with panels of the active kernels' width, for a packing kernel to fill: the columns
/// past N (the last panel's padding) are zeros, the others uninitialised.
PackedMatrix packed_unfilled(int rows, int cols);
/// The matrix as a packing kernel fills it (its panel width checked as view_of does).
PackedSpan span_of(PackedMatrix& m);

/// Element (k, n) of a packed matrix, whatever its panel width.
inline const float& packed_at(const PackedMatrix& m, int k, int n) {
  const int k0 = k / m.depth_block * m.depth_block, depth = std::min(m.depth_block, m.rows - k0);
  return m.data[(std::size_t(k0) * m.panels() + std::size_t(n / m.panel_width) * depth + (k - k0)) * m.panel_width +
                n % m.panel_width];
}
inline float& packed_at(PackedMatrix& m, int k, int n) {
  return const_cast<float&>(packed_at(static_cast<const PackedMatrix&>(m), k, n));
}

/// Packs the K x N matrix element(k, n) for the active kernels (zero-padded panels).
template <class Element>
PackedMatrix pack_matrix(int rows, int cols, Element element) {
  PackedMatrix m = packed_unfilled(rows, cols);
  for (int k = 0; k < rows; ++k)
    for (int n = 0; n < cols; ++n) packed_at(m, k, n) = element(k, n);
  return m;
}

/// A 1x1, stride-1, unpadded convolution: the NHWC input is the GEMM's A as it lies.
bool is_pointwise(const ConvLayer& conv);
/// Whether a layer may take the Winograd path (pack_conv sets ConvLayer::winograd): 3x3, stride 1, enough input
/// and output channels.
bool winograd_eligible(const Window& window, int in_c, int out_c);
/// Whether conv2d takes the Winograd path for this input: the layer is eligible and the batch has enough 4x4
/// output tiles to amortise transforming the weights.
bool use_winograd(const ConvLayer& conv, ConstTensor in);

/// Whether conv2d takes the row path: few input channels (at most 4), groups 1, no dilation, one k block.
bool use_rows(const ConvLayer& conv);

/// conv2d's paths, whatever conv2d would choose (the active kernels'; residual may be nullptr).
void conv_pointwise(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);
void conv_im2col(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);
void conv_winograd(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);
void conv_rows(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);
/// Scratch per thread of the Winograd path (see KernelTable).
std::size_t winograd_scratch_floats(const ConvLayer& conv);

/// The active kernels' GEMM on a packed matrix (see KernelTable::gemm).
void gemm(GemmA a, const PackedMatrix& b, int panel_begin, int panel_end, GemmC c);

/// Moves the calling thread to another CPU of its affinity mask than `cpu`, and leaves the mask as it was
/// (nothing where only one CPU is allowed or the platform has no affinity; see the workspace's workers).
void move_off_cpu(int cpu);

}  // namespace netc::rt::detail
