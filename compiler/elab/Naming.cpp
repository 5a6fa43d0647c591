// The naming scheme (see Naming.hpp and the README's "Layer names").
#include "elab/Naming.hpp"

#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

namespace netc {

NameRequest request_name(NameScope& scope, const OpInfo& op, const Layer& layer,
                         const std::optional<std::string>& explicit_name, bool closer) {
  std::string stem(op.stem);
  int k = closer ? 0 : ++scope.counters[stem];
  switch (scope.kind) {
    case NameScope::Kind::Model:
      if (explicit_name) return {*explicit_name};
      if (op.keyword == "batchnorm" && scope.previous != 0) return {std::nullopt, "bn_", scope.previous, ""};
      if (!layer.name_hint().empty()) return {std::nullopt, stem + layer.name_hint()};
      return {std::nullopt, fmt::format("{}{}", stem, k)};
    case NameScope::Kind::Box:
      if (explicit_name) return {scope.prefix + *explicit_name};
      if (closer) return {std::nullopt, scope.prefix + stem};
      return {std::nullopt, fmt::format("{}{}{}", scope.prefix, stem, k)};
    case NameScope::Kind::Block: {
      if (explicit_name) scope.label = explicit_name;
      std::string name = std::string(op.block_stem) + scope.prefix + (scope.label ? "_" + *scope.label : "");
      if (explicit_name) return {name};
      return {std::nullopt, name};
    }
  }
  return {};
}

// Names are kept once, in the nodes; the sets of names taken point into them (graph.nodes does not move here).
void assign_names(Graph& graph, std::vector<NameRequest> requests, Diagnostics& diags) {
  std::unordered_map<std::string_view, NodeId> taken;
  taken.reserve(graph.nodes.size());
  for (Node& node : graph.nodes) {
    NameRequest& r = requests[static_cast<std::size_t>(node.id)];
    if (!r.exact) continue;
    node.name = std::move(*r.exact);
    auto [it, inserted] = taken.emplace(node.name, node.id);
    if (!inserted) {
      Reporter report(diags, node.trace);
      Diagnostic& d = report.error(node.loc, fmt::format("duplicate layer name '{}'", node.name));
      const Node& first = graph.nodes[static_cast<std::size_t>(it->second)];
      d.notes.insert(d.notes.begin(), {Severity::Note, first.loc, fmt::format("'{}' is first used here", node.name), {}});
    }
  }
  std::map<std::string, int, std::less<>> next_suffix;  // keeps suffixing linear when many defaults share a base
  for (Node& node : graph.nodes) {
    NameRequest& r = requests[static_cast<std::size_t>(node.id)];
    if (r.exact) continue;
    std::string name = std::move(r.prefix);
    if (r.ref >= 0) name += graph.nodes[static_cast<std::size_t>(r.ref)].name;
    name += r.suffix;
    if (taken.count(name)) {
      auto base = next_suffix.try_emplace(name, 0).first;
      std::string candidate;
      do candidate = fmt::format("{}_{}", base->first, ++base->second);
      while (taken.count(candidate));
      name = std::move(candidate);
    }
    node.name = std::move(name);
    taken.emplace(node.name, node.id);
  }
}

}  // namespace netc
