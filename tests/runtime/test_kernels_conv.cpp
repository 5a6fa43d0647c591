// conv2d's GEMM paths (1x1 stride-1 on the input itself, im2col blocks), pack_conv, fold_batch_norm and
// conv2d_scratch_floats against a naive direct convolution, on 1, 2 and 3 threads (bitwise the same).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "detail.hpp"
#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

// Conv results sum K = kh * kw * in_c float products of terms at most 1 in size. Rounding errors of such sums grow
// like sqrt(K) x float epsilon x the size of the partial sums, so: |got - want| <= 1e-5 + 1e-4 * |want| +
// 1e-6 * sqrt(K) * max|want| (seen: at most a tenth of that).
test::Tolerance conv_tolerance(int depth, const std::vector<double>& want) {
  return {1e-5 + 1e-6 * std::sqrt(double(depth)) * test::max_abs(want), 1e-4};
}
constexpr test::Tolerance kConvTol{1e-5, 1e-4};  // small K (<= 5 * 3 * 17 here)

/// One convolution to test: input shape, output channels, window, epilogue, whether it has a bias.
struct ConvCase {
  std::string name;
  int n, h, w, in_c, out_c;
  rt::Window window;
  rt::Epilogue epilogue;
  bool has_bias = true;
};

/// Checks conv2d against the direct convolution on one thread, and that 2 and 3 threads give the same bits.
void check_conv_case(const ConvCase& cc, unsigned seed) {
  INFO("case: " << cc.name);
  const Buffer in = test::random_buffer(cc.n, cc.h, cc.w, cc.in_c, seed);
  const std::vector<float> oihw =
      test::random_values(std::size_t(cc.out_c) * cc.in_c * cc.window.kh * cc.window.kw, seed + 1);
  const std::vector<float> bias = test::random_values(cc.out_c, seed + 2);
  const float* b = cc.has_bias ? bias.data() : nullptr;
  const rt::ConvLayer conv = rt::pack_conv(oihw.data(), b, cc.out_c, cc.in_c, cc.window, cc.epilogue);
  REQUIRE_FALSE(rt::detail::use_winograd(conv, in.view()));  // the Winograd path has its own tests
  const Buffer out = test::run_conv(conv, in);
  const std::vector<double> want = test::activated(test::ref_conv(in, oihw, b, cc.out_c, cc.window), cc.epilogue);
  test::check_close(out, want, conv_tolerance(cc.window.kh * cc.window.kw * cc.in_c, want));
  test::check_identical(out, test::run_conv(conv, in, 2));
  test::check_identical(out, test::run_conv(conv, in, 3));
  // The row path sums each output's products in im2col's order: the same bits, whichever conv2d took.
  if (rt::detail::use_rows(conv)) test::check_identical(out, test::run_conv(conv, in, 2, test::kIm2colPath));
}

// Window fields: kh, kw, stride_h, stride_w, pad_top, pad_bottom, pad_left, pad_right.
const rt::Epilogue kLinear{}, kRelu{rt::Activation::Relu}, kLeaky{rt::Activation::LeakyRelu, 0.1f},
    kSigmoid{rt::Activation::Sigmoid}, kTanh{rt::Activation::Tanh}, kRelu6{rt::Activation::Relu6},
    kHardSwish{rt::Activation::HardSwish}, kGelu{rt::Activation::Gelu}, kSwish{rt::Activation::Swish},
    kHardSigmoid{rt::Activation::HardSigmoid};

}  // namespace

