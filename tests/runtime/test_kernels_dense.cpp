// dense and pack_dense against a naive PyTorch Linear, including the NCHW flatten order of a conv feature map;
// the matrix-vector (batch 1) and matrix product paths on odd shapes, on 1, 2 and 3 threads (bitwise the same).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

// Dense results sum `in` float products of terms at most 1 in size; as for convolutions, rounding grows like
// sqrt(in): 1e-5 + 1e-4 * |want| + 1e-6 * sqrt(in) * max|want|.
test::Tolerance dense_tolerance(int in, const std::vector<double>& want) {
  return {1e-5 + 1e-6 * std::sqrt(double(in)) * test::max_abs(want), 1e-4};
}
constexpr test::Tolerance kDenseTol{1e-5, 1e-4};  // the flatten test's 30 products

/// PyTorch Linear in double: out[n][o] = activation(bias[o] + sum_i x[n][i] * weight[o][i]).
std::vector<double> ref_linear(const std::vector<double>& x, int batch, const std::vector<float>& weight,
                               const float* bias, int out, rt::Epilogue epilogue) {
  const int in = int(x.size()) / batch;
  std::vector<double> y;
  for (int img = 0; img < batch; ++img)
    for (int o = 0; o < out; ++o) {
      double sum = bias != nullptr ? bias[o] : 0.0;
      for (int i = 0; i < in; ++i) sum += x[std::size_t(img) * in + i] * weight[std::size_t(o) * in + i];
      y.push_back(test::ref_activation(sum, epilogue));
    }
  return y;
}

/// torch.flatten of the NCHW view of an NHWC batch: element (y, x, c) goes to column c * h * w + y * w + x.
std::vector<double> torch_flatten(const Buffer& in) {
  std::vector<double> flat(in.data.size());
  const std::size_t per_image = std::size_t(in.h) * in.w * in.c;
  for (int img = 0; img < in.n; ++img)
    for (int y = 0; y < in.h; ++y)
      for (int x = 0; x < in.w; ++x)
        for (int ch = 0; ch < in.c; ++ch)
          flat[img * per_image + (std::size_t(ch) * in.h + y) * in.w + x] = in.data[in.index(img, y, x, ch)];
  return flat;
}

Buffer run_dense(const rt::DenseLayer& layer, const Buffer& in, int threads = 1) {
  Buffer out(in.n, 1, 1, layer.out, std::nanf(""));
  rt::Workspace ws;
  ws.configure(threads, 0);  // dense needs no scratch
  rt::dense(layer, in.view(), out.tensor(), ws);
  return out;
}

struct DenseCase {
  std::string name;
  int n, in, out;
  rt::Epilogue epilogue;
  bool has_bias;
};

/// Checks dense against the naive Linear on one thread, and that 2 and 3 threads give the same bits.
void check_dense_case(const DenseCase& dc, unsigned seed) {
  INFO("case: " << dc.name);
  const Buffer in = test::random_buffer(dc.n, 1, 1, dc.in, seed);
  const std::vector<float> weight = test::random_values(std::size_t(dc.out) * dc.in, seed + 1);
  const std::vector<float> bias = test::random_values(dc.out, seed + 2);
  const float* b = dc.has_bias ? bias.data() : nullptr;
  const rt::DenseLayer layer = rt::pack_dense(weight.data(), b, dc.out, dc.in, dc.epilogue);
  const std::vector<double> x(in.data.begin(), in.data.end());
  const std::vector<double> want = ref_linear(x, dc.n, weight, b, dc.out, dc.epilogue);
  const Buffer out = run_dense(layer, in);
  test::check_close(out, want, dense_tolerance(dc.in, want));
  test::check_identical(out, run_dense(layer, in, 2));
  test::check_identical(out, run_dense(layer, in, 3));
}

}  // namespace

TEST_CASE("dense matches a naive Linear layer") {
  const std::vector<DenseCase> cases = {
      {"batch 3, 17 -> 5, leaky 0.1", 3, 17, 5, {rt::Activation::LeakyRelu, 0.1f}, true},
      {"batch 1 (vector product), 30 -> 7, sigmoid, no bias", 1, 30, 7, {rt::Activation::Sigmoid}, false},
      {"batch 3, 1 -> 3, tanh", 3, 1, 3, {rt::Activation::Tanh}, true},
      {"batch 2, 64 -> 1, relu", 2, 64, 1, {rt::Activation::Relu}, true},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_dense_case(cases[i], 800 + unsigned(i) * 10);
}

TEST_CASE("dense's matrix-vector and matrix product paths on odd shapes, 1 to 3 threads") {
  // Batch 1 splits the columns over threads; 70 rows make two row blocks of 64 and 6.
  const std::vector<DenseCase> cases = {
      {"batch 1, 1 -> 1", 1, 1, 1, {}, true},
      {"batch 1, 300 -> 1000 (two k blocks), relu", 1, 300, 1000, {rt::Activation::Relu}, true},
      {"batch 1, 512 -> 33 (copied row), leaky", 1, 512, 33, {rt::Activation::LeakyRelu, 0.3f}, true},
      {"batch 2, 2048 -> 17, sigmoid", 2, 2048, 17, {rt::Activation::Sigmoid}, false},
      {"batch 7, 31 -> 65", 7, 31, 65, {}, true},
      {"batch 70, 33 -> 31, tanh", 70, 33, 31, {rt::Activation::Tanh}, true},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_dense_case(cases[i], 870 + unsigned(i) * 10);
}

TEST_CASE("pack_dense with flatten_h/w/c matches PyTorch's flatten in C,H,W order then Linear") {
  const int h = 3, w = 2, c = 5, out = 7;
  const Buffer map = test::random_buffer(3, h, w, c, 850);  // a conv feature map, NHWC
  const std::vector<float> weight = test::random_values(std::size_t(out) * h * w * c, 851);
  const std::vector<float> bias = test::random_values(out, 852);
  const rt::Epilogue relu{rt::Activation::Relu};
  const std::vector<double> want = ref_linear(torch_flatten(map), map.n, weight, bias.data(), out, relu);
  // dense reads the NHWC batch as it lies in memory: n rows of h * w * c floats.
  const Buffer flat_view = [&] {
    Buffer b(map.n, 1, 1, h * w * c);
    b.data = map.data;
    return b;
  }();
  const rt::DenseLayer permuted = rt::pack_dense(weight.data(), bias.data(), out, h * w * c, relu, h, w, c);
  test::check_close(run_dense(permuted, flat_view), want, kDenseTol);
  // Without the permutation the same weights give other numbers: the test above can tell the two apart.
  const rt::DenseLayer plain = rt::pack_dense(weight.data(), bias.data(), out, h * w * c, relu);
  CHECK(test::first_mismatch(run_dense(plain, flat_view), want, kDenseTol).has_value());
}
