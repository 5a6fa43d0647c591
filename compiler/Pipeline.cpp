// The pipeline (see Pipeline.hpp).
#include "Pipeline.hpp"

#include "passes/ShapeInference.hpp"

namespace netc {

namespace {

void run_from_program(Compilation& c, const ModelRequest& request, Stage stop) {
  if (!c.program->complete || stop == Stage::Parse) return;
  c.graph = elaborate(*c.program, request, c.sources, c.diags);
  if (!c.graph || stop == Stage::Elaborate) return;
  infer_shapes(*c.graph, c.diags);
}

}  // namespace

Compilation compile_file(const std::string& path, const ModelRequest& request, Stage stop) {
  Compilation c;
  c.program = load_program(path, c.sources, c.diags, request.import_dirs);
  run_from_program(c, request, stop);
  return c;
}

Compilation compile_text(const std::string& display_path, std::string text, const ModelRequest& request, Stage stop) {
  Compilation c;
  c.program = load_program_text(display_path, std::move(text), c.sources, c.diags, request.import_dirs);
  run_from_program(c, request, stop);
  return c;
}

}  // namespace netc
