// The convolution's three paths, behind conv2d: the input itself as the GEMM's A (1x1 stride 1), im2col
// blocks, and Winograd F(4x4, 3x3). Each has its scratch query; conv.cpp chooses between them. Each takes an
// optional residual (nullptr: none), laid out like out (and possibly out itself), added before the epilogue.
#pragma once

#include "netc/runtime.hpp"

namespace netc::rt::detail {

/// A 1x1, stride-1, unpadded convolution: the NHWC input is the GEMM's A as it lies.
bool is_pointwise(const ConvLayer& conv);
/// out = epilogue(in x weights + bias) over all n * h * w positions; no scratch.
void conv_pointwise(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);

/// Scratch per thread of the im2col path: one block of gathered receptive fields.
std::size_t im2col_scratch_floats(const ConvLayer& conv);
/// Gathers blocks of output positions' receptive fields (im2col) and multiplies each by the weights.
void conv_im2col(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);

/// Whether a layer may take the Winograd path (pack_conv sets ConvLayer::winograd): 3x3, stride 1, enough input
/// and output channels.
bool winograd_eligible(const Window& window, int in_c, int out_c);
/// Whether conv2d takes the Winograd path for this input: the layer is eligible and the batch has enough 4x4
/// output tiles to amortise transforming the weights.
bool use_winograd(const ConvLayer& conv, ConstTensor in);
/// Scratch per thread of the Winograd path: a chunk of transformed weights for one panel of output channels
/// (36 x 128 x kGemmCols floats) and a block of transformed input tiles with their products (256K floats, or
/// 2 x kGemmRows tiles' when that is more).
std::size_t winograd_scratch_floats(const ConvLayer& conv);
/// Winograd F(4x4, 3x3) convolution.
void conv_winograd(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);

}  // namespace netc::rt::detail
