// The PyTorch emitter: a model becomes NAME.py, a torch.nn.Module whose state_dict() keys and shapes are
// exactly the weights the generated C++ loads, so a model defined once in .net trains in PyTorch and runs
// in C++.
#pragma once

#include <string>

#include "diag/Diagnostics.hpp"
#include "emit/CppEmitter.hpp"
#include "ir/Graph.hpp"

namespace netc {

/// The module's Python source, or nothing (reported) when a layer name cannot be a module attribute.
std::optional<std::string> emit_pytorch(const Graph& graph, const SourceManager& sources, const EmitOptions& options,
                                        Diagnostics& diags);

}  // namespace netc
