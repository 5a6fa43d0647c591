// The kernels of branches and resampling (a concatenation's channel copy, upsampling, average pooling with the
// padding counted, global max pooling) against naive loops in double, on odd shapes, with and without the
// workspace's threads; NaN as PyTorch.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

constexpr test::Tolerance kMeanTol{1e-6, 1e-5};

/// Sum of the window's real inputs divided by kh * kw (padding counted as zeros: count_include_pad=True).
std::vector<double> ref_avg_include_pad(const Buffer& in, const rt::Window& win) {
  std::vector<double> out;
  for (int img = 0; img < in.n; ++img)
    for (int y = 0; y < win.out_h(in.h); ++y)
      for (int x = 0; x < win.out_w(in.w); ++x)
        for (int ch = 0; ch < in.c; ++ch) {
          double sum = 0;
          for (int ky = 0; ky < win.kh; ++ky)
            for (int kx = 0; kx < win.kw; ++kx) {
              const int iy = y * win.stride_h + ky - win.pad_top, ix = x * win.stride_w + kx - win.pad_left;
              if (iy >= 0 && iy < in.h && ix >= 0 && ix < in.w) sum += in.data[in.index(img, iy, ix, ch)];
            }
          out.push_back(sum / (win.kh * win.kw));
        }
  return out;
}

}  // namespace

TEST_CASE("avg_pool_include_pad divides by the window's size, padding counted as zeros") {
  struct Case {
    std::string name;
    int n, h, w, c;
    rt::Window window;
  };
  const std::vector<Case> cases = {
      {"3x3 stride 2, same on odd 7x9 (pads 1/1/1/1)", 2, 7, 9, 5, {3, 3, 2, 2, 1, 1, 1, 1}},
      {"3x3 stride 2, same on even 8x6 (pads 0/1/0/1)", 3, 8, 6, 17, {3, 3, 2, 2, 0, 1, 0, 1}},
      {"2x3, stride (1, 2), asymmetric pads 1/0/2/1", 1, 5, 7, 3, {2, 3, 1, 2, 1, 0, 2, 1}},
      {"unpadded 3x3 stride 1 (the same as excluding the padding)", 2, 5, 5, 33, {3, 3, 1, 1, 0, 0, 0, 0}},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& pc = cases[i];
    INFO("case: " << pc.name);
    const Buffer in = test::random_buffer(pc.n, pc.h, pc.w, pc.c, 8100 + unsigned(i));
    const int oh = pc.window.out_h(pc.h), ow = pc.window.out_w(pc.w);
    Buffer out(pc.n, oh, ow, pc.c, std::nanf("")), threaded = out;
    rt::avg_pool_include_pad(pc.window, in.view(), out.tensor());
    rt::Workspace ws;
    ws.configure(2, 0);
    rt::avg_pool_include_pad(pc.window, in.view(), threaded.tensor(), ws);
    const std::vector<double> want = ref_avg_include_pad(in, pc.window);
    test::check_close(out, want, kMeanTol);
    test::check_close(threaded, want, kMeanTol);
  }
}

TEST_CASE("avg_pool_include_pad of a constant input is smaller at the padded borders") {
  const Buffer in(1, 3, 3, 2, 1.f);
  Buffer out(1, 3, 3, 2);
  rt::avg_pool_include_pad({3, 3, 1, 1, 1, 1, 1, 1}, in.view(), out.tensor());
  CHECK(out.data[out.index(0, 0, 0, 0)] == doctest::Approx(4.0 / 9));
  CHECK(out.data[out.index(0, 1, 1, 1)] == doctest::Approx(1.0));
  CHECK(out.data[out.index(0, 2, 1, 0)] == doctest::Approx(6.0 / 9));
}

