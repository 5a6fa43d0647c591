// The kernels of kernels/ besides the GEMM and the convolution paths: packing, dense, pooling, padding and the
// elementwise kernels, each the function of the same name in KernelTable (see kernel_table.hpp for what they do).
#pragma once

#include "isa.hpp"

namespace netc::rt::NETC_ISA {

void pack_conv(const float* oihw, int out_c, int in_c, int taps, PackedSpan weights);
void pack_dense(const float* out_in, const F32View* source, int out, int in, int flatten_h, int flatten_w,
                int flatten_c, PackedSpan weights);

void dense(const DenseArgs& dense, ConstTensor in, Tensor out, Workspace& ws);

void max_pool(const Window& window, ConstTensor in, Tensor out, Workspace* ws);
void avg_pool(const Window& window, ConstTensor in, Tensor out, Workspace* ws);
void global_avg_pool(ConstTensor in, Tensor out);
void zero_pad(ConstTensor in, Tensor out, int top, int left, Workspace* ws);

// Concatenation, upsampling, pooling with the padding counted, global max pooling.
void avg_pool_include_pad(const Window& window, ConstTensor in, Tensor out, Workspace* ws);
void global_max_pool(ConstTensor in, Tensor out, Workspace* ws);
void copy_channels(ConstTensor in, Tensor out, int channel_offset, Workspace* ws);
void upsample(Resize mode, ConstTensor in, Tensor out, Workspace* ws);

void channel_affine(const detail::AffineArgs& affine, ConstTensor in, Tensor out, Workspace* ws);
void add(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue, Workspace* ws);
void activate(ConstTensor in, Tensor out, Epilogue epilogue, Workspace* ws);

void depthwise(const detail::DepthwiseArgs& layer, ConstTensor in, Tensor out, Workspace* ws);

}  // namespace netc::rt::NETC_ISA
