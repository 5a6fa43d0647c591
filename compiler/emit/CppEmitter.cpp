// Assembling the generated C++ files from each step's code (see CppEmitter.hpp).
#include "emit/CppEmitter.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "emit/CppClassTemplate.hpp"
#include "emit/CppTensors.hpp"
#include "emit/CppText.hpp"
#include "emit/Identifiers.hpp"
#include "ops/ActivationFunction.hpp"
#include "ops/CppCode.hpp"
#include "passes/ShapeInference.hpp"
#include "report/Format.hpp"

namespace netc {

namespace {

class Emitter {
public:
  Emitter(const Graph& g, const Plan& p, const SourceManager& sources, const EmitOptions& o)
      : g_(g), plan_(p), sources_(sources), o_(o), cls_(class_name(o.name)), tensors_(g, p) {}

  CppFiles run() {
    if (tensors_.declared(0)) run_.push_back("  " + tensors_.declaration(0));
    for (const LoweredStep& step : plan_.steps) add_step(step);
    uses_arena_ = tensors_.uses_arena();
    return {header(), source()};
  }

private:
  const Node& node(NodeId id) const { return g_.nodes[static_cast<std::size_t>(id)]; }
  const TensorView& view(int id) const { return plan_.tensors[static_cast<std::size_t>(id)]; }

  // "// step 3: res2a_branch2a + bn2a_branch2a + relu2a_branch2a: conv 64 1x1 (models/blocks/resnet.net:23)"
  std::string comment(const LoweredStep& step, std::string_view note = "") const {
    const Node& n = node(step.node);
    std::vector<std::string> names;
    for (NodeId id : step.covers) names.push_back(node(id).name);
    std::string attributes = n.layer->attributes();
    std::string where = n.loc.valid() ? fmt::format("{}:{}", sources_.path(n.loc.file), n.loc.line) : "";
    return "  " + comment_text(fmt::format("// step {}: {}: {}{}{}{} ({})", step.index, fmt::join(names, " + "),
                                           n.op().keyword, attributes.empty() ? "" : " ", attributes, note, where));
  }

  void declare(int tensor) {
    if (tensors_.declared(tensor)) append(run_, {"  " + tensors_.declaration(tensor)});
  }

  void add_step(const LoweredStep& step) {
    if (step.kind == LoweredStep::Kind::Compute) return add_compute(step);
    const Node& n = node(step.node);
    if (step.kind == LoweredStep::Kind::View) {
      run_.push_back(comment(step, ", a view: no work"));
      return declare(step.output);
    }
    run_.push_back(fmt::format("  // step {}: the model's output is its input, seen as {}: copied", step.index, n.shape.str()));
    declare(step.output);
    const std::string& from = tensors_.name(step.inputs[0]);
    run_.push_back(fmt::format("  std::copy({0}.data, {0}.data + {0}.size(), {1}.data);", from, tensors_.name(step.output)));
  }

  void add_compute(const LoweredStep& step) {
    const Node& n = node(step.node);
    std::string member = "layers_." + identifier_stem(n.name) + "_";
    CppStep s{step, {}, {view(step.output), tensors_.name(step.output)}, member, cpp_epilogue(step.epilogue)};
    for (int in : step.inputs) s.inputs.push_back({view(in), tensors_.name(in)});
    CppCode code = n.layer->emit_cpp(s);
    if (code.run.empty())
      throw std::logic_error(fmt::format("the '{}' op wrote no code for layer '{}'", n.op().keyword, n.name));
    if (!code.member_type.empty()) members_.push_back(fmt::format("    {} {};", code.member_type, identifier_stem(n.name) + "_"));
    if (!code.load.empty()) load_.push_back(comment(step));
    for (const std::string& statement : code.load) append(load_, wrap_statement(statement, 2));
    if (!code.scratch_floats.empty()) scratch_.push_back(code.scratch_floats);
    uses_workspace_ = uses_workspace_ || code.uses_workspace;
    run_.push_back(comment(step));
    declare(step.output);
    add_run(n, s, code);
  }

