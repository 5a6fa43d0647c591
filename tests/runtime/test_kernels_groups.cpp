// Grouped and dilated convolutions (conv2d with pack_conv's groups, Window's dilation) and the direct
// depthwise kernel against the naive direct convolution, on odd shapes, on 1, 2 and 3 threads (bitwise the
// same), with batch norm folded, and with NaN and infinity kept in their own group as PyTorch keeps them.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

constexpr test::Tolerance kTol{1e-5, 1e-4};  // depths at most 3 * 3 * 12 here
const rt::Epilogue kLinear{}, kRelu{rt::Activation::Relu}, kLeaky{rt::Activation::LeakyRelu, 0.1f},
    kSigmoid{rt::Activation::Sigmoid}, kTanh{rt::Activation::Tanh}, kRelu6{rt::Activation::Relu6},
    kHardSwish{rt::Activation::HardSwish};

/// One grouped or depthwise convolution: input shape, output channels, groups (the input's channels for a
/// depthwise case), window (with its dilation), epilogue, bias.
struct GroupCase {
  std::string name;
  int n, h, w, in_c, out_c, groups;
  rt::Window window;
  rt::Epilogue epilogue;
  bool has_bias = true;
};

rt::Window dilated(rt::Window w, int dh, int dw) {
  w.dilation_h = dh;
  w.dilation_w = dw;
  return w;
}

/// The direct depthwise kernel on `threads` threads.
Buffer run_depthwise(const rt::DepthwiseLayer& layer, const Buffer& in, int threads) {
  Buffer out(in.n, layer.window.out_h(in.h), layer.window.out_w(in.w), layer.channels * layer.multiplier, -12345.f);
  rt::Workspace ws;
  ws.configure(threads, 0);
  rt::depthwise_conv2d(layer, in.view(), out.tensor(), ws);
  return out;
}

/// conv2d with groups, against the direct grouped convolution; 2 and 3 threads give the same bits.
void check_grouped(const GroupCase& gc, unsigned seed) {
  INFO("case: " << gc.name);
  const Buffer in = test::random_buffer(gc.n, gc.h, gc.w, gc.in_c, seed);
  const auto oihw = test::random_values(std::size_t(gc.out_c) * (gc.in_c / gc.groups) * gc.window.kh * gc.window.kw, seed + 1);
  const auto bias = test::random_values(gc.out_c, seed + 2);
  const float* b = gc.has_bias ? bias.data() : nullptr;
  const rt::ConvLayer conv = rt::pack_conv(oihw.data(), b, gc.out_c, gc.in_c, gc.window, gc.epilogue, gc.groups);
  CHECK_FALSE(conv.winograd);
  const Buffer out = test::run_conv(conv, in);
  test::check_close(out, test::activated(test::ref_conv(in, oihw, b, gc.out_c, gc.window, gc.groups), gc.epilogue), kTol);
  test::check_identical(out, test::run_conv(conv, in, 2));
  test::check_identical(out, test::run_conv(conv, in, 3));
}

/// The depthwise kernel (multiplier out_c / in_c) against the same reference with groups = in_c.
void check_depthwise(const GroupCase& gc, unsigned seed) {
  INFO("case: " << gc.name);
  const Buffer in = test::random_buffer(gc.n, gc.h, gc.w, gc.in_c, seed);
  const auto weights = test::random_values(std::size_t(gc.out_c) * gc.window.kh * gc.window.kw, seed + 1);
  const auto bias = test::random_values(gc.out_c, seed + 2);
  const float* b = gc.has_bias ? bias.data() : nullptr;
  const rt::DepthwiseLayer layer =
      rt::pack_depthwise(weights.data(), b, gc.in_c, gc.out_c / gc.in_c, gc.window, gc.epilogue);
  const Buffer out = run_depthwise(layer, in, 1);
  test::check_close(out, test::activated(test::ref_conv(in, weights, b, gc.out_c, gc.window, gc.in_c), gc.epilogue), kTol);
  test::check_identical(out, run_depthwise(layer, in, 2));
  test::check_identical(out, run_depthwise(layer, in, 3));
}

// Window fields: kh, kw, stride_h, stride_w, pad_top, pad_bottom, pad_left, pad_right (then dilated()).
const rt::Window k3same{3, 3, 1, 1, 1, 1, 1, 1};

}  // namespace

