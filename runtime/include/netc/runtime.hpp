// netc's runtime: the kernels that generated models call, free functions on NHWC float32 tensors. Layers are
// packed and checked when weights load (pack_conv, fold_batch_norm, pack_dense); the kernels then only compute
// and never allocate. Each kernel exists once per instruction set (AVX-512, AVX2 + FMA, the x86-64 or other
// baseline), and one set is chosen for the process the first time a kernel runs: the best the CPU supports,
// or the one the environment variable NETC_ISA names (avx512, avx2, generic). C++17 and the standard library
// only: the runtime keeps its own dependencies (Eigen, a JSON parser) inside the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "netc/buffer.hpp"
#include "netc/safetensors.hpp"
#include "netc/workspace.hpp"

namespace netc::rt {

using Index = std::ptrdiff_t;

/// The instruction set whose kernels this process runs: "avx512", "avx2" or "generic". Chosen on the first
/// call of this or any kernel: the NETC_ISA environment variable's value when it is set, else the best the CPU
/// and the operating system support. Throws std::runtime_error when NETC_ISA names an unknown set or one the
/// CPU lacks (saying what it supports); every kernel then throws the same.
const char* active_isa();

/// The CPU's data caches as the kernels' blocking reads them, e.g. "L1d 48 KiB, L2 1024 KiB, L3 32768 KiB
/// (cpuid)": from cpuid, else Linux's sysfs, else assumed sizes (said so).
std::string cpu_caches();

/// Whether this build has the kernels of instruction set `isa` ("avx512", "avx2", "generic") and the CPU can
/// run them (for AVX-512: avx512f, avx512dq, avx512bw, avx512vl; for AVX2: avx2 and fma; with the OS saving
/// the registers). False for an unknown name.
bool cpu_supports_isa(const char* isa);

/// A batch of n images, each h x w x c, channels last (NHWC). A flat tensor has h = w = 1. Contiguous unless
/// pixel_stride says otherwise: a tensor may be a channel slice of a wider one (a branch's part of a
/// concatenation, written in place), its pixels pixel_stride floats apart (0, the default, means c: contiguous),
/// its first channel at data. Only the kernels whose documentation says so take a slice (the outputs of
/// conv2d, max_pool, avg_pool, avg_pool_include_pad and upsample); the others need contiguous tensors.
struct Tensor {
  float* data = nullptr;
  int n = 0, h = 0, w = 0, c = 0;
  int pixel_stride = 0;
  /// The values it holds: n * h * w * c (a slice's gaps not counted).
  std::size_t size() const { return static_cast<std::size_t>(n) * h * w * c; }
  /// Floats from one pixel to the next.
  int stride() const { return pixel_stride > 0 ? pixel_stride : c; }
};
struct ConstTensor {
  const float* data = nullptr;
  int n = 0, h = 0, w = 0, c = 0;
  int pixel_stride = 0;
  ConstTensor() = default;
  ConstTensor(const float* d, int n_, int h_, int w_, int c_, int stride = 0)
      : data(d), n(n_), h(h_), w(w_), c(c_), pixel_stride(stride) {}
  ConstTensor(const Tensor& t)  // NOLINT: views convert
      : data(t.data), n(t.n), h(t.h), w(t.w), c(t.c), pixel_stride(t.pixel_stride) {}
  std::size_t size() const { return static_cast<std::size_t>(n) * h * w * c; }
  int stride() const { return pixel_stride > 0 ? pixel_stride : c; }
};

/// Elementwise activation applied after a kernel's main computation (its epilogue), as PyTorch defines it:
/// Relu6 min(max(x, 0), 6); HardSigmoid relu6(x + 3) / 6; HardSwish x * relu6(x + 3) / 6; Swish (SiLU)
/// x * sigmoid(x); Gelu the exact x / 2 * (1 + erf(x / sqrt 2)). Each keeps NaN as NaN.
enum class Activation { Linear, Relu, LeakyRelu, Sigmoid, Tanh, Relu6, HardSigmoid, HardSwish, Swish, Gelu };
struct Epilogue {
  Activation activation = Activation::Linear;
  float alpha = 0.3f;  // leaky relu's slope for negative inputs
};

/// A sliding window: kernel, stride and the padding on each side (already resolved: `same` is explicit here).
struct Window {
  int kh = 1, kw = 1;
  int stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  /// Distance between a dilated kernel's taps (convolutions only; pooling windows keep 1).
  int dilation_h = 1, dilation_w = 1;
  /// The dilated kernel's extent: (k - 1) * dilation + 1.
  int extent_h() const { return (kh - 1) * dilation_h + 1; }
  int extent_w() const { return (kw - 1) * dilation_w + 1; }
  /// Output size for an input of h x w: (h + pads - extent) / stride + 1.
  int out_h(int h) const { return (h + pad_top + pad_bottom - extent_h()) / stride_h + 1; }
  int out_w(int w) const { return (w + pad_left + pad_right - extent_w()) / stride_w + 1; }
};

// ---- Convolution ----------------------------------------------------------------------------------------

/// An allocator of 64-byte aligned memory (one cache line, one AVX-512 vector), for packed weights, from
/// allocate_buffer (large matrices on huge pages). Growing a vector leaves its new floats uninitialised
/// (packing writes each once), unless a value is given.
template <class T>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U>&) {}  // NOLINT: rebinding converts implicitly
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_buffer(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) { free_buffer(p, n * sizeof(T)); }
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;  // default-initialised
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <class U>
  bool operator==(const AlignedAllocator<U>&) const { return true; }
  template <class U>
  bool operator!=(const AlignedAllocator<U>&) const { return false; }
};

