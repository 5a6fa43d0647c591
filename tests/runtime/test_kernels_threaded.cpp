// The workspace forms of the pooling, padding and elementwise kernels split rows (or floats) over threads:
// on 1, 2 and 3 threads they give the same bits as the caller-thread forms, which the other tests check
// against naive references; shapes large enough for several pieces per thread, in place where allowed.
#include <doctest/doctest.h>

#include "test_kernels_support.hpp"

namespace {

using namespace netc;
using netc::test::Buffer;

/// Runs f(ws) on workspaces of 1, 2 and 3 threads and checks each result against `want`.
template <class F>
void check_threads(const Buffer& want, F&& f) {
  for (const int threads : {1, 2, 3}) {
    INFO("threads " << threads);
    rt::Workspace ws;
    ws.configure(threads, 0);
    test::check_identical(want, f(ws));
  }
}

const rt::Epilogue kRelu{rt::Activation::Relu}, kLeaky{rt::Activation::LeakyRelu, 0.2f},
    kSigmoid{rt::Activation::Sigmoid}, kTanh{rt::Activation::Tanh};

}  // namespace

TEST_CASE("max_pool, avg_pool and zero_pad with a workspace equal their caller-thread forms") {
  const Buffer in = test::random_buffer(3, 37, 29, 19, 4000);
  const rt::Window win{3, 2, 2, 1, 1, 0, 0, 1};
  Buffer max_want(3, win.out_h(37), win.out_w(29), 19), avg_want = max_want, pad_want(3, 40, 32, 19);
  rt::max_pool(win, in.view(), max_want.tensor());
  rt::avg_pool(win, in.view(), avg_want.tensor());
  rt::zero_pad(in.view(), pad_want.tensor(), 2, 1, 0, 3);
  check_threads(max_want, [&](rt::Workspace& ws) {
    Buffer out(3, win.out_h(37), win.out_w(29), 19, -1.f);
    rt::max_pool(win, in.view(), out.tensor(), ws);
    return out;
  });
  check_threads(avg_want, [&](rt::Workspace& ws) {
    Buffer out(3, win.out_h(37), win.out_w(29), 19, -1.f);
    rt::avg_pool(win, in.view(), out.tensor(), ws);
    return out;
  });
  check_threads(pad_want, [&](rt::Workspace& ws) {
    Buffer out(3, 40, 32, 19, -1.f);
    rt::zero_pad(in.view(), out.tensor(), 2, 1, 0, 3, ws);
    return out;
  });
}

TEST_CASE("add, activate and channel_affine with a workspace equal their caller-thread forms, in place too") {
  const Buffer a = test::random_buffer(2, 61, 67, 17, 4010, -3.f, 3.f), b = test::random_buffer(2, 61, 67, 17, 4011);
  const test::BatchNormParams bn(17, 4012);
  for (const rt::Epilogue& e : {kRelu, kLeaky, kSigmoid, kTanh}) {
    INFO("activation " << int(e.activation));
    Buffer sum = a, act = a, affine = a;
    rt::add(a.view(), b.view(), sum.tensor(), e);
    rt::activate(a.view(), act.tensor(), e);
    const rt::ChannelAffine ca = rt::batch_norm_affine(bn.gamma.data(), bn.beta.data(), bn.mean.data(), bn.var.data(),
                                                       bn.eps, 17, e);
    rt::channel_affine(ca, a.view(), affine.tensor());
    check_threads(sum, [&](rt::Workspace& ws) {
      Buffer out = a;  // in place: out aliases a
      rt::add(out.view(), b.view(), out.tensor(), e, ws);
      return out;
    });
    check_threads(act, [&](rt::Workspace& ws) {
      Buffer out = a;
      rt::activate(out.view(), out.tensor(), e, ws);
      return out;
    });
    check_threads(affine, [&](rt::Workspace& ws) {
      Buffer out(2, 61, 67, 17);
      rt::channel_affine(ca, a.view(), out.tensor(), ws);
      return out;
    });
  }
}
