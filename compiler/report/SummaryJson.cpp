// The summary as JSON (see SummaryJson.hpp; the schema is docs/summary.schema.json).
#include "report/SummaryJson.hpp"

#include <nlohmann/json.hpp>

#include "passes/Memory.hpp"
#include "passes/ShapeInference.hpp"
#include "report/Nesting.hpp"

namespace netc {

namespace {

using nlohmann::ordered_json;

ordered_json location(const SourceLoc& loc, const SourceManager& sources) {
  if (!loc.valid() || loc.file > sources.size()) return nullptr;
  return {{"file", sources.path(loc.file)}, {"line", loc.line}, {"column", loc.column}};
}

ordered_json layer(const Graph& graph, const Node& n, const SourceManager& sources) {
  ordered_json inputs = ordered_json::array();
  for (NodeId in : n.inputs) inputs.push_back(graph.nodes[static_cast<std::size_t>(in)].name);
  ordered_json uses = ordered_json::array();
  for (const UseSite& site : n.trace.sites())
    uses.push_back({{"label", group_label(site.what)}, {"note", site.what}, {"location", location(site.loc, sources)}});
  return {{"name", n.name},
          {"kind", n.op().keyword},
          {"type", n.op().summary_type},
          {"attributes", n.layer->attributes()},
          {"inputs", inputs},
          {"output_shape", n.shape.dims},
          {"params", {{"trainable", n.trainable_params}, {"non_trainable", n.non_trainable_params},
                      {"total", n.trainable_params + n.non_trainable_params}}},
          {"macs", n.macs},
          {"location", location(n.loc, sources)},
          {"block_uses", uses}};
}

// The document: two-space indentation at the top, one line per layer (a model may have a million).
std::string dump(const ordered_json& doc) {
  auto compact = [](const ordered_json& j) { return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace); };
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : doc.items()) {
    out += std::string(first ? "\n" : ",\n") + "  " + compact(key) + ": ";
    first = false;
    if (key != "layers") {
      out += compact(value);
      continue;
    }
    out += "[";
    for (std::size_t i = 0; i < value.size(); ++i) out += (i == 0 ? "\n    " : ",\n    ") + compact(value[i]);
    out += value.empty() ? "]" : "\n  ]";
  }
  return out + "\n}\n";
}

}  // namespace

std::string summary_json(const Graph& graph, const SummaryExtras& extras, const SourceManager& sources) {
  ordered_json layers = ordered_json::array();
  for (const Node& n : graph.nodes) layers.push_back(layer(graph, n, sources));
  ModelCounts c = count(graph);
  std::int64_t flops = 0;
  bool flops_fit = !__builtin_mul_overflow(c.macs, 2, &flops);
  ordered_json doc = {
      {"format_version", 1},
      {"netc_version", NETC_VERSION},
      {"model", graph.model},
      {"source", extras.source_path},
      {"input", graph.input.dims},
      {"classes", graph.classes > 0 ? ordered_json(graph.classes) : ordered_json(nullptr)},
      {"output_shape", graph.output().shape.dims},
      {"layers", layers},
      {"totals", {{"params", c.total_params()}, {"trainable_params", c.trainable_params},
                  {"non_trainable_params", c.non_trainable_params}, {"macs", c.macs},
                  {"flops", flops_fit ? ordered_json(flops) : ordered_json(nullptr)}}},
      {"memory", {{"peak_activation_bytes_per_image", peak_activation_bytes(graph)},
                  {"arena_bytes_per_image",
                   extras.arena_bytes >= 0 ? ordered_json(extras.arena_bytes) : ordered_json(nullptr)}}}};
  return dump(doc);
}

}  // namespace netc