/// A K x N weight matrix (the B of C = A x B) packed once for the GEMM microkernel, 64-byte aligned: the
/// rows in blocks of depth_block (the last may be shorter); each block holds ceil(N / panel_width) panels one
/// after the other, each the block's rows of panel_width floats (columns past N are zeros). So the part of B
/// that one pass of the GEMM reads is contiguous. panel_width is the active instruction set's microkernel
/// width (32 with AVX-512, 16 with AVX2 or less); the kernels reject matrices packed for another.
struct PackedMatrix {
  int rows = 0, cols = 0, panel_width = 0, depth_block = 0;
  std::vector<float, AlignedAllocator<float>> data;
  int panels() const { return panel_width == 0 ? 0 : (cols + panel_width - 1) / panel_width; }
  /// Panel p of the depth block that starts at row k0 (a multiple of depth_block).
  const float* panel(int k0, int p) const {
    const int depth = rows - k0 < depth_block ? rows - k0 : depth_block;
    return data.data() + (std::size_t(k0) * panels() + std::size_t(p) * depth) * panel_width;
  }
};

/// A convolution packed at load: the GEMM weights [(ky * kw + kx) * in_c + ci][co] (HWIO), which every path
/// reads (the Winograd path transforms them block by block, so a layer takes no more memory than its
/// weights); whether the layer may take the Winograd path (3x3, stride 1, at least 32 channels each way); the
/// bias (zeros when the layer has none) and the fused epilogue. fold_batch_norm scales the packed columns in
/// place, so nothing else is kept.
///
/// A grouped convolution (groups > 1: group g maps input channels [g * in_c / groups, ...) to output channels
/// [g * out_c / groups, ...)) packs each group's weights as its own matrix (`weights` describes one; group g's
/// starts g / groups of the way into its data). conv2d gathers a block of output positions' receptive fields
/// once for all groups (group by group, so that each group's part of a row is contiguous) and multiplies it by
/// each group's matrix in turn while it is in cache. Narrow groups (ResNeXt's 4 filters) fill 4 of a panel's
/// 16 or 32 columns: a block-diagonal matrix of several groups would fill the panels but multiply zeros by the
/// other groups' inputs, and 0 x inf = NaN would carry an infinity or a NaN from one group into the others,
/// where PyTorch keeps it in its own. Grouped and dilated layers never take the Winograd path.
struct ConvLayer {
  Window window;
  int in_c = 0, out_c = 0;
  PackedMatrix weights;
  bool winograd = false;
  std::vector<float> bias;  // [out_c]
  Epilogue epilogue;
  int groups = 1;
};

