// conv2d, pack_conv, fold_batch_norm and conv2d_scratch_floats against a naive direct convolution.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

// Conv results sum up to 5*5*17 = 425 float products: |got - want| <= 1e-5 + 1e-4 * |want|.
constexpr test::Tolerance kConvTol{1e-5, 1e-4};
constexpr float kCanary = -12345.f;

/// One convolution to test: input shape, output channels, window, epilogue, whether it has a bias.
struct ConvCase {
  std::string name;
  int n, h, w, in_c, out_c;
  rt::Window window;
  rt::Epilogue epilogue;
  bool has_bias = true;
};

/// Direct convolution in double from PyTorch OIHW weights, out-of-range inputs read as 0 (no epilogue).
std::vector<double> ref_conv(const Buffer& in, const std::vector<float>& oihw, const float* bias, int out_c,
                             const rt::Window& win) {
  const int oh = win.out_h(in.h), ow = win.out_w(in.w);
  std::vector<double> out;
  for (int img = 0; img < in.n; ++img)
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x)
        for (int co = 0; co < out_c; ++co) {
          double sum = bias != nullptr ? bias[co] : 0.0;
          for (int ci = 0; ci < in.c; ++ci)
            for (int ky = 0; ky < win.kh; ++ky)
              for (int kx = 0; kx < win.kw; ++kx) {
                const int iy = y * win.stride_h + ky - win.pad_top, ix = x * win.stride_w + kx - win.pad_left;
                if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
                sum += double(in.data[in.index(img, iy, ix, ci)]) *
                       oihw[((std::size_t(co) * in.c + ci) * win.kh + ky) * win.kw + kx];
              }
          out.push_back(sum);
        }
  return out;
}

std::vector<double> activated(std::vector<double> values, rt::Epilogue epilogue) {
  for (double& v : values) v = test::ref_activation(v, epilogue);
  return values;
}

/// Runs conv2d with conv2d_scratch_floats of scratch followed by a canary tail that must stay intact. The tail
/// is as long as the scratch itself (plus 64), so an overrun lands in it and is reported instead of corrupting
/// the heap.
Buffer run_conv(const rt::ConvLayer& conv, const Buffer& in) {
  Buffer out(in.n, conv.window.out_h(in.h), conv.window.out_w(in.w), conv.out_c, kCanary);
  const std::size_t need = rt::conv2d_scratch_floats(conv, in.h, in.w);
  rt::Workspace ws;
  ws.configure(1, 2 * need + 64);
  float* scratch = ws.scratch(0);
  std::fill(scratch, scratch + ws.scratch_floats(), kCanary);
  rt::conv2d(conv, in.view(), out.tensor(), ws);
  const float* end = scratch + ws.scratch_floats();
  const float* canary_end = std::find_if(static_cast<const float*>(scratch) + need, end, [](float v) { return v != kCanary; });
  CHECK_MESSAGE(canary_end == end, "conv2d wrote past conv2d_scratch_floats = " << need << " at float " << canary_end - scratch);
  return out;
}

void check_conv_case(const ConvCase& cc, unsigned seed) {
  INFO("case: " << cc.name);
  const Buffer in = test::random_buffer(cc.n, cc.h, cc.w, cc.in_c, seed);
  const std::vector<float> oihw =
      test::random_values(std::size_t(cc.out_c) * cc.in_c * cc.window.kh * cc.window.kw, seed + 1);
  const std::vector<float> bias = test::random_values(cc.out_c, seed + 2);
  const float* b = cc.has_bias ? bias.data() : nullptr;
  const rt::ConvLayer conv = rt::pack_conv(oihw.data(), b, cc.out_c, cc.in_c, cc.window, cc.epilogue);
  const Buffer out = run_conv(conv, in);
  test::check_close(out, activated(ref_conv(in, oihw, b, cc.out_c, cc.window), cc.epilogue), kConvTol);
}

// Window fields: kh, kw, stride_h, stride_w, pad_top, pad_bottom, pad_left, pad_right.
const rt::Epilogue kLinear{}, kRelu{rt::Activation::Relu}, kLeaky{rt::Activation::LeakyRelu, 0.1f},
    kSigmoid{rt::Activation::Sigmoid}, kTanh{rt::Activation::Tanh};

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
  };
  for (std::size_t i = 0; i < cases.size(); ++i) check_conv_case(cases[i], 100 + unsigned(i) * 10);
}

