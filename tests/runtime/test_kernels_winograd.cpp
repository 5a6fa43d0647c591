// The Winograd F(4x4, 3x3) path of conv2d against the direct convolution in double: output sizes that are not
// multiples of the 4x4 tile, asymmetric padding, batches whose tile blocks span images, channel counts that
// are not multiples of the vector width, every epilogue, batch norm folded into the transformed weights.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "detail.hpp"
#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

/// Winograd F(4x4, 3x3) rounds more than the direct sum: its transforms scale values by up to 5 and 8 and
/// sum terms that partly cancel (Lavin & Gray 2016, section 5), and the error grows with the channels summed.
/// Measured here against the double reference with inputs and weights uniform in [-1, 1]: max |error| /
/// max |ref| = 3e-7 to 1.3e-5 for 32 to 64 input channels, 5.7e-5 (AVX-512, AVX2) and 6.2e-5 (generic) for
/// 512. The bound is 2e-4 x max |ref|. (On VGG16 with He-initialised weights, the logits differ from
/// PyTorch's by 3.4e-6 x their max, against the end-to-end tests' 1e-4.)
constexpr double kWinogradRelative = 2e-4;

struct WinogradCase {
  std::string name;
  int n, h, w, in_c, out_c;
  rt::Window window;
  rt::Epilogue epilogue;
};

/// Runs the case through the Winograd path directly (whatever its tile count) on 1, 2 and 3 threads, and
/// through conv2d, which must take the same path when the batch has enough tiles.
void check_winograd_case(const WinogradCase& wc, unsigned seed) {
  INFO("case: " << wc.name);
  const Buffer in = test::random_buffer(wc.n, wc.h, wc.w, wc.in_c, seed);
  const std::vector<float> oihw = test::random_values(std::size_t(wc.out_c) * wc.in_c * 9, seed + 1);
  const std::vector<float> bias = test::random_values(wc.out_c, seed + 2);
  const rt::ConvLayer conv = rt::pack_conv(oihw.data(), bias.data(), wc.out_c, wc.in_c, wc.window, wc.epilogue);
  REQUIRE(conv.winograd);
  const Buffer out = test::run_conv(conv, in, 1, test::kWinogradPath);
  const std::vector<double> want = test::activated(test::ref_conv(in, oihw, bias.data(), wc.out_c, wc.window), wc.epilogue);
  const double scale = test::max_abs(want);
  const std::optional<test::Mismatch> exact = test::first_mismatch(out, want, test::kExact);
  MESSAGE("max |error| / max |ref| = " << (exact ? exact->max_abs_error / scale : 0.0));
  test::check_close(out, want, {kWinogradRelative * scale, 0});
  test::check_identical(out, test::run_conv(conv, in, 2, test::kWinogradPath));
  test::check_identical(out, test::run_conv(conv, in, 3, test::kWinogradPath));
  if (rt::detail::use_winograd(conv, in.view())) test::check_identical(out, test::run_conv(conv, in, 2));
}

const rt::Epilogue kLinear{}, kRelu{rt::Activation::Relu}, kLeaky{rt::Activation::LeakyRelu, 0.1f},
    kSigmoid{rt::Activation::Sigmoid}, kTanh{rt::Activation::Tanh}, kRelu6{rt::Activation::Relu6},
    kSwish{rt::Activation::Swish};
// Window fields: kh, kw, stride_h, stride_w, pad_top, pad_bottom, pad_left, pad_right.
const rt::Window kSame{3, 3, 1, 1, 1, 1, 1, 1};

}  // namespace