TEST_CASE("conv2d matches a direct convolution on odd shapes") {
  const std::vector<ConvCase> cases = {
      {"3x3 same, non-square 7x5, batch 3, relu", 3, 7, 5, 3, 5, {3, 3, 1, 1, 1, 1, 1, 1}, kRelu},
      {"3x3 stride 2, asymmetric pads 0/1/2/0, leaky 0.1", 2, 9, 11, 5, 17, {3, 3, 2, 2, 0, 1, 2, 0}, kLeaky},
      {"1x1 stride 1 unpadded (single product), sigmoid", 3, 6, 4, 17, 5, {}, kSigmoid},
      {"1x1 stride 2 (im2col path), tanh", 2, 7, 5, 5, 3, {1, 1, 2, 2, 0, 0, 0, 0}, kTanh},
      {"1x1 with padding on one side", 1, 4, 3, 3, 5, {1, 1, 1, 1, 0, 1, 1, 0}, kLinear, false},
      {"7x7 stride 2 pad 3 (ResNet stem shape)", 2, 15, 13, 3, 8, {7, 7, 2, 2, 3, 3, 3, 3}, kRelu},
      {"5x3 rectangular, stride (2,1), bottom/right padding only", 3, 10, 6, 5, 17, {5, 3, 2, 1, 0, 2, 0, 1}, kLinear},
      {"1x1 spatial input, 3x3 kernel pad 1", 3, 1, 1, 17, 5, {3, 3, 1, 1, 1, 1, 1, 1}, kLeaky},
      {"kernel as large as the input, no padding", 2, 5, 3, 3, 5, {5, 3, 1, 1, 0, 0, 0, 0}, kTanh, false},
      {"stride larger than kernel", 1, 9, 10, 5, 3, {2, 2, 3, 3, 1, 0, 0, 1}, kLinear},
      {"3x3 same with 31 -> 33 channels (two panels, ragged)", 2, 6, 5, 31, 33, {3, 3, 1, 1, 1, 1, 1, 1}, kLeaky},
      {"3x3 stride 1 with 64 channels, too few tiles for Winograd", 1, 3, 4, 64, 65, {3, 3, 1, 1, 1, 1, 1, 1}, kRelu},
      {"3x3 same, 31 -> 33, relu6 (in the microkernel)", 2, 6, 5, 31, 33, {3, 3, 1, 1, 1, 1, 1, 1}, kRelu6},
      {"1x1 (single product), 17 -> 35, hard swish", 2, 5, 4, 17, 35, {}, kHardSwish},
      {"3x3 stride 2, 5 -> 17, gelu", 2, 9, 7, 5, 17, {3, 3, 2, 2, 1, 1, 1, 1}, kGelu},
      {"1x1 stride 2, 9 -> 7, swish", 3, 7, 5, 9, 7, {1, 1, 2, 2, 0, 0, 0, 0}, kSwish},
      {"3x3 valid, 7 -> 6, hard sigmoid", 2, 6, 6, 7, 6, {3, 3, 1, 1, 0, 0, 0, 0}, kHardSigmoid},
      {"3x3 stride 2, 28x28 -> 14x14 split by rows among threads", 1, 28, 28, 9, 40, {3, 3, 2, 2, 1, 1, 1, 1}, kRelu},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_conv_case(cases[i], 100 + unsigned(i) * 10);
}

TEST_CASE("1x1 stride-1 convolutions with odd row, column and depth counts") {
  // rows = n * h * w: 1, 3, 17, 31, 33, 3 * 7 * 11; columns 1, 3, 17, 31, 33, 65; depth up to 600 (three k
  // blocks of 256) and 512 (a row stride the GEMM copies to dodge L1 set conflicts).
  const std::vector<ConvCase> cases = {
      {"1 position, 1 -> 1", 1, 1, 1, 1, 1, {}, kLinear},
      {"3 positions, 3 -> 3", 3, 1, 1, 3, 3, {}, kRelu},
      {"17 positions, 17 -> 17", 1, 17, 1, 17, 17, {}, kLeaky},
      {"31 positions, 600 -> 31", 1, 1, 31, 600, 31, {}, kTanh},
      {"33 positions, 512 -> 33", 1, 3, 11, 512, 33, {}, kLeaky, false},
      {"231 positions, 33 -> 65, batch 3", 3, 7, 11, 33, 65, {}, kRelu},
      {"300 positions (several row blocks), 64 -> 256", 1, 15, 20, 64, 256, {}, kSigmoid},
      {"196 positions, one block split by rows among threads, 40 -> 70", 1, 14, 14, 40, 70, {}, kRelu},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_conv_case(cases[i], 200 + unsigned(i) * 10);
}

TEST_CASE("conv2d gathers a large input's im2col in several bounded blocks, some spanning two images") {
  // 5x5 x 17 channels: 425 floats per output position (432 with padding); a block holds at most 224 of the
  // 4087 (or 3 x 1054) positions.
  const ConvCase one{"1x61x67x17 -> 16, 5x5 same", 1, 61, 67, 17, 16, {5, 5, 1, 1, 2, 2, 2, 2}, kRelu};
  const ConvCase batch{"3x61x67x17 -> 16, 5x5 stride 2, pads 2/2/1/2", 3, 61, 67, 17, 16, {5, 5, 2, 2, 2, 2, 1, 2}, kLeaky};
  for (const ConvCase& cc : {one, batch}) {
    const rt::ConvLayer conv =
        rt::pack_conv(std::vector<float>(std::size_t(16) * 17 * 25).data(), nullptr, 16, 17, cc.window, cc.epilogue);
    const std::size_t need = rt::conv2d_scratch_floats(conv, cc.h, cc.w);
    CHECK(need <= 256 * 1024);  // the documented bound
    CHECK(need * 3 <= std::size_t(cc.n) * conv.window.out_h(cc.h) * conv.window.out_w(cc.w) * 432);  // >= 3 blocks
    check_conv_case(cc, 300);
  }
}

TEST_CASE("a receptive field too large for the block bound gets one microkernel's rows per block") {
  const ConvCase wide{"1x3x10x7400 -> 3, 3x3 same (66600 floats per position)", 1, 3, 10, 7400, 3,
                      {3, 3, 1, 1, 1, 1, 1, 1}, kLinear};
  const rt::ConvLayer conv = rt::pack_conv(std::vector<float>(3 * 7400 * 9).data(), nullptr, 3, 7400, wide.window, {});
  CHECK_FALSE(conv.winograd);  // 3 output channels: not worth the transforms
  CHECK(rt::conv2d_scratch_floats(conv, 3, 10) == std::size_t(rt::detail::kernels().gemm_rows) * 66608);
  check_conv_case(wide, 400);
}

TEST_CASE("convolutions of at most 4 input channels take the row path, with im2col's results") {
  const std::vector<ConvCase> cases = {
      {"7x7 stride 2 pad 3, 3 -> 64 (ResNet's stem), batch 2", 2, 38, 35, 3, 64, {7, 7, 2, 2, 3, 3, 3, 3}, kRelu},
      {"3x3 same, 3 -> 33 (VGG's first layer, a ragged panel)", 1, 17, 13, 3, 33, {3, 3, 1, 1, 1, 1, 1, 1}, kRelu},
      {"3x3 stride 2, pads 0/1/0/1, 3 -> 32, relu6 (MobileNetV2's stem)", 2, 15, 16, 3, 32, {3, 3, 2, 2, 0, 1, 0, 1}, kRelu6},
      {"1 channel, 5x3 window, stride (1, 2), sigmoid after the last row's pass", 3, 9, 12, 1, 7, {5, 3, 1, 2, 2, 2, 1, 1}, kSigmoid},
      {"4 channels, pads wider than the window: whole output rows in the padding", 1, 3, 5, 4, 5, {2, 2, 1, 1, 3, 3, 2, 2}, kLeaky},
      {"3 channels, a 1x1 window with padding: rows of bias alone", 2, 4, 3, 3, 9, {1, 1, 1, 1, 1, 1, 1, 0}, kTanh, false},
      {"3 channels, input wider than the windows reach (valid, stride 3)", 1, 7, 11, 3, 5, {3, 3, 3, 3, 0, 0, 0, 0}, kLinear},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const ConvCase& cc = cases[i];
    const rt::ConvLayer conv = rt::pack_conv(std::vector<float>(std::size_t(cc.out_c) * cc.in_c * cc.window.kh * cc.window.kw).data(),
                                             nullptr, cc.out_c, cc.in_c, cc.window, cc.epilogue);
    INFO("case: " << cc.name);
    CHECK(rt::detail::use_rows(conv));
    check_conv_case(cc, 500 + unsigned(i) * 10);
  }
  // 5 input channels, a dilated window or one over kDepthBlock rows take im2col.
  const auto rows = [](int in_c, rt::Window w) {
    return rt::detail::use_rows(rt::pack_conv(std::vector<float>(std::size_t(4) * in_c * w.kh * w.kw).data(), nullptr,
                                              4, in_c, w, {}));
  };
  CHECK_FALSE(rows(5, {3, 3, 1, 1, 1, 1, 1, 1}));
  CHECK_FALSE(rows(3, {3, 3, 1, 1, 2, 2, 2, 2, 2, 2}));
  CHECK_FALSE(rows(4, {9, 9, 1, 1, 4, 4, 4, 4}));  // 324 rows
  CHECK(rows(3, {9, 9, 1, 1, 4, 4, 4, 4}));         // 243 rows
}

TEST_CASE("conv2d_scratch_floats is 0 for a 1x1 stride-1 unpadded convolution, which leaves scratch alone") {
  const rt::ConvLayer conv = rt::pack_conv(std::vector<float>(5 * 17).data(), nullptr, 5, 17, rt::Window{}, {});
  CHECK(rt::conv2d_scratch_floats(conv, 61, 67) == 0);
  const rt::Window strided{1, 1, 2, 2, 0, 0, 0, 0};
  const rt::ConvLayer other = rt::pack_conv(std::vector<float>(5 * 17).data(), nullptr, 5, 17, strided, {});
  CHECK(rt::conv2d_scratch_floats(other, 61, 67) > 0);
  const Buffer out = test::run_conv(conv, test::random_buffer(3, 4, 5, 17, 500));  // canary check on all 64 floats
  CHECK(out.data.size() == std::size_t(3) * 4 * 5 * 5);
}

TEST_CASE("pack_conv without a bias stores zeros, and packs whole zero-padded panels") {
  const rt::ConvLayer conv =
      rt::pack_conv(std::vector<float>(5 * 3 * 9, 1.f).data(), nullptr, 5, 3, rt::Window{3, 3}, {});
  CHECK(conv.bias == std::vector<float>(5, 0.f));
  CHECK(conv.weights.rows == 27);
  CHECK(conv.weights.cols == 5);
  CHECK(conv.weights.panels() == 1);
  REQUIRE(conv.weights.data.size() == std::size_t(27) * conv.weights.panel_width);
  CHECK(conv.weights.data[0] == 1.f);
  CHECK(conv.weights.data[5] == 0.f);  // column 5 is padding
  CHECK(reinterpret_cast<std::uintptr_t>(conv.weights.data.data()) % 64 == 0);
}

TEST_CASE("fold_batch_norm equals the convolution followed by a naive batch norm") {
  for (const bool has_bias : {true, false})
    for (const rt::Window& win : {rt::Window{3, 3, 2, 1, 1, 0, 0, 2}, rt::Window{}}) {
      INFO("has_bias " << has_bias << ", kernel " << win.kh << "x" << win.kw);
      const Buffer in = test::random_buffer(3, 6, 7, 5, 600);
      const std::vector<float> oihw = test::random_values(std::size_t(17) * 5 * win.kh * win.kw, 601);
      const std::vector<float> bias = test::random_values(17, 602);
      const float* b = has_bias ? bias.data() : nullptr;
      const test::BatchNormParams bn(17, 603);
      rt::ConvLayer conv = rt::pack_conv(oihw.data(), b, 17, 5, win, kRelu);
      rt::fold_batch_norm(conv, bn.gamma.data(), bn.beta.data(), bn.mean.data(), bn.var.data(), bn.eps);
      std::vector<double> want = test::ref_conv(in, oihw, b, 17, win);
      for (std::size_t i = 0; i < want.size(); ++i) want[i] = std::max(0.0, bn.apply(want[i], int(i % 17)));
      test::check_close(test::run_conv(conv, in), want, kConvTol);
    }
}