/// Packs PyTorch-layout weights (OIHW: [out_c][in_c / groups][kh][kw]) and an optional bias (nullptr: none).
/// in_c is the input's channel count; groups must divide it and out_c (else std::invalid_argument).
ConvLayer pack_conv(const float* oihw, const float* bias, int out_c, int in_c, const Window& window, Epilogue epilogue,
                    int groups = 1);

/// Folds an inference batch norm that follows the convolution into its weights and bias:
/// w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var + eps) + beta.
void fold_batch_norm(ConvLayer& conv, const float* gamma, const float* beta, const float* mean, const float* var,
                     float eps);

/// Floats of scratch memory conv2d needs per thread for one call on an h x w input, for any batch size: the
/// larger of an im2col block (at most 224 receptive fields and 256K floats, 1 MiB, unless one microkernel's
/// rows of receptive fields alone are larger) and, for a layer that may take the Winograd path, a chunk of
/// transformed weights and a block of transformed tiles (147K + 256K floats, 1.6 MiB, with AVX-512, or
/// more for 28 tiles of over 256 channels: 2.9 MiB at 512), and for a layer over at most 4 input channels, kh
/// zero-padded input rows if that is more; 0 for 1x1 stride-1 unpadded convolutions.
std::size_t conv2d_scratch_floats(const ConvLayer& conv, int h, int w);

/// out = epilogue(conv(in) + bias). out must be n x out_h x out_w x out_c, contiguous or a channel slice of a
/// wider tensor (its pixel_stride: a concatenation's part, written in place); each of the workspace's threads has
/// at least conv2d_scratch_floats(conv, in.h, in.w) floats of scratch. Paths: 1x1 stride-1 unpadded
/// convolutions multiply the input itself; 3x3 stride-1 layers with enough channels use Winograd F(4x4, 3x3)
/// when the batch has enough 4x4 output tiles; layers over at most 4 input channels (an image's) multiply
/// zero-padded input rows, one GEMM per kernel row; the rest gather im2col blocks. Work is split over the
/// workspace's threads along output positions or output channels only, so results do not depend on the
/// thread count. Allocates nothing.
void conv2d(const ConvLayer& conv, ConstTensor in, Tensor out, Workspace& ws);

/// out = epilogue(conv(in) + bias + residual): a convolution and the residual add that follows it (ResNet's
/// shortcut, with the add's activation as the layer's epilogue) in one pass, without the add's extra trip
/// through memory. residual has out's shape and may be out itself (each value is read before it is written).
/// Same scratch as conv2d.
void conv2d_residual(const ConvLayer& conv, ConstTensor in, ConstTensor residual, Tensor out, Workspace& ws);

// ---- Depthwise convolution ------------------------------------------------------------------------------

/// A depthwise convolution (Keras's DepthwiseConv2D, PyTorch's Conv2d with groups = in channels): output
/// channel c * multiplier + m filters input channel c alone. Weights as [kh * kw][channels * multiplier]
/// (each tap's filters side by side, so the kernel runs along channels), the bias and the fused epilogue.
struct DepthwiseLayer {
  Window window;
  int channels = 0, multiplier = 1;
  std::vector<float, AlignedAllocator<float>> weights;
  std::vector<float> bias;  // [channels * multiplier]
  Epilogue epilogue;
};

/// Packs PyTorch-layout weights ([channels * multiplier][1][kh][kw]) and an optional bias (nullptr: none).
DepthwiseLayer pack_depthwise(const float* weights, const float* bias, int channels, int multiplier,
                              const Window& window, Epilogue epilogue);
/// Folds a following batch norm into the filters and bias, as for a convolution.
void fold_batch_norm(DepthwiseLayer& layer, const float* gamma, const float* beta, const float* mean, const float* var,
                     float eps);
/// out = epilogue(depthwise(in) + bias); out is n x out_h x out_w x (channels * multiplier). Direct: no
/// scratch, no padded copy (taps outside the input are skipped), the output rows split over the workspace's
/// threads, each value summed in the same order whatever the thread count. Allocates nothing.
void depthwise_conv2d(const DepthwiseLayer& layer, ConstTensor in, Tensor out, Workspace& ws);

// ---- Pooling, padding -----------------------------------------------------------------------------------

// The pooling, padding and elementwise kernels come in two forms: on the caller's thread, and with the
// workspace, whose threads split the output rows (or floats) among them; both give the same results. The
// pooling kernels' output may be a channel slice of a wider tensor (Tensor::pixel_stride).

