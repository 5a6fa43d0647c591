// The runtime's one door to Eigen: the only header that includes it, with the aliases the runtime's Eigen code
// uses. Only code compiled for the baseline instruction set includes it (transcendental.cpp), never the
// kernels of kernels/, and never a public header: applications do not see Eigen.
#pragma once

#include <Eigen/Core>

#include "netc/runtime.hpp"

namespace netc::rt::detail {

using MatrixRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MapRM = Eigen::Map<MatrixRM>;
using ConstMapRM = Eigen::Map<const MatrixRM>;

}  // namespace netc::rt::detail