  // Appends a step's statements to forward(), the step observed. A softmax that ends the model (the step's
  // trailing softmax or a softmax layer) runs for Output::Final only: Output::Logits stops before it.
  void add_run(const Node& n, const CppStep& s, const CppCode& code) {
    const std::string& last = node(s.output.view.producer).name;
    const std::string& out = s.output.name;
    auto function = n.layer->activation_function();
    const bool softmax_layer = function && function->kind == ActivationKind::Softmax;
    const bool final = s.output.view.buffer == Buffer::Output;
    std::vector<std::string> softmax = code.run;  // the statements of the softmax
    if (!softmax_layer) {
      for (const std::string& statement : code.run) append(run_, wrap_statement(statement, 2));
      if (!s.step.softmax) return observe(last, out);
      observe(last + "/logits", out);  // before and after, as the PyTorch module's trace records it
      softmax = {fmt::format("netc::rt::softmax({0}, {0});", out)};
    }
    if (!final) {
      for (const std::string& statement : softmax) append(run_, wrap_statement(statement, 2));
      return observe(last, out);
    }
    ends_with_softmax_ = true;
    run_.push_back("  if (kind == netc::rt::Output::Final) {  // the final softmax (Output::Logits stops before it)");
    for (const std::string& statement : softmax) append(run_, wrap_statement(statement, 4));
    observe(last, out, 4);
    const std::string& logits = softmax_layer ? s.inputs[0].name : out;
    if (logits != out) {  // a softmax layer that does not run in place: the logits are its input
      run_.push_back("  } else {");
      append(run_, wrap_statement(fmt::format("netc::rt::copy({}, {});", logits, out), 4));
    }
    run_.push_back("  }");
  }

  // The class's packed layers, in a struct of their own so that no layer name meets a member of the class
  // (the struct has no name, so that it meets no class name either).
  std::string members() const {
    if (members_.empty()) return "";
    return fmt::format("  /// The packed layers, one member per .net layer with weights, named after it.\n"
                       "  struct {{\n{}\n  }} layers_;",
                       fmt::join(members_, "\n"));
  }

  std::string banner(const std::string& file) const {
    ModelCounts counts = count(g_);
    return fmt::format(
        "// {}: generated by netc {} from {}. Do not edit: change the .net file and run netc again.\n"
        "// Command: {}\n"
        "// Model '{}': input {}, output {}; {} parameters, {} MACs per image.\n",
        file, NETC_VERSION, comment_text(o_.source_path), comment_text(o_.command), g_.model, g_.input.str(),
        g_.output().shape.str(), with_commas(counts.total_params()), with_commas(counts.macs));
  }

  void observe(const std::string& name, const std::string& tensor, std::size_t indent = 2) {
    append(run_, wrap_statement(fmt::format("if (observer) observer->on_layer({}, {});", cpp_string(name), tensor), indent));
  }

  static void append(std::vector<std::string>& to, const std::vector<std::string>& lines) {
    to.insert(to.end(), lines.begin(), lines.end());
  }

  std::string header() const;
  std::string source() const;

  const Graph& g_;
  const Plan& plan_;
  const SourceManager& sources_;
  const EmitOptions& o_;
  std::string cls_;
  CppTensors tensors_;
  std::vector<std::string> members_, load_, run_, scratch_;
  bool uses_arena_ = false, uses_workspace_ = false, ends_with_softmax_ = false;
};

std::string Emitter::header() const {
  return banner(o_.name + ".hpp") +
         fmt::format(cpp_template::kHeader, fmt::arg("model", g_.model), fmt::arg("cls", cls_),
                     fmt::arg("h", g_.input.height()), fmt::arg("w", g_.input.width()),
                     fmt::arg("c", g_.input.channels()), fmt::arg("insize", g_.input.elements()),
                     fmt::arg("outsize", g_.output().shape.elements()), fmt::arg("arena", plan_.arena_floats),
                     fmt::arg("macs", count(g_).macs), fmt::arg("softmax", ends_with_softmax_ ? "true" : "false"),
                     fmt::arg("members", members()));
}

std::string Emitter::source() const {
  std::string scratch = "  std::size_t scratch = 0;  // per thread: the most any layer needs\n";
  for (const std::string& need : scratch_)
    for (const std::string& line : wrap_statement(fmt::format("scratch = std::max(scratch, {});", need), 2))
      scratch += line + "\n";
  // The locals forward()'s statements use: the batch as an offset factor, the arena, the workspace.
  std::string locals;
  if (tensors_.uses_batch_offsets()) locals += "  const std::ptrdiff_t n = batch;\n";
  if (uses_arena_) locals += "  float* const a = context.arena();\n";
  if (uses_workspace_) locals += "  netc::rt::Workspace& ws = context.workspace();\n";
  return banner(o_.name + ".cpp") +
         fmt::format(cpp_template::kSource, fmt::arg("name", o_.name), fmt::arg("cls", cls_),
                     fmt::arg("model", g_.model), fmt::arg("input", g_.input.str()),
                     fmt::arg("classes", g_.classes), fmt::arg("load", fmt::join(load_, "\n")),
                     fmt::arg("scratch", scratch), fmt::arg("run", fmt::join(run_, "\n")),
                     fmt::arg("locals", locals));
}

}  // namespace

CppFiles emit_cpp(const Graph& graph, const Plan& plan, const SourceManager& sources, const EmitOptions& options) {
  return Emitter(graph, plan, sources, options).run();
}

}  // namespace netc
