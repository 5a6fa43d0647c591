// The kernels that depend on the instruction set, as one table of function pointers per set, and the choice
// of one per process (dispatch.cpp). Each table is made by the sources in kernels/, compiled once per set in
// its own namespace with its own flags (netc::rt::avx512, avx2, generic); the public functions of runtime.hpp
// check their arguments and call through kernels(). The structs here are plain data without member functions,
// so that the instruction-set objects emit no shared inline code (see kernels/isa.hpp).
#pragma once

#include <cstddef>
#include <string>

#include "netc/runtime.hpp"

namespace netc::rt {
class F32View;
}

namespace netc::rt::detail {

/// The data caches of the CPU the process runs on, per core (L3: the slice a core shares), in bytes; 0 for one
/// the CPU lacks or does not report. Read once, from cpuid or sysfs (cpu_caches.cpp); `source` says which.
struct CacheSizes {
  std::size_t l1d = 0, l2 = 0, l3 = 0;
  const char* source = "";
};
const CacheSizes& cache_sizes();

/// The least work (floats read and written, or multiply-adds) that the elementwise, pooling, copying and
/// depthwise kernels split over threads: waking the workers and waiting for them costs about what one core
/// spends streaming 2^17 floats through memory, so a smaller pass (a batch norm or a concat's copy on a 7x7 map)
/// runs faster on the caller alone. The kernel tests set 0, so that every pass they run is split.
Index min_parallel_work();
void set_min_parallel_work(Index work);

/// Rows per depth block of every packed matrix (and k per microkernel call), whatever the instruction set:
/// a kGemmRows x kDepthBlock slice of A (14 KiB with AVX-512) stays in L1 while the B panels stream past it.
constexpr int kDepthBlock = 256;

/// Transforming a layer's Winograd weights, once per call (and per block of tiles), costs about as much as
/// the GEMMs of this many tiles.
constexpr Index kWeightTransformTiles = 8;

/// A packed matrix's panels as the kernels read them (a PackedMatrix without its storage); the layout is
/// PackedMatrix's, with the table's panel_width and kDepthBlock.
struct PackedView {
  const float* data;
  int rows, cols, panels;
};
/// The same, to be filled by a packing kernel.
struct PackedSpan {
  float* data;
  int rows, cols, panels;
};

/// A convolution as the kernels see it: ConvLayer's fields without its storage. A grouped one's weights are
/// group 0's matrix (taps * in_c / groups rows, out_c / groups columns); group g's is group_stride floats on.
struct ConvArgs {
  Window window;
  int in_c, out_c;
  PackedView weights;
  const float* bias;  // out_c floats
  Epilogue epilogue;
  int groups = 1;
  Index group_stride = 0;
};
/// A depthwise convolution as the kernels see it: DepthwiseLayer's fields without its storage.
struct DepthwiseArgs {
  Window window;
  int channels, multiplier;
  const float* weights;  // [kh * kw][channels * multiplier]
  const float* bias;     // channels * multiplier floats
  Epilogue epilogue;
};
/// A dense layer as the kernels see it.
struct DenseArgs {
  int in, out;
  PackedView weights;
  const float* bias;
  Epilogue epilogue;
};
/// A per-channel affine as the kernels see it.
struct AffineArgs {
  const float* scale;
  const float* shift;
  Epilogue epilogue;
};

/// A: rows x K floats, row i at data + i * stride (K = the packed matrix's rows). With segments > 1, row i's
/// K floats are `segments` runs of K / segments, each segment_stride floats after the one before (the kernel
/// rows of conv_rows' padded input rows); K then fits one k block.
struct GemmA {
  const float* data;
  Index stride;
  Index rows;
  int segments = 1;
  Index segment_stride = 0;
};
/// C: row i at data + i * stride; bias (nullptr: none) and the residual's row i (nullptr: none; it may be C
/// itself) are added and the epilogue applied to each result.
struct GemmC {
  float* data;
  Index stride;
  const float* bias;
  Epilogue epilogue;
  const float* residual = nullptr;
  Index residual_stride = 0;
  bool accumulate = false;  // C += A x B (bias, residual and epilogue then belong to an earlier call)
};

/// A convolution path: out = epilogue(conv(in) + bias + residual), residual nullptr or laid out like out.
using ConvPathKernel = void (*)(const ConvArgs& conv, ConstTensor in, Tensor out, Workspace& ws, const float* residual);
/// A pooling kernel, its output rows split over the workspace's threads (nullptr: the caller's thread alone).
using PoolKernel = void (*)(const Window& window, ConstTensor in, Tensor out, Workspace* ws);

/// One instruction set's kernels. Each pointer is the function of the same name in kernels/.
struct KernelTable {
  const char* isa;  // "avx512", "avx2", "generic"
  int gemm_rows;    // the microkernel's rows
  int panel_width;  // the microkernel's columns: the panel width of every matrix packed for these kernels

