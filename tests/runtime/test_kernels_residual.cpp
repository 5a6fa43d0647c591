// conv2d_residual (a convolution and the residual add after it in one pass) against the direct convolution
// plus the residual then the activation, on each path (1x1 on the input, im2col, Winograd), out of place and
// in place (out = residual), with several k blocks, on 1, 2 and 3 threads (bitwise the same).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "detail.hpp"
#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

struct ResidualCase {
  std::string name;
  int n, h, w, in_c, out_c;
  rt::Window window;
  rt::Epilogue epilogue;
  bool winograd = false;  // the path conv2d takes
};

/// conv2d_residual on `threads` threads, into a fresh output or into a copy of the residual (in place).
Buffer run_residual(const rt::ConvLayer& conv, const Buffer& in, const Buffer& residual, bool in_place, int threads) {
  Buffer out = in_place ? residual : Buffer(residual.n, residual.h, residual.w, residual.c, -7.f);
  rt::Workspace ws;
  ws.configure(threads, rt::conv2d_scratch_floats(conv, in.h, in.w));
  rt::conv2d_residual(conv, in.view(), in_place ? out.view() : residual.view(), out.tensor(), ws);
  return out;
}

void check_residual_case(const ResidualCase& rc, unsigned seed) {
  INFO("case: " << rc.name);
  const Buffer in = test::random_buffer(rc.n, rc.h, rc.w, rc.in_c, seed);
  const std::vector<float> oihw = test::random_values(std::size_t(rc.out_c) * rc.in_c * rc.window.kh * rc.window.kw, seed + 1);
  const std::vector<float> bias = test::random_values(rc.out_c, seed + 2);
  const rt::ConvLayer conv = rt::pack_conv(oihw.data(), bias.data(), rc.out_c, rc.in_c, rc.window, rc.epilogue);
  REQUIRE(rt::detail::use_winograd(conv, in.view()) == rc.winograd);
  const Buffer residual = test::random_buffer(rc.n, rc.window.out_h(rc.h), rc.window.out_w(rc.w), rc.out_c, seed + 3, -2.f, 2.f);
  std::vector<double> want = test::ref_conv(in, oihw, bias.data(), rc.out_c, rc.window);
  for (std::size_t i = 0; i < want.size(); ++i) want[i] = test::ref_activation(want[i] + residual.data[i], rc.epilogue);
  // Winograd rounds more (see test_kernels_winograd.cpp); the GEMM paths as in test_kernels_conv.cpp.
  const int depth = rc.window.kh * rc.window.kw * rc.in_c;
  const double scale = test::max_abs(want);
  const test::Tolerance tol = rc.winograd ? test::Tolerance{2e-4 * scale, 0}
                                                                         : test::Tolerance{1e-5 + 1e-6 * std::sqrt(double(depth)) * scale, 1e-4};
  const Buffer out = run_residual(conv, in, residual, false, 1);
  test::check_close(out, want, tol);
  for (const int threads : {1, 2, 3}) test::check_identical(out, run_residual(conv, in, residual, true, threads));
  test::check_identical(out, run_residual(conv, in, residual, false, 2));
}

}  // namespace

TEST_CASE("conv2d_residual adds the residual before the epilogue on every path, in place too") {
  const rt::Epilogue relu{rt::Activation::Relu}, leaky{rt::Activation::LeakyRelu, 0.1f}, tanh_{rt::Activation::Tanh};
  const std::vector<ResidualCase> cases = {
      {"1x1 (the input as A), relu, 7x5 batch 3", 3, 7, 5, 17, 33, {}, relu},
      {"1x1 with 600 input channels (three k blocks), leaky", 1, 6, 5, 600, 40, {}, leaky},
      {"3x3 stride 2 (im2col), 5x7, tanh", 2, 9, 13, 5, 17, {3, 3, 2, 2, 1, 1, 1, 1}, tanh_},
      {"3x3 with 64 channels (im2col: too few tiles), 300 k per 256 block", 1, 4, 4, 64, 33, {3, 3, 1, 1, 1, 1, 1, 1}, relu},
      {"3x3 same 32 -> 40 (Winograd: 16 tiles), 13x10 output", 2, 13, 10, 32, 40, {3, 3, 1, 1, 1, 1, 1, 1}, leaky, true},
      {"3x3 same with 3 channels (row path: the residual in the first kernel row's pass), tanh", 2, 6, 7, 3, 35,
       {3, 3, 1, 1, 1, 1, 1, 1}, tanh_},
      {"2x2 with 2 channels, pads of 2 (row path: output rows in the padding), relu", 1, 3, 4, 2, 5,
       {2, 2, 1, 1, 2, 2, 2, 2}, relu},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_residual_case(cases[i], 5000 + unsigned(i) * 10);
}