TEST_CASE("global_max_pool is the maximum over height and width, NaN when a channel holds one") {
  for (const Buffer& given : {test::random_buffer(3, 5, 7, 19, 8200), test::random_buffer(2, 1, 1, 3, 8201, -3, -1)}) {
    INFO("input " << given.n << "x" << given.h << "x" << given.w << "x" << given.c);
    Buffer in = given;
    in.data[in.index(in.n - 1, in.h - 1, in.w - 1, 1)] = std::numeric_limits<float>::quiet_NaN();
    std::vector<double> want(std::size_t(in.n) * in.c, -std::numeric_limits<double>::infinity());
    for (int img = 0; img < in.n; ++img)
      for (int y = 0; y < in.h; ++y)
        for (int x = 0; x < in.w; ++x)
          for (int ch = 0; ch < in.c; ++ch) {
            double& m = want[std::size_t(img) * in.c + ch];
            const double v = in.data[in.index(img, y, x, ch)];
            m = std::isnan(v) || std::isnan(m) ? std::nan("") : std::max(m, v);
          }
    Buffer out(in.n, 1, 1, in.c, 0.f), threaded = out;
    rt::global_max_pool(in.view(), out.tensor());
    rt::Workspace ws;
    ws.configure(2, 0);
    rt::global_max_pool(in.view(), threaded.tensor(), ws);
    for (Buffer* got : {&out, &threaded}) {
      std::vector<double> finite = want;
      for (std::size_t i = 0; i < want.size(); ++i) {
        if (!std::isnan(want[i])) continue;
        CHECK(std::isnan(got->data[i]));
        finite[i] = got->data[i] = 0;  // compared as NaN; the rest must match exactly
      }
      test::check_close(*got, finite, test::kExact);
    }
  }
}

TEST_CASE("copy_channels writes its input into a channel slice and leaves the other channels alone") {
  const Buffer a = test::random_buffer(2, 3, 5, 3, 8300), b = test::random_buffer(2, 3, 5, 17, 8301);
  Buffer out(2, 3, 5, 21, -7.f), threaded = out;
  rt::copy_channels(a.view(), out.tensor(), 0);
  rt::copy_channels(b.view(), out.tensor(), 3);
  rt::Workspace ws;
  ws.configure(2, 0);
  rt::copy_channels(a.view(), threaded.tensor(), 0, ws);
  rt::copy_channels(b.view(), threaded.tensor(), 3, ws);
  std::vector<double> want;
  for (int img = 0; img < 2; ++img)
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 5; ++x)
        for (int ch = 0; ch < 21; ++ch)
          want.push_back(ch < 3 ? a.data[a.index(img, y, x, ch)] : ch < 20 ? b.data[b.index(img, y, x, ch - 3)] : -7.0);
  test::check_close(out, want, test::kExact);
  test::check_close(threaded, want, test::kExact);
}

TEST_CASE("copy_channels reads a channel slice and writes into a slice of a wider tensor") {
  // Channels 2..6 of a 9-channel input go to channels 1..5 of the slice that starts at channel 4 of a
  // 12-channel output, that is to the output's channels 5..9.
  const Buffer in = test::random_buffer(2, 3, 4, 9, 8310);
  Buffer out(2, 3, 4, 12, -7.f);
  rt::Workspace ws;
  ws.configure(2, 0);
  rt::copy_channels(rt::ConstTensor(in.data.data() + 2, 2, 3, 4, 5, 9), rt::Tensor{out.data.data() + 4, 2, 3, 4, 7, 12}, 1,
                    ws);
  std::vector<double> want;
  for (int p = 0; p < 2 * 3 * 4; ++p)
    for (int ch = 0; ch < 12; ++ch) want.push_back(ch >= 5 && ch < 10 ? in.data[std::size_t(p) * 9 + 2 + ch - 5] : -7.0);
  test::check_close(out, want, test::kExact);
}

