// Activation memory: the peak that a sequential execution of the graph holds at once.
#pragma once

#include <cstdint>

#include "ir/Graph.hpp"

namespace netc {

/// Peak bytes of float32 activations for one image when the nodes run in order and each tensor is freed
/// after its last reader (the input included, the output kept): max over steps of the live tensors'
/// sizes. No tensor shares memory with another here; the code generator's arena plan goes further.
std::int64_t peak_activation_bytes(const Graph& graph);

}  // namespace netc
