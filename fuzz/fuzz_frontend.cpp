// libFuzzer target for the front end: bytes as a .net file through the whole pipeline (parse, imports,
// elaboration, shape inference), then, when the model compiles, every output netc can make of it: the
// summary, the AST and IR dumps, lowering with the C++ emitter, the PyTorch emitter, and random weights
// (written, then read back and checked as the generated code would). Diagnostics are rendered too.
// Any exception, crash, sanitizer report, leak or timeout is a bug: bad input must end in diagnostics.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include <netc/safetensors.hpp>

#include "Pipeline.hpp"
#include "emit/CppEmitter.hpp"
#include "emit/PytorchEmitter.hpp"
#include "emit/RandomWeights.hpp"
#include "frontend/AstDump.hpp"
#include "ir/IrDump.hpp"
#include "passes/Lower.hpp"
#include "passes/ShapeInference.hpp"
#include "report/Summary.hpp"

namespace {

// What fuzzing may build: far fewer layers than netc allows (kMaxNodes), so that each input runs in
// milliseconds; inputs that expand to more stop with the usual "expands to more than N layers" error. The
// model's own input and class count are used (the seeds need theirs: VGG16 needs 32x32 at least); compiling
// costs the same at any input size, and random weights are only written for small models.
constexpr std::size_t kFuzzMaxNodes = 4000;
constexpr std::int64_t kMaxWeightsToWrite = 1 << 16;

std::string weights_path() {
  static const std::string path = "/tmp/netc_fuzz_frontend_" + std::to_string(::getpid()) + ".safetensors";
  return path;
}

// Random weights must load with exactly the shapes the model expects, and nothing else in the file.
void round_trip_weights(const netc::Graph& graph) {
  netc::write_random_weights(graph, 1, weights_path());
  netc::rt::SafeTensors file = netc::rt::SafeTensors::open(weights_path());
  for (const netc::rt::TensorInfo& t : file.tensors()) file.read_f32(t.name, t.shape);
  file.check_all_used();
  std::remove(weights_path().c_str());
}

void emit_everything(netc::Compilation& c) {
  const netc::Graph& graph = *c.graph;
  netc::Plan plan = netc::lower(graph);
  netc::summarize(graph, {"fuzz.net", plan.arena_floats * 4});
  netc::dump_ir(graph, c.sources);
  for (const netc::ast::Module& m : c.program->modules) netc::dump_ast(m, c.sources);
  netc::EmitOptions options{"fuzz_model", "fuzz.net", "netc emit fuzz.net"};
  netc::emit_cpp(graph, plan, c.sources, options);
  netc::emit_pytorch(graph, c.sources, options, c.diags);
  if (netc::count(graph).total_params() <= kMaxWeightsToWrite) round_trip_weights(graph);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Imports resolve against the current directory: the shipped models', so that `import "blocks/resnet.net"`
  // in a seed finds its file, whatever directory the fuzzer was started from.
  if (::chdir(NETC_SOURCE_DIR "/models") != 0) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  netc::ModelRequest request;
  request.max_nodes = kFuzzMaxNodes;
  // A file with several models: compile the last one rather than stop at "choose one with --model".
  netc::Compilation parsed = netc::compile_text("fuzz.net", text, request, netc::Stage::Parse);
  parsed.rendered();
  if (parsed.program && parsed.program->models.size() > 1) request.model = parsed.program->models.back()->name.text;
  netc::Compilation c = netc::compile_text("fuzz.net", text, request);
  c.rendered();
  if (c.ok()) {
    emit_everything(c);
    c.rendered();
  }
  return 0;
}