namespace {

/// PyTorch's upsample_nearest2d and upsample_bilinear2d (align_corners=False) in double, from their source
/// index rules: nearest floor(dst * in / out); bilinear (dst + 0.5) * in / out - 0.5 clamped at 0, its floor
/// and the next index (at most in - 1), weighted by the fraction.
std::vector<double> ref_upsample(const Buffer& in, int oh, int ow, bool bilinear) {
  auto source = [&](int dst, int in_size, int out_size, int& lo, int& hi, double& t) {
    const double scale = double(in_size) / out_size;
    if (!bilinear) {
      lo = hi = std::min(int(std::floor(dst * scale)), in_size - 1), t = 0;
      return;
    }
    const double src = std::max((dst + 0.5) * scale - 0.5, 0.0);
    lo = int(std::floor(src)), hi = std::min(lo + 1, in_size - 1), t = src - lo;
  };
  std::vector<double> out;
  for (int img = 0; img < in.n; ++img)
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x)
        for (int ch = 0; ch < in.c; ++ch) {
          int y0, y1, x0, x1;
          double ty, tx;
          source(y, in.h, oh, y0, y1, ty);
          source(x, in.w, ow, x0, x1, tx);
          auto at = [&](int yy, int xx) { return double(in.data[in.index(img, yy, xx, ch)]); };
          out.push_back((1 - ty) * ((1 - tx) * at(y0, x0) + tx * at(y0, x1)) +
                        ty * ((1 - tx) * at(y1, x0) + tx * at(y1, x1)));
        }
  return out;
}

}  // namespace

TEST_CASE("upsample matches PyTorch's nearest and bilinear rules, by whole factors and to odd sizes") {
  struct Case {
    std::string name;
    int n, h, w, c, oh, ow;
  };
  const std::vector<Case> cases = {
      {"by 2, 5x7 -> 10x14, 17 channels", 2, 5, 7, 17, 10, 14},
      {"by 3x2, 4x5 -> 12x10", 1, 4, 5, 3, 12, 10},
      {"6x5 -> 11x13 (ratios not whole)", 3, 6, 5, 5, 11, 13},
      {"1x1 -> 4x3", 2, 1, 1, 33, 4, 3},
      {"7x9 -> 5x4 (smaller)", 1, 7, 9, 6, 5, 4},
      {"same size 4x4", 1, 4, 4, 2, 4, 4},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& uc = cases[i];
    const Buffer in = test::random_buffer(uc.n, uc.h, uc.w, uc.c, 8400 + unsigned(i));
    for (const bool bilinear : {false, true}) {
      INFO("case: " << uc.name << (bilinear ? ", bilinear" : ", nearest"));
      const rt::Resize mode = bilinear ? rt::Resize::Bilinear : rt::Resize::Nearest;
      Buffer out(uc.n, uc.oh, uc.ow, uc.c, std::nanf("")), threaded = out;
      rt::upsample(mode, in.view(), out.tensor());
      rt::Workspace ws;
      ws.configure(2, 0);
      rt::upsample(mode, in.view(), threaded.tensor(), ws);
      const std::vector<double> want = ref_upsample(in, uc.oh, uc.ow, bilinear);
      test::check_close(out, want, bilinear ? kMeanTol : test::kExact);
      test::check_close(threaded, std::vector<double>(out.data.begin(), out.data.end()), test::kExact);
    }
  }
}

TEST_CASE("upsample keeps NaN where PyTorch does: in every output that reads the NaN pixel") {
  Buffer in = test::random_buffer(1, 4, 4, 3, 8500);
  in.data[in.index(0, 1, 2, 1)] = std::numeric_limits<float>::quiet_NaN();
  for (const rt::Resize mode : {rt::Resize::Nearest, rt::Resize::Bilinear}) {
    Buffer out(1, 8, 8, 3);
    rt::upsample(mode, in.view(), out.tensor());
    const std::vector<double> want = ref_upsample(in, 8, 8, mode == rt::Resize::Bilinear);
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(std::isnan(out.data[i]) == std::isnan(want[i]));
  }
}

