// IR printing (see IrDump.hpp). Example line:
//   %3 block1_conv2 = conv 64 3x3 same relu (%2) : 224x224x64  ; vgg16.net:3:5 <- 2:3
#include "ir/IrDump.hpp"

#include <fmt/format.h>

namespace netc {

std::string dump_ir(const Graph& graph, const SourceManager& sources) {
  std::string out = fmt::format("model {} input {}", graph.model, graph.input.str());
  if (graph.classes > 0) out += fmt::format(" classes {}", graph.classes);
  out += "\n";
  for (const Node& n : graph.nodes) {
    std::vector<std::string> inputs;
    for (NodeId in : n.inputs) inputs.push_back(fmt::format("%{}", in));
    std::string attributes = n.layer->attributes();
    std::string where = n.loc.valid() ? fmt::format("{}:{}:{}", sources.path(n.loc.file), n.loc.line, n.loc.column) : "";
    for (auto it = n.trace.rbegin(); it != n.trace.rend(); ++it) where += fmt::format(" <- {}:{}", it->loc.line, it->loc.column);
    out += fmt::format("%{} {} = {}{}{} ({}) : {}  ; {}\n", n.id, n.name, n.op().keyword, attributes.empty() ? "" : " ",
                       attributes, fmt::join(inputs, ", "), n.shape.dims.empty() ? "?" : n.shape.str(), where);
  }
  return out;
}

}  // namespace netc