/// Max pooling; padded positions never win (they count as -infinity); a NaN in a window gives NaN (PyTorch's
/// max_pool2d).
void max_pool(const Window& window, ConstTensor in, Tensor out);
void max_pool(const Window& window, ConstTensor in, Tensor out, Workspace& ws);
/// Average pooling over the real (unpadded) inputs of each window, as Keras does.
void avg_pool(const Window& window, ConstTensor in, Tensor out);
void avg_pool(const Window& window, ConstTensor in, Tensor out, Workspace& ws);
/// Average pooling that divides by the window's size, the padding counted as zeros (PyTorch's
/// count_include_pad=True).
void avg_pool_include_pad(const Window& window, ConstTensor in, Tensor out);
void avg_pool_include_pad(const Window& window, ConstTensor in, Tensor out, Workspace& ws);
/// Mean over height and width: out is n x 1 x 1 x c.
void global_avg_pool(ConstTensor in, Tensor out);
/// Maximum over height and width: out is n x 1 x 1 x c; a NaN anywhere in a channel gives NaN (torch.amax).
void global_max_pool(ConstTensor in, Tensor out);
void global_max_pool(ConstTensor in, Tensor out, Workspace& ws);
/// Zero padding on each side: out is n x (h + top + bottom) x (w + left + right) x c.
void zero_pad(ConstTensor in, Tensor out, int top, int bottom, int left, int right);
void zero_pad(ConstTensor in, Tensor out, int top, int bottom, int left, int right, Workspace& ws);

// ---- Per-channel affine (a batch norm that cannot be folded) ---------------------------------------------

struct ChannelAffine {
  std::vector<float> scale, shift;  // y = x * scale[c] + shift[c]
  Epilogue epilogue;
};
/// scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
ChannelAffine batch_norm_affine(const float* gamma, const float* beta, const float* mean, const float* var, float eps,
                                int channels, Epilogue epilogue);
/// Reorders the values of an affine over a flattened HxWxC map from PyTorch's C,H,W order (its weights files'
/// order) to the H,W,C order of netc's flat tensors.
void flattened_to_channels_last(ChannelAffine& affine, int height, int width, int channels);
/// out = epilogue(in * scale + shift) per channel; out may be in (in place). Either may be a channel slice of
/// a wider tensor (pixel_stride); in place, both are the same slice.
void channel_affine(const ChannelAffine& affine, ConstTensor in, Tensor out);
void channel_affine(const ChannelAffine& affine, ConstTensor in, Tensor out, Workspace& ws);

// ---- Dense ----------------------------------------------------------------------------------------------

/// Dense weights as the packed [in, out] GEMM matrix, bias [out].
struct DenseLayer {
  int in = 0, out = 0;
  PackedMatrix weights;
  std::vector<float> bias;
  Epilogue epilogue;
};

/// Packs PyTorch-layout weights ([out][in]) and an optional bias. When the dense layer reads a flattened
/// h x w x c tensor, PyTorch's columns are in (c, y, x) order while netc flattens (y, x, c): pass
/// flatten_h/w/c (all > 0) to permute the columns once here; pass zeros for a plain flat input.
DenseLayer pack_dense(const float* out_in, const float* bias, int out, int in, Epilogue epilogue, int flatten_h = 0,
                      int flatten_w = 0, int flatten_c = 0);
/// The same from a weights file's view, whose pages are released panel by panel as they are packed: the
/// file's copy of a large layer (VGG16's fc6 is 411 MB) is then never resident beside the packed one.
DenseLayer pack_dense(const F32View& out_in, const float* bias, int out, int in, Epilogue epilogue, int flatten_h = 0,
                      int flatten_w = 0, int flatten_c = 0);

/// out[n][out] = epilogue(in[n][:] . weights + bias); in is n x 1 x 1 x in (or any tensor of n x in floats).
/// Needs no scratch; splits the output columns over the workspace's threads when the batch is small (at
/// batch 1 this is a matrix-vector product bound by reading the weights), else the batch. Allocates nothing.
void dense(const DenseLayer& dense, ConstTensor in, Tensor out, Workspace& ws);