TEST_CASE("conv2d writes into a channel slice of a wider tensor on every path, leaving the rest alone") {
  struct Case {
    std::string name;
    int h, w, in_c, out_c;
    rt::Window window;
    test::ConvPath path;
    rt::Epilogue epilogue;
  };
  const std::vector<Case> cases = {
      {"1x1 (the input as the GEMM's A)", 5, 6, 17, 35, rt::Window{}, &rt::conv2d, {rt::Activation::Relu6}},
      {"3x3 stride 2 (im2col)", 9, 8, 5, 17, {3, 3, 2, 2, 1, 1, 1, 1}, test::kIm2colPath, {rt::Activation::Gelu}},
      {"3x3 same, 32 -> 40 (Winograd)", 8, 7, 32, 40, {3, 3, 1, 1, 1, 1, 1, 1}, test::kWinogradPath,
       {rt::Activation::Relu}},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& cc = cases[i];
    INFO("case: " << cc.name);
    const Buffer in = test::random_buffer(2, cc.h, cc.w, cc.in_c, 8600 + unsigned(i));
    const std::vector<float> oihw =
        test::random_values(std::size_t(cc.out_c) * cc.in_c * cc.window.kh * cc.window.kw, 8610 + unsigned(i));
    const std::vector<float> bias = test::random_values(std::size_t(cc.out_c), 8620 + unsigned(i));
    const rt::ConvLayer conv = rt::pack_conv(oihw.data(), bias.data(), cc.out_c, cc.in_c, cc.window, cc.epilogue);
    const Buffer whole = test::run_conv(conv, in, 2, cc.path);
    // The slice: channels [3, 3 + out_c) of a tensor of out_c + 7 channels filled with a marker.
    const int wide = cc.out_c + 7;
    Buffer joined(whole.n, whole.h, whole.w, wide, -9.f);
    rt::Workspace ws;
    ws.configure(2, rt::conv2d_scratch_floats(conv, in.h, in.w));
    cc.path(conv, in.view(), rt::Tensor{joined.data.data() + 3, whole.n, whole.h, whole.w, cc.out_c, wide}, ws);
    std::vector<double> want;
    for (int img = 0; img < whole.n; ++img)
      for (int y = 0; y < whole.h; ++y)
        for (int x = 0; x < whole.w; ++x)
          for (int ch = 0; ch < wide; ++ch) {
            const bool inside = ch >= 3 && ch < 3 + cc.out_c;
            want.push_back(inside ? double(whole.data[whole.index(img, y, x, ch - 3)]) : -9.0);
          }
    test::check_close(joined, want, test::kExact);
  }
}

TEST_CASE("pooling and upsampling write into a channel slice of a wider tensor, leaving the rest alone") {
  const Buffer in = test::random_buffer(2, 7, 6, 5, 8700);
  struct Case {
    std::string name;
    int oh, ow;
    std::function<void(rt::ConstTensor, rt::Tensor)> run;
  };
  const rt::Window window{3, 3, 2, 2, 1, 1, 1, 1};
  const std::vector<Case> cases = {
      {"max_pool", 4, 3, [&](rt::ConstTensor i, rt::Tensor o) { rt::max_pool(window, i, o); }},
      {"avg_pool", 4, 3, [&](rt::ConstTensor i, rt::Tensor o) { rt::avg_pool(window, i, o); }},
      {"avg_pool_include_pad", 4, 3, [&](rt::ConstTensor i, rt::Tensor o) { rt::avg_pool_include_pad(window, i, o); }},
      {"nearest", 14, 12, [](rt::ConstTensor i, rt::Tensor o) { rt::upsample(rt::Resize::Nearest, i, o); }},
      {"bilinear", 11, 13, [](rt::ConstTensor i, rt::Tensor o) { rt::upsample(rt::Resize::Bilinear, i, o); }},
  };
  for (const Case& kc : cases) {
    INFO("kernel: " << kc.name);
    Buffer whole(2, kc.oh, kc.ow, 5);
    kc.run(in.view(), whole.tensor());
    Buffer joined(2, kc.oh, kc.ow, 12, -9.f);
    kc.run(in.view(), rt::Tensor{joined.data.data() + 4, 2, kc.oh, kc.ow, 5, 12});
    std::vector<double> want;
    for (int img = 0; img < 2; ++img)
      for (int y = 0; y < kc.oh; ++y)
        for (int x = 0; x < kc.ow; ++x)
          for (int ch = 0; ch < 12; ++ch)
            want.push_back(ch >= 4 && ch < 9 ? double(whole.data[whole.index(img, y, x, ch - 4)]) : -9.0);
    test::check_close(joined, want, test::kExact);
  }
}
