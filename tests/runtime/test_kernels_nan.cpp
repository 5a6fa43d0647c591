// NaN goes through every kernel as it goes through PyTorch (torch.relu(nan) is nan, max_pool2d with a NaN in
// the window gives nan): a NaN input pixel must not become a finite, plausible output. Run on every
// instruction set's kernels (ctest's runtime_<isa> tests), the fused epilogues of each convolution path and
// of dense included, and the forms with a workspace.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "detail.hpp"
#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const rt::Epilogue kRelu{rt::Activation::Relu}, kLeaky{rt::Activation::LeakyRelu, 0.1f},
    kSigmoid{rt::Activation::Sigmoid}, kTanh{rt::Activation::Tanh}, kRelu6{rt::Activation::Relu6},
    kHardSigmoid{rt::Activation::HardSigmoid}, kHardSwish{rt::Activation::HardSwish},
    kSwish{rt::Activation::Swish}, kGelu{rt::Activation::Gelu};

/// Checks that got is NaN exactly where `nan_at` is, and finite elsewhere (unless `others_may_be_nan`).
void check_nan_positions(const Buffer& got, const std::vector<bool>& nan_at, bool others_may_be_nan = false) {
  REQUIRE(got.data.size() == nan_at.size());
  std::size_t lost = 0, spread = 0;
  for (std::size_t i = 0; i < nan_at.size(); ++i) {
    if (nan_at[i] && !std::isnan(got.data[i])) ++lost;
    if (!nan_at[i] && !std::isfinite(got.data[i])) ++spread;
  }
  CHECK_MESSAGE(lost == 0, lost << " outputs that PyTorch gives as NaN are not NaN");
  if (!others_may_be_nan) CHECK_MESSAGE(spread == 0, spread << " outputs without a NaN input are not finite");
}

/// Where a convolution's direct sum (in double) is NaN: the outputs whose receptive field holds a NaN.
std::vector<bool> nan_outputs(const Buffer& in, const std::vector<float>& oihw, int out_c, const rt::Window& win) {
  std::vector<bool> nan_at;
  for (double v : test::ref_conv(in, oihw, nullptr, out_c, win)) nan_at.push_back(std::isnan(v));
  return nan_at;
}

}  // namespace

TEST_CASE("every activation of NaN is NaN, alone, in place and on threads") {
  Buffer in = test::random_buffer(2, 5, 3, 19, 7000);
  std::vector<bool> nan_at(in.data.size(), false);
  for (std::size_t i = 0; i < in.data.size(); i += 7) in.data[i] = kNaN, nan_at[i] = true;
  for (const rt::Epilogue& e : {kRelu, kLeaky, kSigmoid, kTanh, kRelu6, kHardSigmoid, kHardSwish, kSwish, kGelu}) {
    CAPTURE(int(e.activation));
    Buffer out(2, 5, 3, 19), same = in, threaded = in;
    rt::activate(in.view(), out.tensor(), e);
    rt::activate(same.view(), same.tensor(), e);
    rt::Workspace ws;
    ws.configure(2, 0);
    rt::activate(threaded.view(), threaded.tensor(), e, ws);
    for (const Buffer* got : {&out, &same, &threaded}) check_nan_positions(*got, nan_at);
  }
}

TEST_CASE("add and the per-channel affine keep NaN through their relu") {
  Buffer a = test::random_buffer(1, 4, 4, 17, 7010), b = test::random_buffer(1, 4, 4, 17, 7011);
  std::vector<bool> nan_at(a.data.size(), false);
  a.data[5] = kNaN, nan_at[5] = true;
  b.data[40] = kNaN, nan_at[40] = true;
  Buffer sum(1, 4, 4, 17);
  rt::add(a.view(), b.view(), sum.tensor(), kRelu);
  check_nan_positions(sum, nan_at);
  const test::BatchNormParams bn(17, 7012);
  const rt::ChannelAffine affine =
      rt::batch_norm_affine(bn.gamma.data(), bn.beta.data(), bn.mean.data(), bn.var.data(), bn.eps, 17, kRelu);
  Buffer scaled(1, 4, 4, 17);
  rt::channel_affine(affine, a.view(), scaled.tensor());
  std::vector<bool> a_nan(a.data.size(), false);
  a_nan[5] = true;
  check_nan_positions(scaled, a_nan);
}

