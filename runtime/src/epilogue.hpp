// The runtime's private helpers: the epilogue (bias, then activation) that kernels end with.
#pragma once

#include "netc/runtime.hpp"

namespace netc::rt::detail {

/// out[i] = activation(in[i]) for count floats; out may equal in (not partially overlap it).
void activate_span(const float* in, float* out, Index count, Epilogue epilogue);

/// rows[i][:] = epilogue(rows[i][:] + bias) in place; bias has rows.cols() floats, or is nullptr for none.
void apply_epilogue(MapRM rows, const float* bias, Epilogue epilogue);

/// The bias pointer a kernel passes to apply_epilogue: nullptr when the layer carries no bias.
inline const float* bias_or_null(const std::vector<float>& bias) { return bias.empty() ? nullptr : bias.data(); }

}  // namespace netc::rt::detail
