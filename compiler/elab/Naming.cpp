// The naming scheme (see Naming.hpp and the README's "Layer names").
#include "elab/Naming.hpp"

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

void assign_names(Graph& graph, const std::vector<NameRequest>& requests, Diagnostics& diags) {
  std::map<std::string, NodeId> taken;
  for (Node& node : graph.nodes) {
    const NameRequest& r = requests[static_cast<std::size_t>(node.id)];
    if (!r.exact) continue;
    auto [it, inserted] = taken.emplace(*r.exact, node.id);
    if (!inserted) {
      Reporter report(diags, node.trace);
      Diagnostic& d = report.error(node.loc, fmt::format("duplicate layer name '{}'", *r.exact));
      const Node& first = graph.nodes[static_cast<std::size_t>(it->second)];
      d.notes.insert(d.notes.begin(), {Severity::Note, first.loc, fmt::format("'{}' is first used here", *r.exact), {}});
    }
    node.name = *r.exact;
  }
  std::map<std::string, int> next_suffix;  // keeps suffixing linear when many defaults share a base
  for (Node& node : graph.nodes) {
    const NameRequest& r = requests[static_cast<std::size_t>(node.id)];
    if (r.exact) continue;
    std::string base = r.prefix + (r.ref >= 0 ? graph.nodes[static_cast<std::size_t>(r.ref)].name : "") + r.suffix;
    std::string name = base;
    for (int& n = next_suffix[base]; taken.count(name);) name = fmt::format("{}_{}", base, ++n);
    taken.emplace(name, node.id);
    node.name = name;
  }
}

}  // namespace netc
