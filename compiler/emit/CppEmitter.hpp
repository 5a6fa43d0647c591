// The C++ emitter: a lowered model becomes NAME.hpp and NAME.cpp, a class that loads safetensors weights
// (from a file, memory or its library) and runs forward() on a batch in a caller's context, depending on the
// netc runtime's headers only.
#pragma once

#include <string>

#include "diag/Source.hpp"
#include "ir/Graph.hpp"
#include "passes/Lower.hpp"

namespace netc {

struct EmitOptions {
  std::string name;          // file base name, also the class name's source (vgg16 -> class Vgg16)
  std::string source_path;   // the .net file, for the header comment
  std::string command;       // the command line, for the header comment
};

struct CppFiles {
  std::string header;  // NAME.hpp
  std::string source;  // NAME.cpp
};

/// The model's files; `sources` names the .net files in the per-step comments.
CppFiles emit_cpp(const Graph& graph, const Plan& plan, const SourceManager& sources, const EmitOptions& options);

}  // namespace netc
