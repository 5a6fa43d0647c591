// The convolution's paths, behind conv2d: the input itself as the GEMM's A (1x1 stride 1), im2col blocks,
// padded input rows (few input channels) and Winograd F(4x4, 3x3), with their scratch queries; conv.cpp
// chooses between them. Each takes an optional residual (nullptr: none), laid out like out (and possibly out
// itself), added before the epilogue.
#pragma once

#include "isa.hpp"

namespace netc::rt::NETC_ISA {

/// out = epilogue(in x weights + bias) over all n * h * w positions of a 1x1, stride-1, unpadded
/// convolution; no scratch.
void conv_pointwise(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);

/// Scratch per thread of the im2col path: one block of gathered receptive fields.
std::size_t im2col_scratch_floats(const ConvArgs& conv);
/// Gathers blocks of output positions' receptive fields (im2col) and multiplies each by the weights.
void conv_im2col(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);

/// A grouped convolution: blocks of output positions (their receptive fields gathered once for all groups,
/// group by group, unless the layer is 1x1 stride 1 unpadded), each multiplied by every group's weights in
/// turn while it is in cache. Scratch: im2col_scratch_floats.
void conv_grouped(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);

/// Scratch per thread of the row path for an output out_w positions wide: kh zero-padded input rows.
std::size_t row_scratch_floats(const ConvArgs& conv, int out_w);
/// A convolution over few input channels (groups 1, no dilation, kh * kw * in_c <= kDepthBlock): per output
/// row, one GEMM per kernel row on zero-padded input rows; the same results as conv_im2col.
void conv_rows(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);

/// Scratch per thread of the Winograd path: a chunk of transformed weights for one panel of output channels
/// (36 x up to 256 x kGemmCols floats, 3/4 of the L2) and a block of transformed input tiles with their
/// products (256K floats, or 2 x kGemmRows tiles' when that is more), plus a 64-byte line after each of their
/// 3 x 36 point matrices.
std::size_t winograd_scratch_floats(const ConvArgs& conv);
/// Winograd F(4x4, 3x3) convolution of a 3x3 stride-1 layer.
void conv_winograd(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);

}  // namespace netc::rt::NETC_ISA