// ---- From a weights file -------------------------------------------------------------------------------

// What generated models load their layers with, one call per layer: each reads the layer's tensors by name
// (`key.weight`, and `key.bias` when the layer has a bias), checks them as SafeTensors::view_f32 does (present,
// F32, the shape the layer needs, finite) and packs them as the pack_ functions above do.

/// A batch norm's tensors in a weights file: key.weight (gamma; ones when !scale), key.bias (beta; zeros
/// when !center), key.running_mean and key.running_var, one value per channel each, and its epsilon.
struct BatchNormKeys {
  std::string_view key;
  float epsilon = 1e-3f;
  bool scale = true, center = true;
};

/// pack_conv of key.weight ([out_c][in_c / groups][kh][kw]) and, when has_bias, key.bias ([out_c]).
ConvLayer load_conv(const SafeTensors& weights, std::string_view key, bool has_bias, int out_c, int in_c,
                    const Window& window, Epilogue epilogue, int groups = 1);
/// fold_batch_norm of the batch norm's tensors ([conv.out_c] each).
void fold_batch_norm(ConvLayer& conv, const SafeTensors& weights, BatchNormKeys bn);
/// pack_depthwise of key.weight ([channels * multiplier][1][kh][kw]) and, when has_bias, key.bias.
DepthwiseLayer load_depthwise(const SafeTensors& weights, std::string_view key, bool has_bias, int channels,
                              int multiplier, const Window& window, Epilogue epilogue);
/// fold_batch_norm of the batch norm's tensors ([channels * multiplier] each).
void fold_batch_norm(DepthwiseLayer& layer, const SafeTensors& weights, BatchNormKeys bn);
/// batch_norm_affine of the batch norm's tensors ([channels] each).
ChannelAffine load_batch_norm(const SafeTensors& weights, BatchNormKeys bn, int channels, Epilogue epilogue);
/// pack_dense of key.weight ([out][in], released panel by panel) and, when has_bias, key.bias ([out]).
DenseLayer load_dense(const SafeTensors& weights, std::string_view key, bool has_bias, int out, int in,
                      Epilogue epilogue, int flatten_h = 0, int flatten_w = 0, int flatten_c = 0);

// ---- Elementwise ----------------------------------------------------------------------------------------

/// out = epilogue(a + b); out may alias a or b.
void add(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue);
void add(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue, Workspace& ws);
/// out = epilogue(in); out may alias in. Every activation keeps NaN as NaN (torch.relu(nan) is nan).
void activate(ConstTensor in, Tensor out, Epilogue epilogue);
void activate(ConstTensor in, Tensor out, Epilogue epilogue, Workspace& ws);
/// Softmax over the channel axis at every position (numerically stable: max subtracted); out may alias in.
void softmax(ConstTensor in, Tensor out);
/// out = in, of the same shape (a model's logits when its final softmax does not run in place).
void copy(ConstTensor in, Tensor out);
/// out's channels are in's in reverse order (R,G,B to B,G,R); out must not overlap in.
void reverse_channels(ConstTensor in, Tensor out);

// ---- Concatenation and upsampling -----------------------------------------------------------------------

/// Copies in into channels [channel_offset, channel_offset + in.c) of out (a concatenation's part): out has
/// in's batch, height and width and at least that many channels; the other channels are left as they are.
/// Either may be a channel slice of a wider tensor (pixel_stride): out's channels count within the slice.
void copy_channels(ConstTensor in, Tensor out, int channel_offset);
void copy_channels(ConstTensor in, Tensor out, int channel_offset, Workspace& ws);

/// How upsample reads its input: the nearest pixel or the four nearest blended (PyTorch's interpolate,
/// mode "nearest" or "bilinear" with align_corners=False, Keras's UpSampling2D).
enum class Resize { Nearest, Bilinear };
/// Resizes in to out's height and width (out may be a channel slice of a wider tensor), the scale being
/// in / out along each axis: nearest reads floor(dst * scale); bilinear the half-pixel source
/// (dst + 0.5) * scale - 0.5, clamped to the input.
void upsample(Resize mode, ConstTensor in, Tensor out);
void upsample(Resize mode, ConstTensor in, Tensor out, Workspace& ws);

}  // namespace netc::rt
