// Dense (fully connected) layers: packing PyTorch Linear weights, with the flatten-order permutation, and the GEMM.
#include "epilogue.hpp"
#include "netc/runtime.hpp"

namespace netc::rt {
namespace {

/// PyTorch's column for netc's flat index i = (y * w + x) * c + ch: torch.flatten of NCHW gives ch * h * w + y * w + x.
std::size_t torch_column(std::size_t i, int h, int w, int c) {
  const std::size_t ch = i % c, pixel = i / c;  // pixel = y * w + x
  return ch * std::size_t(h) * w + pixel;
}

}  // namespace

// packed[i][o] = out_in[o][column(i)], column the identity or torch_column for a flattened h x w x c input.
DenseLayer pack_dense(const float* out_in, const float* bias, int out, int in, Epilogue epilogue, int flatten_h,
                      int flatten_w, int flatten_c) {
  DenseLayer dense{in, out, {}, {}, epilogue};
  const bool permute = flatten_h > 0 && flatten_w > 0 && flatten_c > 0;
  dense.weights.resize(std::size_t(in) * out);
  for (std::size_t i = 0; i < std::size_t(in); ++i) {
    const std::size_t column = permute ? torch_column(i, flatten_h, flatten_w, flatten_c) : i;
    for (std::size_t o = 0; o < std::size_t(out); ++o) dense.weights[i * out + o] = out_in[o * in + column];
  }
  if (bias != nullptr)
    dense.bias.assign(bias, bias + out);
  else
    dense.bias.assign(std::size_t(out), 0.f);
  return dense;
}

// out[n][o] = epilogue(bias[o] + sum_i in[n][i] * w[i][o]): one product over the whole batch.
void dense(const DenseLayer& dense, ConstTensor in, Tensor out, Workspace&) {
  MapRM dst(out.data, in.n, dense.out);
  dst.noalias() = ConstMapRM(in.data, in.n, dense.in) * ConstMapRM(dense.weights.data(), dense.in, dense.out);
  detail::apply_epilogue(dst, detail::bias_or_null(dense.bias), dense.epilogue);
}

}  // namespace netc::rt