TEST_CASE("max pooling gives NaN for every window that holds a NaN, wherever it lies in the window") {
  Buffer in = test::random_buffer(2, 7, 6, 20, 7020);
  // NaNs at a window's first, last and middle positions, and at a channel in a vector's tail.
  for (const auto& [img, y, x, ch] : {std::array<int, 4>{0, 0, 0, 0}, {0, 3, 5, 19}, {1, 4, 2, 7}, {1, 6, 5, 16}})
    in.data[in.index(img, y, x, ch)] = kNaN;
  for (const rt::Window& win : {rt::Window{2, 2, 2, 2, 0, 0, 0, 0}, rt::Window{3, 3, 1, 1, 1, 1, 1, 1},
                                rt::Window{3, 2, 2, 1, 0, 1, 1, 0}}) {
    const int oh = win.out_h(in.h), ow = win.out_w(in.w);
    std::vector<bool> nan_at;
    for (int img = 0; img < in.n; ++img)
      for (int y = 0; y < oh; ++y)
        for (int x = 0; x < ow; ++x)
          for (int ch = 0; ch < in.c; ++ch) {
            bool nan = false;
            for (int ky = 0; ky < win.kh; ++ky)
              for (int kx = 0; kx < win.kw; ++kx) {
                const int iy = y * win.stride_h + ky - win.pad_top, ix = x * win.stride_w + kx - win.pad_left;
                if (iy >= 0 && iy < in.h && ix >= 0 && ix < in.w) nan = nan || std::isnan(in.data[in.index(img, iy, ix, ch)]);
              }
            nan_at.push_back(nan);
          }
    Buffer max(2, oh, ow, 20), avg(2, oh, ow, 20), threaded(2, oh, ow, 20);
    rt::max_pool(win, in.view(), max.tensor());
    rt::avg_pool(win, in.view(), avg.tensor());
    rt::Workspace ws;
    ws.configure(2, 0);
    rt::max_pool(win, in.view(), threaded.tensor(), ws);
    for (const Buffer* got : {&max, &avg, &threaded}) check_nan_positions(*got, nan_at);
  }
  Buffer mean(2, 1, 1, 20);
  rt::global_avg_pool(in.view(), mean.tensor());
  std::vector<bool> channels(40, false);
  for (const int i : {0, 19, 20 + 7, 20 + 16}) channels[std::size_t(i)] = true;
  check_nan_positions(mean, channels);
}

TEST_CASE("a NaN input pixel gives NaN, not a relu's 0, in every output of a convolution that reads it") {
  struct Case {
    std::string name;
    int h, w, in_c, out_c;
    rt::Window window;
    test::ConvPath path;
  };
  const std::vector<Case> cases = {
      {"1x1 (the input as the GEMM's A)", 5, 6, 17, 33, rt::Window{}, &rt::conv2d},
      {"3x3 stride 2 (im2col)", 9, 8, 5, 17, {3, 3, 2, 2, 1, 1, 1, 1}, &rt::conv2d},
      {"3x3 same, 32 -> 40 (Winograd)", 8, 8, 32, 40, {3, 3, 1, 1, 1, 1, 1, 1}, test::kWinogradPath},
  };
  for (const Case& c : cases)
    for (const rt::Epilogue& e : {kRelu, kLeaky, kRelu6, kHardSwish}) {
      CAPTURE(c.name);
      CAPTURE(int(e.activation));
      Buffer in = test::random_buffer(2, c.h, c.w, c.in_c, 7030);
      in.data[in.index(1, 2, 3, c.in_c - 1)] = kNaN;
      const std::vector<float> oihw =
          test::random_values(std::size_t(c.out_c) * c.in_c * c.window.kh * c.window.kw, 7031);
      const rt::ConvLayer conv = rt::pack_conv(oihw.data(), nullptr, c.out_c, c.in_c, c.window, e);
      // Winograd mixes a 6x6 tile's inputs, so a NaN reaches every output of its tiles, as in PyTorch's own
      // Winograd convolutions; only the outputs that read it must be NaN there.
      check_nan_positions(test::run_conv(conv, in, 2, c.path), nan_outputs(in, oihw, c.out_c, c.window),
                          c.path == test::kWinogradPath);
    }
}

TEST_CASE("a NaN input to a dense layer gives NaN outputs through its relu, at batch 1 and 5") {
  const std::vector<float> w = test::random_values(std::size_t(40) * 70, 7040);
  const rt::DenseLayer layer = rt::pack_dense(w.data(), nullptr, 40, 70, kRelu);
  for (const int batch : {1, 5}) {
    Buffer in = test::random_buffer(batch, 1, 1, 70, 7041), out(batch, 1, 1, 40);
    in.data[in.index(batch - 1, 0, 0, 69)] = kNaN;
    rt::Workspace ws;
    ws.configure(2, 0);
    rt::dense(layer, in.view(), out.tensor(), ws);
    std::vector<bool> nan_at(out.data.size(), false);
    for (int o = 0; o < 40; ++o) nan_at[std::size_t(batch - 1) * 40 + std::size_t(o)] = true;
    check_nan_positions(out, nan_at);
  }
}
