// The netc commands (see Commands.hpp).
#include "driver/Commands.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include <filesystem>

#include <netc/safetensors.hpp>

#include "Pipeline.hpp"
#include "emit/CppEmitter.hpp"
#include "emit/PytorchEmitter.hpp"
#include "driver/Import.hpp"
#include "emit/RandomWeights.hpp"
#include "frontend/AstDump.hpp"
#include "ir/IrDump.hpp"
#include "passes/Lower.hpp"
#include "report/Summary.hpp"

namespace netc {

namespace {

// Writes text to -o FILE, or to standard output without -o; false (reported) when the file cannot be written.
bool write_text(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.flush();
  if (!out) {
    std::cerr << fmt::format("netc: error: cannot write '{}': {}\n", path, std::strerror(errno));
    return false;
  }
  return true;
}

int check(const Options& o, const Compilation& c) {
  const Graph& g = *c.graph;
  std::string classes = g.classes > 0 ? fmt::format(" and {} classes", g.classes) : "";
  std::cout << fmt::format("{}: model '{}' is valid for input {}{} ({} layers)\n", o.model_path, g.model, g.input.str(),
                           classes, g.nodes.size() - 1);
  return 0;
}

// Creates an output directory (and its parents); false (reported) when it cannot.
bool make_directory(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) std::cerr << fmt::format("netc: error: cannot create the directory '{}': {}\n", path, ec.message());
  return !ec;
}

// The command line as the generated files record it: without -o, which does not change their content.
std::string recorded_command(const Options& o) {
  std::string out = "netc";
  for (std::size_t i = 1; i < o.args.size(); ++i) {
    if (o.args[i] == "-o" || o.args[i] == "--output") {
      ++i;
      continue;
    }
    if (o.args[i].rfind("-o=", 0) == 0 || o.args[i].rfind("--output=", 0) == 0) continue;
    out += " " + o.args[i];
  }
  return out;
}

// A make rule saying that the outputs depend on every .net file read (paths absolute, spaces escaped).
std::string depfile(const std::vector<std::string>& outputs, const SourceManager& sources) {
  auto escaped = [](const std::string& path) {
    std::string out;
    for (char ch : std::filesystem::absolute(path).lexically_normal().string()) out += ch == ' ' ? "\\ " : std::string(1, ch);
    return out;
  };
  std::string rule;
  for (const std::string& o : outputs) rule += (rule.empty() ? "" : " ") + escaped(o);
  rule += ":";
  for (std::uint32_t file = 1; file <= sources.size(); ++file) rule += " " + escaped(sources.path(file));
  return rule + "\n";
}

int emit_cpp_files(const Options& o, const Compilation& c) {
  std::string name = o.name.empty() ? c.graph->model : o.name;
  CppFiles files = emit_cpp(*c.graph, lower(*c.graph), c.sources, {name, o.model_path, recorded_command(o)});
  if (!make_directory(o.output)) return 1;
  std::string base = o.output + "/" + name;
  bool ok = write_text(base + ".hpp", files.header) && write_text(base + ".cpp", files.source);
  if (ok && !o.depfile.empty()) ok = write_text(o.depfile, depfile({base + ".cpp", base + ".hpp"}, c.sources));
  return ok ? 0 : 1;
}

int emit_pytorch_file(const Options& o, Compilation& c) {
  std::string name = o.name.empty() ? c.graph->model : o.name;
  auto text = emit_pytorch(*c.graph, c.sources, {name, o.model_path, recorded_command(o)}, c.diags);
  if (!text) {
    std::cerr << c.rendered();
    return 1;
  }
  if (!make_directory(o.output)) return 1;
  return write_text(o.output + "/" + name + ".py", *text) ? 0 : 1;
}

int weights(const Options& o, const Compilation& c) {
  try {
    write_random_weights(*c.graph, o.seed, o.output);
  } catch (const rt::WeightsError& e) {
    std::cerr << "netc: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

int emit(const Options& o, Compilation& c) {
  if (o.target == "ast") {
    std::string text;
    for (const ast::Module& m : c.program->modules)
      if (m.file == c.program->main_file) text = dump_ast(m, c.sources);
    return write_text(o.output, text) ? 0 : 1;
  }
  if (o.target == "ir") return write_text(o.output, dump_ir(*c.graph, c.sources)) ? 0 : 1;
  if (o.target == "cpp") return emit_cpp_files(o, c);
  if (o.target == "pytorch") return emit_pytorch_file(o, c);
  std::cerr << fmt::format("netc: error: --target {} is not available in this build\n", o.target);
  return 1;
}

}  // namespace

int run_command(const Options& o) {
  Stage stop = o.command == "emit" && o.target == "ast" ? Stage::Parse : Stage::Check;
  Compilation c = compile_file(o.model_path, o.request, stop);
  std::cerr << c.rendered();
  if (!c.ok()) {
    std::size_t n = c.diags.error_count();
    std::cerr << fmt::format("{} error{} generated.\n", n, n == 1 ? "" : "s");
    return 1;
  }
  if (o.command == "check") return check(o, c);
  if (o.command == "summary") {
    SummaryExtras extras{o.model_path, lower(*c.graph).arena_floats * 4};
    return write_text("", summarize(*c.graph, extras)) ? 0 : 1;
  }
  if (o.command == "emit") return emit(o, c);
  if (o.command == "weights") return weights(o, c);
  if (o.command == "import") return run_import(o, c);
  std::cerr << fmt::format("netc: error: '{}' is not available in this build\n", o.command);
  return 1;
}

}  // namespace netc
