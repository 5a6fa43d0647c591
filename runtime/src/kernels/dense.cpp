// Dense (fully connected) layers on the packed GEMM: at batch 1 a matrix-vector product, split over threads
// by output columns; larger batches in blocks of rows.
#include "gemm.hpp"
#include "kernels.hpp"

namespace netc::rt::NETC_ISA {
namespace {

/// Batch rows per block: a batch this small is one block, so threads split the columns and each weight is
/// read once per batch.
constexpr Index kBlockRows = 64;

}  // namespace

// out[n][o] = epilogue(bias[o] + sum_i in[n][i] * w[i][o]).
void dense(const DenseArgs& dense, ConstTensor in, Tensor out, Workspace& ws) {
  const Index batch = in.n;
  const detail::WorkSplit split =
      detail::split_work((batch + kBlockRows - 1) / kBlockRows, dense.weights.panels, ws.threads());
  run_split(ws, split, [](Index, int) {}, [&](Index block, int p0, int p1, int) {
    const Index r0 = block * kBlockRows, rows = min_of(kBlockRows, batch - r0);
    gemm({in.data + r0 * dense.in, dense.in, rows}, dense.weights, p0, p1,
         {out.data + r0 * dense.out, dense.out, dense.bias, dense.epilogue});
  });
}

}  // namespace netc::rt::NETC_ISA
