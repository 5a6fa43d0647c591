// The netc commands (see Commands.hpp).
#include "driver/Commands.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "Pipeline.hpp"
#include "frontend/AstDump.hpp"
#include "ir/IrDump.hpp"
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

int emit(const Options& o, const Compilation& c) {
  if (o.target == "ast") {
    std::string text;
    for (const ast::Module& m : c.program->modules)
      if (m.file == c.program->main_file) text = dump_ast(m, c.sources);
    return write_text(o.output, text) ? 0 : 1;
  }
  if (o.target == "ir") return write_text(o.output, dump_ir(*c.graph, c.sources)) ? 0 : 1;
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
  if (o.command == "summary") return write_text("", summarize(*c.graph, {o.model_path})) ? 0 : 1;
  if (o.command == "emit") return emit(o, c);
  std::cerr << fmt::format("netc: error: '{}' is not available in this build\n", o.command);
  return 1;
}

}  // namespace netc