TEST_CASE("Winograd F(4x4, 3x3) matches a direct convolution on odd shapes") {
  const std::vector<WinogradCase> cases = {
      {"5x7 output, batch 4 (16 tiles), 32 -> 33, leaky", 4, 5, 7, 32, 33, kSame, kLeaky},
      {"1x1 output, 40 -> 32", 1, 1, 1, 40, 32, kSame, kRelu},
      {"13x10 output, pads 0/2/1/0", 2, 13, 11, 33, 47, {3, 3, 1, 1, 0, 2, 1, 0}, kLinear},
      {"valid 14x14 -> 12x12, batch 2, 64 -> 64", 2, 14, 14, 64, 64, {3, 3, 1, 1, 0, 0, 0, 0}, kRelu},
      {"pads of 2 on every side (output larger than input)", 1, 6, 5, 35, 32, {3, 3, 1, 1, 2, 2, 2, 2}, kSigmoid},
      {"pads 2/0/0/2, 17x9 output, tanh", 1, 17, 9, 48, 40, {3, 3, 1, 1, 2, 0, 0, 2}, kTanh},
      {"9x9 output, batch 7: 63 tiles in blocks that split images, 512 -> 32", 7, 9, 9, 512, 32, kSame, kRelu},
      {"200 -> 70: weight chunks and a part panel, 8x12 output", 2, 8, 12, 200, 70, kSame, kLeaky},
      {"7x6 output, 40 -> 35, relu6 (in the output transform)", 2, 7, 6, 40, 35, kSame, kRelu6},
      {"6x9 output, 32 -> 33, swish (after the store)", 2, 6, 9, 32, 33, kSame, kSwish},
      {"14x14 output, 128 -> 32: one panel, its 16 tiles split among threads", 1, 14, 14, 128, 32, kSame, kRelu},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_winograd_case(cases[i], 1100 + unsigned(i) * 10);
}

TEST_CASE("pack_conv marks 3x3 stride-1 layers with at least 32 channels each way for Winograd") {
  const std::vector<float> w(std::size_t(64) * 64 * 9, 0.5f);
  CHECK(rt::pack_conv(w.data(), nullptr, 32, 32, kSame, {}).winograd);
  CHECK_FALSE(rt::pack_conv(w.data(), nullptr, 32, 31, kSame, {}).winograd);
  CHECK_FALSE(rt::pack_conv(w.data(), nullptr, 31, 32, kSame, {}).winograd);
  CHECK_FALSE(rt::pack_conv(w.data(), nullptr, 32, 32, {3, 3, 2, 2, 1, 1, 1, 1}, {}).winograd);
  CHECK_FALSE(rt::pack_conv(w.data(), nullptr, 32, 32, {3, 1, 1, 1, 1, 1, 0, 0}, {}).winograd);
  const rt::ConvLayer conv = rt::pack_conv(w.data(), nullptr, 32, 32, kSame, {});
  // conv2d takes the Winograd path when its multiplications, 36 per 4x4 tile plus 8 tiles' worth for the weight
  // transform, are at most 8/9 of the direct product's 9 per position: 7x7 gives 4 tiles (incomplete ones) of
  // 49 positions, 8x8 4 complete ones.
  CHECK_FALSE(rt::detail::use_winograd(conv, {nullptr, 1, 7, 7, 32}));
  CHECK_FALSE(rt::detail::use_winograd(conv, {nullptr, 1, 6, 6, 32}));
  CHECK(rt::detail::use_winograd(conv, {nullptr, 1, 8, 8, 32}));
  CHECK(rt::detail::use_winograd(conv, {nullptr, 2, 7, 7, 32}));
  CHECK(rt::conv2d_scratch_floats(conv, 8, 8) >= rt::detail::winograd_scratch_floats(conv));
  const std::size_t rows = std::size_t(rt::detail::kernels().gemm_rows), cols = std::size_t(rt::detail::kernels().panel_width);
  const std::size_t skew = 3 * 36 * 16;  // a 64-byte line between the points' matrices of U, V and M
  // The chunk of transformed weights: 3/4 of the L2, at least 16 and at most 256 input channels.
  const std::size_t chunk = std::min<std::size_t>(
      36 * 256 * cols, std::max<std::size_t>(rt::detail::cache_sizes().l2 * 3 / 4 / sizeof(float), 36 * 16 * cols));
  CHECK(rt::detail::winograd_scratch_floats(conv) <= chunk + 256 * 1024 + skew);
  const rt::ConvLayer wide = rt::pack_conv(std::vector<float>(std::size_t(512) * 512 * 9).data(), nullptr, 512, 512, kSame, {});
  CHECK(rt::detail::winograd_scratch_floats(wide) <= chunk + std::max<std::size_t>(256 * 1024, 2 * rows * 36 * (512 + cols)) + skew);
}

TEST_CASE("the Winograd path transforms the weights with batch norm folded in") {
  const Buffer in = test::random_buffer(1, 7, 7, 32, 1200);  // 4 incomplete tiles: the GEMM path
  const Buffer big = test::random_buffer(2, 16, 16, 32, 1201);  // 16 tiles per image: the Winograd path
  const std::vector<float> oihw = test::random_values(std::size_t(40) * 32 * 9, 1202);
  const std::vector<float> bias = test::random_values(40, 1203);
  const test::BatchNormParams bn(40, 1204);
  rt::ConvLayer conv = rt::pack_conv(oihw.data(), bias.data(), 40, 32, kSame, {rt::Activation::Relu});
  rt::fold_batch_norm(conv, bn.gamma.data(), bn.beta.data(), bn.mean.data(), bn.var.data(), bn.eps);
  for (const Buffer* b : {&in, &big}) {
    std::vector<double> want = test::ref_conv(*b, oihw, bias.data(), 40, kSame);
    for (std::size_t i = 0; i < want.size(); ++i) want[i] = std::max(0.0, bn.apply(want[i], int(i % 40)));
    test::check_close(test::run_conv(conv, *b, 2), want, {kWinogradRelative * test::max_abs(want), 0});
  }
  CHECK(rt::detail::use_winograd(conv, big.view()));
  CHECK_FALSE(rt::detail::use_winograd(conv, in.view()));
}
