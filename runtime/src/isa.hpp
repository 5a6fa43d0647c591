// The instruction set the runtime is compiled for, and the sizes that follow from it: the GEMM microkernel's
// tile (rows x one panel of columns) and the vector width of the transforms. Chosen at compile time.
#pragma once

namespace netc::rt::detail {

#if defined(__AVX512F__)
#define NETC_GEMM_AVX512 1
constexpr int kGemmRows = 14, kGemmCols = 32, kLanes = 16;  // 28 zmm accumulators
constexpr const char* kGemmIsa = "avx512";
#elif defined(__AVX2__) && defined(__FMA__)
#define NETC_GEMM_AVX2 1
constexpr int kGemmRows = 6, kGemmCols = 16, kLanes = 8;  // 12 ymm accumulators
constexpr const char* kGemmIsa = "avx2";
#else
#define NETC_GEMM_GENERIC 1
constexpr int kGemmRows = 4, kGemmCols = 16, kLanes = 4;  // plain loops the compiler vectorizes
constexpr const char* kGemmIsa = "generic";
#endif

/// kLanes floats, for the elementwise transforms (GCC and Clang vector extensions: any ISA, no intrinsics).
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));
/// The same vector at any float's address (unaligned loads and stores through a pointer to it).
typedef float UnalignedLanes __attribute__((vector_size(kLanes * sizeof(float)), aligned(alignof(float)), may_alias));

}  // namespace netc::rt::detail
