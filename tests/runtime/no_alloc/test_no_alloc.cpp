// conv2d (every path, grouped and dilated too), depthwise_conv2d and dense allocate nothing once the workspace is configured: allocations are counted
// while a kernel runs (count_allocations.cpp). Its own executable, since the replacements are program-wide.
#include <doctest/doctest.h>

#include <cstdlib>
#include <vector>

#include "count_allocations.hpp"
#include "detail.hpp"
#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::allocations_in;

/// A convolution run twice on a 2-thread workspace (the first call may not allocate either).
long conv_allocations(const rt::ConvLayer& conv, const test::Buffer& in, test::ConvPath path) {
  test::Buffer out(in.n, conv.window.out_h(in.h), conv.window.out_w(in.w), conv.out_c);
  rt::Workspace ws;
  ws.configure(2, rt::conv2d_scratch_floats(conv, in.h, in.w));
  return allocations_in([&] {
    for (int i = 0; i < 2; ++i) path(conv, in.view(), out.tensor(), ws);
  });
}

}  // namespace

TEST_CASE("the counters see allocations (so the checks below can fail)") {
  static void* volatile sink = nullptr;  // volatile: the compiler may not elide the allocations
  CHECK(allocations_in([] { sink = ::operator new(16); ::operator delete(sink); }) == 1);
  CHECK(allocations_in([] { std::vector<float> v(100); sink = v.data(); }) == 1);
  if (test::kCountsMalloc) CHECK(allocations_in([] { sink = std::malloc(16); std::free(sink); }) == 1);
}

TEST_CASE("conv2d allocates nothing on any path once the workspace is configured") {
  const rt::Epilogue relu{rt::Activation::Relu}, sigmoid{rt::Activation::Sigmoid};
  const test::Buffer in = test::random_buffer(2, 16, 15, 64, 3000);
  const std::vector<float> w = test::random_values(std::size_t(64) * 64 * 9, 3001);
  const rt::ConvLayer pointwise = rt::pack_conv(w.data(), nullptr, 64, 64, rt::Window{}, relu);
  const rt::ConvLayer im2col = rt::pack_conv(w.data(), nullptr, 64, 64, {3, 3, 2, 2, 1, 1, 1, 1}, sigmoid);
  const rt::ConvLayer winograd = rt::pack_conv(w.data(), nullptr, 64, 64, {3, 3, 1, 1, 1, 1, 1, 1}, relu);
  REQUIRE(rt::detail::use_winograd(winograd, in.view()));
  CHECK(conv_allocations(pointwise, in, &rt::conv2d) == 0);
  CHECK(conv_allocations(im2col, in, &rt::conv2d) == 0);
  CHECK(conv_allocations(winograd, in, &rt::conv2d) == 0);
  CHECK(conv_allocations(winograd, in, test::kIm2colPath) == 0);  // the same layer's GEMM fallback
  test::Buffer out(2, 16, 15, 64);
  rt::Workspace ws;
  ws.configure(2, rt::conv2d_scratch_floats(winograd, 16, 15));
  for (const rt::ConvLayer* conv : {&pointwise, &winograd})
    CHECK(allocations_in([&] { rt::conv2d_residual(*conv, in.view(), out.view(), out.tensor(), ws); }) == 0);
}

