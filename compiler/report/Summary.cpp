// The summary table (see Summary.hpp).
#include "report/Summary.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "passes/Memory.hpp"
#include "passes/ShapeInference.hpp"
#include "report/Format.hpp"
#include "report/Nesting.hpp"

namespace netc {

namespace {

using Row = std::array<std::string, 5>;
constexpr std::size_t kNameColumn = 0, kConnectionsColumn = 4;

// The name shown for what stands for a node: itself, or the collapsed group it is in.
std::string shown_name(const Graph& graph, const Nesting& nest, NodeId id, std::optional<int> depth) {
  int group = nest.collapsed_into(id, depth);
  return group < 0 ? graph.nodes[static_cast<std::size_t>(id)].name : nest.groups[static_cast<std::size_t>(group)].label;
}

// What a row reads, when it is not simply the row above: a join's inputs (an add's "a + b", a concat's
// "a, b, c", separated by `join`), a shortcut's start, the tensors that enter a collapsed group from elsewhere.
std::string connections(const std::vector<std::string>& sources, const std::string& previous_row,
                        std::string_view join) {
  if (sources.empty() || (sources.size() == 1 && sources[0] == previous_row)) return "";
  std::string out = sources.size() > 1 && !join.empty() ? "" : "from ";
  std::string separator(join.empty() ? ", " : join);
  for (std::size_t i = 0; i < sources.size(); ++i) out += (i == 0 ? "" : separator) + sources[i];
  return out;
}

// One row per node, or per collapsed group (its layers' parameters and MACs summed, its last layer's shape).
std::vector<Row> layer_rows(const Graph& graph, std::optional<int> depth) {
  Nesting nest = depth ? nesting(graph) : Nesting{{}, std::vector<std::vector<int>>(graph.nodes.size())};
  std::vector<Row> rows;
  std::string previous;
  for (std::size_t i = 0; i < graph.nodes.size();) {
    int group = nest.collapsed_into(static_cast<NodeId>(i), depth);
    std::size_t end = i + 1;
    while (group >= 0 && end < graph.nodes.size() && nest.collapsed_into(static_cast<NodeId>(end), depth) == group) ++end;
    std::int64_t params = 0, macs = 0;
    std::vector<std::string> sources;
    for (std::size_t k = i; k < end; ++k) {
      const Node& n = graph.nodes[k];
      params += n.trainable_params + n.non_trainable_params;
      macs += n.macs;
      for (NodeId in : n.inputs) {
        if (static_cast<std::size_t>(in) >= i) continue;  // made inside the group
        std::string source = shown_name(graph, nest, in, depth);
        if (std::find(sources.begin(), sources.end(), source) == sources.end()) sources.push_back(source);
      }
    }
    const Node& last = graph.nodes[end - 1];
    std::string name = group < 0 ? fmt::format("{} ({})", last.name, last.op().summary_type)
                                 : nest.groups[static_cast<std::size_t>(group)].label;
    std::string_view join = group < 0 && last.inputs.size() >= 2 ? last.op().summary_join : "";
    rows.push_back(
        {name, last.shape.keras(), with_commas(params), with_commas(macs), connections(sources, previous, join)});
    previous = shown_name(graph, nest, static_cast<NodeId>(end - 1), depth);
    i = end;
  }
  return rows;
}

// Text cut to `width` characters by taking out its middle ("res2a_br...branch2a").
std::string shortened(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  std::size_t keep = width > 3 ? width - 3 : 0, head = keep / 2;
  return text.substr(0, head) + "..." + text.substr(text.size() - (keep - head));
}

// A "name (Type)" cell cut to `width`: the type first (to its head, then dropped), the name last.
std::string shortened_layer(const std::string& text, std::size_t width) {
  std::size_t open = text.rfind(" (");
  if (text.size() <= width || open == std::string::npos || text.back() != ')') return shortened(text, width);
  std::string name = text.substr(0, open), type = text.substr(open + 2, text.size() - open - 3);
  if (name.size() + 7 <= width) return name + " (" + type.substr(0, width - name.size() - 5) + "..)";
  return shortened(name, width);
}

// Column widths that fit `columns` when they can. Cut first: the layers' types, then the connections, then
// the layers' names (each to no less than a readable minimum); shapes and numbers never are.
std::array<std::size_t, 5> fit_widths(const std::vector<Row>& rows, std::array<std::size_t, 5> width,
                                      std::size_t columns) {
  std::size_t names = 0;  // the longest layer name without its type
  for (const Row& r : rows) names = std::max(names, r[kNameColumn].substr(0, r[kNameColumn].rfind(" (")).size());
  auto total = [&] { return 11 + width[0] + width[1] + width[2] + width[3] + width[4]; };
  const std::pair<std::size_t, std::size_t> order[] = {
      {kNameColumn, std::max<std::size_t>(16, names + 7)}, {kConnectionsColumn, 12}, {kNameColumn, 16}};
  for (auto [column, minimum] : order) {
    if (columns == 0 || total() <= columns || width[column] <= minimum) continue;
    width[column] = std::max(minimum, width[column] - std::min(width[column], total() - columns));
  }
  return width;
}

std::string table(std::vector<Row> rows, std::size_t columns, std::string& rule) {
  std::array<std::size_t, 5> width{};
  for (const Row& r : rows)
    for (std::size_t c = 0; c < 5; ++c) width[c] = std::max(width[c], r[c].size());
  width = fit_widths(rows, width, columns);
  rule = std::string(11 + width[0] + width[1] + width[2] + width[3] + width[4], '_');
  std::string out = rule + "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Row& r = rows[i];
    r[kNameColumn] = shortened_layer(r[kNameColumn], width[kNameColumn]);
    r[kConnectionsColumn] = shortened(r[kConnectionsColumn], width[kConnectionsColumn]);
    std::string line = fmt::format(" {:<{}}  {:<{}}  {:>{}}  {:>{}}  {}", r[0], width[0], r[1], width[1], r[2], width[2],
                                   r[3], width[3], r[4]);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
    if (i == 0) out += std::string(rule.size(), '=') + "\n";
  }
  return out + std::string(rule.size(), '=') + "\n";
}

std::string totals(const Graph& graph, const SummaryExtras& extras) {
  ModelCounts c = count(graph);
  auto line = [](const char* what, std::int64_t n) {
    return fmt::format("{}: {} ({})\n", what, with_commas(n), human_bytes(4.0 * static_cast<double>(n)));
  };
  std::string out = line("Total params", c.total_params()) + line("Trainable params", c.trainable_params) +
                    line("Non-trainable params", c.non_trainable_params);
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
  return out;
}

}  // namespace

std::string summarize(const Graph& graph, const SummaryExtras& extras) {
  std::vector<Row> rows{{"Layer (type)", "Output Shape", "Param #", "MACs", "Connected to"}};
  for (Row& r : layer_rows(graph, extras.depth)) rows.push_back(std::move(r));
  std::string out = fmt::format("Model: \"{}\"", graph.model);
  if (!extras.source_path.empty()) out += fmt::format(" ({})", extras.source_path);
  out += fmt::format(", input {}", graph.input.str());
  if (graph.classes > 0) out += fmt::format(", {} classes", graph.classes);
  std::string rule;
  out += "\n" + table(std::move(rows), extras.columns, rule);
  return out + totals(graph, extras) + rule + "\n";
}

}  // namespace netc
