// `netc weights --random`: deterministic He-initialised weights for a model, with non-trivial batch norm
// statistics, written as safetensors under the model's layer names (for demos, tests and benchmarks).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <netc/safetensors.hpp>

#include "ir/Graph.hpp"

namespace netc {

/// The weights of the nodes that include accepts (every node when it is empty), drawn in graph order, in
/// memory (netc import's layers that a file lacks; the caller bounds their size).
std::vector<rt::NamedTensor> random_weights(const Graph& graph, std::uint64_t seed,
                                            const std::function<bool(const Node&)>& include = {});

/// Writes the weights, a chunk at a time (whatever the model, memory holds one chunk of values); the same
/// model, input, classes and seed give the same bytes on every platform. Throws netc::rt::WeightsError when
/// the weights take more than 16 GiB (before writing anything) or the file cannot be written.
void write_random_weights(const Graph& graph, std::uint64_t seed, const std::string& path);
/// Why write_random_weights would refuse this model's weights (more than 16 GiB, saying how large), or "".
std::string random_weights_size_error(const Graph& graph);

}  // namespace netc