TEST_CASE("conv2d tiles a large input's im2col into several bounded tiles") {
  // 5x5 x 17 channels: 425 floats per output position, 67 * 425 = 28475 per output row.
  const ConvCase one{"1x61x67x17 -> 16, 5x5 same", 1, 61, 67, 17, 16, {5, 5, 1, 1, 2, 2, 2, 2}, kRelu};
  const ConvCase batch{
      "3x61x67x17 -> 16, 5x5 stride 2, pads 2/2/1/2", 3, 61, 67, 17, 16, {5, 5, 2, 2, 2, 2, 1, 2}, kLeaky};
  for (const ConvCase& cc : {one, batch}) {
    INFO("case: " << cc.name);
    const rt::ConvLayer conv =
        rt::pack_conv(std::vector<float>(std::size_t(16) * 17 * 25).data(), nullptr, 16, 17, cc.window, cc.epilogue);
    const std::size_t row = std::size_t(conv.window.out_w(cc.w)) * 5 * 5 * 17;
    const std::size_t need = rt::conv2d_scratch_floats(conv, cc.h, cc.w);
    CHECK(need % row == 0);                                 // whole output rows per tile
    CHECK(need <= std::max<std::size_t>(256 * 1024, row));  // the documented bound
    const std::size_t rows_per_tile = need / row, batch_rows = std::size_t(cc.n) * conv.window.out_h(cc.h);
    CHECK(rows_per_tile * 3 <= batch_rows);                             // at least three tiles
    if (cc.n > 1) CHECK(conv.window.out_h(cc.h) % rows_per_tile != 0);  // so some tile spans two images
    check_conv_case(cc, 300);
  }
}

TEST_CASE("conv2d with one output row larger than the tile bound uses one row per tile") {
  const ConvCase wide{"1x3x400x256 -> 3, 3x3 same", 1, 3, 400, 256, 3, {3, 3, 1, 1, 1, 1, 1, 1}, kLinear};
  const rt::ConvLayer conv = rt::pack_conv(std::vector<float>(3 * 256 * 9).data(), nullptr, 3, 256, wide.window, {});
  CHECK(rt::conv2d_scratch_floats(conv, 3, 400) == std::size_t(400) * 9 * 256);
  check_conv_case(wide, 400);
}

TEST_CASE("conv2d_scratch_floats is 0 for a 1x1 stride-1 unpadded convolution, which leaves scratch alone") {
  const rt::ConvLayer conv = rt::pack_conv(std::vector<float>(5 * 17).data(), nullptr, 5, 17, rt::Window{}, {});
  CHECK(rt::conv2d_scratch_floats(conv, 61, 67) == 0);
  const rt::Window strided{1, 1, 2, 2, 0, 0, 0, 0};
  const rt::ConvLayer other = rt::pack_conv(std::vector<float>(5 * 17).data(), nullptr, 5, 17, strided, {});
  CHECK(rt::conv2d_scratch_floats(other, 61, 67) == std::size_t(31) * 34 * 17);
  const Buffer out = run_conv(conv, test::random_buffer(3, 4, 5, 17, 500));  // canary check on all 64 floats
  CHECK(out.data.size() == std::size_t(3) * 4 * 5 * 5);
}

TEST_CASE("pack_conv without a bias stores zeros") {
  const rt::ConvLayer conv =
      rt::pack_conv(std::vector<float>(5 * 3 * 9, 1.f).data(), nullptr, 5, 3, rt::Window{3, 3}, {});
  CHECK(conv.bias == std::vector<float>(5, 0.f));
  CHECK(conv.weights.size() == std::size_t(9) * 3 * 5);
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
      std::vector<double> want = ref_conv(in, oihw, b, 17, win);
      for (std::size_t i = 0; i < want.size(); ++i) want[i] = std::max(0.0, bn.apply(want[i], int(i % 17)));
      test::check_close(run_conv(conv, in), want, kConvTol);
    }
}
