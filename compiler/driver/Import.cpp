// `netc import` (see Import.hpp): runs the import stage on the compiled model and writes the weights file,
// first under a temporary name, so that a failed import or write leaves no file behind. The HDF5 library has
// memory errors on malformed files (a stream of CVEs; fuzz_h5 finds them in Debian's 1.10 within minutes), so
// the import runs in a child process: a crash there becomes an error message, not a crash of netc.
#include "driver/Import.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <set>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <netc/safetensors.hpp>

#include "driver/Commands.hpp"
#include "driver/Output.hpp"
#include "emit/RandomWeights.hpp"
#include "import/Import.hpp"

namespace netc {

std::string import_usage_error(const Options& o) {
  if (o.source.empty())
    return "netc import needs a model file and a Keras weights file: netc import MODEL.net KERAS.h5 -o "
           "FILE.safetensors";
  if (o.output.empty()) return "netc import needs -o FILE.safetensors";
  return "";
}

namespace {

// Imports in this process: the import stage's diagnostics, then the weights file written all or nothing.
int import_here(const Options& o, const Compilation& c, DiagnosticOutput& diagnostics) {
  Diagnostics diags;
  std::optional<ImportedWeights> weights = import_keras(*c.graph, o.source, {o.source, o.allow_missing}, diags);
  diagnostics.stage(diags, c.sources);
  if (!weights) return 1;
  const std::vector<std::string>& missing = weights->missing_layers;
  std::vector<rt::NamedTensor> tensors = std::move(weights->tensors);
  if (!missing.empty()) {
    diagnostics.warning(fmt::format("{} {} not in {}; random weights (seed {}) for {}", missing.size(),
                                    missing.size() == 1 ? "layer is" : "layers are", o.source, o.seed,
                                    fmt::join(missing, ", ")));
    std::set<std::string, std::less<>> lacking(missing.begin(), missing.end());
    tensors =
        in_model_order(*c.graph, std::move(tensors),
                       random_weights(*c.graph, o.seed, [&](const Node& n) { return lacking.count(n.name) > 0; }));
  }
  const auto metadata = imported_metadata(*c.graph, *weights, o.source, o.seed);
  OutputFile file = weights_file(o.output, [&](const std::string& to) { rt::write_safetensors(to, tensors, metadata); });
  if (int failed = status(write_files({file}), diagnostics)) return failed;
  std::int64_t parameters = 0;
  for (const rt::NamedTensor& t : tensors) parameters += static_cast<std::int64_t>(t.data.size());
  return status(write_stdout(fmt::format("{}: {} tensors, {} parameters of model '{}', from {} ({})\n", o.output,
                                         tensors.size(), parameters, c.graph->model, o.source, weights->layout)),
                diagnostics);
}

// Processor seconds the import may take: 30, and 1 more per MiB of the Keras file (reading and converting take
// well under a second per MiB), or NETC_IMPORT_CPU_SECONDS; past it the child is stopped, for HDF5 loops
// forever on some malformed files.
rlim_t cpu_seconds(const std::string& path) {
  if (const char* set = std::getenv("NETC_IMPORT_CPU_SECONDS")) {
    rlim_t seconds = std::strtoul(set, nullptr, 10);
    if (seconds > 0) return seconds;
  }
  std::error_code ec;
  std::uintmax_t bytes = std::filesystem::file_size(path, ec);
  return 30 + (ec ? 0 : static_cast<rlim_t>(bytes >> 20));
}

// The error for a child that did not exit by itself: HDF5 crashed, or looped past the processor time allowed.
void report_stopped(const Options& o, int status, rlim_t seconds, DiagnosticOutput& diagnostics) {
  int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  std::string what = signal == SIGXCPU ? fmt::format(
                                             "reading it took more than {} s of processor time (HDF5 loops on some "
                                             "malformed files)",
                                             seconds)
                                       : fmt::format("the HDF5 library crashed reading it ({})",
                                                     signal != 0 ? strsignal(signal) : "stopped");
  diagnostics.error(fmt::format("{}: {}: the file is malformed", o.source, what));
}

}  // namespace

int run_import(const Options& o, const Compilation& c, DiagnosticOutput& diagnostics) {
  std::cout.flush();
  std::cerr.flush();
  rlim_t seconds = cpu_seconds(o.source);
  pid_t child = fork();
  if (child < 0) return import_here(o, c, diagnostics);  // no process to spare: import here
  if (child == 0) {
    struct rlimit limit {
      seconds, seconds + 5
    };
    setrlimit(RLIMIT_CPU, &limit);
    int status = import_here(o, c, diagnostics);
    diagnostics.finish();
    std::cout.flush();
    std::cerr.flush();
    _exit(status);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    diagnostics.forget();  // the child printed them
    return WEXITSTATUS(status);
  }
  report_stopped(o, status, seconds, diagnostics);
  return 1;
}

}  // namespace netc
