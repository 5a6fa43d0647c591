// activate, add, softmax and the per-channel affine (unfolded batch norm) against naive loops, in place too.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

// Single float operations and Eigen's vectorised exp / logistic / tanh: 1e-6 + 1e-5 * |want|.
constexpr test::Tolerance kElementTol{1e-6, 1e-5};

struct NamedEpilogue {
  std::string name;
  rt::Epilogue epilogue;
};
const std::vector<NamedEpilogue> kEpilogues = {
    {"linear", {}},
    {"relu", {rt::Activation::Relu}},
    {"leaky relu 0.1", {rt::Activation::LeakyRelu, 0.1f}},
    {"sigmoid", {rt::Activation::Sigmoid}},
    {"tanh", {rt::Activation::Tanh}},
    {"relu6", {rt::Activation::Relu6}},
    {"hard sigmoid", {rt::Activation::HardSigmoid}},
    {"hard swish", {rt::Activation::HardSwish}},
    {"swish", {rt::Activation::Swish}},
    {"gelu", {rt::Activation::Gelu}},
};

std::vector<double> activated(const Buffer& in, rt::Epilogue epilogue) {
  std::vector<double> out;
  for (const float v : in.data) out.push_back(test::ref_activation(v, epilogue));
  return out;
}

/// Random values in [-1, 1] with saturating extremes (+-30, +-9, 0) at the start of the first position.
Buffer activation_input() {
  Buffer in = test::random_buffer(3, 2, 3, 17, 900);
  const float extremes[] = {-30.f, 30.f, -9.f, 9.f, 0.f, -0.f};
  std::copy(std::begin(extremes), std::end(extremes), in.data.begin());
  return in;
}

/// Naive softmax over channels in double, max subtracted.
std::vector<double> ref_softmax(const Buffer& in) {
  std::vector<double> out(in.data.size());
  for (std::size_t p = 0; p < in.data.size(); p += in.c) {
    const double max = *std::max_element(in.data.begin() + p, in.data.begin() + p + in.c);
    double sum = 0;
    for (int ch = 0; ch < in.c; ++ch) sum += out[p + ch] = std::exp(in.data[p + ch] - max);
    for (int ch = 0; ch < in.c; ++ch) out[p + ch] /= sum;
  }
  return out;
}

}  // namespace

TEST_CASE("activate applies each activation, out of place and in place") {
  const Buffer in = activation_input();
  for (const NamedEpilogue& e : kEpilogues) {
    INFO("activation: " << e.name);
    const std::vector<double> want = activated(in, e.epilogue);
    Buffer out(in.n, in.h, in.w, in.c, std::nanf(""));
    rt::activate(in.view(), out.tensor(), e.epilogue);
    test::check_close(out, want, kElementTol);
    Buffer same = in;
    rt::activate(same.view(), same.tensor(), e.epilogue);
    test::check_close(same, want, kElementTol);
  }
}

TEST_CASE("add sums two tensors then applies the epilogue; out may alias a or b") {
  const Buffer a = test::random_buffer(3, 2, 3, 5, 910), b = test::random_buffer(3, 2, 3, 5, 911);
  for (const NamedEpilogue& e : kEpilogues) {
    INFO("epilogue: " << e.name);
    std::vector<double> want(a.data.size());
    for (std::size_t i = 0; i < want.size(); ++i)
      want[i] = test::ref_activation(double(a.data[i]) + b.data[i], e.epilogue);
    Buffer out(a.n, a.h, a.w, a.c, std::nanf("")), into_a = a, into_b = b;
    rt::add(a.view(), b.view(), out.tensor(), e.epilogue);
    rt::add(into_a.view(), b.view(), into_a.tensor(), e.epilogue);
    rt::add(a.view(), into_b.view(), into_b.tensor(), e.epilogue);
    for (const Buffer* got : {&out, &into_a, &into_b}) test::check_close(*got, want, kElementTol);
  }
  Buffer twice = a;  // a + a, all three the same buffer
  rt::add(twice.view(), twice.view(), twice.tensor(), {});
  std::vector<double> doubled(a.data.begin(), a.data.end());
  for (double& v : doubled) v *= 2;
  test::check_close(twice, doubled, test::kExact);
}

