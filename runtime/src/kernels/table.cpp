// This instruction set's kernel table (see kernel_table.hpp): constant data, so that loading the library runs
// no code compiled for the set, whatever the CPU.
#include "conv_paths.hpp"
#include "gemm.hpp"
#include "kernels.hpp"

namespace netc::rt::NETC_ISA {

extern const detail::KernelTable kTable;
const detail::KernelTable kTable = {
    kIsaName,         kGemmRows,      kGemmCols,
    &pack_conv,       &pack_dense,    &scale_columns,
    &im2col_scratch_floats, &winograd_scratch_floats,
    &conv_pointwise,  &conv_im2col,   &conv_winograd,   &conv_grouped,
    &conv_rows,       &row_scratch_floats,
    &gemm,            &dense,
    &max_pool,        &avg_pool,      &global_avg_pool, &zero_pad,
    &channel_affine,  &add,           &activate,
    &depthwise,  // depthwise convolution
    // concat, upsample, pooling
    &avg_pool_include_pad, &global_max_pool, &copy_channels, &upsample,
};

}  // namespace netc::rt::NETC_ISA
