// The epilogue: per-channel bias, then relu / leaky relu / sigmoid / tanh, as lazy Eigen array expressions.
#include "epilogue.hpp"

namespace netc::rt::detail {

// relu max(0, x); leaky relu x > 0 ? x : alpha * x; sigmoid 1 / (1 + e^-x) (Eigen's logistic); tanh.
void activate_span(const float* in, float* out, Index count, Epilogue epilogue) {
  const Eigen::Map<const Eigen::ArrayXf> x(in, count);
  Eigen::Map<Eigen::ArrayXf> y(out, count);
  switch (epilogue.activation) {
    case Activation::Linear:
      if (out != in) y = x;
      return;
    case Activation::Relu: y = x.max(0.f); return;
    case Activation::LeakyRelu: y = (x > 0.f).select(x, x * epilogue.alpha); return;
    case Activation::Sigmoid: y = x.logistic(); return;
    case Activation::Tanh: y = x.tanh(); return;
  }
}

void apply_epilogue(MapRM rows, const float* bias, Epilogue epilogue) {
  if (bias != nullptr) rows.rowwise() += ConstVectorMap(bias, rows.cols()).transpose();
  activate_span(rows.data(), rows.data(), rows.size(), epilogue);
}

}  // namespace netc::rt::detail