TEST_CASE("softmax over channels matches a naive softmax, in place, and survives large inputs") {
  Buffer in = test::random_buffer(2, 3, 2, 17, 920);
  SUBCASE("random inputs") {}
  SUBCASE("inputs near 1000 (exp would overflow without the max)") {
    for (float& v : in.data) v = v * 5 + 1000;
  }
  const std::vector<double> want = ref_softmax(in);
  Buffer out(in.n, in.h, in.w, in.c, std::nanf(""));
  rt::softmax(in.view(), out.tensor());
  test::check_close(out, want, kElementTol);
  rt::softmax(in.view(), in.tensor());
  test::check_close(in, want, kElementTol);
}

TEST_CASE("softmax over a single channel is 1") {
  Buffer in = test::random_buffer(3, 2, 2, 1, 930);
  rt::softmax(in.view(), in.tensor());
  test::check_close(in, std::vector<double>(in.data.size(), 1.0), kElementTol);
}

TEST_CASE("batch_norm_affine + channel_affine equal a naive batch norm then the activation") {
  const int channels = 17;
  const test::BatchNormParams bn(channels, 940);
  const Buffer in = test::random_buffer(3, 4, 3, channels, 945);
  for (const NamedEpilogue& e : kEpilogues) {
    INFO("epilogue: " << e.name);
    const rt::ChannelAffine affine = rt::batch_norm_affine(bn.gamma.data(), bn.beta.data(), bn.mean.data(),
                                                           bn.var.data(), bn.eps, channels, e.epilogue);
    std::vector<double> want(in.data.size());
    for (std::size_t i = 0; i < want.size(); ++i)
      want[i] = test::ref_activation(bn.apply(in.data[i], int(i % channels)), e.epilogue);
    Buffer out(in.n, in.h, in.w, in.c, std::nanf("")), same = in;
    rt::channel_affine(affine, in.view(), out.tensor());
    rt::channel_affine(affine, same.view(), same.tensor());
    test::check_close(out, want, kElementTol);
    test::check_close(same, want, kElementTol);
  }
}

TEST_CASE("channel_affine reads and writes channel slices of wider tensors, threaded too") {
  // The input is channels 3..19 of a 23-channel tensor (a concatenation's part), the output channels 2..18 of
  // a 20-channel one; the channels around both slices are left alone.
  const int channels = 17;
  const test::BatchNormParams bn(channels, 950);
  const rt::ChannelAffine affine = rt::batch_norm_affine(bn.gamma.data(), bn.beta.data(), bn.mean.data(),
                                                         bn.var.data(), bn.eps, channels, {rt::Activation::Relu});
  const Buffer wide = test::random_buffer(2, 5, 3, 23, 955);
  const rt::ConstTensor in(wide.data.data() + 3, 2, 5, 3, channels, 23);
  for (const int threads : {1, 2}) {
    INFO("threads: " << threads);
    Buffer out(2, 5, 3, 20, -7.f);
    rt::Workspace ws;
    ws.configure(threads, 0);
    rt::channel_affine(affine, in, rt::Tensor{out.data.data() + 2, 2, 5, 3, channels, 20}, ws);
    std::vector<double> want;
    for (int p = 0; p < 2 * 5 * 3; ++p)
      for (int ch = 0; ch < 20; ++ch)
        want.push_back(ch < 2 || ch >= 2 + channels
                           ? -7.0
                           : std::max(0.0, bn.apply(wide.data[std::size_t(p) * 23 + 3 + ch - 2], ch - 2)));
    test::check_close(out, want, kElementTol);
  }
  // In place on the slice: the wider tensor's other channels stay as they were.
  Buffer same = wide;
  const rt::Tensor slice{same.data.data() + 3, 2, 5, 3, channels, 23};
  rt::channel_affine(affine, slice, slice);
  std::vector<double> want;
  for (std::size_t i = 0; i < wide.data.size(); ++i) {
    const int ch = int(i % 23);
    want.push_back(ch < 3 || ch >= 3 + channels ? wide.data[i] : std::max(0.0, bn.apply(wide.data[i], ch - 3)));
  }
  test::check_close(same, want, kElementTol);
}
