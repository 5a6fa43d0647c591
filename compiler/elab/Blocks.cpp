// Models and block uses: choosing the model, binding parameters and arguments, instantiating blocks.
#include <algorithm>

#include <fmt/format.h>

#include "elab/Elaborator.hpp"
#include "elab/Eval.hpp"
#include "frontend/Files.hpp"
#include "ops/Input.hpp"

namespace netc {

namespace {

const ast::Definition* choose_model(const Program& program, const ModelRequest& request, const SourceManager& sources,
                                    Diagnostics& diags) {
  std::string file = program.main_file ? sources.path(program.main_file) : "the input";
  std::vector<std::string> names;
  for (const ast::Definition* m : program.models) names.push_back(m->name.text);
  if (!request.model.empty()) {
    for (const ast::Definition* m : program.models)
      if (m->name.text == request.model) return m;
    diags.error({}, fmt::format("--model {}: {} has no model of that name (models: {}){}", request.model, file,
                                names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")),
                                did_you_mean(request.model, names)));
    return nullptr;
  }
  if (program.models.size() == 1) return program.models[0];
  bool empty = std::all_of(program.modules.begin(), program.modules.end(), [&](const ast::Module& m) {
    return m.file != program.main_file || (m.imports.empty() && m.blocks.empty());
  });
  if (program.models.empty() && empty)
    diags.error({program.main_file, 1, 1}, "empty file: no model here");
  else if (program.models.empty())
    diags.error({program.main_file, 1, 1}, "no model here: a file of blocks can be imported but not compiled");
  else
    diags.error({}, fmt::format("{} defines {} models ({}); choose one with --model NAME", file, names.size(),
                                fmt::join(names, ", ")));
  return nullptr;
}

}  // namespace

std::optional<Graph> elaborate(const Program& program, const ModelRequest& request, const SourceManager& sources,
                               Diagnostics& diags) {
  const ast::Definition* model = choose_model(program, request, sources, diags);
  if (!model) return std::nullopt;
  return Elaborator(program, diags).run(*model, request);
}

std::optional<Graph> Elaborator::run(const ast::Definition& model, const ModelRequest& request) {
  max_nodes_ = request.max_nodes;
  graph_.model = model.name.text;
  graph_.model_loc = model.name.loc;
  Scope scope(fmt::format("model '{}'", model.name.text), nullptr);
  if (!bind_model_parameters(model, request, scope) || !set_input(model, scope)) return std::nullopt;
  add_node(std::make_unique<Input>(graph_.input), {}, model.name.loc, {"input"});
  NameScope names;
  body(model.body, scope, 0, names);
  if (graph_.nodes.size() == 1 && !diags_.has_errors())
    report_.error(model.name.loc, fmt::format("model '{}' has no layers", model.name.text));
  if (diags_.has_errors()) return std::nullopt;
  assign_names(graph_, std::move(names_), diags_);
  if (diags_.has_errors()) return std::nullopt;
  return std::move(graph_);
}

bool Elaborator::bind_model_parameters(const ast::Definition& model, const ModelRequest& request, Scope& out) {
  bool ok = true;
  auto has = [&](std::string_view name) {
    return std::any_of(model.params.begin(), model.params.end(), [&](const ast::Param& p) { return p.name.text == name; });
  };
  for (auto [flag, given, name] : {std::tuple{"--input", request.input.has_value(), "input"},
                                   std::tuple{"--classes", request.classes.has_value(), "classes"}}) {
    if (given && !has(name)) {
      Diagnostic& d = diags_.error({}, fmt::format("{}: model '{}' has no parameter '{}'", flag, model.name.text, name));
      d.notes.push_back({Severity::Note, model.name.loc, "model declared here", {}});
      ok = false;
    }
  }
  for (const ast::Param& p : model.params) {
    std::optional<Value> value;
    if (p.name.text == "input" && request.input) value = Value::make_dims(*request.input, {});
    else if (p.name.text == "classes" && request.classes) value = Value::make_int(*request.classes, {});
    else if (p.default_value) value = evaluate(*p.default_value, out, report_);
    else {
      report_.error(p.loc, fmt::format("model parameter '{}' needs a default value", p.name.text));
      ok = false;
      continue;
    }
    ok = value && bind_parameter(p, std::move(*value), out) && ok;
  }
  return ok;
}

bool Elaborator::set_input(const ast::Definition& model, const Scope& scope) {
  const Value* input = scope.find("input");
  if (!input) {
    report_.error(model.name.loc, fmt::format("model '{}' has no 'input' parameter; declare its default shape, "
                                              "e.g. model {}(input = 224x224x3)", model.name.text, model.name.text));
    return false;
  }
  bool ok = input->kind == Value::Kind::Dims && input->dims.size() == 3;
  for (std::int64_t d : input->dims) ok = ok && d >= 1 && d <= kMaxDim;
  std::optional<std::int64_t> elements = ok ? checked_product(input->dims) : std::nullopt;
  if (!ok || !elements || !checked_product({*elements, 4})) {
    std::string message =
        ok ? fmt::format("input {} has too many elements to store (their size in bytes does not fit in 64 bits)",
                         input->str())
           : fmt::format("input must be HxWxC with each size from 1 to {}, found {}", kMaxDim, input->str());
    if (input->loc.valid()) report_.error(input->loc, message);
    else diags_.error({}, "--input: " + message);
    return false;
  }
  graph_.input = Shape{input->dims};
  if (const Value* classes = scope.find("classes")) {
    if (classes->kind != Value::Kind::Int || classes->i < 1 || classes->i > kMaxDim) {
      std::string message = fmt::format("classes must be an integer from 1 to {}, found {}", kMaxDim, classes->str());
      if (classes->loc.valid()) report_.error(classes->loc, message);
      else diags_.error({}, "--classes: " + message);
      return false;
    }
    graph_.classes = classes->i;
  }
  return true;
}

bool Elaborator::bind_parameter(const ast::Param& param, Value value, Scope& out) {
  if (param.fields.empty()) {
    out.bind(param.name.text, std::move(value));
    return true;
  }
  if (value.kind != Value::Kind::List || value.list.size() != param.fields.size()) {
    std::string name = param.name.text.empty() ? "a list parameter" : "'" + param.name.text + "'";
    std::vector<std::string> fields;  // not a std::views::transform: clang 14 cannot use libstdc++ 12's views
    for (const ast::Ident& field : param.fields) fields.push_back(field.text);
    report_.error(value.loc.valid() ? value.loc : param.loc,
                  fmt::format("{} takes a list of {} values ({}), found {}", name, param.fields.size(),
                              fmt::join(fields, ", "), value.describe()));
    return false;
  }
  for (std::size_t i = 0; i < param.fields.size(); ++i) out.bind(param.fields[i].text, value.list[i]);
  if (!param.name.text.empty()) out.bind(param.name.text, std::move(value));
  return true;
}

NodeId Elaborator::use(const ast::UseStmt& stmt, const Scope& scope, NodeId x, NameScope& names, const NextId& next_id) {
  auto found = program_.blocks.find(stmt.block.text);
  if (found == program_.blocks.end()) {
    if (find_op(stmt.block.text)) {
      report_.error(stmt.block.loc, fmt::format("'{}' is a layer: write its values without parentheses, as in {}",
                                                stmt.block.text, find_op(stmt.block.text)->signature.usage));
    } else {
      report_.error(stmt.block.loc, fmt::format("unknown block '{}'{}", stmt.block.text, unknown_block_hint(stmt.block.text)));
    }
    return x;
  }
  const ast::Definition& block = *found->second;
  int repeats = 1;
  if (stmt.repeat) {
    auto n = evaluate_int(*stmt.repeat, scope, report_, "a repeat count");
    if (!n) return x;
    if (*n < 1 || *n > static_cast<std::int64_t>(kMaxNodes)) {
      report_.error(stmt.repeat->loc, fmt::format("a repeat count must be between 1 and {}, found {}", kMaxNodes, *n));
      return x;
    }
    repeats = static_cast<int>(*n);
  }
  if (auto cycle = std::find(active_blocks_.begin(), active_blocks_.end(), block.name.text); cycle != active_blocks_.end()) {
    std::vector<std::string> chain(cycle, active_blocks_.end());
    chain.push_back(block.name.text);
    report_.error(stmt.block.loc, fmt::format("block '{}' uses itself: {}", block.name.text, fmt::join(chain, " -> ")));
    return x;
  }
  if (active_blocks_.size() >= kMaxUseDepth) {
    report_.error(stmt.block.loc, fmt::format("block uses nest more than {} deep", kMaxUseDepth));
    return x;
  }
  Scope args(fmt::format("block '{}'", block.name.text), &scope);
  if (!bind_arguments(block, stmt, scope, args)) return x;
  for (int i = 0; i < repeats && !too_big_; ++i) {
    std::size_t nodes = graph_.nodes.size(), errors = diags_.errors_found();
    x = instantiate(block, stmt, args, x, names, outer_prefix(names) + next_id(repeats));
    names.previous = x;
    if (!next_round(nodes, errors)) break;
  }
  return x;
}

// "; did you forget `import <f.net>`?" when a file on the search path defines the block (looked for once per
// name), else a block of a similar name.
std::string Elaborator::unknown_block_hint(const std::string& name) {
  auto [hint, first] = block_hints_.try_emplace(name);
  if (!first) return hint->second;
  std::string file = frontend::library_file_defining(program_.search_path, name);
  if (!file.empty()) return hint->second = fmt::format("; did you forget `import <{}>`?", file);
  std::vector<std::string> known;
  for (const auto& [block, def] : program_.blocks) known.push_back(block);
  return hint->second = did_you_mean(name, known);
}

NodeId Elaborator::instantiate(const ast::Definition& block, const ast::UseStmt& stmt, const Scope& args, NodeId x,
                               const NameScope& names, const std::string& id) {
  active_blocks_.push_back(block.name.text);
  trace_ = trace_.push({stmt.loc, fmt::format("in block '{}', used here as '{}'", block.name.text, id)});
  NameScope block_names{NameScope::Kind::Block, id, {}, {}, names.previous};
  x = body(block.body, args, x, block_names);
  trace_ = trace_.pop();
  active_blocks_.pop_back();
  return x;
}

// Positional arguments fill parameters in order, `name = value` by name; defaults fill the rest.
bool Elaborator::bind_arguments(const ast::Definition& def, const ast::UseStmt& stmt, const Scope& caller, Scope& out) {
  std::vector<std::optional<Value>> given(def.params.size());
  bool ok = true;
  std::size_t next = 0;
  for (const ast::Arg& arg : stmt.args) {
    auto value = evaluate(arg.value, caller, report_);
    ok = ok && value;
    std::size_t slot = next;
    if (arg.keyword) {
      auto p = std::find_if(def.params.begin(), def.params.end(),
                            [&](const ast::Param& q) { return !q.name.text.empty() && q.name.text == arg.keyword->text; });
      if (p == def.params.end()) {
        std::vector<std::string> known;
        for (const ast::Param& q : def.params) known.push_back(q.name.text);
        report_.error(arg.keyword->loc, fmt::format("block '{}' has no parameter '{}' (parameters: {}){}", def.name.text,
                                                    arg.keyword->text, fmt::join(known, ", "),
                                                    did_you_mean(arg.keyword->text, known)));
        ok = false;
        continue;
      }
      slot = static_cast<std::size_t>(p - def.params.begin());
    } else if (next++ >= def.params.size()) {
      std::size_t positional = static_cast<std::size_t>(
          std::count_if(stmt.args.begin(), stmt.args.end(), [](const ast::Arg& a) { return !a.keyword; }));
      report_.error(arg.value.loc, fmt::format("block '{}' takes {} argument{}, found {}", def.name.text,
                                               def.params.size(), def.params.size() == 1 ? "" : "s", positional));
      ok = false;
      continue;
    }
    if (given[slot]) {
      report_.error(arg.value.loc, fmt::format("block '{}': argument '{}' is given twice", def.name.text,
                                               def.params[slot].name.text));
      ok = false;
    }
    if (value) given[slot] = std::move(*value);
  }
  if (!ok) return false;
  for (std::size_t i = 0; i < def.params.size(); ++i) {
    const ast::Param& p = def.params[i];
    if (!given[i] && p.default_value) given[i] = evaluate(*p.default_value, out, report_);
    else if (!given[i]) {
      std::string what = p.name.text.empty() ? fmt::format("argument {}", i + 1) : "'" + p.name.text + "'";
      report_.error(stmt.loc, fmt::format("block '{}' needs {}", def.name.text, what));
      ok = false;
    }
    ok = given[i] && bind_parameter(p, std::move(*given[i]), out) && ok;
  }
  return ok;
}

}  // namespace netc
