// The summary table (see Summary.hpp).
#include "report/Summary.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "passes/Memory.hpp"
#include "passes/ShapeInference.hpp"
#include "report/Format.hpp"

namespace netc {

namespace {

using Row = std::array<std::string, 5>;

// What a layer reads, when it is not simply the row above: an add's two inputs, a shortcut's start.
std::string connections(const Graph& graph, const Node& node) {
  auto name = [&](NodeId id) { return graph.nodes[static_cast<std::size_t>(id)].name; };
  if (node.inputs.size() == 2) return name(node.inputs[0]) + " + " + name(node.inputs[1]);
  if (node.inputs.size() == 1 && node.inputs[0] != node.id - 1) return "from " + name(node.inputs[0]);
  return "";
}

}  // namespace

std::string summarize(const Graph& graph, const SummaryExtras& extras) {
  std::vector<Row> rows{{"Layer (type)", "Output Shape", "Param #", "MACs", "Connected to"}};
  for (const Node& n : graph.nodes) {
    rows.push_back({fmt::format("{} ({})", n.name, n.op().summary_type), n.shape.keras(),
                    with_commas(n.trainable_params + n.non_trainable_params), with_commas(n.macs),
                    connections(graph, n)});
  }
  std::array<std::size_t, 5> width{};
  for (const Row& r : rows)
    for (std::size_t c = 0; c < 5; ++c) width[c] = std::max(width[c], r[c].size());
  std::size_t total_width = 1;
  for (std::size_t w : width) total_width += w + 2;

  std::string out = fmt::format("Model: \"{}\"", graph.model);
  if (!extras.source_path.empty()) out += fmt::format(" ({})", extras.source_path);
  out += fmt::format(", input {}", graph.input.str());
  if (graph.classes > 0) out += fmt::format(", {} classes", graph.classes);
  out += "\n" + std::string(total_width, '_') + "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    std::string line = fmt::format(" {:<{}}  {:<{}}  {:>{}}  {:>{}}  {}", r[0], width[0], r[1], width[1], r[2], width[2],
                                   r[3], width[3], r[4]);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
    if (i == 0) out += std::string(total_width, '=') + "\n";
  }
  out += std::string(total_width, '=') + "\n";
  ModelCounts c = count(graph);
  out += fmt::format("Total params: {} ({})\n", with_commas(c.total_params()), human_bytes(4.0 * static_cast<double>(c.total_params())));
  out += fmt::format("Trainable params: {} ({})\n", with_commas(c.trainable_params), human_bytes(4.0 * static_cast<double>(c.trainable_params)));
  out += fmt::format("Non-trainable params: {} ({})\n", with_commas(c.non_trainable_params),
                     human_bytes(4.0 * static_cast<double>(c.non_trainable_params)));
  std::int64_t flops = 0;
  out += __builtin_mul_overflow(c.macs, 2, &flops)
             ? fmt::format("Total MACs: {} (FLOPs = 2 x MACs)\n", with_commas(c.macs))
             : fmt::format("Total MACs: {} (FLOPs = 2 x MACs = {})\n", with_commas(c.macs), with_commas(flops));
  std::int64_t peak = peak_activation_bytes(graph);
  out += fmt::format("Peak activation memory: {} ({}) per image, sequential execution\n", with_commas(peak),
                     human_bytes(static_cast<double>(peak)));
  if (extras.arena_bytes >= 0)
    out += fmt::format("Activation arena (generated code): {} ({}) per image\n", with_commas(extras.arena_bytes),
                       human_bytes(static_cast<double>(extras.arena_bytes)));
  out += std::string(total_width, '_') + "\n";
  return out;
}

}  // namespace netc