TEST_CASE("grouped conv2d matches the direct grouped convolution") {
  const std::vector<GroupCase> cases = {
      {"3x3 same, 2 groups of 3 -> 5, non-square, batch 3", 3, 7, 5, 6, 10, 2, k3same, kRelu},
      {"ResNeXt's 32 groups of 4 -> 4, 3x3 same", 1, 5, 6, 128, 128, 32, k3same, kRelu},
      {"1x1 stride 1 (pointwise path), 3 groups of 5 -> 7", 2, 4, 3, 15, 21, 3, {}, kSigmoid},
      {"1x1 stride 2 (im2col path), 4 groups", 2, 7, 5, 8, 12, 4, {1, 1, 2, 2, 0, 0, 0, 0}, kTanh},
      {"3x3 stride 2 one-sided pads, groups of 1 -> 2, no bias", 2, 9, 8, 5, 10, 5, {3, 3, 2, 2, 0, 1, 1, 0}, kLeaky,
       false},
      {"groups of 40 -> 40 filters (two panels each), 1x1 map", 2, 1, 1, 80, 80, 2, k3same, kLinear},
      {"grouped, dilated 2x3 and strided", 2, 11, 13, 6, 9, 3, dilated({3, 3, 2, 1, 2, 2, 3, 3}, 2, 3), kRelu},
      {"several blocks of positions, spanning images: 2x23x19, 8 groups of 5 -> 3", 2, 23, 19, 40, 24, 8, k3same, kLeaky},
      {"1x1 over several row blocks, 16 groups of 4 -> 4", 3, 17, 13, 64, 64, 16, {}, kRelu},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_grouped(cases[i], 9000 + unsigned(i) * 10);
}

TEST_CASE("dilated conv2d takes the im2col path and matches the direct dilated convolution") {
  const std::vector<GroupCase> cases = {
      {"3x3 dilation 2 same (pad 2), 64 channels: not Winograd", 1, 9, 10, 64, 33, 1, dilated({3, 3, 1, 1, 2, 2, 2, 2}, 2, 2),
       kRelu},
      {"3x3 dilation 2x1, no padding, batch 2", 2, 8, 6, 5, 7, 1, dilated({3, 3, 1, 1, 0, 0, 0, 0}, 2, 1), kLinear},
      {"5x3 dilation 3, stride 2, one-sided pads", 2, 15, 9, 3, 4, 1, dilated({5, 3, 2, 2, 0, 3, 2, 0}, 3, 3), kLeaky},
      {"dilated kernel as large as the padded input", 1, 3, 4, 2, 3, 1, dilated({2, 2, 1, 1, 1, 0, 0, 0}, 3, 3), kTanh},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_grouped(cases[i], 9100 + unsigned(i) * 10);
}

TEST_CASE("the depthwise kernel matches the direct convolution with one group per channel") {
  const std::vector<GroupCase> cases = {
      {"3x3 same, 19 channels (not a vector multiple), batch 3", 3, 7, 5, 19, 19, 19, k3same, kRelu},
      {"multiplier 2, 3x3 stride 2 same on odd 9x7 (pads 1/1/1/1)", 2, 9, 7, 5, 10, 5, {3, 3, 2, 2, 1, 1, 1, 1}, kLeaky},
      {"multiplier 3, one-sided pads, no bias", 2, 6, 8, 4, 12, 4, {3, 3, 2, 2, 0, 1, 1, 0}, kSigmoid, false},
      {"1x1 map, 3x3 pad 1, 35 channels", 2, 1, 1, 35, 35, 35, k3same, kTanh},
      {"5x5 dilation 2, stride 2, 33 channels", 1, 13, 11, 33, 33, 33, dilated({5, 5, 2, 2, 4, 4, 4, 4}, 2, 2), kRelu},
      {"3x3 valid, 64 channels, non-square", 2, 5, 9, 64, 64, 64, {3, 3, 1, 1, 0, 0, 0, 0}, kLinear},
      // register blocks of 4 vectors, then single vectors, then the last channels (on every vector width)
      {"3x3 stride 2 same, 149 channels, batch 2", 2, 9, 6, 149, 149, 149, {3, 3, 2, 2, 1, 1, 1, 1}, kRelu},
      {"3x3 same, 83 channels, no bias", 1, 4, 7, 83, 83, 83, k3same, kLinear, false},
      // pixels side by side in groups (3 or 6 by the vector width, then 2, then 1) between the edge pixels;
      // relu6 applied in registers, hard swish over the stored pixels
      {"3x3 same, 17 wide, 40 channels, relu6", 2, 3, 17, 40, 40, 40, k3same, kRelu6},
      {"3x3 stride 2 same, 23 wide, 37 channels, hard swish", 1, 5, 23, 37, 37, 37, {3, 3, 2, 2, 1, 1, 1, 1}, kHardSwish},
      {"3x3 dilation 2, 14 wide, 8 channels, relu6", 1, 6, 14, 8, 8, 8, dilated({3, 3, 1, 1, 2, 2, 2, 2}, 2, 2), kRelu6},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_depthwise(cases[i], 9200 + unsigned(i) * 10);
}

TEST_CASE("a batch norm folds into grouped and depthwise layers as applied after them") {
  const Buffer in = test::random_buffer(2, 6, 5, 8, 9300);
  const test::BatchNormParams bn(16, 9301);
  const auto weights = test::random_values(std::size_t(16) * 2 * 9, 9302);
  const auto bias = test::random_values(16, 9303);
  rt::ConvLayer conv = rt::pack_conv(weights.data(), bias.data(), 16, 8, k3same, kRelu, 4);
  rt::fold_batch_norm(conv, bn.gamma.data(), bn.beta.data(), bn.mean.data(), bn.var.data(), bn.eps);
  std::vector<double> want = test::ref_conv(in, weights, bias.data(), 16, k3same, 4);
  for (std::size_t i = 0; i < want.size(); ++i) want[i] = std::max(0.0, bn.apply(want[i], int(i % 16)));
  test::check_close(test::run_conv(conv, in), want, kTol);

  rt::DepthwiseLayer dw = rt::pack_depthwise(weights.data(), bias.data(), 8, 2, k3same, kRelu);
  rt::fold_batch_norm(dw, bn.gamma.data(), bn.beta.data(), bn.mean.data(), bn.var.data(), bn.eps);
  want = test::ref_conv(in, std::vector<float>(weights.begin(), weights.begin() + 16 * 9), bias.data(), 16, k3same, 8);
  for (std::size_t i = 0; i < want.size(); ++i) want[i] = std::max(0.0, bn.apply(want[i], int(i % 16)));
  test::check_close(run_depthwise(dw, in, 2), want, kTol);
}

TEST_CASE("NaN and infinity stay in their group, as in PyTorch") {
  Buffer in = test::random_buffer(1, 5, 4, 8, 9400);
  in.data[in.index(0, 2, 1, 0)] = std::numeric_limits<float>::quiet_NaN();  // group 0 (channels 0-1)
  in.data[in.index(0, 3, 3, 5)] = std::numeric_limits<float>::infinity();   // group 2 (channels 4-5)
  const auto weights = test::random_values(std::size_t(8) * 2 * 9, 9401);
  const rt::ConvLayer conv = rt::pack_conv(weights.data(), nullptr, 8, 8, k3same, kRelu, 4);
  const rt::DepthwiseLayer dw = rt::pack_depthwise(weights.data(), nullptr, 8, 1, k3same, kRelu);
  const std::vector<double> grouped = test::ref_conv(in, weights, nullptr, 8, k3same, 4);
  const std::vector<double> depthwise = test::ref_conv(in, weights, nullptr, 8, k3same, 8);
  for (const auto& [got, want] : {std::pair{test::run_conv(conv, in), grouped}, std::pair{run_depthwise(dw, in, 1), depthwise}}) {
    std::size_t wrong = 0, nan = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
      const double w = std::isnan(want[i]) ? want[i] : test::ref_activation(want[i], kRelu);  // torch.relu(nan) = nan
      nan += std::isnan(w);
      const bool same = std::isnan(w) ? std::isnan(got.data[i]) : std::isinf(w) ? got.data[i] == w : std::isfinite(got.data[i]);
      wrong += !same;
    }
    CHECK(nan > 0);
    CHECK_MESSAGE(wrong == 0, wrong << " outputs differ from PyTorch's NaN, infinity or finite value");
  }
}

TEST_CASE("pack_conv refuses a group count that does not divide the channels") {
  const std::vector<float> w(6 * 2 * 9);
  CHECK_THROWS_AS(rt::pack_conv(w.data(), nullptr, 6, 4, k3same, {}, 3), std::invalid_argument);
  CHECK_THROWS_AS(rt::pack_conv(w.data(), nullptr, 6, 6, k3same, {}, 4), std::invalid_argument);
  CHECK_THROWS_AS(rt::pack_depthwise(w.data(), nullptr, 6, 0, k3same, {}), std::invalid_argument);
}
