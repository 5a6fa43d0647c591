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
    if (plan_.image_steps > 0) open_image_loop();
    if (tensors_.declared(0)) run_.push_back("  " + tensors_.declaration(0, per_image_));
    for (const LoweredStep& step : plan_.steps) {
      if (per_image_ && step.index == plan_.image_steps) close_image_loop();
      add_step(step);
    }
    if (per_image_) close_image_loop();
    if (workspace_line_ > 0 && !uses_workspace_) run_.erase(run_.begin() + static_cast<std::ptrdiff_t>(workspace_line_));
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
    if (tensors_.declared(tensor)) append(run_, {"  " + tensors_.declaration(tensor, per_image_)});
  }

  // The steps that may run image by image (passes/ImageOrder.hpp) go in a lambda that computes one turn of the
  // loop over the images, netc::rt::Context::for_images: image by image on one thread, whole images on each
  // thread on more, the whole batch at once for an observer (which sees each step's whole batch).
  void open_image_loop() {
    run_.push_back(fmt::format("  // Steps 0-{} run image by image (netc::rt::Context::for_images): their activations "
                               "outweigh their", plan_.image_steps - 1));
    run_.push_back("  // weights, so one image's stay in cache from one step to the next. The tensors only they use are the");
    run_.push_back("  // turn's own: in the arena, or in a buffer of the thread's own when each thread takes whole images.");
    run_.push_back(fmt::format("  const auto {} = [&](const netc::rt::ImageTurn& turn) {{", loop_name()));
    loop_begin_ = run_.size();
    per_image_ = true;
    uses_workspace_ = false;
    // The tensors the loop's steps read or write, and those their tensors take over (later steps first).
    used_in_loop_.assign(plan_.tensors.size(), false);
    for (int i = plan_.image_steps - 1; i >= 0; --i) {
      const LoweredStep& step = plan_.steps[static_cast<std::size_t>(i)];
      for (int in : step.inputs) used_in_loop_[static_cast<std::size_t>(in)] = true;
      if (step.kind != LoweredStep::Kind::View) used_in_loop_[static_cast<std::size_t>(step.output)] = true;
      const int reused = view(step.output).reuses;
      if (reused >= 0 && used_in_loop_[static_cast<std::size_t>(step.output)])
        used_in_loop_[static_cast<std::size_t>(reused)] = true;
    }
  }

  std::string loop_name() const { return fmt::format("steps_0_to_{}", plan_.image_steps - 1); }

  // Ends the lambda (its lines indented, after the turn's locals they use) and runs it, then declares again,
  // for all images, each tensor of its steps that a later step reads or takes over. The workspace of the
  // later steps is declared after the lambda, whose own would otherwise shadow it.
  void close_image_loop() {
    for (std::size_t i = loop_begin_; i < run_.size(); ++i) run_[i].insert(0, "  ");
    std::vector<std::string> turn{"    const int image = turn.image, images = turn.images;"};
    if (uses_workspace_) turn.push_back("    netc::rt::Workspace& ws = turn.workspace;");
    if (tensors_.loop_floats() > 0) {
      turn.push_back("    float* const local = turn.local;");
      turn.push_back(tensors_.loop_offsets() ? "    const std::ptrdiff_t slots = turn.slots, slot = turn.slot;"
                                             : "    const std::ptrdiff_t slot = turn.slot;");
    }
    run_.insert(run_.begin() + static_cast<std::ptrdiff_t>(loop_begin_), turn.begin(), turn.end());
    run_.push_back("  };");
    run_.push_back(fmt::format("  context.for_images(batch, observer != nullptr, {});", loop_name()));
    per_image_ = false;
    uses_workspace_ = false;
    workspace_line_ = run_.size();
    run_.push_back("  netc::rt::Workspace& ws = context.workspace();");
    std::vector<bool> later(plan_.tensors.size(), false);
    for (const LoweredStep& step : plan_.steps) {
      if (step.index < plan_.image_steps) continue;
      for (int in : step.inputs) later[static_cast<std::size_t>(in)] = true;
      if (view(step.output).reuses >= 0) later[static_cast<std::size_t>(view(step.output).reuses)] = true;
    }
    for (const TensorView& t : plan_.tensors)  // the caller's input's first step is 0: declared in the loop
      if (later[static_cast<std::size_t>(t.id)] && tensors_.declared(t.id) && t.first_step < plan_.image_steps)
        run_.push_back("  " + tensors_.batch_declaration(t.id));
  }

  void add_step(const LoweredStep& step) {
    if (step.kind == LoweredStep::Kind::Compute) return add_compute(step);
    const Node& n = node(step.node);
    if (step.kind == LoweredStep::Kind::View) {
      run_.push_back(comment(step, ", a view: no work"));
      if (per_image_ && !used_in_loop_[static_cast<std::size_t>(step.output)]) return;  // declared after the loop
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
  bool per_image_ = false;      // inside the loop over the images
  std::vector<bool> used_in_loop_;  // per tensor: read, written or taken over by a step inside the loop
  std::size_t loop_begin_ = 0;  // its first line in run_
  std::size_t workspace_line_ = 0;  // after the loop: the line that declares the later steps' workspace
};

std::string Emitter::header() const {
  return banner(o_.name + ".hpp") +
         fmt::format(cpp_template::kHeader, fmt::arg("model", g_.model), fmt::arg("cls", cls_),
                     fmt::arg("h", g_.input.height()), fmt::arg("w", g_.input.width()),
                     fmt::arg("c", g_.input.channels()), fmt::arg("insize", g_.input.elements()),
                     fmt::arg("outsize", g_.output().shape.elements()), fmt::arg("arena", plan_.arena_floats),
                     fmt::arg("loop", tensors_.loop_floats()),
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
  if (uses_workspace_ && workspace_line_ == 0) locals += "  netc::rt::Workspace& ws = context.workspace();\n";
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