  /// Fills weights (taps * in_c rows, out_c columns) from PyTorch OIHW weights: row (t * in_c + ci), column co.
  void (*pack_conv)(const float* oihw, int out_c, int in_c, int taps, PackedSpan weights);
  /// Fills weights (in rows, out columns) from PyTorch [out][in] weights, permuting the rows from PyTorch's flatten
  /// order when flatten_h/w/c are all > 0; releases source's pages panel by panel (source may be nullptr).
  void (*pack_dense)(const float* out_in, const F32View* source, int out, int in, int flatten_h, int flatten_w,
                     int flatten_c, PackedSpan weights);
  /// Multiplies column n by scale[n].
  void (*scale_columns)(PackedSpan m, const double* scale);

  std::size_t (*im2col_scratch_floats)(const ConvArgs& conv);
  std::size_t (*winograd_scratch_floats)(const ConvArgs& conv);
  ConvPathKernel conv_pointwise, conv_im2col, conv_winograd;
  /// A grouped convolution (groups > 1), pointwise or with im2col blocks gathered group by group.
  ConvPathKernel conv_grouped;
  /// Few input channels: one GEMM per kernel row on zero-padded input rows (scratch: row_scratch_floats).
  ConvPathKernel conv_rows;
  std::size_t (*row_scratch_floats)(const ConvArgs& conv, int out_w);
  /// C[:, panels [panel_begin, panel_end)] = epilogue(A x B + bias + residual).
  void (*gemm)(GemmA a, PackedView b, int panel_begin, int panel_end, GemmC c);
  void (*dense)(const DenseArgs& dense, ConstTensor in, Tensor out, Workspace& ws);

  PoolKernel max_pool, avg_pool;
  // The rest as the public functions of runtime.hpp with these names (ws nullptr: the caller's thread alone).
  void (*global_avg_pool)(ConstTensor in, Tensor out);
  void (*zero_pad)(ConstTensor in, Tensor out, int top, int left, Workspace* ws);
  void (*channel_affine)(const AffineArgs& affine, ConstTensor in, Tensor out, Workspace* ws);
  void (*add)(ConstTensor a, ConstTensor b, Tensor out, Epilogue epilogue, Workspace* ws);
  void (*activate)(ConstTensor in, Tensor out, Epilogue epilogue, Workspace* ws);
  // ---- depthwise convolution (kernels/depthwise.cpp) ----
  void (*depthwise)(const DepthwiseArgs& layer, ConstTensor in, Tensor out, Workspace* ws);
  // ---- end depthwise ----

  // Concatenation, upsampling, pooling: as the public functions of runtime.hpp with these names.
  PoolKernel avg_pool_include_pad;
  void (*global_max_pool)(ConstTensor in, Tensor out, Workspace* ws);
  void (*copy_channels)(ConstTensor in, Tensor out, int channel_offset, Workspace* ws);
  void (*upsample)(Resize mode, ConstTensor in, Tensor out, Workspace* ws);
};

/// The tables this build has: every set on x86-64 (NETC_X86_KERNELS), the portable one elsewhere.
}  // namespace netc::rt::detail
namespace netc::rt::generic {
extern const detail::KernelTable kTable;
}
#if defined(NETC_X86_KERNELS)
namespace netc::rt::avx2 {
extern const detail::KernelTable kTable;
}
namespace netc::rt::avx512 {
extern const detail::KernelTable kTable;
}
#endif
namespace netc::rt::detail {

/// The active kernels, chosen on first use (see dispatch.cpp); throws std::runtime_error when NETC_ISA asks
/// for an unknown instruction set or one the CPU lacks.
const KernelTable& kernels();

/// The table of instruction set `isa` if this build has it, else nullptr (whatever the CPU supports).
const KernelTable* table_named(const std::string& isa);

/// Sigmoid, tanh, swish or gelu of count floats (out may equal in), the same on every instruction set:
/// compiled once for the baseline, with Eigen (transcendental.cpp). The kernels call it for these activations.
void transcendental(const float* in, float* out, Index count, Activation activation);

/// The view of a packed matrix that the kernels read; the matrix's panel width must be the active kernels'.
PackedView view_of(const PackedMatrix& m);
/// The kernels' view of a convolution and of a dense layer (their packed weights checked as view_of does).
ConvArgs args_of(const ConvLayer& conv);
DenseArgs args_of(const DenseLayer& dense);

/// Items per block when `total` items (rows, tiles) are cut into blocks of at most `most`: blocks of equal
/// size (within one), as many as needed, rounded up to a multiple of the thread count when there are at
/// least as many blocks as threads, so that blocks split evenly; fewer blocks go to split_work's columns,
/// unless each thread would still have `split_rows` (> 0) items: then one block per thread. A thread then
/// writes whole rows, the rows it reads in the next layer (which splits alike), instead of a column slice of
/// every row that the next layer's threads fetch from the other cores' caches.
Index even_block(Index total, Index most, int threads, Index split_rows = 0);

/// A kernel's work: `blocks` blocks of rows (each prepared once per thread that takes a part of it, e.g. an
/// im2col gather), each cut into `chunks` ranges of the `panels` column panels.
struct WorkSplit {
  Index blocks;
  int panels, chunks;
};
/// The first panel of chunk `chunk`.
int panel_begin(const WorkSplit& split, int chunk);

/// The fewest column chunks that spread blocks x chunks items over `threads` threads within 15% of even.
WorkSplit split_work(Index blocks, int panels, int threads);

}  // namespace netc::rt::detail
