// `netc emit` and `netc weights` (see Emit.hpp). Every file is written all or nothing (driver/Output.hpp):
// a failed run leaves the files of an earlier run as they were, never a new header beside an old source.
#include "driver/Emit.hpp"

#include <filesystem>

#include <fmt/format.h>

#include <netc/safetensors.hpp>

#include "driver/Commands.hpp"
#include "driver/Graphviz.hpp"
#include "driver/Output.hpp"
#include "emit/CppEmitter.hpp"
#include "emit/DotEmitter.hpp"
#include "emit/PytorchEmitter.hpp"
#include "emit/RandomWeights.hpp"
#include "frontend/AstDump.hpp"
#include "ir/IrDump.hpp"
#include "passes/Lower.hpp"

namespace netc {

namespace {

// Creates an output directory (and its parents); "" or the error.
std::string make_directory(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  return ec ? fmt::format("cannot create the directory '{}': {}", path, ec.message()) : "";
}

// The command line as the generated files record it: without -o and --diagnostics-format, which do not change
// their content.
std::string recorded_command(const Options& o) {
  std::string out = "netc";
  for (std::size_t i = 1; i < o.args.size(); ++i) {
    const std::string& a = o.args[i];
    if (a == "-o" || a == "--output" || a == "--diagnostics-format") {
      ++i;
      continue;
    }
    if (a.rfind("-o=", 0) == 0 || a.rfind("--output=", 0) == 0 || a.rfind("--diagnostics-format=", 0) == 0) continue;
    out += " " + a;
  }
  return out;
}

// The files one emit writes: the outputs, and with --depfile the rule that they depend on every .net read.
std::string write_with_depfile(const Options& o, const Compilation& c, std::vector<OutputFile> files) {
  if (!o.depfile.empty()) {
    std::vector<std::string> outputs, inputs;
    for (const OutputFile& f : files) outputs.push_back(f.path);
    for (std::uint32_t file = 1; file <= c.sources.size(); ++file) inputs.push_back(c.sources.path(file));
    std::string error;
    std::string rule = depfile_rule(outputs, inputs, error);
    if (!error.empty()) return error;
    files.push_back(text_file(o.depfile, rule));
  }
  return write_files(files);
}

std::string emit_cpp_files(const Options& o, const Compilation& c) {
  std::string name = o.name.empty() ? c.graph->model : o.name;
  CppFiles files = emit_cpp(*c.graph, lower(*c.graph), c.sources, {name, o.model_path, recorded_command(o)});
  if (std::string error = make_directory(o.output); !error.empty()) return error;
  std::string base = o.output + "/" + name;
  return write_with_depfile(o, c, {text_file(base + ".cpp", files.source), text_file(base + ".hpp", files.header)});
}

int emit_pytorch_file(const Options& o, Compilation& c, DiagnosticOutput& diagnostics) {
  std::string name = o.name.empty() ? c.graph->model : o.name;
  std::size_t reported = c.diags.all().size();
  auto text = emit_pytorch(*c.graph, c.sources, {name, o.model_path, recorded_command(o)}, c.diags);
  if (!text) {
    diagnostics.later_errors(c, reported);
    return 1;
  }
  if (std::string error = make_directory(o.output); !error.empty()) return status(error, diagnostics);
  return status(write_with_depfile(o, c, {text_file(o.output + "/" + name + ".py", *text)}), diagnostics);
}

std::string picture(const Options& o, const Compilation& c) {
  std::string dot = emit_dot(*c.graph, {o.model_path, o.depth});
  if (o.target == "dot") return write_output(o.output, dot);
  std::string svg;
  if (std::string error = render_svg(dot, svg); !error.empty()) return error;
  return write_output(o.output, svg);
}

}  // namespace

int emit(const Options& o, Compilation& c, DiagnosticOutput& diagnostics) {
  if (o.target == "ast") {
    std::string text;
    for (const ast::Module& m : c.program->modules)
      if (m.file == c.program->main_file) text = dump_ast(m, c.sources);
    return status(write_output(o.output, text), diagnostics);
  }
  if (o.target == "ir") return status(write_output(o.output, dump_ir(*c.graph, c.sources)), diagnostics);
  if (o.target == "dot" || o.target == "svg") return status(picture(o, c), diagnostics);
  if (o.target == "cpp") return status(emit_cpp_files(o, c), diagnostics);
  if (o.target == "pytorch") return emit_pytorch_file(o, c, diagnostics);
  return status(fmt::format("--target {} is not available in this build", o.target), diagnostics);
}

int weights(const Options& o, const Compilation& c, DiagnosticOutput& diagnostics) {
  if (std::string error = random_weights_size_error(*c.graph); !error.empty())
    return status(fmt::format("{}: {}", o.output, error), diagnostics);
  OutputFile file = weights_file(o.output, [&](const std::string& to) { write_random_weights(*c.graph, o.seed, to); });
  return status(write_files({file}), diagnostics);
}

}  // namespace netc
