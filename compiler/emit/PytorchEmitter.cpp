// Assembling the PyTorch module from each layer's code (see PytorchEmitter.hpp).
#include "emit/PytorchEmitter.hpp"

#include <set>

#include <fmt/format.h>

#include "emit/Identifiers.hpp"
#include "ops/PyCode.hpp"
#include "passes/ShapeInference.hpp"
#include "report/Format.hpp"

namespace netc {

namespace {

// What torch.nn.Module keeps as attributes of each instance (torch 1.13 to 2.x: `training`, which train() and
// eval() assign, and its registries and hooks). A module registered under one of these names would be
// overwritten, or make torch's own assignment fail; every other name works, since layers are registered in
// _modules directly and reached through it (methods such as forward or eval stay untouched).
const std::set<std::string, std::less<>> kModuleInstanceAttributes{
    "training", "_parameters", "_buffers", "_non_persistent_buffers_set", "_backward_pre_hooks", "_backward_hooks",
    "_is_full_backward_hook", "_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called",
    "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_state_dict_hooks", "_state_dict_pre_hooks",
    "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks", "_modules", "_compiled_call_impl"};

constexpr const char* kHelpers = R"(

def _record(trace, name, value):
    """Keeps a layer's output in `trace` (a dict), when the caller asked for one."""
    if trace is not None:
        trace[name] = value.detach()


def _avg_pool_real_inputs(x, kernel, stride, pads):
    """Average pooling over the real inputs of each window (padding excluded), for padding PyTorch's own
    avg_pool2d cannot express (one-sided, or wider than half the kernel). pads: (left, right, top, bottom)."""
    ones = torch.ones_like(x[:, :1])
    total = F.avg_pool2d(F.pad(x, pads), kernel, stride, divisor_override=1)
    count = F.avg_pool2d(F.pad(ones, pads), kernel, stride, divisor_override=1)
    return total / count
)";

constexpr const char* kRegistry =
    "        # Each layer's module goes into _modules under its .net name, as add_module puts it there once it has\n"
    "        # checked that no attribute has the name: so a layer may be named like a method (forward, eval...).\n"
    "        layers = self._modules\n";

class Emitter {
public:
  Emitter(const Graph& g, const SourceManager& sources, const EmitOptions& o) : g_(g), sources_(sources), o_(o) {}

  bool check_names(Diagnostics& diags) const {
    bool ok = true;
    for (const Node& n : g_.nodes) {
      if (n.id == 0 || !kModuleInstanceAttributes.count(n.name)) continue;
      Reporter(diags, n.trace).error(n.loc, fmt::format("layer name '{}' cannot be used in the PyTorch module: "
                                                         "torch.nn.Module keeps an attribute of that name on each "
                                                         "instance; give the layer another name (`as NAME`)", n.name));
      ok = false;
    }
    return ok;
  }

  std::string run() {
    for (const Node& n : g_.nodes)
      if (n.id != 0) add(n);
    return file();
  }

private:
  // One layer: its module registered under its name, one statement computing its output into a variable
  // named after it (the identifier stem and "_": names collide with nothing else in the file), its record.
  void add(const Node& n) {
    PyStep s{{}, {}, "layers[" + py_string(n.name) + "]"};
    for (NodeId in : n.inputs) {
      s.inputs.push_back(variable(in));
      s.input_shapes.push_back(g_.nodes[static_cast<std::size_t>(in)].shape);
    }
    PyCode code = n.layer->emit_pytorch(s);
    if (!code.module.empty()) init_.push_back(fmt::format("        {} = {}", s.module, code.module));
    std::string attributes = n.layer->attributes();
    forward_.push_back("        " + comment_text(fmt::format("# {}: {}{}{} ({}:{})", n.name, n.op().keyword,
                                                             attributes.empty() ? "" : " ", attributes,
                                                             sources_.path(n.loc.file), n.loc.line)));
    std::string out = variable(n.id);
    if (code.softmax) {
      std::string logits_of = identifier_stem(n.name) + "_logits";
      forward_.push_back(fmt::format("        {} = {}", logits_of, code.expression));
      forward_.push_back(fmt::format("        _record(trace, {}, {})", py_string(n.name + "/logits"), logits_of));
      std::string softmax = fmt::format("F.softmax({}, dim=1)", logits_of);
      if (n.id == g_.output().id) softmax = fmt::format("{} if logits else {}", logits_of, softmax);
      forward_.push_back(fmt::format("        {} = {}", out, softmax));
    } else {
      forward_.push_back(fmt::format("        {} = {}", out, code.expression));
    }
    forward_.push_back(fmt::format("        _record(trace, {}, {})", py_string(n.name), out));
  }

  std::string variable(NodeId id) const {
    return id == 0 ? "x" : identifier_stem(g_.nodes[static_cast<std::size_t>(id)].name) + "_";
  }

  std::string file() const {
    ModelCounts counts = count(g_);
    const Shape& in = g_.input;
    return fmt::format(
        R"(# {name}.py: generated by netc {version} from {source}. Do not edit: change the .net file and run netc again.
# Command: {command}
# Model '{model}': input {input}, output {output}; {params} parameters, {macs} MACs per image.
"""The '{model}' model as a torch.nn.Module. Its state_dict() keys and shapes are the weights the C++ code
that netc generates for the same model loads (save them with tools/safetensors_io.py). Batch norm layers
use the .net file's epsilon; call .eval() for inference."""
import torch
from torch import nn
import torch.nn.functional as F
{helpers}

class {cls}(nn.Module):
    input_shape = ({c}, {h}, {w})  # C, H, W: PyTorch's layout (the C++ model takes H, W, C)
    num_outputs = {outputs}

    def __init__(self):
        super().__init__()
{init}

    def forward(self, x, trace=None, logits=False):
        """x: N x {c} x {h} x {w}. trace: a dict that receives every layer's output under its .net name.
        logits: return the last layer's input to its softmax (for training with a cross-entropy loss)."""
{forward}
        return {result}
)",
        fmt::arg("name", o_.name), fmt::arg("version", NETC_VERSION), fmt::arg("source", comment_text(o_.source_path)),
        fmt::arg("command", comment_text(o_.command)), fmt::arg("model", g_.model), fmt::arg("input", in.str()),
        fmt::arg("output", g_.output().shape.str()), fmt::arg("params", with_commas(counts.total_params())),
        fmt::arg("macs", with_commas(counts.macs)), fmt::arg("helpers", kHelpers), fmt::arg("cls", class_name(o_.name)),
        fmt::arg("c", in.channels()), fmt::arg("h", in.height()), fmt::arg("w", in.width()),
        fmt::arg("outputs", g_.output().shape.elements()),
        fmt::arg("init", init_.empty() ? "        pass" : fmt::format("{}{}", kRegistry, fmt::join(init_, "\n"))),
        fmt::arg("forward", fmt::format("{}{}", init_.empty() ? "" : "        layers = self._modules\n", fmt::join(forward_, "\n"))),
        fmt::arg("result", variable(g_.output().id)));
  }

  const Graph& g_;
  const SourceManager& sources_;
  const EmitOptions& o_;
  std::vector<std::string> init_, forward_;
};

}  // namespace

std::optional<std::string> emit_pytorch(const Graph& graph, const SourceManager& sources, const EmitOptions& options,
                                        Diagnostics& diags) {
  Emitter e(graph, sources, options);
  if (!e.check_names(diags)) return std::nullopt;
  return e.run();
}

}  // namespace netc
