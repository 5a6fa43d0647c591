// The Graphviz emitter (see DotEmitter.hpp). Layers with weights are blue, joins yellow, the rest grey;
// a collapsed block use, box or repeat is a 3D box that sums its layers' parameters.
#include "emit/DotEmitter.hpp"

#include <set>

#include <fmt/format.h>

#include "report/Format.hpp"
#include "report/Nesting.hpp"

namespace netc {

namespace {

// Text inside a DOT double-quoted string; line breaks become DOT's \n, other control characters '?'.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (ch == '\n') out += "\\n";
    else out += static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F ? '?' : ch;
  }
  return out + "\"";
}

std::string params_text(std::int64_t params) {
  return params == 0 ? "" : fmt::format(", {} param{}", with_commas(params), params == 1 ? "" : "s");
}

// A layer: its name, its kind and attributes as .net writes them (not for the input, whose only attribute is
// its shape), its output shape and parameters.
std::string layer_node(const Node& n) {
  std::string attributes = n.layer->attributes();
  std::string kind = std::string(n.op().keyword) + (attributes.empty() ? "" : " " + attributes);
  std::string label = n.inputs.empty() ? n.name : n.name + "\n" + kind;
  std::int64_t params = n.trainable_params + n.non_trainable_params;
  const char* fill = params > 0 ? "#dae8fc" : n.layer->arity() > 1 ? "#fff2cc" : "#f5f5f5";
  return fmt::format("n{} [label={}, fillcolor=\"{}\"];", n.id,
                     quoted(fmt::format("{}\n{}{}", label, n.shape.str(), params_text(params))), fill);
}

// What a collapsed group adds up to: its layers, their parameters, its last layer (whose output leaves it).
struct GroupTotal {
  std::int64_t layers = 0, params = 0;
  const Node* last = nullptr;
};

std::vector<GroupTotal> group_totals(const Graph& graph, const Nesting& nest, std::optional<int> depth) {
  std::vector<GroupTotal> totals(nest.groups.size());
  for (const Node& n : graph.nodes) {
    int group = nest.collapsed_into(n.id, depth);
    if (group < 0) continue;
    GroupTotal& t = totals[static_cast<std::size_t>(group)];
    ++t.layers;
    t.params += n.trainable_params + n.non_trainable_params;
    t.last = &n;
  }
  return totals;
}

// One node for a collapsed group: its label, its layer count, its output's shape and its parameters.
std::string group_node(const Nesting& nest, int group, const GroupTotal& t) {
  return fmt::format("g{} [label={}, shape=box3d, fillcolor=\"#e1d5e7\"];", group,
                     quoted(fmt::format("{}\n{} layer{}\n{}{}", nest.groups[static_cast<std::size_t>(group)].label,
                                        t.layers, t.layers == 1 ? "" : "s", t.last->shape.str(), params_text(t.params))));
}

std::string node_id(const Nesting& nest, NodeId id, std::optional<int> depth) {
  int group = nest.collapsed_into(id, depth);
  return group < 0 ? fmt::format("n{}", id) : fmt::format("g{}", group);
}

// The nodes inside their clusters: clusters open and close as consecutive nodes enter and leave them.
std::string body(const Graph& graph, const Nesting& nest, std::optional<int> depth) {
  std::string out;
  std::vector<int> open;
  std::set<int> drawn;
  std::vector<GroupTotal> totals = group_totals(graph, nest, depth);
  for (const Node& n : graph.nodes) {
    const std::vector<int>& path = nest.path[static_cast<std::size_t>(n.id)];
    std::size_t clusters = depth ? std::min<std::size_t>(path.size(), static_cast<std::size_t>(*depth)) : path.size();
    std::size_t keep = 0;
    while (keep < open.size() && keep < clusters && open[keep] == path[keep]) ++keep;
    for (; open.size() > keep; open.pop_back()) out += std::string(2 * open.size(), ' ') + "}\n";
    for (; open.size() < clusters; open.push_back(path[open.size()])) {
      const Group& g = nest.groups[static_cast<std::size_t>(path[open.size()])];
      std::string indent(2 * (open.size() + 1), ' ');
      out += fmt::format("{}subgraph cluster_{} {{\n{}  label={}; style=\"rounded,dashed\"; color=\"#888888\";\n",
                         indent, path[open.size()], indent, quoted(g.label));
    }
    std::string indent(2 * (open.size() + 1), ' ');
    int group = nest.collapsed_into(n.id, depth);
    if (group < 0) out += indent + layer_node(n) + "\n";
    else if (drawn.insert(group).second) out += indent + group_node(nest, group, totals[static_cast<std::size_t>(group)]) + "\n";
  }
  for (; !open.empty(); open.pop_back()) out += std::string(2 * open.size(), ' ') + "}\n";
  return out;
}

std::string edges(const Graph& graph, const Nesting& nest, std::optional<int> depth) {
  std::string out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const Node& n : graph.nodes) {
    std::string to = node_id(nest, n.id, depth);
    for (NodeId in : n.inputs) {
      std::string from = node_id(nest, in, depth);
      if (from != to && seen.emplace(from, to).second) out += fmt::format("  {} -> {};\n", from, to);
    }
  }
  return out;
}

}  // namespace

std::string emit_dot(const Graph& graph, const DotOptions& options) {
  Nesting nest = nesting(graph);
  std::string title = fmt::format("{}: input {}", graph.model, graph.input.str());
  if (graph.classes > 0) title += fmt::format(", {} classes", graph.classes);
  std::string out = fmt::format("// Generated by netc {} from {}.\n", NETC_VERSION, quoted(options.source_path));
  out += fmt::format("digraph {} {{\n", quoted(graph.model));
  out += fmt::format("  graph [label={}, labelloc=t, fontname=\"Helvetica\", fontsize=12];\n", quoted(title));
  out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [color=\"#555555\"];\n";
  return out + body(graph, nest, options.depth) + edges(graph, nest, options.depth) + "}\n";
}

}  // namespace netc
