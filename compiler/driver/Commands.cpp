// The netc commands (see Commands.hpp): compile, report the diagnostics, then check, summary, or emit and
// weights (Emit.cpp), or import (Import.cpp).
#include "driver/Commands.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "Pipeline.hpp"
#include "driver/Emit.hpp"
#include "driver/Import.hpp"
#include "driver/Output.hpp"
#include "passes/Lower.hpp"
#include "report/Summary.hpp"
#include "report/SummaryJson.hpp"

namespace netc {

namespace {

int check(const Options& o, const Compilation& c, DiagnosticOutput& diagnostics) {
  const Graph& g = *c.graph;
  std::string classes = g.classes > 0 ? fmt::format(" and {} classes", g.classes) : "";
  return status(write_stdout(fmt::format("{}: model '{}' is valid for input {}{} ({} layers)\n", o.model_path, g.model,
                                         g.input.str(), classes, g.nodes.size() - 1)),
                diagnostics);
}

// The width the COLUMNS environment variable gives the table (0: none, or not a positive number).
std::size_t terminal_columns() {
  const char* columns = std::getenv("COLUMNS");
  if (columns == nullptr) return 0;
  char* end = nullptr;
  long n = std::strtol(columns, &end, 10);
  return *columns != '\0' && *end == '\0' && n > 0 && n < 100000 ? static_cast<std::size_t>(n) : 0;
}

int summary(const Options& o, const Compilation& c, DiagnosticOutput& diagnostics) {
  SummaryExtras extras{o.model_path, lower(*c.graph).arena_floats * 4, o.depth, terminal_columns()};
  std::string text = o.format == "json" ? summary_json(*c.graph, extras, c.sources) : summarize(*c.graph, extras);
  return status(write_stdout(text), diagnostics);
}

}  // namespace

int status(const std::string& error, DiagnosticOutput& diagnostics) {
  if (error.empty()) return 0;
  diagnostics.error(error);
  return 1;
}

int run_command(const Options& o, DiagnosticOutput& diagnostics) {
  Stage stop = o.command == "emit" && o.target == "ast" ? Stage::Parse : Stage::Check;
  Compilation c = compile_file(o.model_path, o.request, stop);
  diagnostics.compilation(c);
  if (!c.ok()) return 1;
  if (o.command == "check") return check(o, c, diagnostics);
  if (o.command == "summary") return summary(o, c, diagnostics);
  if (o.command == "emit") return emit(o, c, diagnostics);
  if (o.command == "weights") return weights(o, c, diagnostics);
  if (o.command == "import") return run_import(o, c, diagnostics);
  diagnostics.error(fmt::format("'{}' is not available in this build", o.command));
  return 1;
}

}  // namespace netc