TEST_CASE("grouped and dilated conv2d and the depthwise kernel allocate nothing") {
  const rt::Epilogue relu{rt::Activation::Relu};
  const test::Buffer in = test::random_buffer(2, 16, 15, 64, 3100);
  const std::vector<float> w = test::random_values(std::size_t(64) * 64 * 9, 3101);
  rt::Window dilated{3, 3, 1, 1, 2, 2, 2, 2};
  dilated.dilation_h = dilated.dilation_w = 2;
  CHECK(conv_allocations(rt::pack_conv(w.data(), nullptr, 64, 64, {3, 3, 1, 1, 1, 1, 1, 1}, relu, 16), in, &rt::conv2d) == 0);
  CHECK(conv_allocations(rt::pack_conv(w.data(), nullptr, 64, 64, rt::Window{}, relu, 4), in, &rt::conv2d) == 0);
  CHECK(conv_allocations(rt::pack_conv(w.data(), nullptr, 64, 64, dilated, relu), in, &rt::conv2d) == 0);
  const rt::DepthwiseLayer dw = rt::pack_depthwise(w.data(), nullptr, 64, 2, {3, 3, 2, 2, 1, 1, 1, 1}, relu);
  test::Buffer out(2, 8, 8, 128);
  rt::Workspace ws;
  ws.configure(2, 0);
  CHECK(allocations_in([&] { rt::depthwise_conv2d(dw, in.view(), out.tensor(), ws); }) == 0);
}

TEST_CASE("dense allocates nothing, at batch 1 and batch 8") {
  const std::vector<float> w = test::random_values(std::size_t(300) * 200, 3010);
  const rt::DenseLayer layer = rt::pack_dense(w.data(), nullptr, 300, 200, {rt::Activation::Tanh});
  for (const int batch : {1, 8}) {
    const test::Buffer in = test::random_buffer(batch, 1, 1, 200, 3011);
    test::Buffer out(batch, 1, 1, 300);
    rt::Workspace ws;
    ws.configure(2, 0);
    CHECK(allocations_in([&] { rt::dense(layer, in.view(), out.tensor(), ws); }) == 0);
  }
}

TEST_CASE("the workspace forms of pooling, padding and the elementwise kernels allocate nothing") {
  const test::Buffer in = test::random_buffer(2, 20, 18, 33, 3020);
  test::Buffer pooled(2, 10, 9, 33), padded(2, 22, 20, 33), out = in;
  const test::BatchNormParams bn(33, 3021);
  const rt::ChannelAffine affine =
      rt::batch_norm_affine(bn.gamma.data(), bn.beta.data(), bn.mean.data(), bn.var.data(), bn.eps, 33, {});
  rt::Workspace ws;
  ws.configure(2, 0);
  CHECK(allocations_in([&] {
          rt::max_pool({2, 2, 2, 2, 0, 0, 0, 0}, in.view(), pooled.tensor(), ws);
          rt::avg_pool({2, 2, 2, 2, 0, 0, 0, 0}, in.view(), pooled.tensor(), ws);
          rt::zero_pad(in.view(), padded.tensor(), 1, 1, 1, 1, ws);
          rt::add(in.view(), in.view(), out.tensor(), {rt::Activation::Relu}, ws);
          rt::activate(in.view(), out.tensor(), {rt::Activation::Sigmoid}, ws);
          rt::channel_affine(affine, in.view(), out.tensor(), ws);
        }) == 0);
}

TEST_CASE("the kernels of concatenation, upsampling, global max pooling and the new activations allocate nothing") {
  const test::Buffer in = test::random_buffer(2, 20, 18, 33, 3030);
  test::Buffer pooled(2, 10, 9, 33), joined(2, 20, 18, 40), big(2, 37, 41, 33), flat(2, 1, 1, 33), out = in;
  rt::Workspace ws;
  ws.configure(2, 0);
  CHECK(allocations_in([&] {
          rt::avg_pool_include_pad({3, 3, 2, 2, 1, 1, 1, 1}, in.view(), pooled.tensor(), ws);
          rt::global_max_pool(in.view(), flat.tensor(), ws);
          rt::copy_channels(in.view(), joined.tensor(), 7, ws);
          rt::upsample(rt::Resize::Nearest, in.view(), big.tensor(), ws);
          rt::upsample(rt::Resize::Bilinear, in.view(), big.tensor(), ws);
          for (rt::Activation a : {rt::Activation::Relu6, rt::Activation::HardSigmoid, rt::Activation::HardSwish,
                                   rt::Activation::Swish, rt::Activation::Gelu})
            rt::activate(in.view(), out.tensor(), {a}, ws);
        }) == 0);
}
